// Records what its terminal receives, byte for byte. Raw mode: no echo, no line editing, no
// CR-to-LF, and Ctrl-C arrives as a byte instead of a signal. Each input up to a CR (the Enter
// key; a sent text never holds a raw CR) goes to DIR/N.bin, N counting from 1, written whole
// (temp file, then rename) so a reader never sees half of it. With "bracketed" it first asks
// for bracketed paste (ESC [ ? 2004 h), as agent prompts do, so tmux wraps what it pastes.
import { renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [dir, mode] = process.argv.slice(2);
process.stdin.setRawMode(true);
if (mode === "bracketed") process.stdout.write("\u001b[?2004h");
let pending = Buffer.alloc(0);
let count = 0;
process.stdin.on("data", (chunk) => {
  // A dot per read, as a prompt echoes what it reads: sendText submits once the screen shows the
  // text was read (a program that shows nothing gets Enter only after a second).
  process.stdout.write(".");
  pending = Buffer.concat([pending, chunk]);
  for (let cr = pending.indexOf(13); cr !== -1; cr = pending.indexOf(13)) {
    const file = join(dir, `${++count}.bin`);
    writeFileSync(`${file}.tmp`, pending.subarray(0, cr));
    renameSync(`${file}.tmp`, file);
    pending = pending.subarray(cr + 1);
    process.stdout.write(`\nreceived ${count}\n`);
  }
});
process.stdout.write(`ready ${mode ?? "raw"}\n`);
