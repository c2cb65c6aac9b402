// A stand-in for an interactive agent host (as Claude Code is) in a tmux pane, for baton up's
// tests: it reports its turns through baton's own hooks (prompt → working, Stop → idle) and
// appends every line typed into its terminal to $BATON_FAKE_LOG, so a test can see exactly what
// reached it and when. It starts idle, as a host does once its first prompt is done.
import { execFileSync } from "node:child_process";
import { appendFileSync } from "node:fs";
import { createInterface } from "node:readline";

const cli = process.env.BATON_FAKE_CLI;
const log = process.env.BATON_FAKE_LOG;

function hook(event, input = {}) {
  execFileSync(process.execPath, [cli, "hook", event, "--host", "claude"], {
    input: JSON.stringify({ session_id: "fake", hook_event_name: event, ...input }),
    stdio: ["pipe", "ignore", "inherit"],
  });
}

hook("stop");
const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  appendFileSync(log, `${line}\n`);
  hook("prompt", { prompt: line });
  hook("stop");
}
