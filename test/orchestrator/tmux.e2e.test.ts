import { chmodSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { Tmux, type WindowInfo } from "../../src/orchestrator/tmux/tmux.js";
import { privateTmux, waitForFile } from "../helpers/private-tmux.js";
import { WORKERS } from "../helpers/processes.js";
import { tempDir } from "../helpers/temp-repo.js";
import { Terminal } from "../helpers/terminal.js";

const RECORD_ARGV = join(WORKERS, "argv-recorder.mjs");
const STAY = [process.execPath, "-e", "setInterval(() => {}, 1 << 30)"];

async function recorded(file: string): Promise<{ args: string[]; cwd: string; env: Record<string, string> }> {
  return JSON.parse((await waitForFile(file)).toString("utf8"));
}

/** Polls listWindows until `test` holds for the window; fails with what tmux last said. */
async function windowUntil(
  tmux: Tmux,
  session: string,
  windowId: string,
  test: (w: WindowInfo) => boolean,
): Promise<WindowInfo> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const window = (await tmux.listWindows(session)).find((w) => w.windowId === windowId);
    if (window && test(window)) return window;
    if (Date.now() > deadline)
      throw new Error(`window ${windowId} never got there: ${JSON.stringify(window)}`);
    await sleep(20);
  }
}

describe("tmux sessions and windows", () => {
  it("knows tmux and its version", async () => {
    const info = await new Tmux().require();
    expect(info.path).toMatch(/tmux$/);
    expect(info.version).toMatch(/\d+\.\d+/);
    expect(info.supported).toBe(true);
  });

  it("says tmux is missing, with a hint, when it is not on PATH", async () => {
    const path = process.env.PATH;
    process.env.PATH = tempDir();
    try {
      const tmux = new Tmux();
      expect(await tmux.available()).toBeUndefined();
      await expect(tmux.require()).rejects.toMatchObject({
        code: "unsupported",
        hint: expect.stringMatching(/baton work/),
      });
      await expect(tmux.hasSession("x")).rejects.toMatchObject({ code: "unsupported" });
    } finally {
      process.env.PATH = path;
    }
  });

  it("starts a command's argv as it is, with its variables and folder, a one-word command included", async () => {
    const tmux = privateTmux();
    const dir = tempDir();
    // A folder whose name tmux would expand as a format (#(...) runs a shell) and end a command at (;).
    const cwd = join(dir, "d #(touch pwned-format) #{pane_id} $(touch pwned-dollar);");
    mkdirSync(cwd);
    const words = [
      "a b",
      "it's",
      '"q"',
      "$(touch pwned-dollar)",
      "`touch pwned-tick`",
      "x;",
      ";",
      "\\;",
      "-e",
      "--",
    ];
    const more = ["#{pane_id}", "#(touch pwned-format)", "tab\there", "new\nline", "é 👍🏽 日本", "", "a=b"];
    const env = { BATON_VALUE: "v;$(touch pwned-env) #{pane_id}\nline2", BATON_EMPTY: "", BATON_SEMI: "x;" };
    const { paneId } = await tmux.newSession({
      name: "team",
      window: "claude-1",
      cwd,
      env,
      command: [process.execPath, RECORD_ARGV, join(dir, "argv.json"), ...words, ...more],
    });
    expect(paneId).toMatch(/^%\d+$/);
    expect(await recorded(join(dir, "argv.json"))).toEqual({ args: [...words, ...more], cwd, env });

    // One word: tmux would hand it to `sh -c`, which would run the part after the `;` too.
    const program = join(dir, "prog;touch pwned-one-word");
    writeFileSync(program, `#!/bin/sh\necho "$@" > "${join(dir, "ran")}"\n`);
    chmodSync(program, 0o755);
    await tmux.newWindow({ session: "team", name: "one.word@x", cwd: dir, command: [program] });
    await waitForFile(join(dir, "ran"));
    // A format's #(...) would run in the tmux server's folder: this process's, as it started the server.
    for (const name of ["pwned-format", "pwned-dollar", "pwned-tick", "pwned-env", "pwned-one-word"]) {
      for (const where of [dir, cwd, process.cwd()]) expect(existsSync(join(where, name)), name).toBe(false);
    }
    expect((await tmux.listWindows("team")).map((w) => w.name)).toEqual(["claude-1", "one.word@x"]);
  });

  it("refuses names, folders and commands tmux would misread, before starting anything", async () => {
    const tmux = privateTmux();
    const dir = tempDir();
    const base = { name: "team", window: "w", cwd: dir, command: STAY };
    for (const bad of [
      { ...base, name: "team#{pane_id}" },
      { ...base, name: "a:b" },
      { ...base, window: "w;" },
      { ...base, window: "#(touch x)" },
      { ...base, command: ["a=b", "x"] },
      { ...base, command: [] },
      { ...base, env: { "A B": "x" } },
      { ...base, cwd: join(dir, "missing") },
    ]) {
      await expect(tmux.newSession(bad), JSON.stringify(bad)).rejects.toMatchObject({
        code: expect.stringMatching(/^(invalid_input|not_found)$/),
      });
    }
    expect(await tmux.hasSession("team")).toBe(false);
  });

  it("finds sessions by their exact name, and refuses a second one of the same name", async () => {
    const tmux = privateTmux();
    expect(await tmux.hasSession("baton-1234")).toBe(false); // no server yet
    await tmux.newSession({ name: "baton-1234", window: "a", cwd: tempDir(), command: STAY });
    expect(await tmux.hasSession("baton-1234")).toBe(true);
    expect(await tmux.hasSession("baton-12")).toBe(false); // tmux alone would match the prefix
    await expect(
      tmux.newSession({ name: "baton-1234", window: "a", cwd: tempDir(), command: STAY }),
    ).rejects.toMatchObject({ code: "conflict" });
  });

  it("keeps the session's environment", async () => {
    const tmux = privateTmux();
    await tmux.newSession({ name: "team", window: "a", cwd: tempDir(), command: STAY });
    const values = {
      BATON_PROJECT: "/home/a b/#{x} $(y) it's;",
      BATON_AGENTS: "3",
      BATON_CREATED: "2026-11-21T10:00:00.000Z",
      BATON_DASH: "-leading",
      BATON_UNICODE: "日本 👍🏽",
    };
    for (const [key, value] of Object.entries(values)) await tmux.setEnvironment("team", key, value);
    expect(await tmux.showEnvironment("team")).toMatchObject(values);
    await expect(tmux.setEnvironment("team", "BATON_X", "a\nb")).rejects.toMatchObject({
      code: "invalid_input",
    });
    await expect(tmux.showEnvironment("other")).rejects.toMatchObject({ code: "not_found" });
  });

  it("keeps an ended command's window, with its exit status, and starts it again", async () => {
    const tmux = privateTmux();
    const dir = tempDir();
    const first = await tmux.newSession({ name: "team", window: "exits", cwd: dir, command: STAY });
    const missing = await tmux.newWindow({
      session: "team",
      name: "missing",
      cwd: dir,
      command: ["baton-no-such-program"],
    });
    const exits = await tmux.newWindow({
      session: "team",
      name: "seven",
      cwd: dir,
      command: [process.execPath, "-e", "process.exitCode = 7"],
    });
    // A command that fails at once keeps its window: env's 127 for a program not found.
    expect(
      await windowUntil(tmux, "team", missing.windowId, (w) => w.exitStatus !== undefined),
    ).toMatchObject({
      dead: true,
      exitStatus: 127,
    });
    expect(await windowUntil(tmux, "team", exits.windowId, (w) => w.exitStatus !== undefined)).toMatchObject({
      dead: true,
      exitStatus: 7,
    });

    const running = await windowUntil(tmux, "team", first.windowId, (w) => w.panePid > 0);
    expect(running.dead).toBe(false);
    process.kill(running.panePid, "SIGKILL");
    const killed = await windowUntil(tmux, "team", first.windowId, (w) => w.exitSignal !== undefined);
    expect(killed).toMatchObject({ dead: true, exitSignal: 9, paneId: first.paneId });

    await tmux.respawnWindow(
      first.paneId,
      [process.execPath, RECORD_ARGV, join(dir, "again.json"), "again"],
      {
        BATON_AGENT: "claude-1",
      },
    );
    expect(await recorded(join(dir, "again.json"))).toEqual({
      args: ["again"],
      cwd: dir,
      env: { BATON_AGENT: "claude-1" },
    });
    const again = await windowUntil(tmux, "team", first.windowId, (w) => !w.dead);
    expect(again.panePid).not.toBe(running.panePid);
    expect(again.paneId).toBe(first.paneId);
    const screen = await tmux.waitForScreen(first.paneId, (s) => s.includes("recorded"), 15_000);
    expect(screen.matched, screen.screen).toBe(true);
  });

  it("waitForScreen gives up after its time and returns the last screen", async () => {
    const tmux = privateTmux();
    const { paneId } = await tmux.newSession({
      name: "team",
      window: "a",
      cwd: tempDir(),
      command: [process.execPath, "-e", "console.log('hello there'); setInterval(() => {}, 1 << 30)"],
    });
    expect((await tmux.waitForScreen(paneId, (s) => s.includes("hello there"), 15_000)).matched).toBe(true);
    const missed = await tmux.waitForScreen(paneId, (s) => s.includes("never shown"), 300);
    expect(missed).toEqual({ matched: false, screen: "hello there" });
  });

  it("closes windows and sessions, and says when they were already gone", async () => {
    const tmux = privateTmux();
    const first = await tmux.newSession({ name: "team", window: "a", cwd: tempDir(), command: STAY });
    const second = await tmux.newWindow({ session: "team", name: "b", cwd: tempDir(), command: STAY });
    expect(await tmux.killWindow(second.windowId)).toBe(true);
    expect(await tmux.killWindow(second.windowId)).toBe(false);
    expect((await tmux.listWindows("team")).map((w) => w.windowId)).toEqual([first.windowId]);
    expect(await tmux.killSession("team")).toBe(true);
    expect(await tmux.killSession("team")).toBe(false);
    expect(await tmux.hasSession("team")).toBe(false);
    await expect(tmux.listWindows("team")).rejects.toMatchObject({ code: "not_found" });
    await expect(tmux.capture(first.paneId)).rejects.toMatchObject({ code: "not_found" });
  });

  it("attaches a person's terminal to the session with the argv it gives", async () => {
    const tmux = privateTmux();
    await tmux.newSession({ name: "team", window: "a", cwd: tempDir(), command: STAY });
    const { paneId } = await tmux.newWindow({
      session: "team",
      name: "shown",
      cwd: tempDir(),
      command: [process.execPath, "-e", "console.log('the second window'); setInterval(() => {}, 1 << 30)"],
    });
    await tmux.waitForScreen(paneId, (s) => s.includes("the second window"), 15_000);
    expect(tmux.attachArgs("team", paneId, {})).toEqual([
      "tmux",
      "-u",
      "-S",
      tmux.socket,
      "attach-session",
      "-t",
      paneId,
    ]);
    // The person's terminal: a pane of another tmux server, whose TMUX names that other server.
    const argv = tmux.attachArgs("team", paneId, { TMUX: "/elsewhere/tmux.sock,1,0" });
    expect(argv.slice(0, 3)).toEqual(["env", "-u", "TMUX"]);
    const terminal = Terminal.shell(tempDir(), argv);
    await terminal.until((s) => s.includes("the second window"), "the attached session's second window");
  });
});
