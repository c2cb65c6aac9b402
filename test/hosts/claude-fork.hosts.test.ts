import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { agentLaunch } from "../../src/orchestrator/hosts/agent-launch.js";
import { claudeProjectDir, forkAdapter } from "../../src/orchestrator/team/fork-session.js";
import type { TeamAgent, TeamRecord } from "../../src/orchestrator/team/team-record.js";
import { createWorktree } from "../../src/orchestrator/worktrees/create.js";
import { findTree } from "../../src/workspace/find-root.js";
import { readHostSession } from "../../src/workspace/host-session.js";
import { CLI, tempDir } from "../helpers/temp-repo.js";
import { startFakeModel } from "./claude/fake-model.js";
import { runClaude, setupHome } from "./claude/run-claude.js";
import { connect, hostEnv, teamRepo } from "./kit.js";

/**
 * spawn_agent {fork: true} with the real Claude Code: the lead's hooks tell
 * baton its session id, and a teammate started in another worktree with
 * `--resume ID --fork-session` carries the lead's conversation into a session
 * of its own, leaving the lead's as it was.
 */
const TIMEOUT = 240_000;

function agent(name: string, cwd: string): TeamAgent {
  return {
    name,
    host: "claude",
    command: ["claude"],
    role: "lead",
    cwd,
    branch: `baton/${name}`,
    env: {},
    paneId: "%1",
    process: null,
    runPaneId: null,
    runProcess: null,
    port: 4100,
    startedAt: 0,
    restarts: 0,
    stoppedAt: null,
    stop: null,
    spawnedBy: null,
  };
}

describe("a teammate forked from a Claude Code lead's session", () => {
  it(
    "starts in its own worktree with the lead's conversation, as a new session",
    async () => {
      const { repo } = teamRepo();
      const lead = await createWorktree(repo, "claude-1");
      const mate = await createWorktree(repo, "claude-2");
      const home = tempDir("baton-claude-home-");
      setupHome(home);
      connect("claude", lead.path, "claude-1", hostEnv(home));
      const fake = await startFakeModel([
        [{ text: "Noted: the word is PINEAPPLE." }],
        [{ text: "It was PINEAPPLE." }],
      ]);
      try {
        const first = await runClaude({
          cwd: lead.path,
          home,
          baseUrl: fake.url,
          prompt: "Remember the word PINEAPPLE.",
          args: ["--allowedTools", "mcp__baton"],
          timeoutMs: TIMEOUT / 3,
        });
        expect(first.code, first.stderr).toBe(0);
        const init = first.events.find((e) => e.type === "system" && e.subtype === "init");
        const leadSession = init?.session_id as string;
        // The lead's hooks (baton connect claude) told baton its session.
        expect(readHostSession(findTree(lead.path).gitDir)).toEqual({
          host: "claude",
          sessionId: leadSession,
          cwd: lead.path,
        });
        const leadFile = join(claudeProjectDir(join(home, ".claude"), lead.path), `${leadSession}.jsonl`);
        const leadBefore = readFileSync(leadFile, "utf8");

        const record = { agents: [agent("claude-1", lead.path)] } as unknown as TeamRecord;
        const adapt = forkAdapter(record, "claude-1", { HOME: home });
        const launch = adapt(agentLaunch("claude", "What was the word?", CLI), mate.path);
        expect(launch.command).toEqual([
          "claude",
          "--resume",
          leadSession,
          "--fork-session",
          "What was the word?",
        ]);

        const forked = await runClaude({
          cwd: mate.path,
          home,
          baseUrl: fake.url,
          prompt: "What was the word?",
          args: [...launch.command.slice(1, -1), "--allowedTools", "mcp__baton"],
          timeoutMs: TIMEOUT / 3,
        });
        expect(forked.code, `${forked.stderr}\n${forked.stdout.slice(-2000)}`).toBe(0);
        const forkInit = forked.events.find((e) => e.type === "system" && e.subtype === "init");
        expect(forkInit?.session_id).toEqual(expect.any(String));
        expect(forkInit?.session_id).not.toBe(leadSession);
        expect(forkInit?.cwd).toBe(mate.path);
        // The model was sent the lead's conversation, then the teammate's prompt.
        const last = fake.requests.filter((r) => r.kind === "main").at(-1)!;
        const said = JSON.stringify(last.body.messages);
        expect(said).toContain("Remember the word PINEAPPLE.");
        expect(said).toContain("Noted: the word is PINEAPPLE.");
        expect(said).toContain("What was the word?");
        const result = forked.events.find((e) => e.type === "result");
        expect(result?.result).toBe("It was PINEAPPLE.");
        // The lead's own session is left as it was.
        expect(readFileSync(leadFile, "utf8")).toBe(leadBefore);
      } finally {
        await fake.close();
      }
    },
    TIMEOUT,
  );
});
