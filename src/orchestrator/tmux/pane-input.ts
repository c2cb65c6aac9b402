import { randomBytes } from "node:crypto";
import { BatonError, clip } from "../../errors.js";
import { sleep } from "../../util/sleep.js";
import { paneText, typedAsKeys } from "./pane-text.js";
import { checkTarget } from "./tmux-args.js";
import type { TmuxClient } from "./tmux-client.js";

/** Named keys sendKeys may press: what an agent's prompt needs, and nothing that runs tmux commands. */
export const ALLOWED_KEYS = [
  "Enter",
  "Escape",
  "C-c",
  "C-d",
  "Tab",
  "BTab",
  "BSpace",
  "Up",
  "Down",
  "Left",
  "Right",
  "PageUp",
  "PageDown",
  "Home",
  "End",
] as const;
export type AllowedKey = (typeof ALLOWED_KEYS)[number];

/** What the guarded paste prints when the pane's program has ended in the meantime. */
const PANE_DEAD = "baton:pane-dead";

/**
 * Types `text` into the pane (paneText says which characters arrive as
 * stand-ins), then Enter when `submit` (once the program has read the text: see
 * settled). A short line goes as keys (send-keys -l,
 * after `--` so a leading `-` is text). Anything longer, or with a tab or a
 * newline, is pasted: loaded into a buffer of its own from stdin (no argv, no
 * size limit) and pasted with -p, in brackets when the program asked for
 * bracketed paste, and -r, so a newline stays LF (tmux would make it CR, which
 * a raw-mode program takes for Enter, submitting each line on its own). tmux
 * 3.7 and later pass pasted text through vis(3) unless -S; that leaves text
 * without control characters as it is. A pane in copy mode (a person scrolling
 * back) would take keys as copy-mode commands: it leaves that mode first.
 *
 * tmux before 3.4 crashes, the whole server with every session, on a paste
 * into a pane whose program has ended (tmux issue 3830). So the paste runs only
 * if the pane is alive, checked by the server in the same step (if-shell -F: a
 * format, no shell; the command strings hold only our buffer name and pane id),
 * as a check made beforehand could be stale by the time the paste runs.
 */
export async function sendText(
  client: TmuxClient,
  target: string,
  text: string,
  submit: boolean,
): Promise<void> {
  const safe = paneText(text);
  if (safe === "" && !submit) return;
  const pasted = safe !== "" && !typedAsKeys(safe);
  // Keys sent to an ended pane would go nowhere, unsaid; a paste is checked by the server itself, below.
  if (!pasted) await requireLive(client, target);
  const commands: string[][] = [["copy-mode", "-q", "-t", target]];
  let buffer: string | undefined;
  if (pasted) {
    buffer = `baton-${process.pid}-${randomBytes(6).toString("hex")}`;
    await client.run([["load-buffer", "-b", buffer, "-"]], "a tmux paste buffer", safe);
    // A command string tmux parses: only our buffer name and a checked pane id go in it.
    const paste = `paste-buffer -d -p -r -b ${buffer} -t ${checkTarget(target)}`;
    commands.push(["if-shell", "-F", "-t", target, "#{pane_dead}", `display-message -p ${PANE_DEAD}`, paste]);
  } else if (safe !== "") {
    commands.push(["send-keys", "-t", target, "-l", "--", safe]);
  }
  // The screen before the text, to see when the program has read it (below).
  const before = submit && safe !== "" ? await screen(client, target) : "";
  let output: string;
  try {
    output = await client.run(commands, `the pane ${target}`);
  } catch (error) {
    if (buffer) await client.attempt([["delete-buffer", "-b", buffer]]);
    throw error;
  }
  if (buffer && output.includes(PANE_DEAD)) {
    await client.attempt([["delete-buffer", "-b", buffer]]);
    throw deadPane(target);
  }
  if (!submit) return;
  if (safe !== "") await settled(client, target, before);
  await client.run([["send-keys", "-t", target, "Enter"]], `the pane ${target}`);
}

/**
 * Enter must come as a key of its own, well after the text. Codex CLI 0.169 and
 * Gemini CLI 0.61 take keys that arrive together for a paste, and an Enter
 * within it for a newline in the prompt, not a submit: `/quit` and Enter sent in
 * one tmux call stayed in Codex's prompt (measured: Enter 10 ms after the text
 * was a newline, 50 ms after it submitted). So Enter waits until the program
 * has read the text (its screen changed: it echoed it) and then a little more;
 * a program that shows nothing of what it reads gets Enter after SUBMIT_WAIT_MS.
 */
const SUBMIT_PAUSE_MS = 120;
const SUBMIT_WAIT_MS = 1000;
const SCREEN_POLL_MS = 25;

async function settled(client: TmuxClient, target: string, before: string): Promise<void> {
  const deadline = Date.now() + SUBMIT_WAIT_MS;
  while (Date.now() < deadline && (await screen(client, target)) === before) await sleep(SCREEN_POLL_MS);
  await sleep(SUBMIT_PAUSE_MS);
}

/** The pane's visible screen; empty when it cannot be read (its program ended: the Enter says so). */
function screen(client: TmuxClient, target: string): Promise<string> {
  return client.run([["capture-pane", "-p", "-t", target]], `the pane ${target}`).catch(() => "");
}

/** Presses named keys, only from ALLOWED_KEYS (out of copy mode first, as sendText). */
export async function sendKeys(
  client: TmuxClient,
  target: string,
  keys: readonly AllowedKey[],
): Promise<void> {
  for (const key of keys) {
    if (!(ALLOWED_KEYS as readonly string[]).includes(key)) {
      throw new BatonError(
        "invalid_input",
        `'${clip(String(key))}' is not a key baton may press`,
        `use one of ${ALLOWED_KEYS.join(", ")}; text goes through sendText`,
      );
    }
  }
  if (keys.length === 0) return;
  await requireLive(client, target);
  await client.run(
    [
      ["copy-mode", "-q", "-t", target],
      ["send-keys", "-t", target, "--", ...keys],
    ],
    `the pane ${target}`,
  );
}

/** Keys sent to an ended pane go nowhere and tmux says nothing: say it. */
async function requireLive(client: TmuxClient, target: string): Promise<void> {
  const dead = await client.run(
    [["display-message", "-p", "-t", target, "#{pane_dead}"]],
    `the pane ${target}`,
  );
  if (dead.trim() === "1") throw deadPane(target);
}

function deadPane(target: string): BatonError {
  return new BatonError(
    "invalid_state",
    `the program in pane ${target} has ended: nothing can be typed into it`,
    "read its last screen, then start it again (respawnWindow)",
  );
}
