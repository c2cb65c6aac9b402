import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { baton, tempRepo } from "../helpers/temp-repo.js";
import { teamRecord, tmuxSocket } from "./team-helpers.js";

describe("a damaged .baton/team.json", () => {
  it("up and down refuse, naming down --force; down --force ends the repository's session and keeps the damaged record aside; up works again", () => {
    const repo = tempRepo();
    const env = { BATON_TMUX_SOCKET: tmuxSocket() };
    expect(baton(repo, ["up", "-n", "1", "--agent", "sim"], env).code).toBe(0);
    const session = teamRecord(repo).session as string;
    const path = join(repo, ".baton", "team.json");
    writeFileSync(path, '{"version": 1, "agents": [{"name": "sim-1", "pane');

    for (const args of [["up", "-n", "1", "--agent", "sim"], ["down"]]) {
      const refused = baton(repo, args, env);
      expect(refused.code, args.join(" ")).toBe(2);
      expect(refused.stderr).toContain("team.json is damaged");
      expect(refused.stderr).toContain(
        "baton down --force stops the team's tmux session and removes the damaged record",
      );
    }
    const hasSession = () =>
      spawnSync("tmux", ["-S", env.BATON_TMUX_SOCKET, "has-session", "-t", `=${session}`]).status === 0;
    expect(hasSession()).toBe(true);

    const forced = baton(repo, ["down", "--force", "--json"], env);
    expect(forced.code, forced.stderr).toBe(0);
    const { recovered } = forced.json();
    expect(recovered.session).toBe(session);
    expect(hasSession()).toBe(false);
    expect(existsSync(path)).toBe(false);
    expect(recovered.savedAs).toMatch(/team\.json\.damaged-\d{4}-\d\d-\d\dT/);
    expect(readFileSync(recovered.savedAs, "utf8")).toContain('"pane');
    expect(readdirSync(join(repo, ".baton")).filter((f) => f.startsWith("team.json.damaged-"))).toHaveLength(
      1,
    );
    // Nothing of it shows as a change to commit.
    expect(spawnSync("git", ["status", "--porcelain"], { cwd: repo, encoding: "utf8" }).stdout).not.toContain(
      "team.json",
    );

    expect(baton(repo, ["up", "-n", "1", "--agent", "sim"], env).code).toBe(0);
    expect(baton(repo, ["down", "--force"], env).code).toBe(0);
  });
});
