import { closeSync, constants, fstatSync, openSync, readSync, statSync } from "node:fs";
import type { TokenCount } from "../domain/cost.js";

/** The most of a transcript read back from its end: a turn's entries are at the end, and transcripts grow to many MB. */
const TAIL_BYTES = 4 * 1024 * 1024;

/** What the last turn of an interactive Claude Code session used, by model, read from its transcript. */
export interface TurnUsage {
  model: string;
  tokens: TokenCount;
}

function tail(path: string): string {
  // Only a regular file, and never a wait: opening a FIFO for reading would block until a writer came.
  if (!statSync(path).isFile()) return "";
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return "";
    const length = Math.min(stat.size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, stat.size - length);
    return buffer.toString("utf8");
  } finally {
    closeSync(fd);
  }
}

/** A user entry that is a person's (or baton's) prompt, not a tool's result handed back to the model. */
function isPrompt(entry: Record<string, unknown>): boolean {
  if (entry.type !== "user" || entry.isMeta === true) return false;
  const content = (entry.message as { content?: unknown } | undefined)?.content;
  if (typeof content === "string") return true;
  return (
    Array.isArray(content) && !content.some((block) => (block as { type?: string }).type === "tool_result")
  );
}

/**
 * A count as the transcript gives it. One message's usage is a few hundred
 * thousand tokens at most; a figure past this bound is charged at it (a cap
 * still stops the agent) rather than summed into Infinity.
 */
const MAX_MESSAGE_TOKENS = 1e9;
/** The models one turn is charged by; the tokens of any more go under one entry. */
const MAX_MODELS = 16;
const OTHER_MODELS = "(other models)";
const count = (v: unknown) =>
  typeof v === "number" && !Number.isNaN(v) && v > 0 ? Math.min(v, MAX_MESSAGE_TOKENS) : 0;

/**
 * The tokens of the turn that just ended: every assistant message after the
 * last prompt, once each (Claude Code writes one entry per content block, each
 * repeating its message's usage). Interactive Claude Code reports no dollars
 * to hooks, so baton prices these from the config's table (estimated). An
 * unreadable transcript gives nothing rather than a guess.
 */
export function lastTurnUsage(transcriptPath: string): TurnUsage[] {
  let text: string;
  try {
    text = tail(transcriptPath);
  } catch {
    return [];
  }
  const entries: Record<string, unknown>[] = [];
  for (const line of text.split("\n")) {
    if (!line.startsWith("{")) continue;
    try {
      entries.push(JSON.parse(line));
    } catch {
      // The first line of a tail read may be cut: skip it, as any line that is not JSON.
    }
  }
  let start = 0;
  for (let i = entries.length - 1; i >= 0; i--)
    if (isPrompt(entries[i]!)) {
      start = i + 1;
      break;
    }
  const seen = new Set<string>();
  const byModel = new Map<string, TokenCount>();
  for (const entry of entries.slice(start)) {
    if (entry.type !== "assistant") continue;
    const message = (entry.message ?? {}) as { id?: unknown; model?: unknown; usage?: unknown };
    const { model, usage } = message;
    // Only what has the shape of a model's usage: a transcript is a file anything can append to.
    if (typeof model !== "string" || model === "" || model === "<synthetic>") continue;
    if (typeof usage !== "object" || usage === null) continue;
    if (typeof message.id === "string") {
      if (seen.has(message.id)) continue;
      seen.add(message.id);
    }
    const u = usage as Record<string, unknown>;
    const cached = count(u.cache_read_input_tokens);
    // One ledger entry per model: a turn names a few; thousands would be thousands of writes.
    const key = byModel.has(model) || byModel.size < MAX_MODELS ? model : OTHER_MODELS;
    const before = byModel.get(key) ?? { input: 0, output: 0, cached: 0 };
    byModel.set(key, {
      input: before.input + count(u.input_tokens) + count(u.cache_creation_input_tokens) + cached,
      output: before.output + count(u.output_tokens),
      cached: (before.cached ?? 0) + cached,
    });
  }
  return [...byModel].map(([model, tokens]) => ({ model, tokens }));
}
