import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseJsonc } from "jsonc-parser";
import { parse as parseToml } from "smol-toml";
import { describe, expect, it } from "vitest";
import { baton, CLI, tempRepo } from "./helpers/temp-repo.js";

const as = (name: string) => ({ BATON_AGENT: name });

/** Runs `baton hook EVENT` with a hook input on stdin, as Claude Code does. */
function hook(repo: string, event: string, input: string, agent = "claude-1") {
  const result = spawnSync(process.execPath, [CLI, "hook", event, "--as", agent], {
    cwd: repo,
    input,
    encoding: "utf8",
  });
  return { code: result.status, stdout: result.stdout, json: () => JSON.parse(result.stdout) };
}

describe("baton connect", () => {
  it("claude: merges .mcp.json keeping other servers, unknown keys and comments; adds hooks; idempotent", () => {
    const repo = tempRepo();
    writeFileSync(
      join(repo, ".mcp.json"),
      '{\n  // team servers\n  "mcpServers": { "other": { "command": "x" } },\n  "extra": true\n}\n',
    );
    mkdirSync(join(repo, ".claude"));
    writeFileSync(
      join(repo, ".claude/settings.json"),
      JSON.stringify({
        permissions: { allow: ["Bash(ls)"] },
        hooks: { PreToolUse: [{ matcher: "Bash", hooks: [{ type: "command", command: "mine" }] }] },
      }),
    );
    const dry = baton(repo, ["connect", "claude", "--dry-run"], as("claude-1"));
    expect(dry.stdout).toContain('+       "args": [');
    expect(readFileSync(join(repo, ".mcp.json"), "utf8")).not.toContain("baton");
    expect(baton(repo, ["connect", "claude"], as("claude-1")).code).toBe(0);
    const mcpText = readFileSync(join(repo, ".mcp.json"), "utf8");
    expect(mcpText).toContain("// team servers");
    const mcp = parseJsonc(mcpText);
    expect(mcp.extra).toBe(true);
    expect(mcp.mcpServers.other).toEqual({ command: "x" });
    expect(mcp.mcpServers.baton.args.slice(-5)).toEqual(["mcp", "--as", "claude-1", "--kind", "claude"]);
    const settings = JSON.parse(readFileSync(join(repo, ".claude/settings.json"), "utf8"));
    expect(settings.permissions).toEqual({ allow: ["Bash(ls)"] });
    expect(settings.hooks.PreToolUse).toHaveLength(2);
    expect(settings.hooks.PreToolUse[1].matcher).toBe("Edit|Write|MultiEdit");
    expect(settings.hooks.SessionStart[0].hooks[0].command).toContain("hook session-start --as claude-1");
    const before = readFileSync(join(repo, ".claude/settings.json"), "utf8");
    const again = baton(repo, ["connect", "claude", "--json"], as("claude-1")).json();
    expect(again.files.every((f: { changed: boolean }) => !f.changed)).toBe(true);
    expect(readFileSync(join(repo, ".claude/settings.json"), "utf8")).toBe(before);
  });

  it("codex: writes [mcp_servers.baton] in config.toml, keeping comments and other tables; gemini: settings.json", () => {
    const repo = tempRepo();
    mkdirSync(join(repo, ".codex"));
    writeFileSync(
      join(repo, ".codex/config.toml"),
      '# my codex\nmodel = "o4"\n\n[mcp_servers.other]\ncommand = "x"\n',
    );
    expect(baton(repo, ["connect", "codex"], as("codex-1")).code).toBe(0);
    expect(baton(repo, ["connect", "codex"], as("codex-1")).stdout).toContain("nothing to change");
    const text = readFileSync(join(repo, ".codex/config.toml"), "utf8");
    expect(text.startsWith("# my codex")).toBe(true);
    const toml = parseToml(text) as {
      model: string;
      mcp_servers: Record<string, { command: string; args?: string[] }>;
    };
    expect(toml.model).toBe("o4");
    expect(toml.mcp_servers.other!.command).toBe("x");
    expect(toml.mcp_servers.baton!.args!.slice(-4)).toEqual(["--as", "codex-1", "--kind", "codex"]);
    expect(baton(repo, ["connect", "gemini"], as("gem-1")).code).toBe(0);
    expect(
      JSON.parse(readFileSync(join(repo, ".gemini/settings.json"), "utf8")).mcpServers.baton.args,
    ).toContain("gem-1");
  });

  it("refuses a config that does not parse, changing nothing", () => {
    const repo = tempRepo();
    writeFileSync(join(repo, ".mcp.json"), "{ not json");
    const broken = baton(repo, ["connect", "claude", "--json"], as("claude-1"));
    expect(broken.code).toBe(2);
    expect(broken.json().error.message).toContain("does not parse");
    expect(readFileSync(join(repo, ".mcp.json"), "utf8")).toBe("{ not json");
    expect(existsSync(join(repo, ".claude/settings.json"))).toBe(false);
    mkdirSync(join(repo, ".codex"));
    writeFileSync(join(repo, ".codex/config.toml"), "[broken\n");
    expect(baton(repo, ["connect", "codex"], as("c")).code).toBe(2);
    expect(baton(repo, ["connect", "vim"], as("c")).code).toBe(2);
  });

  it("pi, aider and shell: an instructions section, replaced in place on the next run", () => {
    const repo = tempRepo();
    writeFileSync(join(repo, "AGENTS.md"), "# Our agents\n\nBe nice.\n");
    expect(baton(repo, ["connect", "pi"], as("pi-1")).code).toBe(0);
    expect(baton(repo, ["connect", "shell"], as("pi-1")).stdout).toContain("nothing to change");
    baton(repo, ["connect", "shell"], as("sh-2"));
    const agents = readFileSync(join(repo, "AGENTS.md"), "utf8");
    expect(agents.startsWith("# Our agents\n\nBe nice.\n")).toBe(true);
    expect(agents.match(/baton:start/g)).toHaveLength(1);
    expect(agents).toContain("export BATON_AGENT=sh-2");
    expect(baton(repo, ["connect", "aider"], as("a")).code).toBe(0);
    expect(readFileSync(join(repo, "CONVENTIONS.md"), "utf8")).toContain("baton task claim");
  });
});

describe("baton hook (Claude Code hooks) and baton prompt", () => {
  it("pre-edit denies an edit of a file another agent has locked, and allows the rest", () => {
    const repo = tempRepo();
    mkdirSync(join(repo, "src"));
    baton(repo, ["lock", "src/auth.ts", "--intent", "refactor"], as("codex-2"));
    const denied = hook(
      repo,
      "pre-edit",
      JSON.stringify({
        hook_event_name: "PreToolUse",
        tool_name: "Edit",
        cwd: repo,
        tool_input: { file_path: join(repo, "src/auth.ts") },
      }),
    );
    expect(denied.code).toBe(0);
    expect(denied.json().hookSpecificOutput).toMatchObject({
      hookEventName: "PreToolUse",
      permissionDecision: "deny",
    });
    expect(denied.json().hookSpecificOutput.permissionDecisionReason).toContain("codex-2 (refactor)");
    const relativePath = hook(
      repo,
      "pre-edit",
      JSON.stringify({ tool_name: "Write", cwd: repo, tool_input: { file_path: "src/auth.ts" } }),
    );
    expect(relativePath.json().hookSpecificOutput.permissionDecision).toBe("deny");
    expect(
      hook(
        repo,
        "pre-edit",
        JSON.stringify({
          tool_name: "Edit",
          cwd: repo,
          tool_input: { file_path: join(repo, "src/free.ts") },
        }),
      ).stdout,
    ).toBe("");
    expect(
      hook(
        repo,
        "pre-edit",
        JSON.stringify({ tool_name: "Edit", tool_input: { file_path: join(repo, "src/auth.ts") } }),
        "codex-2",
      ).stdout,
    ).toBe("");
  });

  it("never crashes on an unexpected or malformed hook input", () => {
    const repo = tempRepo();
    for (const input of [
      "",
      "not json",
      "[1,2]",
      '{"tool_input": 5}',
      '{"tool_input": {"file_path": 7}}',
      "null",
    ]) {
      const result = hook(repo, "pre-edit", input);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe("");
    }
    expect(hook(repo, "stop", "garbage").code).toBe(0);
  });

  it("session-start puts the agent's task and unread messages in its context; stop records it idle", () => {
    const repo = tempRepo();
    baton(repo, ["task", "add", "Fix the login", "--body", "See issue 12"], as("lead"));
    baton(repo, ["task", "claim", "T-1"], as("claude-1"));
    baton(repo, ["send", "claude-1", "use the v2 API"], as("lead"));
    baton(repo, ["heartbeat", "--working-on", "T-1"], as("claude-1"));
    const context = hook(
      repo,
      "session-start",
      JSON.stringify({ hook_event_name: "SessionStart", source: "startup" }),
    ).json();
    expect(context.hookSpecificOutput.hookEventName).toBe("SessionStart");
    expect(context.hookSpecificOutput.additionalContext).toContain("You hold T-1: Fix the login");
    expect(context.hookSpecificOutput.additionalContext).toContain("use the v2 API");
    expect(hook(repo, "stop", JSON.stringify({ stop_hook_active: false })).stdout).toBe("");
    expect(
      baton(repo, ["agents", "--json"])
        .json()
        .agents.find((a: { name: string }) => a.name === "claude-1").workingOn,
    ).toBeNull();
  });

  it("prompt prints the protocol, with a role from .baton/roles/", () => {
    const repo = tempRepo();
    const text = baton(repo, ["prompt", "--role", "reviewer"], as("rev-1")).stdout;
    expect(text).toContain("export BATON_AGENT=rev-1");
    expect(text).toContain("Claim before working");
    expect(text).toContain("# Role: reviewer");
    expect(baton(repo, ["prompt", "--role", "astronaut"]).code).toBe(4);
  });
});
