import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { processRuns, processStarted, signalProcess, startDetached } from "./team-process.js";

async function gone(ref: { pid: number; started: string }): Promise<void> {
  for (let i = 0; i < 200 && processRuns(ref); i++) await sleep(25);
}

describe("a headless agent's process", () => {
  it("is known by pid and start time: a later process with the same pid is never taken for it", async () => {
    const me = processStarted(process.pid);
    expect(me).toEqual(expect.any(String));
    expect(processRuns({ pid: process.pid, started: me! })).toBe(true);
    // The same pid with another start time is another process.
    expect(processRuns({ pid: process.pid, started: `${me}0` })).toBe(false);
    expect(signalProcess({ pid: process.pid, started: `${me}0` }, "SIGTERM")).toBe(false);
  });

  it("never signals from a pid that is not a process baton started: 0, 1, negative, or no start time", () => {
    // kill(-0) is our own group, kill(-(-1)) is init: a damaged record must reach neither.
    for (const ref of [
      { pid: 0, started: undefined },
      { pid: -1, started: undefined },
      { pid: 1, started: processStarted(1) },
      { pid: process.pid, started: "" },
      { pid: 0.5, started: "1" },
    ]) {
      const bad = ref as unknown as { pid: number; started: string };
      expect(processRuns(bad)).toBe(false);
      expect(signalProcess(bad, "SIGCONT")).toBe(false);
    }
  });

  it("starts detached in a group of its own, writes its output to its log, and ends with its group", async () => {
    const log = join(mkdtempSync(join(tmpdir(), "baton-process-")), "agent.log");
    const ref = startDetached(
      [process.execPath, "-e", "console.log('up', process.env.ROLE); setInterval(() => {}, 1000)"],
      { cwd: tmpdir(), env: { ...process.env, ROLE: "developer" } as Record<string, string>, log },
    );
    expect(processRuns(ref)).toBe(true);
    // Its own group: its pid leads it (a signal to -pid reaches what it starts, never us).
    const stat = readFileSync(`/proc/${ref.pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    expect(Number(fields[2])).toBe(ref.pid);
    for (let i = 0; i < 200 && !readFileSync(log, "utf8").includes("up"); i++) await sleep(25);
    expect(readFileSync(log, "utf8")).toBe("up developer\n");
    expect(signalProcess(ref, "SIGTERM")).toBe(true);
    await gone(ref);
    expect(processRuns(ref)).toBe(false);
    expect(signalProcess(ref, "SIGKILL")).toBe(false);
  });

  it("a program that cannot start is refused with a hint", () => {
    const log = join(mkdtempSync(join(tmpdir(), "baton-process-")), "agent.log");
    expect(() => startDetached(["/nonexistent/agent"], { cwd: tmpdir(), env: {}, log })).toThrow(
      /could not start \/nonexistent\/agent/,
    );
  });
});
