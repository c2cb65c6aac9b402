import { readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../helpers/temp-repo.js";
import { type FakeModel, type Script, startFakeModel } from "./claude/fake-model.js";
import { type ClaudeRun, runClaude, setupHome } from "./claude/run-claude.js";
import { as, connect, HOST_VERSIONS, hostEnv, teamRepo } from "./kit.js";

/**
 * The real Claude Code, configured only by `baton connect claude`, plays a
 * scripted conversation against a fake model and must keep baton's promise:
 * it edits what its agent leased, and never a file another agent holds.
 */

const A = "export const a = 1;\n";
const TIMEOUT = 240_000;

/**
 * The flags of a headless run: what `baton connect` prints as a to-do
 * (`--allowedTools mcp__baton`), plus the user's own choice to let Claude Code
 * edit without asking, and any other tool a scenario needs (Bash, Read).
 */
const headless = (allow: string[] = []) => [
  "--allowedTools",
  ["mcp__baton", ...allow].join(","),
  "--permission-mode",
  "acceptEdits",
];

interface Session {
  run: ClaudeRun;
  fake: FakeModel;
}

/**
 * A fresh HOME set up as the user would (onboarding done), then connected with
 * `baton connect claude --as AGENT` in `tree`, then one `claude -p` run in
 * `cwd` (default: the tree) that plays `script`. No BATON_AGENT anywhere: the
 * identity comes from connect's record in the worktree.
 */
async function session(
  tree: string,
  agent: string,
  script: Script,
  options: { cwd?: string; home?: string; allow?: string[] } = {},
): Promise<Session> {
  const home = options.home ?? tempDir("baton-claude-home-");
  setupHome(home);
  connect("claude", tree, agent, hostEnv(home));
  const fake = await startFakeModel(script);
  try {
    const run = await runClaude({
      cwd: options.cwd ?? tree,
      home,
      baseUrl: fake.url,
      prompt: "Do the next baton task.",
      args: headless(options.allow),
      timeoutMs: TIMEOUT - 30_000,
    });
    expect(run.code, `claude failed:\n${run.stderr}\n${run.stdout.slice(-2000)}`).toBe(0);
    // baton's MCP server started from connect's .mcp.json, as the connected agent.
    const init = run.events.find((event) => event.type === "system" && event.subtype === "init");
    expect(init?.mcp_servers).toContainEqual(expect.objectContaining({ name: "baton", status: "connected" }));
    return { run, fake };
  } finally {
    await fake.close();
  }
}

/** The results of every call to `tool`, in order. */
function resultsOf(fake: FakeModel, tool: string) {
  return fake.toolResults().filter((result) => result.toolName === tool);
}

/** Asserts that the edit reached the model as refused, with baton's reason naming the holder and intent. */
function expectRefused(fake: FakeModel, tool: string, holder: string, intent?: string) {
  const results = resultsOf(fake, tool);
  expect(results.length, JSON.stringify(fake.toolResults(), null, 1)).toBeGreaterThan(0);
  for (const result of results) {
    expect(result.isError).toBe(true);
    expect(result.text).toContain(`is locked by ${holder}${intent ? ` (${intent})` : ""}`);
  }
}

const read = (path: string) => readFileSync(path, "utf8");

describe(`Claude Code ${HOST_VERSIONS.claude!.version} (real host, fake model)`, () => {
  it(
    "(a) claims, locks, edits and completes a task as the connected agent",
    async () => {
      const { repo, worktrees } = teamRepo(["wt-1"]);
      const tree = worktrees["wt-1"]!;
      as("lead", repo, ["task", "add", "Bump a"]);
      const file = join(tree, "src/a.ts");
      const { fake } = await session(tree, "claude-1", [
        [{ tool: "mcp__baton__claim_task", args: {} }],
        [{ tool: "mcp__baton__lock_files", args: { paths: ["src/a.ts"] } }],
        [{ tool: "Edit", args: { file_path: file, old_string: "= 1", new_string: "= 2" } }],
        [{ tool: "mcp__baton__complete_task", args: { result: "a is 2" } }],
        [{ text: "Done." }],
      ]);

      expect(resultsOf(fake, "Edit")[0]?.isError).toBe(false);
      expect(read(file)).toBe("export const a = 2;\n");
      const { task } = as("lead", repo, ["task", "show", "T-1", "--json"]).json();
      expect(task).toMatchObject({ status: "done", result: "a is 2" });
      // Claimed and completed by the name connect recorded in the worktree.
      const byClaude = task.history
        .filter((entry: { actor: string }) => entry.actor === "claude-1")
        .map((entry: { type: string }) => entry.type);
      expect(byClaude).toEqual(expect.arrayContaining(["task.claimed", "task.completed"]));
      expect(JSON.stringify(fake.toolResults())).not.toContain("is locked by");
    },
    TIMEOUT,
  );

  it(
    "(b) refuses an edit of a file another agent holds, and tells the model who and why",
    async () => {
      const { repo, worktrees } = teamRepo(["wt-1"]);
      const tree = worktrees["wt-1"]!;
      as("other", repo, ["lock", "src/a.ts", "--intent", "refactor"]);
      const file = join(tree, "src/a.ts");
      const { fake } = await session(tree, "claude-1", [
        [{ tool: "Write", args: { file_path: file, content: "export const a = 99;\n" } }],
        [{ text: "Blocked." }],
      ]);

      expect(read(file)).toBe(A);
      expectRefused(fake, "Write", "other", "refactor");
      // The refusal is what the host sent back on the very next turn.
      const next = fake.requests.find((request) => request.kind === "main" && request.turn === 1);
      expect(JSON.stringify(next?.body.messages.at(-1))).toContain("src/a.ts is locked by other (refactor)");
    },
    TIMEOUT,
  );

  it(
    "(c) two Claude Code agents in their own worktrees: one's lock refuses the other's edit",
    async () => {
      const { repo, worktrees } = teamRepo(["wt-1", "wt-2"]);
      const home = tempDir("baton-claude-home-"); // one user, two agents
      const one = await session(
        worktrees["wt-1"]!,
        "claude-1",
        [
          [{ tool: "mcp__baton__lock_files", args: { paths: ["src/a.ts"], intent: "rename a" } }],
          [{ text: "Locked." }],
        ],
        { home },
      );
      expect(resultsOf(one.fake, "mcp__baton__lock_files")[0]?.text).toContain(
        '"granted":[{"path":"src/a.ts"',
      );

      const a2 = join(worktrees["wt-2"]!, "src/a.ts");
      const b2 = join(worktrees["wt-2"]!, "src/b.ts");
      const two = await session(
        worktrees["wt-2"]!,
        "claude-2",
        [
          [{ tool: "Edit", args: { file_path: a2, old_string: "= 1", new_string: "= 2" } }],
          [{ tool: "Edit", args: { file_path: b2, old_string: "= 1", new_string: "= 2" } }],
          [{ text: "Done." }],
        ],
        { home },
      );

      expect(read(a2)).toBe(A);
      expect(read(b2)).toBe("export const b = 2;\n");
      const [refused, allowed] = resultsOf(two.fake, "Edit");
      expect(refused).toMatchObject({ isError: true });
      expect(refused?.text).toContain("src/a.ts is locked by claude-1 (rename a)");
      expect(allowed).toMatchObject({ isError: false });
      const { leases } = as("lead", repo, ["locks", "--json"]).json();
      expect(leases).toEqual([expect.objectContaining({ path: "src/a.ts", holder: "claude-1" })]);
    },
    TIMEOUT,
  );

  it(
    "(d) refuses an edit through a symlinked folder",
    async () => {
      const { repo, worktrees } = teamRepo(["wt-1"]);
      const tree = worktrees["wt-1"]!;
      symlinkSync("src", join(tree, "alias"));
      as("other", repo, ["lock", "src/a.ts", "--intent", "refactor"]);
      const { fake } = await session(tree, "claude-1", [
        [
          {
            tool: "Edit",
            args: { file_path: join(tree, "alias/a.ts"), old_string: "= 1", new_string: "= 2" },
          },
        ],
        [{ text: "Blocked." }],
      ]);

      expect(read(join(tree, "src/a.ts"))).toBe(A);
      expectRefused(fake, "Edit", "other", "refactor");
    },
    TIMEOUT,
  );

  it(
    "(e) started in a subfolder: the user-level hook connect wrote still guards the tree",
    async () => {
      // Claude Code loads the root's .mcp.json from a subfolder, but not the root's
      // .claude/settings.json: only the copy of the hooks in ~/.claude/settings.json runs.
      const { repo, worktrees } = teamRepo(["wt-1"]);
      const tree = worktrees["wt-1"]!;
      as("other", repo, ["lock", "src/a.ts", "--intent", "refactor"]);
      const { run, fake } = await session(
        tree,
        "claude-1",
        [
          // baton's tools take paths from the repository root, wherever Claude Code started.
          [{ tool: "mcp__baton__check_files", args: { paths: ["src/a.ts"] } }],
          [{ tool: "mcp__baton__lock_files", args: { paths: ["src/b.ts"] } }],
          // Outside its cwd, Claude Code edits only what was read, and asks before reading (--allowedTools Read).
          [{ tool: "Read", args: { file_path: join(tree, "src/a.ts") } }],
          [{ tool: "Write", args: { file_path: join(tree, "src/a.ts"), content: "export const a = 3;\n" } }],
          [{ tool: "Edit", args: { file_path: "../a.ts", old_string: "= 1", new_string: "= 4" } }],
          [{ text: "Blocked." }],
        ],
        { cwd: join(tree, "src/deep"), allow: ["Read"] },
      );

      const init = run.events.find((event) => event.type === "system" && event.subtype === "init");
      expect(init).toMatchObject({ cwd: join(tree, "src/deep") });
      expect(resultsOf(fake, "mcp__baton__check_files")[0]?.text).toContain('"holder":"other"');
      const { leases } = as("lead", repo, ["locks", "--json"]).json();
      expect(leases).toContainEqual(expect.objectContaining({ path: "src/b.ts", holder: "claude-1" }));
      expect(read(join(tree, "src/a.ts"))).toBe(A);
      expectRefused(fake, "Write", "other", "refactor");
      expectRefused(fake, "Edit", "other", "refactor");
    },
    TIMEOUT,
  );

  it(
    "(f) refuses a shell write (Bash) and a NotebookEdit of a held file; other shell writes go through",
    async () => {
      const { repo, worktrees } = teamRepo(["wt-1"]);
      const tree = worktrees["wt-1"]!;
      const notebook = join(tree, "src/n.ipynb");
      writeFileSync(notebook, JSON.stringify(NOTEBOOK));
      as("other", repo, ["lock", "src/a.ts", "src/n.ipynb", "--intent", "refactor"]);
      const { fake } = await session(
        tree,
        "claude-1",
        [
          [{ tool: "Bash", args: { command: "echo x > src/a.ts", description: "overwrite a" } }],
          [{ tool: "Bash", args: { command: "cd src && echo x >> a.ts", description: "append to a" } }],
          [{ tool: "Bash", args: { command: "echo y > src/b.ts", description: "overwrite b" } }],
          // NotebookEdit needs the notebook read first in this version.
          [{ tool: "Read", args: { file_path: notebook } }],
          [
            {
              tool: "NotebookEdit",
              args: { notebook_path: notebook, cell_id: "c1", new_source: "print(2)" },
            },
          ],
          [{ text: "Done." }],
        ],
        { allow: ["Bash"] },
      );

      expect(read(join(tree, "src/a.ts"))).toBe(A);
      expect(read(join(tree, "src/b.ts"))).toBe("y\n");
      expect(JSON.parse(read(notebook))).toEqual(NOTEBOOK);
      const [overwrite, append, free] = resultsOf(fake, "Bash");
      for (const refused of [overwrite, append]) {
        expect(refused).toMatchObject({ isError: true });
        expect(refused?.text).toContain("src/a.ts is locked by other (refactor)");
      }
      expect(free).toMatchObject({ isError: false });
      expectRefused(fake, "NotebookEdit", "other", "refactor");
    },
    TIMEOUT,
  );
});

const NOTEBOOK = {
  cells: [
    { cell_type: "code", id: "c1", metadata: {}, source: ["print(1)"], outputs: [], execution_count: null },
  ],
  metadata: {},
  nbformat: 4,
  nbformat_minor: 5,
};
