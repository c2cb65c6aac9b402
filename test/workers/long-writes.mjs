// Writes in long transactions (~1.5 s each: room for a signal to land inside one on a loaded machine), printing "begin N" inside each and "commit N" after it,
// with the CLI's Ctrl-Z handling installed unless "raw" is given, until killed.
import { deferTerminalStop } from "../../dist/cli/defer-terminal-stop.js";
import { Connection } from "../../dist/store/sqlite/connection.js";

const [dbPath, mode] = process.argv.slice(2);
if (mode !== "raw") deferTerminalStop();
const connection = new Connection(dbPath);
for (let n = 1; ; n++) {
  connection.write(() => {
    connection.run("CREATE TABLE IF NOT EXISTS scratch (n INTEGER)");
    process.stdout.write(`begin ${n}\n`);
    const until = performance.now() + 1500;
    while (performance.now() < until) connection.run("INSERT INTO scratch VALUES (?)", n);
  });
  process.stdout.write(`commit ${n}\n`);
  await new Promise((resolve) => setImmediate(resolve)); // between writes, signals are handled
}
