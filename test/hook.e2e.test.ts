import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { baton, CLI, git, tempDir, tempRepo, testHome } from "./helpers/temp-repo.js";
import { teamRepo } from "./hosts/kit.js";

/** Runs `baton hook EVENT --host HOST` with a hook input on stdin, as a host does: no BATON_AGENT unless given. */
function hook(cwd: string, event: string, host: string, input: unknown, env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [CLI, "hook", event, "--host", host], {
    cwd,
    input: typeof input === "string" ? input : JSON.stringify(input),
    encoding: "utf8",
    env: { ...process.env, BATON_AGENT: undefined, HOME: testHome(), ...env },
  });
  const parsed = () => JSON.parse(result.stdout);
  return {
    code: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    /** The deny reason in whichever form the host reads, or null when the call is allowed. */
    denied: (): string | null => {
      if (!result.stdout.trim()) return null;
      const out = parsed();
      if (out.decision === "deny") return out.reason;
      if (out.hookSpecificOutput?.permissionDecision === "deny")
        return out.hookSpecificOutput.permissionDecisionReason;
      return null;
    },
    json: parsed,
  };
}

const lockAs = (agent: string, cwd: string, ...paths: string[]) =>
  expect(baton(cwd, ["lock", ...paths, "--intent", "refactor", "--as", agent]).code).toBe(0);

describe("baton hook pre-edit: the edit guard, in each host's form", () => {
  it("Claude Code: Edit, Write, NotebookEdit and MultiEdit of a file another agent holds are denied; the rest allowed", () => {
    const { repo } = teamRepo();
    lockAs("codex-2", repo, "src/a.ts", "nb.ipynb");
    const call = (tool_name: string, tool_input: object, cwd = repo) =>
      hook(cwd, "pre-edit", "claude", { hook_event_name: "PreToolUse", tool_name, tool_input, cwd });
    const edit = call("Edit", { file_path: join(repo, "src/a.ts"), old_string: "1", new_string: "2" });
    expect(edit.json().hookSpecificOutput).toMatchObject({
      hookEventName: "PreToolUse",
      permissionDecision: "deny",
    });
    expect(edit.denied()).toMatch(/src\/a\.ts is locked by codex-2 \(refactor\) for \d+m(\d+s)? more/);
    expect(edit.denied()).toContain("send_message to codex-2");
    expect(call("Write", { file_path: "src/a.ts", content: "x" }).denied()).not.toBeNull();
    expect(call("Write", { file_path: "a.ts", content: "x" }, join(repo, "src")).denied()).not.toBeNull();
    expect(
      call("NotebookEdit", { notebook_path: join(repo, "nb.ipynb"), new_source: "x" }).denied(),
    ).not.toBeNull();
    expect(call("MultiEdit", { file_path: join(repo, "src/a.ts"), edits: [] }).denied()).not.toBeNull();
    expect(call("Bash", { command: "cd src && echo 2 > a.ts" }).denied()).not.toBeNull();
    // Reading, a free file, and a shell command that writes nothing of theirs go through.
    expect(call("Read", { file_path: join(repo, "src/a.ts") }).stdout).toBe("");
    expect(call("Edit", { file_path: join(repo, "src/b.ts") }).stdout).toBe("");
    expect(call("Bash", { command: "cat src/a.ts > /tmp/copy.txt && npm test" }).stdout).toBe("");
    // The holder itself may edit.
    const own = hook(
      repo,
      "pre-edit",
      "claude",
      { tool_name: "Edit", tool_input: { file_path: join(repo, "src/a.ts") } },
      {
        BATON_AGENT: "codex-2",
      },
    );
    expect(own.stdout).toBe("");
  });

  it("Codex: apply_patch (as its own tool or in a shell heredoc) and shell redirections are read for the files they write", () => {
    const { repo } = teamRepo();
    lockAs("claude-1", repo, "src/a.ts");
    const patch =
      "*** Begin Patch\n*** Update File: src/a.ts\n@@\n-export const a = 1;\n+export const a = 2;\n*** End Patch\n";
    const call = (tool_name: string, command: string) =>
      hook(repo, "pre-edit", "codex", {
        hook_event_name: "PreToolUse",
        tool_name,
        tool_input: { command },
        cwd: repo,
      });
    const viaTool = call("apply_patch", patch);
    expect(viaTool.json().hookSpecificOutput.permissionDecision).toBe("deny");
    expect(viaTool.denied()).toContain("locked by claude-1");
    expect(call("Bash", `apply_patch <<'EOF'\n${patch}EOF\n`).denied()).not.toBeNull();
    expect(call("Bash", "printf 'x' >> src/a.ts").denied()).not.toBeNull();
    expect(call("Bash", "sed -i 's/1/2/' src/a.ts").denied()).not.toBeNull();
    expect(call("Bash", "rm -rf src").denied()).not.toBeNull();
    expect(call("Bash", "git mv src/a.ts src/z.ts").denied()).not.toBeNull();
    expect(call("Bash", "mkdir -p build && cd build && echo x > ../src/a.ts").denied()).not.toBeNull();
    expect(
      call(
        "Bash",
        "cd src && apply_patch <<'EOF'\n*** Begin Patch\n*** Update File: a.ts\n*** End Patch\nEOF",
      ).denied(),
    ).not.toBeNull();
    expect(call("Bash", "cp /etc/hostname src").denied()).toBeNull(); // into src/hostname: nobody's
    // Codex may send argv, and a `cmd` instead of a `command`.
    const argv = (command: string[]) =>
      hook(repo, "pre-edit", "codex", { tool_name: "Bash", tool_input: { command }, cwd: repo }).denied();
    expect(argv(["bash", "-c", "--", "rm src/a.ts"])).not.toBeNull();
    expect(argv(["/usr/bin/env", "bash", "-lc", "rm src/a.ts"])).not.toBeNull();
    expect(argv(["rm", "#", "src/a.ts"])).not.toBeNull();
    const cmd = hook(repo, "pre-edit", "codex", {
      tool_name: "exec_command",
      tool_input: { cmd: "rm src/a.ts" },
      cwd: repo,
    });
    expect(cmd.denied()).not.toBeNull();
    expect(call("apply_patch", patch.replace("src/a.ts", "src/b.ts")).stdout).toBe("");
    expect(call("Bash", "cat src/a.ts | wc -l").stdout).toBe("");
  });

  it("Gemini CLI: write_file, replace and run_shell_command denied with {decision, reason}", () => {
    const { repo } = teamRepo();
    lockAs("claude-1", repo, "src/");
    const call = (tool_name: string, tool_input: object) =>
      hook(repo, "pre-edit", "gemini", { hook_event_name: "BeforeTool", tool_name, tool_input, cwd: repo });
    const write = call("write_file", { file_path: join(repo, "src/new.ts"), content: "x" });
    expect(write.json()).toEqual({
      decision: "deny",
      reason: expect.stringContaining("src/new.ts is locked by claude-1 (lease on src/**: refactor)"),
    });
    expect(
      call("replace", { file_path: "src/a.ts", old_string: "1", new_string: "2", instruction: "x" }).denied(),
    ).not.toBeNull();
    expect(call("run_shell_command", { command: "echo x > src/deep/c.ts" }).denied()).not.toBeNull();
    expect(call("write_file", { file_path: join(repo, "README.md"), content: "x" }).stdout).toBe("");
    // Without --host, Gemini's event name tells its form.
    const detected = spawnSync(process.execPath, [CLI, "hook", "pre-edit"], {
      cwd: repo,
      input: JSON.stringify({
        hook_event_name: "BeforeTool",
        tool_name: "write_file",
        tool_input: { file_path: "src/a.ts" },
        cwd: repo,
      }),
      encoding: "utf8",
      env: { ...process.env, BATON_AGENT: undefined },
    });
    expect(JSON.parse(detected.stdout).decision).toBe("deny");
  });

  it("pi: write, edit and bash, with a reason that names the CLI (pi has no MCP tools)", () => {
    const { repo } = teamRepo();
    lockAs("claude-1", repo, "src/a.ts");
    const call = (tool_name: string, tool_input: object) =>
      hook(repo, "pre-edit", "pi", { hook_event_name: "PreToolUse", tool_name, tool_input, cwd: repo });
    const reason = call("edit", { path: "src/a.ts", edits: [{ oldText: "1", newText: "2" }] }).denied();
    expect(reason).toContain("locked by claude-1");
    expect(reason).toContain(".baton/bin/baton send claude-1");
    expect(reason).not.toContain("send_message");
    expect(call("write", { path: join(repo, "src/a.ts"), content: "x" }).denied()).not.toBeNull();
    expect(call("bash", { command: "tee src/a.ts < /dev/null" }).denied()).not.toBeNull();
  });

  it("guards a file of a baton repository whatever folder the host runs in, and a folder that does not exist yet", () => {
    const { repo } = teamRepo();
    lockAs("claude-1", repo, "src/a.ts");
    const input = { tool_name: "Write", tool_input: { file_path: join(repo, "src/a.ts"), content: "x" } };
    const elsewhere = tempDir();
    expect(hook(elsewhere, "pre-edit", "claude", { ...input, cwd: elsewhere }).denied()).toContain(
      "claude-1",
    );
    const otherRepo = tempRepo();
    expect(hook(otherRepo, "pre-edit", "claude", { ...input, cwd: otherRepo }).denied()).toContain(
      "claude-1",
    );
    expect(hook(repo, "pre-edit", "claude", { ...input, cwd: join(repo, "gone") }).denied()).toContain(
      "claude-1",
    );
    // Without a name, the reason says why the caller's own lease counts too.
    expect(hook(elsewhere, "pre-edit", "claude", { ...input, cwd: elsewhere }).denied()).toContain(
      "does not know which agent you are",
    );
  });

  it("one file, whatever its name: through symlinks, from a subfolder, from another worktree", () => {
    const { repo, worktrees } = teamRepo(["wt-1", "wt-2"]);
    const [wt1, wt2] = [worktrees["wt-1"]!, worktrees["wt-2"]!];
    lockAs("claude-1", wt1, "src/a.ts");
    const call = (cwd: string, file: string) =>
      hook(
        cwd,
        "pre-edit",
        "claude",
        { tool_name: "Write", tool_input: { file_path: file, content: "x" }, cwd },
        {
          BATON_AGENT: "claude-2",
        },
      );
    // The same repository path in the other worktree and in the main checkout.
    expect(call(wt2, join(wt2, "src/a.ts")).denied()).toContain("src/a.ts is locked by claude-1");
    expect(call(wt2, join(repo, "src/a.ts")).denied()).not.toBeNull();
    expect(call(join(wt2, "src/deep"), "../a.ts").denied()).not.toBeNull();
    // Links inside the tree lead to the leased file; a link to outside is not the repository's.
    symlinkSync("src", join(wt2, "alias"));
    symlinkSync(join(wt2, "src", "a.ts"), join(wt2, "a-link.ts"));
    symlinkSync(".", join(wt2, "here"));
    expect(call(wt2, "alias/a.ts").denied()).not.toBeNull();
    expect(call(wt2, join(wt2, "a-link.ts")).denied()).not.toBeNull();
    expect(call(wt2, "here/here/src/a.ts").denied()).not.toBeNull();
    const outside = tempDir();
    symlinkSync(outside, join(wt2, "out"));
    expect(call(wt2, "out/a.ts").stdout).toBe("");
    expect(call(wt2, "alias/b.ts").stdout).toBe("");
  });

  it("takes the agent's name from the worktree that baton connect recorded", () => {
    const { worktrees } = teamRepo(["wt-1"]);
    const wt1 = worktrees["wt-1"]!;
    expect(baton(wt1, ["connect", "claude", "--as", "claude-1"]).code).toBe(0);
    expect(baton(wt1, ["lock", "src/a.ts"]).code).toBe(0); // as claude-1, from the worktree record
    const mine = hook(wt1, "pre-edit", "claude", {
      tool_name: "Edit",
      tool_input: { file_path: "src/a.ts" },
      cwd: wt1,
    });
    expect(mine.stdout).toBe("");
    const theirs = hook(
      wt1,
      "pre-edit",
      "claude",
      { tool_name: "Edit", tool_input: { file_path: "src/a.ts" }, cwd: wt1 },
      {
        BATON_AGENT: "claude-2",
      },
    );
    expect(theirs.denied()).toContain("claude-1");
  });

  it("never breaks the host: any input shape, outside a repository, a repository without baton", () => {
    const { repo } = teamRepo();
    lockAs("x", repo, "src/a.ts");
    const shapes = [
      "",
      "not json",
      "[1,2]",
      "null",
      "42",
      '{"tool_input": 5}',
      '{"tool_name": "Edit", "tool_input": {"file_path": 7}}',
      '{"tool_name": "Edit", "tool_input": {"file_path": ""}}',
      '{"tool_name": "Bash", "tool_input": {"command": ["bash", "-lc"]}}',
      '{"tool_name": "Bash", "tool_input": {"command": "echo \\"unterminated > src/a.ts"}}',
      '{"tool_name": "Bash", "tool_input": {"command": "cat <<EOF\\nno end"}}',
      '{"tool_name": "apply_patch", "tool_input": {"command": "*** Begin Patch\\n*** Update File: \\n"}}',
      `{"tool_name": "Write", "tool_input": {"file_path": "${"a/".repeat(3000)}x"}}`,
      '{"tool_name": "Write", "tool_input": {"file_path": "/etc/passwd"}, "cwd": 12}',
      '{"tool_name": "Write", "tool_input": {"file_path": "src/\\u0000x"}}',
    ];
    // Every shape through the Claude form, a sample through the others (each call is a process).
    for (const host of ["claude", "codex", "gemini", "pi"]) {
      for (const input of host === "claude"
        ? shapes
        : shapes.filter((_, i) => i % 4 === ["codex", "gemini", "pi"].indexOf(host))) {
        const result = hook(repo, "pre-edit", host, input);
        expect(result.code, `${host} ${input.slice(0, 60)}`).toBe(0);
        expect(result.stderr, input.slice(0, 60)).toBe("");
      }
    }
    const loop = join(repo, "loop");
    symlinkSync("loop", loop);
    expect(
      hook(repo, "pre-edit", "claude", { tool_name: "Write", tool_input: { file_path: "loop/x" }, cwd: repo })
        .code,
    ).toBe(0);
    const nowhere = tempDir();
    expect(
      hook(nowhere, "pre-edit", "claude", { tool_name: "Write", tool_input: { file_path: "x" } }),
    ).toMatchObject({
      code: 0,
      stdout: "",
      stderr: "",
    });
    const plain = tempRepo({ init: false });
    expect(
      hook(plain, "pre-edit", "gemini", { tool_name: "write_file", tool_input: { file_path: "x" } }),
    ).toMatchObject({
      code: 0,
      stdout: "",
      stderr: "",
    });
    expect(hook(repo, "pre-edit", "vim", {}).code).toBe(2);
  });

  it("reads a large tool call (a Write of a big file) but not an endless stdin: over 64 MiB it says so, exit 1", () => {
    const { repo } = teamRepo();
    lockAs("x", repo, "src/a.ts");
    const big = {
      tool_name: "Write",
      tool_input: { file_path: "src/a.ts", content: "x".repeat(20 * 1024 * 1024) },
    };
    expect(hook(repo, "pre-edit", "claude", big, { BATON_AGENT: "claude-1" }).denied()).toMatch(
      /locked by x/,
    );
    const endless = hook(repo, "pre-edit", "claude", "{".padEnd(65 * 1024 * 1024, " "), {
      BATON_AGENT: "claude-1",
    });
    expect(endless.code).toBe(1); // exit 1: the host goes on (2 would block the call for the wrong reason)
    expect(endless.stderr).toMatch(/over 64 MiB/);
  });

  it("when baton cannot run in a baton repository, it says so once per session on stderr, then stays quiet", () => {
    // No hub even under BATON_TEST_HUB: one would have opened the file before it was damaged below.
    const repo = tempRepo({ hub: false });
    writeFileSync(
      join(repo, ".baton", "baton.db"),
      "this is not a database, and it is long enough to be read as one",
    );
    const input = (session: string) => ({
      session_id: session,
      tool_name: "Write",
      tool_input: { file_path: "src/a.ts" },
    });
    const session = `s-${Date.now()}-${Math.random()}`;
    const first = hook(repo, "pre-edit", "claude", input(session));
    expect(first.code).toBe(1);
    expect(first.stderr).toMatch(/baton: the edit guard is off: .+\nWhat to do: /);
    const second = hook(repo, "pre-edit", "claude", input(session));
    expect(second).toMatchObject({ code: 0, stdout: "", stderr: "" });
    expect(hook(repo, "pre-edit", "claude", input(`${session}-other`)).code).toBe(1);
    // A worktree whose files show the team uses baton, while its main checkout has no hub: said, with where to run init.
    const plain = tempRepo({ init: false });
    const worktree = join(tempDir(), "wt");
    git(plain, "worktree", "add", "-q", "-b", "wt", worktree);
    mkdirSync(join(worktree, ".baton"));
    writeFileSync(join(worktree, ".baton", "config.json"), "{}\n");
    const unset = hook(worktree, "pre-edit", "claude", input(session));
    expect(unset.code).toBe(1);
    expect(unset.stderr).toContain(`baton init\` in ${plain}`);
  });
});

describe("baton hook session-start and stop", () => {
  it("session-start puts the agent's task and unread messages in its context, in each host's form; stop records it idle", () => {
    const repo = tempRepo();
    baton(repo, ["task", "add", "Fix the login", "--body", "See issue 12", "--as", "lead"]);
    baton(repo, ["task", "claim", "T-1", "--as", "claude-1"]);
    baton(repo, ["send", "claude-1", "use the v2 API", "--as", "lead"]);
    baton(repo, ["heartbeat", "--working-on", "T-1", "--as", "claude-1"]);
    const before = Date.now();
    for (const host of ["claude", "codex", "gemini"]) {
      const context = hook(
        repo,
        "session-start",
        host,
        { hook_event_name: "SessionStart", source: "startup" },
        {
          BATON_AGENT: "claude-1",
        },
      ).json();
      expect(context.hookSpecificOutput.hookEventName).toBe("SessionStart");
      expect(context.hookSpecificOutput.additionalContext).toContain("You hold T-1: Fix the login");
      expect(context.hookSpecificOutput.additionalContext).toContain("complete_task");
      expect(context.hookSpecificOutput.additionalContext).toContain("use the v2 API");
    }
    // The session's start is the host's first word (seen now), but no activity: its first prompt follows.
    const started = baton(repo, ["agents", "--json"])
      .json()
      .agents.find((a: { name: string }) => a.name === "claude-1");
    expect(started.lastSeenAt).toBeGreaterThanOrEqual(before);
    expect(started.activity).toBeNull();
    const anonymous = hook(repo, "session-start", "claude", {}).json();
    expect(anonymous.hookSpecificOutput.additionalContext).toMatch(/no agent name/);
    expect(
      hook(repo, "stop", "claude", { stop_hook_active: false }, { BATON_AGENT: "claude-1" }).stdout,
    ).toBe("");
    const agents = baton(repo, ["agents", "--json"]).json().agents;
    expect(agents.find((a: { name: string }) => a.name === "claude-1").workingOn).toBeNull();
  });

  it("prompt prints the protocol, with a role from .baton/roles/", () => {
    const repo = tempRepo();
    const text = baton(repo, ["prompt", "--role", "reviewer", "--as", "rev-1"]).stdout;
    expect(text).toContain("You are `rev-1`");
    expect(text).toContain("Claim before working");
    expect(text).toContain("# Role: reviewer");
    expect(baton(repo, ["prompt"]).stdout).toContain("BATON_AGENT");
    expect(baton(repo, ["prompt", "--role", "astronaut"]).code).toBe(4);
  });
});

describe("activity hooks: what the agent is doing, with the signal that said so", () => {
  it("a prompt means working, a permission notification or a question waiting, Stop idle; status shows the evidence", () => {
    const repo = tempRepo({ humans: ["lea"] });
    const env = { BATON_AGENT: "claude-1" };
    const activity = () =>
      (baton(repo, ["agents", "--json"]).json().agents as { name: string; activity: unknown }[]).find(
        (a) => a.name === "claude-1",
      )?.activity;

    expect(hook(repo, "prompt", "claude", { session_id: "s1", prompt: "do T-1" }, env).code).toBe(0);
    expect(activity()).toMatchObject({ state: "working", signal: "claude:UserPromptSubmit", detail: null });

    const notice = hook(
      repo,
      "notification",
      "claude",
      {
        session_id: "s1",
        notification_type: "permission_prompt",
        message: "Claude needs your permission to use Bash",
      },
      env,
    );
    expect(notice.code).toBe(0);
    expect(activity()).toMatchObject({
      state: "waiting",
      signal: "claude:Notification:permission_prompt",
      detail: "Claude needs your permission to use Bash",
    });
    const status = baton(repo, ["status"], { BATON_AGENT: "lea", COLUMNS: "200" }).stdout;
    expect(status).toMatch(/claude-1\s+waiting\b.*claude:Notification:permission_prompt/);

    // A question put to the human is allowed (nothing is written) and recorded as waiting.
    const ask = hook(
      repo,
      "pre-edit",
      "claude",
      { session_id: "s1", tool_name: "AskUserQuestion", tool_input: {} },
      env,
    );
    expect(ask.denied()).toBeNull();
    expect(activity()).toMatchObject({ state: "waiting", signal: "claude:PreToolUse:AskUserQuestion" });

    expect(hook(repo, "stop", "claude", { session_id: "s1" }, env).code).toBe(0);
    expect(activity()).toMatchObject({ state: "idle", signal: "claude:Stop" });
    const changes = baton(repo, ["log", "--type", "agent.activity", "--json"]).json().events as {
      summary: string;
    }[];
    expect(changes.map((e) => e.summary)).toEqual([
      "claude-1 is working (claude:UserPromptSubmit)",
      "claude-1 waits for a human (claude:Notification:permission_prompt: Claude needs your permission to use Bash)",
      "claude-1 is idle (claude:Stop)",
    ]);
  });
});

describe("stop hook: an interactive Claude Code turn's cost", () => {
  /** Lines in the shape Claude Code writes its transcript: one entry per content block, each repeating its message's usage. */
  function transcript(
    dir: string,
    turns: {
      prompt: string;
      messages: { id: string; model: string; input: number; output: number; blocks: number }[];
    }[],
  ): string {
    const lines: unknown[] = [{ type: "queue-operation" }];
    for (const turn of turns) {
      lines.push({ type: "user", message: { role: "user", content: turn.prompt } });
      for (const m of turn.messages) {
        for (let b = 0; b < m.blocks; b++)
          lines.push({
            type: "assistant",
            message: {
              id: m.id,
              model: m.model,
              usage: {
                input_tokens: m.input,
                output_tokens: m.output,
                cache_read_input_tokens: 0,
                cache_creation_input_tokens: 0,
              },
              content: [{ type: "text", text: "x" }],
            },
          });
        // A tool's result comes back as a user entry: it does not start a turn.
        lines.push({
          type: "user",
          message: { role: "user", content: [{ type: "tool_result", tool_use_id: "t" }] },
        });
      }
    }
    lines.push({ type: "cost-state", totalCostUSD: 1 });
    const path = join(dir, "session.jsonl");
    writeFileSync(path, `${lines.map((l) => JSON.stringify(l)).join("\n")}\n`);
    return path;
  }

  it("charges the last turn's tokens (each message once) to the agent's task; at a cap it waits for a human, asked once", () => {
    const repo = tempRepo({ humans: ["lea"] });
    writeFileSync(
      join(repo, ".baton/config.json"),
      JSON.stringify({
        humans: ["lea"],
        costs: { prices: { "claude-test": { input: 10, output: 100 } }, task_cap_usd: 1 },
      }),
    );
    const env = { BATON_AGENT: "claude-1" };
    baton(repo, ["task", "add", "build", "--as", "lea"]);
    expect(baton(repo, ["task", "claim", "T-1", "--as", "claude-1"]).code).toBe(0);
    const dir = tempDir("baton-transcript-");
    // The first turn is not charged again: only what follows the last prompt is this turn's.
    const path = transcript(dir, [
      {
        prompt: "earlier",
        messages: [{ id: "m0", model: "claude-test", input: 1_000_000, output: 0, blocks: 1 }],
      },
      {
        prompt: "do T-1",
        messages: [
          { id: "m1", model: "claude-test", input: 20_000, output: 1000, blocks: 3 },
          { id: "m2", model: "claude-test", input: 10_000, output: 1000, blocks: 1 },
        ],
      },
    ]);
    expect(hook(repo, "stop", "claude", { session_id: "s1", transcript_path: path }, env).code).toBe(0);
    // 30k in at $10/M + 2k out at $100/M = $0.30 + $0.20.
    const cost = baton(repo, ["cost", "T-1", "--json"]).json();
    expect(cost.total).toMatchObject({
      usd: 0.5,
      estimated: true,
      inputTokens: 30_000,
      outputTokens: 2000,
      turns: 1,
    });
    expect(cost.entries[0]).toMatchObject({
      agent: "claude-1",
      host: "claude",
      model: "claude-test",
      session: "s1",
    });
    const activity = () =>
      (
        baton(repo, ["agents", "--json"]).json().agents as {
          name: string;
          activity: { state: string; signal: string };
        }[]
      ).find((a) => a.name === "claude-1")?.activity;
    expect(activity()).toMatchObject({ state: "idle", signal: "claude:Stop" });

    // The same turn again (a second stop) takes T-1 to $1.00: its cap.
    expect(hook(repo, "stop", "claude", { session_id: "s1", transcript_path: path }, env).code).toBe(0);
    expect(activity()).toMatchObject({ state: "waiting", signal: "baton:cost-cap" });
    const open = () =>
      baton(repo, ["questions", "--open", "--json"]).json().questions as {
        id: string;
        text: string;
        task: string;
      }[];
    expect(open()).toHaveLength(1);
    expect(open()[0]).toMatchObject({ task: "T-1" });
    expect(open()[0]!.text).toContain("task T-1 has cost $1.00, reaching its cap of $1.00");
    // Another stop while the question is open does not ask again.
    hook(repo, "stop", "claude", { session_id: "s1", transcript_path: path }, env);
    expect(open()).toHaveLength(1);
    // "continue" allows one more cap's worth: the next stop under $2 is idle again, with no new question.
    expect(baton(repo, ["answer", open()[0]!.id, "continue", "--yes", "--as", "lea"]).code).toBe(0);
    writeFileSync(path, `${JSON.stringify({ type: "user", message: { content: "go on" } })}\n`, {
      flag: "a",
    });
    expect(hook(repo, "stop", "claude", { session_id: "s1", transcript_path: path }, env).code).toBe(0);
    expect(activity()).toMatchObject({ state: "idle", signal: "claude:Stop" });
    expect(open()).toHaveLength(0);
    // A transcript that is missing or not a file charges nothing and still records the stop.
    const fifo = join(dir, "fifo");
    spawnSync("mkfifo", [fifo]);
    for (const bad of [join(dir, "missing.jsonl"), dir, fifo, "/dev/zero"])
      expect(hook(repo, "stop", "claude", { session_id: "s1", transcript_path: bad }, env).code).toBe(0);
    expect(baton(repo, ["cost", "T-1", "--json"]).json().total.turns).toBe(3);
  });
  it("a transcript with odd entries still charges the turn: each model on its own, odd ones skipped or bounded", () => {
    const repo = tempRepo({ humans: ["lea"] });
    writeFileSync(
      join(repo, ".baton/config.json"),
      JSON.stringify({ humans: ["lea"], costs: { prices: { "claude-test": { input: 1, output: 1 } } } }),
    );
    const env = { BATON_AGENT: "claude-1" };
    const usage = (id: string, model: unknown, input: unknown) => ({
      type: "assistant",
      message: { id, model, usage: { input_tokens: input, output_tokens: 0 } },
    });
    const lines = [
      { type: "user", message: { content: "go" } },
      // A hostile run's transcript lost the whole turn to one of these: each was refused by the
      // ledger, and the first refusal ended the loop over the rest.
      usage("a", { not: "a name" }, 5),
      usage("b", "m".repeat(300), 1_000_000),
      usage("c", "claude-test", 1_000_000),
      usage("d", "claude-huge", 1e13),
      usage("e", "claude-test\u001b[2J", 7),
      ...Array.from({ length: 40 }, (_, i) => usage(`f${i}`, `model-${i}`, 1)),
    ];
    const path = join(tempDir("baton-transcript-"), "odd.jsonl");
    writeFileSync(path, `${lines.map((l) => JSON.stringify(l)).join("\n")}\n`);
    expect(hook(repo, "stop", "claude", { session_id: "s1", transcript_path: path }, env).code).toBe(0);
    const entries = baton(repo, ["log", "--json", "--type", "cost.recorded"])
      .json()
      .events.map(
        (e: { data: { after: { model: string; inputTokens: number; usd: number | null } } }) => e.data.after,
      );
    const byModel = new Map(entries.map((e: { model: string }) => [e.model, e]));
    // The priced model is charged: $1 for its million tokens.
    expect(byModel.get("claude-test")).toMatchObject({ inputTokens: 1_000_000, usd: 1 });
    // A name of 300 characters is kept as its first 128; one that is not a string is skipped.
    expect(byModel.get("m".repeat(128))).toMatchObject({ inputTokens: 1_000_000 });
    // A count past any real message is charged at a bound, not refused (and never Infinity).
    expect(byModel.get("claude-huge")).toMatchObject({ inputTokens: 1e9 });
    // Control characters are shown, not obeyed, wherever the name is printed.
    expect(baton(repo, ["cost", "claude-1"]).stdout).not.toContain("\u001b");
    // At most 16 models a turn; the rest are one entry.
    expect(entries.length).toBeLessThanOrEqual(17);
    expect(byModel.get("(other models)")).toMatchObject({ inputTokens: expect.any(Number) });
  });
});

describe("permission hook: an interactive Claude Code permission prompt becomes a baton approval", () => {
  /** `baton hook permission` in the background, as Claude Code runs it: the hook waits while a human decides. */
  function permissionHook(repo: string, input: Record<string, unknown>, env: Record<string, string>) {
    const child = spawn(process.execPath, [CLI, "hook", "permission", "--host", "claude"], {
      cwd: repo,
      env: { ...process.env, HOME: testHome(), ...env },
    });
    child.stdin.end(JSON.stringify(input));
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
    const done = new Promise<{
      code: number | null;
      answer: { hookSpecificOutput?: { decision: Record<string, unknown> } } | null;
    }>((resolve) =>
      child.on("close", (code) => resolve({ code, answer: stdout.trim() ? JSON.parse(stdout) : null })),
    );
    return { child, done };
  }
  const approvals = (repo: string, open = true) =>
    baton(repo, ["approvals", ...(open ? ["--open"] : []), "--json"]).json().approvals as {
      id: string;
      action: string;
      plan: string;
      status: string;
      note: string | null;
      requestedAt: number;
      expiresAt: number | null;
    }[];
  async function firstOpen(repo: string) {
    for (let i = 0; i < 200; i++) {
      const open = approvals(repo);
      if (open.length) return open[0]!;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error("no approval within 20 s");
  }
  const bash = (command: string) => ({
    session_id: "s1",
    hook_event_name: "PermissionRequest",
    tool_name: "Bash",
    tool_input: { command },
    tool_use_id: "toolu_1",
  });

  it("approve lets the tool run, reject denies with the note, a rule answers at once, and a stopped turn expires it", async () => {
    const repo = tempRepo({ humans: ["lea"] });
    writeFileSync(
      join(repo, ".baton/config.json"),
      JSON.stringify({
        humans: ["lea"],
        permissions: { allow: [{ tool: "Bash", input: "npm test*" }], deny: [{ tool: "WebFetch" }] },
      }),
    );
    const env = { BATON_AGENT: "claude-1" };
    baton(repo, ["agent", "join", "lea", "--kind", "human"]);

    const first = permissionHook(repo, bash("rm -rf build"), env);
    const asked = await firstOpen(repo);
    expect(asked.action).toBe("claude-1 (claude) asks to use Bash: rm -rf build");
    expect(asked.plan).toContain("session: s1");
    const waiting = baton(repo, ["agents", "--json"])
      .json()
      .agents.find((a: { name: string }) => a.name === "claude-1");
    expect(waiting.activity).toMatchObject({ state: "waiting", signal: "claude:PermissionRequest" });
    expect(baton(repo, ["approve", asked.id, "--yes", "--as", "lea"]).code).toBe(0);
    expect((await first.done).answer?.hookSpecificOutput?.decision).toEqual({ behavior: "allow" });

    const second = permissionHook(repo, bash("git push --force"), env);
    const rejected = await firstOpen(repo);
    expect(baton(repo, ["reject", rejected.id, "--reason", "not on main", "--yes", "--as", "lea"]).code).toBe(
      0,
    );
    const denied = (await second.done).answer?.hookSpecificOutput?.decision;
    expect(denied).toMatchObject({ behavior: "deny" });
    expect(String(denied?.message)).toContain("not on main");

    // The config's rules answer without a human, and ask nobody.
    const rule = await permissionHook(repo, bash("npm test -- --watch=false"), env).done;
    expect(rule.answer?.hookSpecificOutput?.decision).toEqual({ behavior: "allow" });
    const fetch = await permissionHook(
      repo,
      { ...bash(""), tool_name: "WebFetch", tool_input: { url: "https://x" } },
      env,
    ).done;
    expect(fetch.answer?.hookSpecificOutput?.decision).toMatchObject({ behavior: "deny" });
    expect(approvals(repo, false)).toHaveLength(2);

    // Claude Code gives up on the hook (Esc, or the session ends): the approval expires, never runs later.
    const third = permissionHook(repo, bash("make deploy"), env);
    const dropped = await firstOpen(repo);
    third.child.kill("SIGTERM");
    await third.done;
    const after = approvals(repo, false).find((a) => a.id === dropped.id)!;
    expect(after.status).toBe("expired");
    expect(baton(repo, ["approve", dropped.id, "--yes", "--as", "lea"]).code).not.toBe(0);

    // One still open when the turn ends (the Stop hook) expires with the turn.
    const fourth = permissionHook(repo, bash("make release"), env);
    const stale = await firstOpen(repo);
    expect(hook(repo, "stop", "claude", { session_id: "s1" }, env).code).toBe(0);
    expect(approvals(repo, false).find((a) => a.id === stale.id)!.status).toBe("expired");
    expect((await fourth.done).answer?.hookSpecificOutput?.decision).toMatchObject({ behavior: "deny" });
  }, 60_000);

  it("a tool permission approved on a plan-required task is not its plan; input no human could read is refused; a hook killed with -9 leaves a request with a deadline", async () => {
    const repo = tempRepo({ humans: ["lea"] });
    const env = { BATON_AGENT: "claude-1" };
    baton(repo, ["agent", "join", "lea", "--kind", "human"]);
    baton(repo, ["task", "add", "migrate the schema", "--plan-required", "--as", "lea"]);
    expect(baton(repo, ["task", "claim", "T-1", "--as", "claude-1"]).code).toBe(0);
    // A hostile run: approving "Bash: ls" let the agent complete a task whose plan nobody approved.
    const ls = permissionHook(repo, bash("ls"), env);
    const asked = await firstOpen(repo);
    expect(baton(repo, ["approve", asked.id, "--yes", "--as", "lea"]).code).toBe(0);
    expect((await ls.done).answer?.hookSpecificOutput?.decision).toEqual({ behavior: "allow" });
    const gate = baton(repo, ["task", "done", "T-1", "--result", "done", "--as", "claude-1"]);
    expect(gate.code).not.toBe(0);
    expect(gate.stderr).toContain("needs an approved plan");
    expect(gate.stderr).not.toContain(asked.id);

    // What the host sends that no human could be shown is denied at once, and nothing is asked.
    for (const odd of [
      { ...bash("x"), tool_name: "Bash\nagent: lea\nhost: x" },
      { ...bash("x"), tool_name: "X".repeat(1_000_000) },
      { ...bash("x"), tool_input: "rm -rf /" },
      { ...bash("x"), tool_input: ["rm", "-rf", "/"] },
    ]) {
      const { code, answer } = await permissionHook(repo, odd, env).done;
      expect(code).toBe(0);
      expect(answer?.hookSpecificOutput?.decision).toMatchObject({ behavior: "deny" });
    }
    expect(approvals(repo, false)).toHaveLength(1);

    // Killed with -9, the hook cannot withdraw its request: the request carries its own deadline.
    const killed = permissionHook(repo, bash("rm -rf build"), env);
    const orphan = await firstOpen(repo);
    killed.child.kill("SIGKILL");
    await killed.done;
    expect(orphan.expiresAt! - orphan.requestedAt).toBe(10 * 60_000 + 60_000);
  }, 60_000);

  it("Codex's prompt gets Codex's answer: a timeout denies without `interrupt`, which Codex reserves and fails closed on", async () => {
    const repo = tempRepo({ humans: ["lea"] });
    writeFileSync(
      join(repo, ".baton/config.json"),
      JSON.stringify({ humans: ["lea"], permissions: { approval_timeout: "1s" } }),
    );
    const child = spawn(process.execPath, [CLI, "hook", "permission", "--host", "codex"], {
      cwd: repo,
      env: { ...process.env, HOME: testHome(), BATON_AGENT: "codex-1" },
    });
    child.stdin.end(
      JSON.stringify({ ...bash("curl example.com"), turn_id: "turn-7", tool_use_id: undefined }),
    );
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk));
    await new Promise((resolve) => child.on("close", resolve));
    const decision = JSON.parse(out).hookSpecificOutput.decision;
    expect(decision).toMatchObject({ behavior: "deny" });
    expect(decision).not.toHaveProperty("interrupt");
    expect(approvals(repo, false)[0]).toMatchObject({ status: "expired" });
    expect(approvals(repo, false)[0]!.plan).toContain("tool_use_id: turn-7");
  });

  it("a session without an agent name, or a human's, or a team with no humans, is left to the host's own dialog", async () => {
    const nobody = tempRepo();
    expect((await permissionHook(nobody, bash("ls"), { BATON_AGENT: "claude-1" }).done).answer).toBeNull();
    const repo = tempRepo({ humans: ["lea"] });
    expect((await permissionHook(repo, bash("ls"), {}).done).answer).toBeNull();
    baton(repo, ["agent", "join", "lea", "--kind", "human"]);
    expect((await permissionHook(repo, bash("ls"), { BATON_AGENT: "lea" }).done).answer).toBeNull();
    expect(approvals(repo, false)).toHaveLength(0);
  });
});
