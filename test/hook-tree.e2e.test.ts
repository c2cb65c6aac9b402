import { spawn } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runHook } from "../src/hooks/run-hook.js";
import { processState, until } from "./helpers/proc-state.js";
import { baton, CLI, tempDir, tempRepo, testHome } from "./helpers/temp-repo.js";

/**
 * A hook's whole process tree ends with it, and the caller never waits much
 * past the hook's timeout, whatever the hook starts: real processes, real
 * signals, /proc read to find survivors. Each hook writes the pids it starts to
 * a file ($1) so a survivor that cleared its environment is found too.
 */

const MARGIN_MS = 3000; // e2e: generous; the promise is timeout + 1 s grace + 0.2 s drain

/** Live (not zombie) processes whose environment carries BATON_HOOK_RUN=runId. */
function marked(runId: string): number[] {
  const needle = Buffer.from(`BATON_HOOK_RUN=${runId}`);
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => {
      try {
        if (processState(pid) === "Z") return false;
        return readFileSync(`/proc/${pid}/environ`).includes(needle);
      } catch {
        return false;
      }
    });
}

/** The pids a hook recorded in its pid file that still run. */
function recordedAlive(pidFile: string): number[] {
  let text = "";
  try {
    text = readFileSync(pidFile, "utf8");
  } catch {
    return [];
  }
  return text
    .split(/\s+/)
    .filter(Boolean)
    .map(Number)
    .filter((pid) => {
      const s = processState(pid);
      return s !== null && s !== "Z";
    });
}

// Generous: under a loaded machine a killed process can take a while to be gone from /proc.
async function settle<T>(probe: () => T[], ms = 5000): Promise<T[]> {
  const until = performance.now() + ms;
  let left = probe();
  while (left.length > 0 && performance.now() < until) {
    await new Promise((r) => setTimeout(r, 25));
    left = probe();
  }
  return left;
}

// Whatever a failing test left behind is ended here, so a red run does not leave sleeps for minutes.
const started: { runId?: string; pidFile: string }[] = [];
afterEach(() => {
  for (const run of started.splice(0)) {
    const pids = [...(run.runId ? marked(run.runId) : []), ...recordedAlive(run.pidFile)];
    for (const pid of pids) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {}
    }
  }
});

interface Case {
  name: string;
  script: string;
  timeoutMs: number;
  /** The hook's own process exits by itself well before the timeout. */
  exitsAtOnce?: boolean;
  /**
   * The hook's own process is gone before its grandchild exists, so the
   * signal to the process group may end the grandchild, or its parent, before
   * any scan sees it: ended, but not counted, or never started.
   */
  mayDieUnseen?: boolean;
  /** How the kept output must end. */
  outputEnds?: string;
}

// `sh -c SCRIPT sh PIDFILE`: $1 is the pid file.
const cases: Case[] = [
  {
    name: "setsid background child (holds stdout)",
    script: `setsid sleep 20 & echo $! >> "$1"`,
    timeoutMs: 10_000,
    exitsAtOnce: true,
  },
  {
    name: "setsid background child while the hook runs on",
    script: `setsid sleep 20 & echo $! >> "$1"; sleep 20`,
    timeoutMs: 1000,
  },
  {
    name: "double fork into a new session, descriptors closed",
    script: `( setsid sleep 20 </dev/null >/dev/null 2>&1 & echo $! >> "$1" ); sleep 20`,
    timeoutMs: 1000,
  },
  {
    name: "double fork, hook exits at once",
    script: `( ( sleep 20 </dev/null >/dev/null 2>&1 & echo $! >> "$1" ) & )`,
    timeoutMs: 10_000,
    exitsAtOnce: true,
    mayDieUnseen: true,
  },
  {
    name: "double fork into a new session, then the hook exits",
    script: `( setsid sleep 20 </dev/null >/dev/null 2>&1 & echo $! >> "$1" )`,
    timeoutMs: 10_000,
    exitsAtOnce: true,
  },
  {
    name: "double fork into a new session, hook exits at once",
    script: `( ( setsid sleep 20 </dev/null >/dev/null 2>&1 & echo $! >> "$1" ) & )`,
    timeoutMs: 10_000,
    exitsAtOnce: true,
    mayDieUnseen: true,
  },
  {
    name: "grandchild that ignores SIGTERM",
    script: `sh -c 'trap "" TERM; sleep 20 & echo $! >> "$1"; wait' sh "$1" & echo $! >> "$1"; sleep 20`,
    timeoutMs: 1000,
  },
  {
    name: "grandchild in its own session that ignores SIGTERM",
    script: `setsid sh -c 'trap "" TERM; sleep 20 & echo $! >> "$1"; wait' sh "$1" </dev/null >/dev/null 2>&1 & echo $! >> "$1"; sleep 20`,
    timeoutMs: 1000,
  },
  {
    name: "hook itself ignores SIGTERM",
    script: `trap "" TERM; echo $$ >> "$1"; while :; do sleep 1; done`,
    timeoutMs: 1000,
  },
  {
    // The hook lives a moment: one gone within a millisecond may take its descriptors' names with it (see HookProcesses).
    name: "child holding stdout open with its environment cleared (no marker)",
    script: `setsid env -i sleep 20 & echo $! >> "$1"; sleep 0.2`,
    timeoutMs: 10_000,
    exitsAtOnce: true,
  },
  {
    name: "child holding stderr open with its environment cleared, hook runs on",
    script: `setsid env -i sleep 20 >/dev/null & echo $! >> "$1"; sleep 20`,
    timeoutMs: 1000,
  },
  {
    name: "background child with no pipes (only the marker finds it)",
    script: `setsid sleep 20 </dev/null >/dev/null 2>&1 & echo $! >> "$1"`,
    timeoutMs: 10_000,
    exitsAtOnce: true,
  },
  {
    // Its own process group (as a shell with job control makes), no marker, no descriptors: only the session tells.
    name: "child in its own process group, environment and descriptors cleared",
    script: `perl -e 'setpgrp(0, 0); exec @ARGV' env -i sleep 20 </dev/null >/dev/null 2>&1 & echo $! >> "$1"; sleep 0.2`,
    timeoutMs: 10_000,
    exitsAtOnce: true,
  },
  {
    name: "stopped child",
    script: `sleep 20 & echo $! >> "$1"; kill -STOP $!; sleep 20`,
    timeoutMs: 1000,
  },
  {
    name: "stopped child in its own session, hook exits at once",
    script: `setsid sleep 20 </dev/null >/dev/null 2>&1 & echo $! >> "$1"; kill -STOP $!`,
    timeoutMs: 10_000,
    exitsAtOnce: true,
  },
  {
    name: "keeps forking children that ignore SIGTERM",
    script: `trap "" TERM; while :; do setsid sleep 20 </dev/null >/dev/null 2>&1 & echo $! >> "$1"; sleep 0.05; done`,
    timeoutMs: 1000,
  },
  {
    name: "megabytes of output, then a background child",
    script: `head -c 5000000 /dev/zero | tr '\\0' x; echo END; setsid sleep 20 & echo $! >> "$1"`,
    timeoutMs: 10_000,
    exitsAtOnce: true,
    outputEnds: "xxxxEND\n",
  },
  { name: "endless output until the timeout", script: `echo $$ >> "$1"; yes`, timeoutMs: 1000 },
];

describe("a hook's process tree", () => {
  for (const c of cases) {
    it(c.name, async () => {
      const dir = tempDir();
      const pidFile = join(dir, "pids");
      writeFileSync(pidFile, "");
      const run: { runId?: string; pidFile: string } = { pidFile };
      started.push(run);
      const outcome = await runHook(
        ["sh", "-c", c.script, "sh", pidFile],
        { type: "test" },
        { cwd: dir, timeoutMs: c.timeoutMs },
      );
      run.runId = outcome.runId;

      expect(outcome.startError).toBeNull();
      if (c.exitsAtOnce) {
        // The hook's own process exited at once: no waiting for what it left, which was ended.
        expect(outcome).toMatchObject({ timedOut: false, code: 0 });
        if (!c.mayDieUnseen) expect(outcome.leftovers).toBeGreaterThan(0);
        expect(outcome.ms).toBeLessThan(MARGIN_MS);
      } else {
        expect(outcome.timedOut).toBe(true);
        expect(outcome.ms).toBeLessThan(c.timeoutMs + MARGIN_MS);
      }
      expect(Buffer.byteLength(outcome.output)).toBeLessThanOrEqual(16 * 1024);
      if (c.outputEnds) expect(outcome.output.endsWith(c.outputEnds)).toBe(true);
      // The case did start something (unless the signal to the group came first).
      if (!c.mayDieUnseen) expect(readFileSync(pidFile, "utf8").trim()).not.toBe("");
      expect(await settle(() => marked(outcome.runId))).toEqual([]);
      expect(await settle(() => recordedAlive(pidFile))).toEqual([]);
    });
  }

  it("keeps the end of a large output, whole lines intact", async () => {
    const dir = tempDir();
    const outcome = await runHook(
      [
        process.execPath,
        "-e",
        "for (let i = 0; i < 200000; i++) process.stdout.write('line ' + i + '\\n'); console.log('END')",
      ],
      { type: "test" },
      { cwd: dir, timeoutMs: 20_000 },
    );
    expect(outcome).toMatchObject({ code: 0, timedOut: false, leftovers: 0 });
    expect(Buffer.byteLength(outcome.output)).toBeLessThanOrEqual(16 * 1024);
    expect(outcome.output.endsWith("line 199999\nEND\n")).toBe(true);
  });

  it("a plain hook that exits cleanly has nothing to end and keeps its output and code", async () => {
    const dir = tempDir();
    const outcome = await runHook(
      ["sh", "-c", 'read line; echo "got $line"; exit 3'],
      { type: "x" },
      { cwd: dir, timeoutMs: 5000 },
    );
    expect(outcome).toMatchObject({ code: 3, timedOut: false, leftovers: 0, output: 'got {"type":"x"}\n' });
    expect(outcome.ms).toBeLessThan(MARGIN_MS);
  });

  it("a command that cannot start is reported, not thrown", async () => {
    const outcome = await runHook(["/nonexistent/hook"], { type: "x" }, { cwd: tempDir(), timeoutMs: 5000 });
    expect(outcome.startError).toContain("ENOENT");
    expect(outcome.code).toBeNull();
  });

  it("an argument Node refuses to pass (a NUL byte) is a start error, not a crash", async () => {
    const outcome = await runHook(
      ["sh", "-c", "echo a\0b"],
      { type: "x" },
      { cwd: tempDir(), timeoutMs: 5000 },
    );
    expect(outcome.startError).not.toBeNull();
    expect(outcome.code).toBeNull();
  });
});

describe("hooks run by the CLI", () => {
  const as = (name: string) => ({ BATON_AGENT: name });

  it("a plain hook leaving a background child does not hold the command, and the child is ended", () => {
    const repo = tempRepo();
    const pidFile = join(repo, "pids");
    started.push({ pidFile });
    const hook = { on: "task.added", run: ["sh", "-c", `setsid sleep 20 & echo $! >> "$1"`, "sh", pidFile] };
    writeFileSync(join(repo, ".baton/config.json"), JSON.stringify({ hooks: [hook] }));
    const before = performance.now();
    expect(baton(repo, ["task", "add", "Fix it"], as("lead")).code).toBe(0);
    expect(performance.now() - before).toBeLessThan(MARGIN_MS + 2000); // CLI start on a loaded machine
    expect(recordedAlive(pidFile)).toEqual([]);
    const noted = baton(repo, ["log", "--type", "hook.leftovers", "--json"]).json().events;
    expect(noted).toMatchObject([{ subject: "task.added", data: { leftovers: 1 } }]);
  });

  it("a gate whose grandchild ignores SIGTERM is refused at its timeout, and nothing of it survives", () => {
    const repo = tempRepo();
    const pidFile = join(repo, "pids");
    started.push({ pidFile });
    const script = `setsid sh -c 'trap "" TERM; sleep 20 & echo $! >> "$1"; wait' sh "$1" & echo $! >> "$1"; sleep 20`;
    const gate = {
      on: "task.completed",
      run: ["sh", "-c", script, "sh", pidFile],
      timeout: "1s",
      gate: true,
    };
    writeFileSync(join(repo, ".baton/config.json"), JSON.stringify({ hooks: [gate] }));
    baton(repo, ["task", "add", "Fix it"], as("lead"));
    baton(repo, ["task", "claim", "T-1"], as("bot"));
    const before = performance.now();
    const refused = baton(repo, ["task", "done", "T-1", "--json"], as("bot"));
    expect(performance.now() - before).toBeLessThan(1000 + MARGIN_MS + 2000);
    expect(refused.json().error).toMatchObject({ code: "gate_failed" });
    expect(refused.json().error.message).toContain("timed out after 1 s");
    expect(recordedAlive(pidFile)).toEqual([]);
  });

  for (const name of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    it(`${name} to a command running a gate ends the gate's processes with it`, async () => {
      const repo = tempRepo();
      const pidFile = join(repo, "pids");
      writeFileSync(pidFile, "");
      started.push({ pidFile });
      const script = `setsid sleep 20 </dev/null >/dev/null 2>&1 & echo $! >> "$1"; echo $$ >> "$1"; sleep 20`;
      const gate = { on: "task.completed", run: ["sh", "-c", script, "sh", pidFile], gate: true };
      writeFileSync(join(repo, ".baton/config.json"), JSON.stringify({ hooks: [gate] }));
      baton(repo, ["task", "add", "Fix it"], as("lead"));
      baton(repo, ["task", "claim", "T-1"], as("bot"));
      const command = spawn(process.execPath, [CLI, "task", "done", "T-1"], {
        cwd: repo,
        env: { ...process.env, HOME: testHome(), BATON_AGENT: "bot", NO_COLOR: "1" },
        stdio: "ignore",
      });
      const ended = new Promise<NodeJS.Signals | null>((resolve) =>
        command.on("close", (_code, signal) => resolve(signal)),
      );
      expect(await until(() => readFileSync(pidFile, "utf8").trim().split("\n").length === 2, 15_000)).toBe(
        true,
      );
      expect(recordedAlive(pidFile)).toHaveLength(2);
      const before = performance.now();
      command.kill(name);
      expect(await ended).toBe(name); // it ends as the signal says, as it would without hooks
      expect(performance.now() - before).toBeLessThan(MARGIN_MS);
      expect(await settle(() => recordedAlive(pidFile))).toEqual([]);
      expect(baton(repo, ["task", "show", "T-1", "--json"]).json().task.status).toBe("claimed");
    });
  }

  it("Ctrl-Z to a command running a hook stops the hook too, and fg continues both", async () => {
    const repo = tempRepo();
    const pidFile = join(repo, "pids");
    writeFileSync(pidFile, "");
    started.push({ pidFile });
    const gate = {
      on: "task.completed",
      run: ["sh", "-c", `echo $$ >> "$1"; sleep 20`, "sh", pidFile],
      gate: true,
    };
    writeFileSync(join(repo, ".baton/config.json"), JSON.stringify({ hooks: [gate] }));
    baton(repo, ["task", "add", "Fix it"], as("lead"));
    baton(repo, ["task", "claim", "T-1"], as("bot"));
    const command = spawn(process.execPath, [CLI, "task", "done", "T-1"], {
      cwd: repo,
      env: { ...process.env, HOME: testHome(), BATON_AGENT: "bot", NO_COLOR: "1" },
      stdio: "ignore",
    });
    const ended = new Promise<void>((resolve) => command.on("close", () => resolve()));
    expect(await until(() => readFileSync(pidFile, "utf8").trim() !== "", 15_000)).toBe(true);
    const hook = Number(readFileSync(pidFile, "utf8").trim());
    command.kill("SIGTSTP");
    expect(await until(() => processState(command.pid!) === "T" && processState(hook) === "T", 5000)).toBe(
      true,
    );
    command.kill("SIGCONT");
    expect(await until(() => processState(command.pid!) !== "T" && processState(hook) === "S", 5000)).toBe(
      true,
    );
    command.kill("SIGTERM");
    await ended;
    expect(await settle(() => recordedAlive(pidFile))).toEqual([]);
  });
});
