// Writes what it was started with to FILE as JSON: its arguments after FILE, the working
// folder and the BATON_* variables, then stays (a pane whose program ends would show "dead").
import { renameSync, writeFileSync } from "node:fs";

const [file, ...args] = process.argv.slice(2);
const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => key.startsWith("BATON_")));
writeFileSync(`${file}.tmp`, JSON.stringify({ args, cwd: process.cwd(), env }));
renameSync(`${file}.tmp`, file);
process.stdout.write("recorded\n");
setInterval(() => {}, 1 << 30);
