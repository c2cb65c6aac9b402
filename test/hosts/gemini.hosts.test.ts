import { readFileSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { baton, tempDir } from "../helpers/temp-repo.js";
import { startFakeModel, type Turn } from "./gemini/fake-model.js";
import { type GeminiRun, runGemini, setupHome, trustFolder } from "./gemini/run-gemini.js";
import { as, connect, HOST_VERSIONS, hostEnv, teamRepo } from "./kit.js";

/**
 * Gemini CLI, driven by a fake model that plays a scripted conversation, set up
 * only through `baton connect gemini` plus what a user does for Gemini anyway
 * (an API key login) and the to-do connect prints (trusting the folder).
 * Headless runs print a warning the first time they meet the project's hooks;
 * a run that still ends with exit 0 shows it does not stop them.
 */

const A = "export const a = 1;\n";
const C = "export const c = 1;\n";

/** A fresh HOME for Gemini with an API key login, then `baton connect gemini --as AGENT` in each tree, each trusted as connect asks. */
function connected(trees: Record<string, string>): string {
  const home = tempDir("gemini-home-");
  setupHome(home);
  for (const [agent, tree] of Object.entries(trees)) {
    const { notes } = connect("gemini", tree, agent, hostEnv(home)).json() as { notes: { text: string }[] };
    // The to-do names the folder to trust: `add "<tree>": "TRUST_FOLDER" to ~/.gemini/trustedFolders.json`.
    const folder = notes.map((note) => /"([^"]+)": "TRUST_FOLDER"/.exec(note.text)?.[1]).find(Boolean);
    expect(folder).toBe(tree);
    trustFolder(home, folder!);
  }
  return home;
}

/** Plays `script` to Gemini started in `cwd`; returns the run and the tool results Gemini sent back. */
async function play(cwd: string, home: string, script: Turn[], args?: string[]) {
  const model = await startFakeModel(script);
  try {
    const run = await runGemini({ cwd, home, baseUrl: model.url, prompt: "Do your baton task.", args });
    expectClean(run);
    return { run, results: model.toolResults(), requests: model.requests };
  } finally {
    await model.close();
  }
}

function expectClean(run: GeminiRun): void {
  expect(run.code, `gemini failed:\n${run.stderr}`).toBe(0);
}

const read = (path: string) => readFileSync(path, "utf8");
const write = (file: string, content: string): Turn => [
  { tool: "write_file", args: { file_path: file, content } },
];

describe(`Gemini CLI ${HOST_VERSIONS.gemini!.version}`, () => {
  it("(a) claims, locks, edits and completes a task through baton's MCP tools", async () => {
    const { repo } = teamRepo();
    as("lead", repo, ["task", "add", "Make a two"]);
    const home = connected({ "gemini-1": repo });

    const { results, requests } = await play(repo, home, [
      [{ tool: "mcp_baton_claim_task", args: {} }],
      [{ tool: "mcp_baton_lock_files", args: { paths: ["src/a.ts"] } }],
      write(join(repo, "src/a.ts"), "export const a = 2;\n"),
      [{ tool: "mcp_baton_complete_task", args: { result: "a is two" } }],
      [{ text: "Task complete." }],
    ]);

    // The SessionStart hook connect wrote put baton's context, with the recorded name, before the model.
    const first = requests.find((r) => r.kind === "turn")!;
    expect(JSON.stringify(first.body.contents)).toContain("You are gemini-1 in a team coordinated by baton");
    expect(results.map((r) => r.name)).toEqual([
      "mcp_baton_claim_task",
      "mcp_baton_lock_files",
      "write_file",
      "mcp_baton_complete_task",
    ]);
    expect(read(join(repo, "src/a.ts"))).toBe("export const a = 2;\n");
    const { task } = baton(repo, ["task", "show", "T-1", "--json"]).json();
    expect(task.status).toBe("done");
    expect(task.result).toBe("a is two");
    expect(task.history.find((e: { type: string }) => e.type === "task.claimed")?.actor).toBe("gemini-1");
    expect(task.history.find((e: { type: string }) => e.type === "task.completed")?.actor).toBe("gemini-1");
  });

  it("(b) refuses an edit of a file another agent holds, and tells the model why", async () => {
    const { repo } = teamRepo();
    as("other", repo, ["lock", "src/a.ts", "--intent", "refactor"]);
    const home = connected({ "gemini-1": repo });

    const { results } = await play(repo, home, [write(join(repo, "src/a.ts"), "export const a = 2;\n")]);

    expect(read(join(repo, "src/a.ts"))).toBe(A);
    expect(results).toHaveLength(1);
    expect(results[0]!.text).toContain("Tool execution blocked");
    expect(results[0]!.text).toContain("src/a.ts is locked by other (refactor)");
  });

  it("(c) two Gemini agents in their own worktrees: a lock taken by one holds against the other", async () => {
    const { repo, worktrees } = teamRepo(["wt-1", "wt-2"]);
    const wt1 = worktrees["wt-1"]!;
    const wt2 = worktrees["wt-2"]!;
    // One user, one HOME, two sessions: connect writes the user-level guard once for both.
    const home = connected({ "gemini-1": wt1, "gemini-2": wt2 });

    const first = await play(wt1, home, [[{ tool: "mcp_baton_lock_files", args: { paths: ["src/a.ts"] } }]]);
    expect(first.results[0]!.text).toContain('"granted"');
    const { leases } = baton(repo, ["locks", "--json"]).json();
    expect(leases).toMatchObject([{ path: "src/a.ts", holder: "gemini-1", exclusive: true }]);

    const second = await play(wt2, home, [
      write(join(wt2, "src/a.ts"), "export const a = 2;\n"),
      write(join(wt2, "src/b.ts"), "export const b = 2;\n"),
    ]);
    expect(read(join(wt2, "src/a.ts"))).toBe(A);
    expect(second.results[0]!.text).toContain("src/a.ts is locked by gemini-1");
    expect(read(join(wt2, "src/b.ts"))).toBe("export const b = 2;\n");
    expect(second.results[1]!.text).toContain("Successfully");
  });

  it("(d) refuses an edit through a symlink to a held file", async () => {
    const { repo } = teamRepo();
    symlinkSync("src", join(repo, "alias"));
    as("other", repo, ["lock", "src/a.ts", "--intent", "refactor"]);
    const home = connected({ "gemini-1": repo });

    // Gemini's other edit tool, `replace`, with a path relative to the workspace.
    const { results } = await play(repo, home, [
      [
        {
          tool: "replace",
          args: {
            file_path: "alias/a.ts",
            instruction: "make a two",
            old_string: "export const a = 1;",
            new_string: "export const a = 2;",
          },
        },
      ],
    ]);

    expect(read(join(repo, "src/a.ts"))).toBe(A);
    expect(results[0]!.text).toContain("src/a.ts is locked by other (refactor)");
  });

  it("(e) from a subfolder, where the project's settings do not load, the user-level guard still refuses", async () => {
    const { repo } = teamRepo();
    as("other", repo, ["lock", "src/deep/c.ts", "--intent", "refactor"]);
    const home = connected({ "gemini-1": repo });
    const deep = join(repo, "src/deep");

    // The subfolder is Gemini's workspace there, so the model may write c.ts in it.
    const { results, requests } = await play(deep, home, [
      write(join(deep, "c.ts"), "export const c = 2;\n"),
    ]);

    // The premise: no project settings here (baton's MCP tools are not offered), so the user-level hook refused.
    const offered = JSON.stringify(requests.find((r) => r.kind === "turn")?.body.tools);
    expect(offered).toContain('"write_file"');
    expect(offered).not.toContain("mcp_baton_");
    expect(read(join(deep, "c.ts"))).toBe(C);
    expect(results[0]!.text).toContain("src/deep/c.ts is locked by other (refactor)");
  });

  it("(e) refuses a shell redirection into a held file, even in yolo mode", async () => {
    const { repo } = teamRepo();
    as("other", repo, ["lock", "src/a.ts", "--intent", "refactor"]);
    const home = connected({ "gemini-1": repo });

    const { results } = await play(
      repo,
      home,
      [[{ tool: "run_shell_command", args: { command: "echo x > src/a.ts", description: "overwrite a" } }]],
      ["--output-format", "stream-json", "--approval-mode", "yolo"],
    );

    expect(read(join(repo, "src/a.ts"))).toBe(A);
    expect(results[0]!.name).toBe("run_shell_command");
    expect(results[0]!.text).toContain("src/a.ts is locked by other (refactor)");
  });
});
