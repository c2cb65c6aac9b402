import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { paneText, TYPED_MAX_BYTES } from "../../src/orchestrator/tmux/pane-text.js";
import type { Tmux } from "../../src/orchestrator/tmux/tmux.js";
import { hasUnsafe } from "../../src/util/control-chars.js";
import { privateTmux, waitForFile } from "../helpers/private-tmux.js";
import { WORKERS } from "../helpers/processes.js";
import { tempDir } from "../helpers/temp-repo.js";

/**
 * sendText must deliver text byte for byte into a real terminal: a pane whose program puts its
 * TTY in raw mode and writes each submitted input to a file (test/workers/tty-recorder.mjs).
 */

type Mode = "raw" | "bracketed";

async function recorder(mode: Mode) {
  const tmux = privateTmux();
  const dir = tempDir("baton-sent-");
  const { paneId } = await tmux.newSession({
    name: "team",
    window: "recorder",
    cwd: dir,
    command: [process.execPath, join(WORKERS, "tty-recorder.mjs"), dir, mode],
    width: 120,
    height: 40,
  });
  const ready = await tmux.waitForScreen(paneId, (screen) => screen.includes(`ready ${mode}`), 15_000);
  expect(ready.matched, ready.screen).toBe(true);
  let received = 0;
  /** Sends `text` with Enter; resolves with the bytes the program read before that Enter. */
  const send = async (text: string): Promise<Buffer> => {
    await tmux.sendText(paneId, text, { submit: true });
    return waitForFile(join(dir, `${++received}.bin`));
  };
  return { tmux, dir, paneId, send };
}

/**
 * What the program reads for `shown`: a text that must go as a paste (a tab, a newline, or over
 * TYPED_MAX_BYTES) comes in bracketed-paste markers when the program asked for them.
 */
function expected(shown: string, mode: Mode): Buffer {
  const pasted = /[\t\n]/.test(shown) || Buffer.byteLength(shown) > TYPED_MAX_BYTES;
  return Buffer.from(mode === "bracketed" && pasted ? `\u001b[200~${shown}\u001b[201~` : shown, "utf8");
}

function tenKilobytes(separator: string): string {
  const words = ["alpha", "β-version", "日本語", "$(x)", "a;b", "-flag", "'q'", '"dq"', "`bt`", "#{pane_id}"];
  let text = "";
  for (let i = 0; Buffer.byteLength(text) < 10_240; i++) text += `${words[i % words.length]}${i}${separator}`;
  return text;
}

describe.each<Mode>(["raw", "bracketed"])("sendText into a %s terminal", (mode) => {
  it("delivers hostile, long and unicode text byte for byte, and runs none of it", async () => {
    const { dir, send } = await recorder(mode);
    const texts = [
      "plain words",
      // tmux ends a command at a word ending in ';' and starts another from the next word
      ";",
      "a;",
      "a\\;",
      "ends with two;;",
      "x ; kill-server ;",
      // shells would run these; tmux formats would too (#(...))
      `$(touch ${dir}/pwned-dollar)`,
      `\`touch ${dir}/pwned-backtick\``,
      `#(touch ${dir}/pwned-format) #{pane_id} ##`,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell's ${...} is the point
      "${HOME} && echo hi || true > /dev/null",
      // tmux options and the end of options
      "-l",
      "-",
      "--",
      "-- -x",
      "--help",
      `it's "quoted" \\' \\"`,
      "a\ttab\tseparated",
      "line one\nline two\n\nline four\n",
      "\n",
      tenKilobytes("\n"),
      tenKilobytes(" "),
      "x".repeat(TYPED_MAX_BYTES),
      "y".repeat(TYPED_MAX_BYTES + 1),
      "emoji 👍🏽 ❤️ 🇫🇷, CJK 日本語 中文 한국어, combining e\u0301 n\u0303 a\u0308, RTL שלום עולם مرحبا",
      "multi-line unicode\n👍🏽 ❤️ 🇫🇷\n日本語 e\u0301\nשלום مرحبا",
    ];
    for (const text of texts) {
      const got = await send(text);
      expect(got.toString("hex"), JSON.stringify(text.slice(0, 80))).toBe(
        expected(text, mode).toString("hex"),
      );
    }
    for (const name of ["pwned-dollar", "pwned-backtick", "pwned-format"]) {
      expect(existsSync(join(dir, name)), name).toBe(false);
    }
  });

  it("shows control characters as stand-ins, never as keys (the policy of util/control-chars.ts)", async () => {
    const { send } = await recorder(mode);
    const attacks = {
      "clear screen": "\u001b[2J\u001b[H",
      "OSC 52 clipboard write": "\u001b]52;c;cHduZWQ=\u0007",
      "a CR that would submit": "first\rsecond",
      "Ctrl-C, Ctrl-D, Ctrl-Z": "a\u0003b\u0004c\u001a",
      "DEL and backspace": "abc\u007f\b",
      "an early end of bracketed paste": "line\n\u001b[201~\rtyped after the paste",
      "C1 CSI": "\u009b31mred",
      "bidi override": "\u202eexe.txt",
      NUL: "a\u0000b",
    };
    for (const [label, text] of Object.entries(attacks)) {
      const got = await send(text);
      expect(got.toString("hex"), label).toBe(expected(paneText(text), mode).toString("hex"));
      const inner = got.toString("utf8").replace("\u001b[200~", "").replace("\u001b[201~", "");
      expect(hasUnsafe(inner), `${label}: ${JSON.stringify(inner)}`).toBe(false);
    }
    expect((await send("\u001b[2J \r \u0003")).toString()).toBe("\u241b[2J \u240d \u2403");
    // A CRLF line ending is a newline, not a stray CR.
    expect((await send("one\r\ntwo")).toString("hex")).toBe(expected("one\ntwo", mode).toString("hex"));
  });
});

describe("sendText and sendKeys around the text", () => {
  it("presses allowed named keys, and refuses any other", async () => {
    const { tmux, paneId, send } = await recorder("raw");
    await tmux.sendKeys(paneId, ["Escape", "C-c", "Tab", "Up"]);
    expect((await send("")).toString("hex")).toBe(Buffer.from("\u001b\u0003\t\u001b[A").toString("hex"));
    for (const key of ["kill-server", "C-b", "-l", "Enter;"]) {
      await expect(tmux.sendKeys(paneId, [key as "Enter"])).rejects.toMatchObject({ code: "invalid_input" });
    }
  });

  it("leaves copy mode first, so a person scrolling back does not swallow the text", async () => {
    const { tmux, paneId, send } = await recorder("raw");
    execFileSync("tmux", ["-S", tmux.socket!, "copy-mode", "-t", paneId]);
    const inMode = () =>
      execFileSync("tmux", ["-S", tmux.socket!, "display", "-p", "-t", paneId, "#{pane_in_mode}"]);
    expect(inMode().toString().trim()).toBe("1");
    expect((await send("typed in copy mode")).toString()).toBe("typed in copy mode");
    expect(inMode().toString().trim()).toBe("0");
  });

  it("refuses to type into a pane whose program has ended, and to targets that are not ids", async () => {
    const { tmux, paneId } = await recorder("raw");
    await expect(tmux.sendText("team:0", "x")).rejects.toMatchObject({ code: "invalid_input" });
    await expect(tmux.sendText("%999", "x")).rejects.toMatchObject({ code: "not_found" });
    const [window] = await tmux.listWindows("team");
    process.kill(window!.panePid, "SIGKILL");
    await waitDead(tmux, "team");
    await expect(tmux.sendText(paneId, "x", { submit: true })).rejects.toMatchObject({
      code: "invalid_state",
    });
    await expect(tmux.sendKeys(paneId, ["Enter"])).rejects.toMatchObject({ code: "invalid_state" });
    // A paste into an ended pane crashes tmux before 3.4, the whole server: baton's is checked by the server itself.
    await expect(tmux.sendText(paneId, "two\nlines")).rejects.toMatchObject({ code: "invalid_state" });
    expect(await tmux.hasSession("team")).toBe(true);
    expect(execFileSync("tmux", ["-S", tmux.socket!, "list-buffers"]).toString()).toBe("");
  });
});

async function waitDead(tmux: Tmux, session: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await tmux.listWindows(session)).every((w) => w.dead)) {
    if (Date.now() > deadline) throw new Error("the pane never died");
    await new Promise((r) => setTimeout(r, 20));
  }
}
