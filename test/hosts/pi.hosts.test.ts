import { readFileSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { baton, tempDir } from "../helpers/temp-repo.js";
import { as, connect, HOST_VERSIONS, hostEnv, teamRepo } from "./kit.js";
import { contentText, startFakeModel, type Turn } from "./pi/fake-model.js";
import { type PiRun, runPi } from "./pi/run-pi.js";

/**
 * The real pi, driven by a scripted model, in a repository set up only by
 * `baton connect pi`. pi has no MCP: it learns baton's CLI from the AGENTS.md
 * section connect writes (run through the worktree's launcher `.baton/bin/baton`),
 * and connect's extension `.pi/extensions/baton-guard.ts` refuses write, edit and
 * bash calls on files another agent holds. Nothing sets BATON_AGENT: every baton
 * process learns its name from the worktree connect recorded it in, and most
 * runs have no `baton` on PATH, so the launcher is all pi has.
 */
const A = "export const a = 1;\n";
const LAUNCHER = ".baton/bin/baton";
const TIMEOUT = 240_000;

/** One pi session: the fake model playing `script`, pi started in `cwd` with `home` as the user would. */
async function session(cwd: string, home: string, script: Turn[], options: { batonOnPath?: boolean } = {}) {
  const fake = await startFakeModel(script);
  let run: PiRun;
  try {
    run = await runPi({ cwd, home, baseUrl: fake.url, prompt: "Work on the next baton task.", ...options });
  } finally {
    await fake.close();
  }
  // A failed run should say why: pi's stderr and the tool results it sent back.
  const why = `${run.stderr}\n${JSON.stringify(fake.toolResults(), null, 1)}`;
  expect(run.code, why).toBe(0);
  // The guard warns (once) when it cannot ask baton; it then lets every edit through.
  expect(run.stderr).not.toContain("edit guard is off");
  return { run, fake, results: fake.toolResults() };
}

/** `baton connect pi --as NAME` in `tree`, as the user would, with the scenario's HOME (pi's files are all in the tree). */
function connectPi(tree: string, agent: string, home: string): void {
  connect("pi", tree, agent, hostEnv(home));
}

const read = (file: string) => readFileSync(file, "utf8");

describe(`pi ${HOST_VERSIONS.pi!.version} (real host)`, () => {
  it(
    "(a) claims a task, locks a file, edits it and completes the task through the launcher",
    async () => {
      const home = tempDir("pi-home-");
      const { repo, worktrees } = teamRepo(["wt-1"]);
      const tree = worktrees["wt-1"]!;
      connectPi(tree, "pi-1", home);
      expect(as("lead", repo, ["task", "add", "Bump a"]).code).toBe(0);

      const { fake, results } = await session(
        tree,
        home,
        [
          [{ tool: "bash", args: { command: `${LAUNCHER} task claim` } }],
          [{ tool: "bash", args: { command: `${LAUNCHER} lock src/a.ts` } }],
          [
            {
              tool: "edit",
              args: {
                path: "src/a.ts",
                edits: [{ oldText: "export const a = 1;", newText: "export const a = 2;" }],
              },
            },
          ],
          [{ tool: "bash", args: { command: `${LAUNCHER} task done T-1 --result ok` } }],
          [{ text: "T-1 is done." }],
        ],
        { batonOnPath: false },
      );

      // pi read the section connect wrote into AGENTS.md: it is in the system prompt.
      const system = contentText(fake.requests[0]!.body.messages[0].content);
      expect(system).toContain("## Working in a baton team");
      expect(system).toContain(`${LAUNCHER} task claim`);

      expect(results.map((r) => r.toolName)).toEqual(["bash", "bash", "edit", "bash"]);
      expect(results[0]!.text).toContain("claimed T-1");
      expect(results[1]!.text).toContain("locked src/a.ts");
      expect(read(join(tree, "src/a.ts"))).toBe("export const a = 2;\n");

      const task = baton(repo, ["task", "show", "T-1", "--json"]).json().task;
      expect(task.status).toBe("done");
      expect(task.result).toBe("ok");
      const actors = Object.fromEntries(
        task.history.map((e: { type: string; actor: string }) => [e.type, e.actor]),
      );
      expect(actors["task.claimed"]).toBe("pi-1");
      expect(actors["task.completed"]).toBe("pi-1");
    },
    TIMEOUT,
  );

  it(
    "(b) an edit of a file another agent holds is refused, and the model reads why",
    async () => {
      const home = tempDir("pi-home-");
      const { repo } = teamRepo();
      connectPi(repo, "pi-1", home);
      expect(as("other", repo, ["lock", "src/a.ts", "--intent", "refactor"]).code).toBe(0);

      const { results } = await session(repo, home, [
        [
          {
            tool: "edit",
            args: {
              path: "src/a.ts",
              edits: [{ oldText: "export const a = 1;", newText: "export const a = 2;" }],
            },
          },
        ],
        [{ text: "Blocked; I will work on something else." }],
      ]);

      expect(read(join(repo, "src/a.ts"))).toBe(A);
      expect(results).toHaveLength(1);
      expect(results[0]!.toolName).toBe("edit");
      expect(results[0]!.text).toContain("src/a.ts is locked by other (refactor)");
      expect(results[0]!.text).toContain(`${LAUNCHER} send other`);
    },
    TIMEOUT,
  );

  it(
    "(c) two pi agents in their own worktrees: a lock taken in one refuses the edit in the other",
    async () => {
      const home = tempDir("pi-home-");
      const { repo, worktrees } = teamRepo(["wt-1", "wt-2"]);
      const [wt1, wt2] = [worktrees["wt-1"]!, worktrees["wt-2"]!];
      connectPi(wt1, "pi-1", home);
      connectPi(wt2, "pi-2", home);

      const first = await session(
        wt1,
        home,
        [[{ tool: "bash", args: { command: `${LAUNCHER} lock src/a.ts` } }]],
        {
          batonOnPath: false,
        },
      );
      expect(first.results[0]!.text).toContain("locked src/a.ts");
      const leases = baton(repo, ["locks", "--json"]).json().leases;
      expect(leases.map((l: { path: string; holder: string }) => [l.path, l.holder])).toEqual([
        ["src/a.ts", "pi-1"],
      ]);

      const second = await session(
        wt2,
        home,
        [
          [
            {
              tool: "edit",
              args: {
                path: "src/a.ts",
                edits: [{ oldText: "export const a = 1;", newText: "export const a = 2;" }],
              },
            },
          ],
          [
            {
              tool: "edit",
              args: {
                path: "src/b.ts",
                edits: [{ oldText: "export const b = 1;", newText: "export const b = 2;" }],
              },
            },
          ],
        ],
        { batonOnPath: false },
      );

      expect(read(join(wt2, "src/a.ts"))).toBe(A);
      expect(second.results[0]!.text).toContain("src/a.ts is locked by pi-1");
      expect(read(join(wt2, "src/b.ts"))).toBe("export const b = 2;\n");
      expect(second.results[1]!.text).not.toContain("locked");
    },
    TIMEOUT,
  );

  it(
    "(d) an edit through a symlinked folder meets the lease on the real file",
    async () => {
      const home = tempDir("pi-home-");
      const { repo, worktrees } = teamRepo(["wt-1"]);
      const tree = worktrees["wt-1"]!;
      symlinkSync("src", join(tree, "alias"));
      connectPi(tree, "pi-1", home);
      expect(as("other", repo, ["lock", "src/a.ts"]).code).toBe(0);

      const { results } = await session(tree, home, [
        [
          {
            tool: "edit",
            args: {
              path: "alias/a.ts",
              edits: [{ oldText: "export const a = 1;", newText: "export const a = 2;" }],
            },
          },
        ],
      ]);

      expect(read(join(tree, "src/a.ts"))).toBe(A);
      expect(results[0]!.text).toContain("src/a.ts is locked by other");
    },
    TIMEOUT,
  );

  it(
    "(e) a shell write through pi's bash tool to a held file is refused; one to a free file runs",
    async () => {
      const home = tempDir("pi-home-");
      const { repo } = teamRepo();
      connectPi(repo, "pi-1", home);
      expect(as("other", repo, ["lock", "src/a.ts", "--intent", "refactor"]).code).toBe(0);

      const { results } = await session(repo, home, [
        [{ tool: "bash", args: { command: "echo x > src/a.ts" } }],
        [{ tool: "bash", args: { command: "echo x > src/b.ts" } }],
      ]);

      expect(read(join(repo, "src/a.ts"))).toBe(A);
      expect(results[0]!.text).toContain("src/a.ts is locked by other (refactor)");
      expect(read(join(repo, "src/b.ts"))).toBe("x\n");
    },
    TIMEOUT,
  );
});
