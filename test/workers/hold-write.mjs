// Holds the database's lock in one of several ways, says "in-transaction", and finishes when it can:
//   stop        a write transaction, then SIGSTOP to itself (as a debugger or `kill -STOP` would)
//   sleep MS    a write transaction that lasts MS milliseconds (a slow holder that still runs)
//   read-stop   a read transaction, then SIGSTOP (a reader does not block writers in WAL mode)
import { Connection } from "../../dist/store/sqlite/connection.js";

const [dbPath, mode, ms] = process.argv.slice(2);
const connection = new Connection(dbPath);
const hold = () => {
  process.stdout.write("in-transaction\n");
  if (mode === "sleep") Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(ms));
  else process.kill(process.pid, "SIGSTOP");
};
if (mode === "read-stop") {
  connection.read(() => {
    connection.get("SELECT count(*) FROM events");
    hold();
  });
} else {
  connection.write(() => {
    connection.run("CREATE TABLE IF NOT EXISTS scratch (n INTEGER)");
    connection.run("INSERT INTO scratch VALUES (1)");
    hold();
  });
}
process.stdout.write("done\n");
connection.close();
