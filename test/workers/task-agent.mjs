// A stand-in for a headless agent run by `baton work`: reads the task's prompt on stdin and acts
// on the title. "fail" → exit 3 with a message on stderr; "slow" → 3 s of work first; "self" →
// completes the task itself through the baton CLI, as an agent with MCP or the launcher would;
// "spend" → reports a dollar spent on the task through the CLI (baton cost add), as a program of
// the user's that knows its own cost would.
import { execFileSync } from "node:child_process";

const cli = process.argv[2];
let prompt = "";
for await (const chunk of process.stdin) prompt += chunk;
const id = process.env.BATON_TASK_ID;
if (!prompt.includes(id)) {
  process.stderr.write(`the prompt does not name ${id}\n`);
  process.exit(9);
}
// The title is on the prompt's first line; the rest is baton's instructions.
const title = prompt.split("\n")[0];
if (/fail/.test(title)) {
  process.stderr.write(`broke on purpose on ${id}\n`);
  process.exit(3);
}
if (/slow/.test(title)) await new Promise((resolve) => setTimeout(resolve, 3000));
if (/spend/.test(title)) {
  execFileSync(process.execPath, [cli, "cost", "add", "--usd", "1", "--task", id, "--host", "task-agent"], {
    stdio: "inherit",
  });
}
if (/self/.test(title)) {
  execFileSync(process.execPath, [cli, "task", "done", id, "--result", "done by the agent itself"], {
    stdio: "inherit",
  });
}
process.stdout.write(`all good for ${id}\n`);
