/**
 * The demo without tmux (scripts/demo.mjs runs it when tmux is missing): a
 * scratch git repository, a lead who files six tasks (some waiting on others),
 * and three shell agents that split them through the CLI; one of them dies
 * holding a task, and its work comes back to the queue by itself.
 *
 *   npm run demo                  in a temp directory, removed afterwards
 *   npm run demo -- --keep DIR    in DIR, kept so you can run baton there
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const cli = join(import.meta.dirname, "../dist/cli/baton.js");
const keepIndex = process.argv.indexOf("--keep");
const repo =
  keepIndex > 0 ? resolve(process.argv[keepIndex + 1]) : mkdtempSync(join(tmpdir(), "baton-demo-"));
mkdirSync(join(repo, "src"), { recursive: true });

function run(args, agent = "lead", print = true) {
  const result = spawnSync(process.execPath, [cli, ...args], {
    cwd: repo,
    encoding: "utf8",
    env: { ...process.env, BATON_AGENT: agent },
  });
  if (print) process.stdout.write(result.stdout);
  if (result.status !== 0) process.stderr.write(result.stderr);
  return result;
}

const bold =
  process.stdout.isTTY && !("NO_COLOR" in process.env) ? (t) => `\u001b[1m${t}\u001b[22m` : (t) => t;

function heading(text) {
  process.stdout.write(`\n${bold(`== ${text}`)}\n`);
}

function agent(name, ...flags) {
  const child = spawn(process.execPath, [join(import.meta.dirname, "demo-agent.mjs"), repo, name, ...flags], {
    stdio: ["ignore", "inherit", "inherit"],
  });
  return new Promise((done) => child.on("exit", done));
}

try {
  spawnSync("git", ["init", "-q", repo]);
  heading(`baton init in ${repo}`);
  run(["init", "--human", "lead"]);

  heading("the lead files the work");
  run(["agent", "join", "lead", "--kind", "human", "--role", "lead"], "lead", false);
  run(["task", "add", "Design the login API", "--priority", "0", "--tag", "api"]);
  run(["task", "add", "Implement the login endpoint", "--after", "T-1", "--tag", "api"]);
  run(["task", "add", "Write the login page", "--after", "T-1", "--tag", "web"]);
  run(["task", "add", "Add rate limiting", "--priority", "1"]);
  run(["task", "add", "Update the changelog", "--priority", "3"]);
  run(["task", "add", "End-to-end test of login", "--after", "T-2,T-3"]);
  run(["task", "list"]);

  heading("crash-bot claims a task and dies holding it; ada and linus work in parallel");
  // crash-bot goes first so that it surely holds a task when it dies, however busy the machine.
  await agent("crash-bot", "--crash-after-claim");
  await Promise.all([agent("ada"), agent("linus")]);

  heading("the result");
  run(["task", "list", "--status", "all"]);
  heading("the team");
  run(["agents"]);
  heading("what happened to the task crash-bot held");
  const log = JSON.parse(run(["log", "--type", "task.expired", "--json"], "lead", false).stdout);
  for (const event of log.events) run(["log", "--task", event.subject]);
  const left = JSON.parse(run(["task", "list", "--json"], "lead", false).stdout).tasks;
  heading(left.length === 0 ? "every task is done" : `${left.length} task(s) left`);
  if (keepIndex > 0) process.stdout.write(`\nthe workspace is kept: cd ${repo} && npx baton log\n`);
  process.exitCode = left.length === 0 ? 0 : 1;
} finally {
  if (keepIndex < 0) rmSync(repo, { recursive: true, force: true });
}
