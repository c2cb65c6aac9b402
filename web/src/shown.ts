/**
 * Text from agents (a question, an approval's action, a message, a diff) is
 * shown as it reads, never as it would act: a bidi override (U+202E) reorders
 * what the person sees ("Trojan Source": an approval's `rm -rf` shown as
 * something harmless), zero-width and other invisible characters hide or
 * split words, and C0/C1 controls have no business on a page. Every string
 * the hub sends is read through `safeReviver`, which turns them into visible
 * stand-ins, with the very function baton's terminal faces use
 * (src/util/control-chars.ts); newlines and tabs stay.
 */
import { neutralise } from "../../src/util/control-chars";
/** A string with every unsafe character shown as a stand-in: the CLI's own function, bundled. */
export const shown = neutralise;

/** For JSON.parse: every string value shown safely (keys are the hub's own). */
export function safeReviver(_key: string, value: unknown): unknown {
  return typeof value === "string" ? shown(value) : value;
}
