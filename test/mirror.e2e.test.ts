import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { baton, CLI, tempDir, tempRepo } from "./helpers/temp-repo.js";

const as = (name: string) => ({ BATON_AGENT: name });

describe("baton mirror", () => {
  it("writes queues, what waits for a human, decisions and summaries; rewrites only what changed", () => {
    const repo = tempRepo({ humans: ["lea"] });
    baton(repo, ["agent", "join", "lea", "--kind", "human"]);
    baton(repo, ["task", "add", "Design | API", "--priority", "1"], as("lea"));
    baton(repo, ["task", "add", "Build", "--after", "T-1"], as("lea"));
    baton(repo, ["task", "claim", "T-1"], as("bot"));
    baton(repo, ["ask", "REST or GraphQL?", "--options", "rest,graphql"], as("bot"));
    baton(repo, ["approval", "request", "add a dependency"], as("bot"));
    baton(repo, ["log", "write", "decision", "REST it is"], as("lea"));
    baton(repo, ["summary", "trigger"], as("lea"));
    baton(repo, ["summary", "write", "designed the API"], as("bot"));
    baton(repo, ["summary", "collect"], as("lea"));

    const first = baton(repo, ["mirror", "--json"], as("lea")).json();
    expect(first.written).toEqual(
      expect.arrayContaining(["README.md", "queue-tasks.md", "waiting-for-human.md", "decisions.md"]),
    );
    const dir = join(repo, ".baton", "mirror");
    const queue = readFileSync(join(dir, "queue-tasks.md"), "utf8");
    expect(queue).toContain("| T-1 | 1 | Design \\| API | bot |");
    expect(queue).toContain("| T-2 | 2 | Build |  | T-1 |");
    const human = readFileSync(join(dir, "waiting-for-human.md"), "utf8");
    expect(human).toContain("REST or GraphQL? — options: rest, graphql");
    expect(human).toContain("add a dependency");
    expect(readFileSync(join(dir, "decisions.md"), "utf8")).toContain("REST it is");
    const summaries = readFileSync(join(dir, "README.md"), "utf8").match(/summaries\/(\d{4}-\d\d-\d\d)\.md/);
    expect(readFileSync(join(dir, "summaries", `${summaries![1]}.md`), "utf8")).toContain("designed the API");

    expect(baton(repo, ["mirror", "--json"]).json().written).toEqual([]);
    baton(repo, ["answer", "Q-1", "rest", "--yes"], as("lea"));
    const after = baton(repo, ["mirror", "--json"]).json().written;
    expect(after).toEqual(expect.arrayContaining(["waiting-for-human.md", "README.md"]));
    expect(after).not.toContain("queue-tasks.md");
  });

  it("writes only inside the workspace, symlinks included", () => {
    const repo = tempRepo({ humans: ["lea"] });
    expect(baton(repo, ["mirror", "--dir", "../elsewhere", "--json"]).json().error).toMatchObject({
      code: "outside_workspace",
    });
    const outside = tempDir();
    symlinkSync(outside, join(repo, "escape"));
    expect(baton(repo, ["mirror", "--dir", "escape/mirror"]).code).toBe(2);
    expect(existsSync(join(outside, "mirror"))).toBe(false);
    mkdirSync(join(repo, "docs"));
    expect(baton(join(repo, "docs"), ["mirror", "--dir", "board"]).code).toBe(0);
    expect(existsSync(join(repo, "docs", "board", "README.md"))).toBe(true);
  });

  it("--watch keeps the mirror up to date", async () => {
    const repo = tempRepo({ humans: ["lea"] });
    const watcher = spawn(process.execPath, [CLI, "mirror", "--watch", "--interval", "100ms"], {
      cwd: repo,
      stdio: "ignore",
    });
    const file = join(repo, ".baton", "mirror", "queue-tasks.md");
    try {
      const seen = async (text: string) => {
        for (let i = 0; i < 200; i++) {
          if (existsSync(file) && readFileSync(file, "utf8").includes(text)) return true;
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
        return false;
      };
      expect(await seen("No tasks")).toBe(true);
      baton(repo, ["task", "add", "Appears in the mirror"], as("lea"));
      expect(await seen("Appears in the mirror")).toBe(true);
    } finally {
      watcher.kill("SIGTERM");
    }
  });
});
