import { spawnSync } from "node:child_process";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { parse as parseJsonc } from "jsonc-parser";
import { parse as parseToml } from "smol-toml";
import { describe, expect, it } from "vitest";
import { codexHookHash } from "../src/hosts/codex-hook-trust.js";
import { baton, git, tempDir, tempRepo, testHome } from "./helpers/temp-repo.js";
import { batonBinDir, teamRepo } from "./hosts/kit.js";

const as = (name: string) => ({ BATON_AGENT: name });
const read = (path: string) => readFileSync(path, "utf8");
const onPath = () => ({ PATH: `${batonBinDir()}:${process.env.PATH}` });

describe("baton connect", () => {
  it("claude: identity-free .mcp.json and hooks in the worktree, merged and idempotent; the guard's hooks in user settings too", () => {
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
        hooks: {
          PreToolUse: [
            { matcher: "Bash", hooks: [{ type: "command", command: "mine" }] },
            // An entry an older baton wrote, with a machine path and a name: replaced.
            {
              matcher: "Edit|Write|MultiEdit",
              hooks: [{ type: "command", command: "/usr/bin/node /x/baton.js hook pre-edit --as claude-9" }],
            },
          ],
        },
      }),
    );
    const dry = baton(repo, ["connect", "claude", "--dry-run"], as("claude-1"));
    expect(dry.stdout).toContain('+       "args": [');
    expect(read(join(repo, ".mcp.json"))).not.toContain("baton");
    expect(existsSync(join(repo, ".git", "baton-agent"))).toBe(false);

    const done = baton(repo, ["connect", "claude", "--json"], as("claude-1"));
    expect(done.code).toBe(0);
    const mcpText = read(join(repo, ".mcp.json"));
    expect(mcpText).toContain("// team servers");
    const mcp = parseJsonc(mcpText);
    expect(mcp.extra).toBe(true);
    expect(mcp.mcpServers.other).toEqual({ command: "x" });
    // No agent and no machine path in a committed file.
    expect(mcp.mcpServers.baton).toEqual({ command: "baton", args: ["mcp", "--kind", "claude"] });
    const settingsText = read(join(repo, ".claude/settings.json"));
    expect(settingsText).not.toMatch(/claude-1|claude-9|\/usr\/bin|baton\.js/);
    const settings = JSON.parse(settingsText);
    expect(settings.permissions.allow).toEqual(["Bash(ls)", "mcp__baton"]);
    // baton's own .mcp.json server approved (the "other" server stays the user's to decide).
    expect(settings.enabledMcpjsonServers).toEqual(["baton"]);
    expect(settings.hooks.PreToolUse).toEqual([
      { matcher: "Bash", hooks: [{ type: "command", command: "mine" }] },
      {
        matcher: "Edit|Write|MultiEdit|NotebookEdit|Bash|AskUserQuestion|ExitPlanMode",
        hooks: [{ type: "command", command: "baton hook pre-edit --host claude" }],
      },
    ]);
    expect(settings.hooks.SessionStart[0].hooks[0].command).toBe("baton hook session-start --host claude");
    // The same hook command in the user's settings: Claude Code runs it once, from any folder.
    const user = JSON.parse(read(join(testHome(), ".claude/settings.json")));
    expect(user.hooks.PreToolUse[0].hooks[0].command).toBe("baton hook pre-edit --host claude");
    // The agent's name lives in the worktree's git dir, and baton acts as it there.
    expect(read(join(repo, ".git", "baton-agent"))).toBe("claude-1\n");
    expect(baton(repo, ["whoami", "--json"]).json()).toMatchObject({ agent: "claude-1", source: "worktree" });
    expect(baton(repo, ["whoami", "--json"], as("lea")).json()).toMatchObject({
      agent: "lea",
      source: "environment",
    });
    const report = done.json();
    expect(report.agent).toBe("claude-1");
    expect(report.notes.map((n: { text: string }) => n.text).join("\n")).toMatch(/--allowedTools mcp__baton/);

    const before = read(join(repo, ".claude/settings.json"));
    const again = baton(repo, ["connect", "claude", "--json"], as("claude-1")).json();
    expect(again.files.every((f: { changed: boolean }) => !f.changed)).toBe(true);
    expect(read(join(repo, ".claude/settings.json"))).toBe(before);
  });

  it("two agents of one host in two worktrees: each worktree its own files and its own name, the main checkout untouched", () => {
    const { repo, worktrees } = teamRepo(["wt-1", "wt-2"]);
    expect(baton(worktrees["wt-1"]!, ["connect", "claude", "--as", "claude-1"]).code).toBe(0);
    const second = baton(join(worktrees["wt-2"]!, "src"), ["connect", "claude", "--as", "claude-2"]);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("acts as claude-2");
    for (const [name, tree] of Object.entries(worktrees)) {
      expect(existsSync(join(tree, ".mcp.json")), name).toBe(true);
      expect(existsSync(join(tree, ".claude/settings.json")), name).toBe(true);
      expect(existsSync(join(tree, "src/.mcp.json")), name).toBe(false);
    }
    expect(existsSync(join(repo, ".mcp.json"))).toBe(false);
    // Identical committed files: either worktree's can be committed and merged without a conflict.
    expect(read(join(worktrees["wt-1"]!, ".mcp.json"))).toBe(read(join(worktrees["wt-2"]!, ".mcp.json")));
    expect(baton(worktrees["wt-1"]!, ["whoami", "--json"]).json().agent).toBe("claude-1");
    expect(baton(join(worktrees["wt-2"]!, "src/deep"), ["whoami", "--json"]).json().agent).toBe("claude-2");
    expect(baton(repo, ["whoami", "--json"]).json().agent).toBeNull();
    // The launcher and the name are not for git: nothing to commit but the host files.
    const status = git(worktrees["wt-1"]!, "status", "--porcelain");
    expect(status).not.toContain(".baton/bin");
    expect(status).toContain(".mcp.json");
  });

  it("says what it cannot do: baton not on PATH, the main checkout's name, replacing a worktree's agent", () => {
    const { worktrees } = teamRepo(["wt-1"]);
    const noPath = baton(worktrees["wt-1"]!, ["connect", "claude", "--as", "claude-1", "--json"], {
      PATH: "/usr/bin:/bin",
    }).json();
    expect(noPath.notes.some((n: { text: string }) => /not on PATH/.test(n.text))).toBe(true);
    const withPath = baton(
      worktrees["wt-1"]!,
      ["connect", "claude", "--as", "claude-1", "--json"],
      onPath(),
    ).json();
    expect(withPath.notes.some((n: { text: string }) => /not on PATH/.test(n.text))).toBe(false);
    expect(withPath.notes.some((n: { text: string }) => /main checkout/.test(n.text))).toBe(false);
    const replaced = baton(worktrees["wt-1"]!, ["connect", "pi", "--as", "pi-1"]);
    expect(replaced.stdout).toMatch(/this worktree's agent was claude-1, now pi-1/);
    const main = baton(tempRepo(), ["connect", "shell", "--as", "sh-1"]);
    expect(main.stdout).toMatch(/main checkout/);
  });

  it("refuses a worktree whose main checkout has no .baton/, naming where to run init, writing nothing", () => {
    const repo = tempRepo({ init: false });
    const worktree = join(tempDir(), "wt");
    git(repo, "worktree", "add", "-q", "-b", "wt", worktree);
    const refused = baton(worktree, ["connect", "claude", "--as", "c-1", "--json"]);
    expect(refused.code).toBe(1);
    expect(refused.json().error.code).toBe("not_initialised");
    expect(refused.json().error.hint).toContain(`baton init\` in ${repo}`);
    expect(existsSync(join(worktree, ".mcp.json"))).toBe(false);
    expect(existsSync(join(testHome(), ".claude"))).toBe(false);
    // Every command from there explains the same.
    expect(baton(worktree, ["task", "list", "--json"]).json().error.message).toContain("main checkout");
  });

  it("codex: [mcp_servers.baton] approved and required, hooks.json, and the hooks trusted by hash in the user's config", () => {
    const repo = tempRepo();
    mkdirSync(join(repo, ".codex"));
    writeFileSync(
      join(repo, ".codex/config.toml"),
      '# my codex\nmodel = "o4"\n\n[mcp_servers.other]\ncommand = "x"\n',
    );
    const codexHome = join(testHome(), ".codex");
    mkdirSync(codexHome);
    writeFileSync(join(codexHome, "config.toml"), '# mine\nmodel = "gpt-5.5"\n');
    const first = baton(repo, ["connect", "codex", "--json"], as("codex-1")).json();
    expect(first.notes.some((n: { text: string }) => /trust this project in Codex/.test(n.text))).toBe(true);
    const again = baton(repo, ["connect", "codex", "--json"], as("codex-1")).json();
    expect(again.files.every((f: { changed: boolean }) => !f.changed)).toBe(true);
    const text = read(join(repo, ".codex/config.toml"));
    expect(text.startsWith("# my codex")).toBe(true);
    const toml = parseToml(text) as { model: string; mcp_servers: Record<string, Record<string, unknown>> };
    expect(toml.model).toBe("o4");
    expect(toml.mcp_servers.other!.command).toBe("x");
    expect(toml.mcp_servers.baton).toEqual({
      command: "baton",
      args: ["mcp", "--kind", "codex"],
      default_tools_approval_mode: "approve",
      required: true,
    });
    const hooksPath = join(repo, ".codex/hooks.json");
    const hooks = JSON.parse(read(hooksPath)).hooks;
    const pre = hooks.PreToolUse[0];
    expect(pre.matcher).toContain("apply_patch");
    expect(pre.hooks[0]).toMatchObject({ command: "baton hook pre-edit --host codex", timeout: 30 });
    const user = read(join(codexHome, "config.toml"));
    expect(user.startsWith("# mine")).toBe(true);
    const state = (parseToml(user) as { hooks: { state: Record<string, { trusted_hash: string }> } }).hooks
      .state;
    expect(state[`${hooksPath}:pre_tool_use:0:0`]!.trusted_hash).toBe(
      codexHookHash("PreToolUse", pre.matcher, pre.hooks[0]),
    );
    // The permission prompt's hook waits for a human: longer than the others.
    const permission = hooks.PermissionRequest[0].hooks[0];
    expect(permission).toMatchObject({ command: "baton hook permission --host codex", timeout: 86_460 });
    expect(state[`${hooksPath}:permission_request:0:0`]!.trusted_hash).toBe(
      codexHookHash("PermissionRequest", undefined, permission),
    );
    // One per hook: PreToolUse, SessionStart, UserPromptSubmit, Stop, PermissionRequest.
    expect(Object.keys(state)).toHaveLength(5);
    expect(hooks.UserPromptSubmit[0].hooks[0].command).toBe("baton hook prompt --host codex");
    // Once the user trusts the project, connect stops asking.
    writeFileSync(
      join(codexHome, "config.toml"),
      `${read(join(codexHome, "config.toml"))}\n[projects."${repo}"]\ntrust_level = "trusted"\n`,
    );
    const trusted = baton(repo, ["connect", "codex", "--json"], as("codex-1")).json();
    expect(trusted.notes.some((n: { text: string }) => /trust this project/.test(n.text))).toBe(false);
  });

  it("gemini: mcpServers.baton trusted, a BeforeTool guard in the project and in user settings", () => {
    const repo = tempRepo();
    const result = baton(repo, ["connect", "gemini", "--json"], as("gem-1")).json();
    expect(result.notes.some((n: { text: string }) => /trustedFolders/.test(n.text))).toBe(true);
    const settings = JSON.parse(read(join(repo, ".gemini/settings.json")));
    expect(settings.mcpServers.baton).toEqual({
      command: "baton",
      args: ["mcp", "--kind", "gemini"],
      trust: true,
    });
    expect(settings.hooks.BeforeTool[0]).toMatchObject({ matcher: "write_file|replace|run_shell_command" });
    expect(settings.hooks.BeforeTool[0].hooks[0].command).toBe("baton hook pre-edit --host gemini");
    // A turn from BeforeAgent to AfterAgent: working, then idle (what the supervisor delivers work by).
    expect(settings.hooks.BeforeAgent[0].hooks[0].command).toBe("baton hook prompt --host gemini");
    expect(settings.hooks.AfterAgent[0].hooks[0].command).toBe("baton hook stop --host gemini");
    const user = JSON.parse(read(join(testHome(), ".gemini/settings.json")));
    expect(user.hooks.BeforeTool[0].hooks[0].command).toBe("baton hook pre-edit --host gemini");
    expect(user.mcpServers).toBeUndefined();
    mkdirSync(join(testHome(), ".gemini"), { recursive: true });
    writeFileSync(
      join(testHome(), ".gemini/trustedFolders.json"),
      JSON.stringify({ [repo]: "TRUST_FOLDER" }),
    );
    const trusted = baton(repo, ["connect", "gemini", "--json"], as("gem-1")).json();
    expect(trusted.notes.some((n: { text: string }) => /trustedFolders/.test(n.text))).toBe(false);
  });

  it("follows a host file's symlink inside the repository, and refuses one that leads out, writing nothing", () => {
    const repo = tempRepo();
    mkdirSync(join(repo, "config"));
    writeFileSync(join(repo, "config", "mcp.json"), '{"mcpServers": {}}\n');
    symlinkSync("config/mcp.json", join(repo, ".mcp.json"));
    expect(baton(repo, ["connect", "claude"], as("claude-1")).code).toBe(0);
    expect(lstatSync(join(repo, ".mcp.json")).isSymbolicLink()).toBe(true);
    expect(JSON.parse(read(join(repo, "config", "mcp.json"))).mcpServers.baton.command).toBe("baton");
    const outside = tempDir();
    const other = tempRepo();
    mkdirSync(join(other, ".baton"), { recursive: true });
    symlinkSync(outside, join(other, ".baton", "bin"));
    const refused = baton(other, ["connect", "pi", "--json"], as("pi-1"));
    expect(refused.json().error.code).toBe("outside_workspace");
    expect(readdirSync(outside)).toEqual([]);
    expect(existsSync(join(other, "AGENTS.md"))).toBe(false);
    expect(existsSync(join(other, ".git", "baton-agent"))).toBe(false);
  });

  it("refuses a config whose keys have another shape than baton needs, and keeps a file's mode", () => {
    const repo = tempRepo();
    const cases: [string, string, string][] = [
      [".claude/settings.json", '{"hooks": []}', "claude"],
      [".claude/settings.json", '{"hooks": {"PreToolUse": {}}}', "claude"],
      [".claude/settings.json", '{"permissions": []}', "claude"],
      [".mcp.json", '{"mcpServers": []}', "claude"],
      [".gemini/settings.json", '{"mcpServers": "x"}', "gemini"],
      [".codex/config.toml", 'mcp_servers = "x"\n', "codex"],
      [".codex/config.toml", "[mcp_servers]\nbaton = 5\n", "codex"],
      [".codex/config.toml", 'a = """\n[mcp_servers.baton]\n"""\n', "codex"],
    ];
    for (const [file, text, host] of cases) {
      rmSync(join(repo, ".claude"), { recursive: true, force: true });
      rmSync(join(repo, ".codex"), { recursive: true, force: true });
      rmSync(join(repo, ".gemini"), { recursive: true, force: true });
      rmSync(join(repo, ".mcp.json"), { force: true });
      mkdirSync(join(repo, file, ".."), { recursive: true });
      writeFileSync(join(repo, file), text);
      const refused = baton(repo, ["connect", host, "--json"], as("a-1"));
      expect(refused.code, `${file}: ${text}`).toBe(2);
      expect(refused.json().error.code).toBe("invalid_input");
      expect(read(join(repo, file)), file).toBe(text);
    }
    // A config holding a key keeps its 0600 mode; a byte-order mark stays.
    rmSync(join(repo, ".codex"), { recursive: true, force: true });
    const codexHome = join(testHome(), ".codex");
    mkdirSync(codexHome, { recursive: true });
    writeFileSync(join(codexHome, "config.toml"), 'api_key = "secret"\n', { mode: 0o600 });
    writeFileSync(join(repo, ".mcp.json"), '\uFEFF{"mcpServers": {}}\n');
    expect(baton(repo, ["connect", "codex"], as("c-1")).code).toBe(0);
    expect(statSync(join(codexHome, "config.toml")).mode & 0o777).toBe(0o600);
    expect(baton(repo, ["connect", "claude"], as("c-1")).code).toBe(0);
    expect(read(join(repo, ".mcp.json")).startsWith("\uFEFF")).toBe(true);
  });

  it("warns when another worktree already has the same agent name", () => {
    const { worktrees } = teamRepo(["wt-1", "wt-2"]);
    expect(baton(worktrees["wt-1"]!, ["connect", "shell", "--as", "dup"]).code).toBe(0);
    const twin = baton(worktrees["wt-2"]!, ["connect", "shell", "--as", "dup", "--json"]).json();
    expect(
      twin.notes.some((n: { text: string }) => /dup is also the agent of another worktree/.test(n.text)),
    ).toBe(true);
  });

  it("refuses a config that does not parse, naming the line, changing nothing", () => {
    const repo = tempRepo();
    writeFileSync(join(repo, ".mcp.json"), '{\n  "mcpServers": {\n    "x": nope\n  }\n}\n');
    const broken = baton(repo, ["connect", "claude", "--json"], as("claude-1"));
    expect(broken.code).toBe(2);
    expect(broken.json().error.message).toMatch(/does not parse as JSON \(line 3, column \d+\)/);
    expect(read(join(repo, ".mcp.json"))).toContain("nope");
    expect(existsSync(join(repo, ".claude/settings.json"))).toBe(false);
    expect(existsSync(join(repo, ".git/baton-agent"))).toBe(false);
    mkdirSync(join(repo, ".codex"));
    writeFileSync(join(repo, ".codex/config.toml"), 'model = "o4"\n[broken\n');
    const toml = baton(repo, ["connect", "codex", "--json"], as("c"));
    expect(toml.code).toBe(2);
    expect(toml.json().error.message).toMatch(/TOML \(line 2/);
    expect(read(join(repo, ".codex/config.toml"))).toBe('model = "o4"\n[broken\n');
    mkdirSync(join(testHome(), ".gemini"), { recursive: true });
    writeFileSync(join(testHome(), ".gemini/settings.json"), "[1, 2]");
    expect(baton(repo, ["connect", "gemini", "--json"], as("g")).json().error.message).toMatch(/JSON object/);
    expect(existsSync(join(repo, ".gemini"))).toBe(false);
    expect(baton(repo, ["connect", "vim"], as("c")).code).toBe(2);
    expect(baton(repo, ["connect", "claude"]).code).toBe(2); // nobody named
  });

  it("pi, aider and shell: one identity-free section, a launcher that works without baton on PATH, pi's guard extension", () => {
    const { worktrees } = teamRepo(["wt-1"]);
    const tree = worktrees["wt-1"]!;
    writeFileSync(join(tree, "AGENTS.md"), "# Our agents\n\nBe nice.\n");
    expect(baton(tree, ["connect", "pi"], as("pi-1")).code).toBe(0);
    const agents = read(join(tree, "AGENTS.md"));
    expect(agents.startsWith("# Our agents\n\nBe nice.\n")).toBe(true);
    expect(agents).toContain(".baton/bin/baton task claim");
    expect(agents).not.toMatch(/pi-1|export BATON_AGENT/);
    baton(tree, ["connect", "shell"], as("sh-2"));
    expect(read(join(tree, "AGENTS.md"))).toBe(agents);
    expect(read(join(tree, "AGENTS.md")).match(/baton:start/g)).toHaveLength(1);
    expect(read(join(tree, ".pi/extensions/baton-guard.ts"))).toContain('"hook", "pre-edit", "--host", "pi"');
    // The launcher runs baton with PATH emptied of it, and knows who this worktree is.
    const launcher = join(tree, ".baton/bin/baton");
    expect(statSync(launcher).mode & 0o111).not.toBe(0);
    const who = spawnSync(launcher, ["whoami", "--json"], {
      cwd: tree,
      encoding: "utf8",
      env: { PATH: "/usr/bin:/bin", HOME: testHome() },
    });
    expect(JSON.parse(who.stdout)).toMatchObject({ agent: "sh-2", source: "worktree", tree });
    expect(baton(tree, ["connect", "aider"], as("a")).code).toBe(0);
    expect(read(join(tree, "CONVENTIONS.md"))).toContain(".baton/bin/baton task claim");
    rmSync(join(tree, ".baton/bin"), { recursive: true });
    expect(baton(tree, ["connect", "pi", "--scope", "user"], as("pi-1")).code).toBe(2);
  });
});
