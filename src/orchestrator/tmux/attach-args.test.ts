import { mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { attachArgs } from "./attach-args.js";

describe("attachArgs", () => {
  it("attaches from outside tmux, to the session or one of its windows", () => {
    expect(attachArgs({ socket: undefined, session: "baton-1a2b3c4d", env: {} })).toEqual([
      "tmux",
      "-u",
      "attach-session",
      "-t",
      "=baton-1a2b3c4d",
    ]);
    expect(attachArgs({ socket: "/s/sock", session: "team", window: 2, env: {} })).toEqual([
      "tmux",
      "-u",
      "-S",
      "/s/sock",
      "attach-session",
      "-t",
      "=team:2",
    ]);
    expect(attachArgs({ socket: undefined, session: "team", window: "@4", env: {} }).at(-1)).toBe("=team:@4");
    expect(attachArgs({ socket: undefined, session: "team", window: "%7", env: {} }).at(-1)).toBe("%7");
  });

  it("switches the client inside the same server, and nests with TMUX unset inside another", () => {
    // Without a socket of our own, tmux itself uses $TMUX's server: the same one.
    expect(
      attachArgs({ socket: undefined, session: "team", env: { TMUX: "/tmp/tmux-1000/default,42,0" } }),
    ).toEqual(["tmux", "-u", "switch-client", "-t", "=team"]);
    const dir = realpathSync(mkdtempSync(join(tmpdir(), "baton-attach-")));
    try {
      const socket = join(dir, "a,b.sock"); // a comma in the path, as $TMUX separates with commas
      writeFileSync(socket, "");
      symlinkSync(dir, join(dir, "link"));
      const same = { TMUX: `${join(dir, "link", "a,b.sock")},42,3` };
      expect(attachArgs({ socket, session: "team", env: same })).toEqual([
        "tmux",
        "-u",
        "-S",
        socket,
        "switch-client",
        "-t",
        "=team",
      ]);
      const other = { TMUX: "/tmp/tmux-1000/default,42,0" };
      expect(attachArgs({ socket, session: "team", env: other })).toEqual([
        "env",
        "-u",
        "TMUX",
        "tmux",
        "-u",
        "-S",
        socket,
        "attach-session",
        "-t",
        "=team",
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a session name or window tmux would read as something else", () => {
    for (const session of ["team:1", "a.b", "#{x}", "", "-t"]) {
      expect(() => attachArgs({ socket: undefined, session, env: {} })).toThrow(/session name/);
    }
    for (const window of ["claude-1", "1;", "-1", 1.5, "@x", "team:1"]) {
      expect(() => attachArgs({ socket: undefined, session: "team", window, env: {} })).toThrow(
        /window index or id/,
      );
    }
  });
});
