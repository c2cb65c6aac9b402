import { neutralise } from "../../util/control-chars.js";

/**
 * Text typed into an agent's pane is keystrokes for its program and, echoed,
 * what the person watching the pane reads. A control character in it would be a
 * key nobody meant: ESC interrupts Claude Code, `ESC [ 201 ~` ends a bracketed
 * paste early so the rest is typed as keys, CR submits, Ctrl-C quits, DEL
 * erases. Bidi overrides and invisible characters would make the echoed line
 * read otherwise than it is. So the policy of src/util/control-chars.ts holds
 * here as on every other face: such characters arrive as visible stand-ins
 * (␛, ␍, <U+202E>), never raw; tab and newline pass. Nothing is refused, so a
 * message with an escape in it still reaches its agent, readable. A CRLF line
 * ending is a newline, not a stray CR. Deliberate keys go through sendKeys.
 */
export function paneText(text: string): string {
  return neutralise(text.replace(/\r\n/g, "\n"));
}

/**
 * Up to this many bytes of one line go as typed keys (send-keys -l); above it
 * they go through a paste buffer. Well under the size of one message from the
 * tmux client to its server (about 16 kB, all arguments together).
 */
export const TYPED_MAX_BYTES = 512;

/**
 * Whether the (already safe) text can be typed with send-keys -l. A tab typed
 * is the Tab key (completion in most agent prompts) and a newline the Enter
 * key; pasted, both stay text when the program asked for bracketed paste. So
 * only a short line without either is typed.
 */
export function typedAsKeys(text: string): boolean {
  return !/[\t\n]/.test(text) && Buffer.byteLength(text, "utf8") <= TYPED_MAX_BYTES;
}
