/**
 * `npm run demo`: baton's main job on a fresh machine, no AI service and no
 * server to set up. A scratch repository, a lead who files six tasks, and
 * `baton up` with three of baton's simulated agents, each in its own worktree
 * and tmux window, supervised by the hub: one asks the human a question (the
 * demo answers it from the CLI), one crashes holding a task and is restarted,
 * finishes it, and at the end `baton merge --all` merges every agent's branch.
 * Without tmux it runs the shell-agent demo instead (scripts/demo-shell.mjs).
 *
 *   npm run demo                  in a temp directory, removed afterwards
 *   npm run demo -- --keep DIR    in DIR, kept: cd there and try baton status, baton attach
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

if (spawnSync("tmux", ["-V"]).status !== 0) {
  process.stderr.write("tmux is not installed: running the demo with shell agents instead\n");
  await import("./demo-shell.mjs");
} else {
  await teamDemo();
}

async function teamDemo() {
  const cli = join(import.meta.dirname, "../dist/cli/baton.js");
  const keepIndex = process.argv.indexOf("--keep");
  const repo =
    keepIndex > 0 ? resolve(process.argv[keepIndex + 1]) : mkdtempSync(join(tmpdir(), "baton-demo-"));
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  // A tmux server of the demo's own: the demo never touches your sessions.
  const env = {
    ...process.env,
    BATON_TMUX_SOCKET: join(repo, ".baton", "tmux.sock"),
    BATON_SIM_ASK: "sim-2:Should the login page use the new design system?",
    BATON_SIM_CRASH_ONCE: "sim-3",
  };
  const bold =
    process.stdout.isTTY && !("NO_COLOR" in process.env) ? (t) => `\u001b[1m${t}\u001b[22m` : (t) => t;
  const heading = (text) => process.stdout.write(`\n${bold(`== ${text}`)}\n`);
  const git = (...args) => spawnSync("git", ["-C", repo, ...args], { encoding: "utf8" });
  const run = (args, { agent = "lea", print = true } = {}) => {
    const result = spawnSync(process.execPath, [cli, ...args], {
      cwd: repo,
      encoding: "utf8",
      env: { ...env, BATON_AGENT: agent },
    });
    if (print) process.stdout.write(result.stdout);
    if (result.status !== 0 && print) process.stderr.write(result.stderr);
    return result;
  };
  const json = (args) => JSON.parse(run([...args, "--json"], { print: false }).stdout);
  async function until(what, look, timeoutMs = 120_000) {
    for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(250)) {
      const seen = look();
      if (seen) return seen;
    }
    throw new Error(`the demo waited too long for ${what}`);
  }

  let up = false;
  try {
    mkdirSync(join(repo, "src"), { recursive: true });
    git("init", "-q", "-b", "main");
    git("config", "user.email", "lea@example.com");
    git("config", "user.name", "lea");
    writeFileSync(join(repo, "README.md"), "# login service\n");
    heading(`baton init in ${repo}`);
    run(["init", "--human", "lea"]);
    git("add", "-A");
    git("commit", "-q", "-m", "start: the project and baton's config");

    heading("the lead (lea, the human) files the work");
    run(["task", "add", "Design the login API", "--priority", "0"]);
    run(["task", "add", "Implement the login endpoint", "--after", "T-1"]);
    run(["task", "add", "Write the login page", "--after", "T-1"]);
    run(["task", "add", "Add rate limiting", "--priority", "1"]);
    run(["task", "add", "Update the changelog", "--priority", "3"]);
    run(["task", "add", "End-to-end test of login", "--after", "T-2,T-3"]);

    heading("baton up -n 3 --agent sim: three simulated agents, a worktree and a tmux window each");
    up = run(["up", "-n", "3", "--agent", "sim"]).status === 0;
    if (!up) throw new Error("baton up failed");

    heading("sim-2 asks the human before it starts: baton status shows what waits for lea");
    const question = await until("sim-2's question", () => json(["questions", "--open"]).questions[0]);
    run(["status"]);
    heading("lea answers from the CLI; sim-2 gets the answer and goes to work");
    run(["answer", question.id, "yes, use the new design system", "--yes"]);

    await until("every task done", () => json(["task", "list"]).tasks.length === 0);
    heading("sim-3 crashed holding a task; the hub restarted it, and it finished that task");
    run(["log", "--type", "team."]);
    const crashed = json(["log", "--agent", "sim-3", "--type", "task.completed"]).events[0];
    if (crashed) process.stdout.write(`${crashed.summary}\n`);

    heading("before merging: baton conflicts (files two agents touched)");
    run(["conflicts"]);
    heading("baton merge --all: each agent's branch into main, in turn");
    run(["merge", "--all"]);
    process.stdout.write(git("log", "--oneline", "--first-parent", "main").stdout);

    heading("the team at the end");
    run(["status"]);
    heading("baton down");
    run(["down"]);
    up = false;
    const left = json(["task", "list"]).tasks.length;
    const merged = git("ls-tree", "-r", "--name-only", "main", "sim").stdout.split("\n").filter(Boolean);
    heading(
      left === 0 && merged.length === 6
        ? "every task is done and merged into main"
        : `${left} task(s) left, ${merged.length} of 6 merged`,
    );
    if (keepIndex > 0) process.stdout.write(`\nthe workspace is kept: cd ${repo} && npx baton log\n`);
    process.exitCode = left === 0 && merged.length === 6 ? 0 : 1;
  } finally {
    if (up) run(["down", "--force"], { print: false });
    spawnSync("tmux", ["-S", env.BATON_TMUX_SOCKET, "kill-server"], { stdio: "ignore" });
    if (keepIndex < 0) rmSync(repo, { recursive: true, force: true });
  }
}
