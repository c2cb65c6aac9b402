// Runs `node ARGS...` on this terminal and writes its exit status to FILE (128 + N after signal N).
// tmux sometimes leaves an ended pane's process unreaped (seen here: a zombie, pane_dead set and
// no status), so tests read the status from this file instead of from tmux.
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { constants } from "node:os";

const [file, ...args] = process.argv.slice(2);
process.on("SIGINT", () => {}); // Ctrl-C is for the command, not for this wrapper
const child = spawn(process.execPath, args, { stdio: "inherit" });
child.on("exit", (code, signal) => {
  writeFileSync(file, String(code ?? 128 + (constants.signals[signal] ?? 0)));
  process.exit(0);
});
