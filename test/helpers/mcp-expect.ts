import { expect } from "vitest";
import type { Answer, Id, RawMcp } from "./raw-mcp.js";

/** What one message must bring back: a JSON-RPC error with this code, or a result (a tool's error is a result). */
export type Expected = { id: Id | null; code: number } | { id: Id; result: "ok" | "tool_error" };

/** An answer or an expectation as one comparable line: `"req-1" -32602`, `null -32700`, `7 ok`. */
export function describeAnswer(answer: Answer): string {
  const outcome = answer.error ? answer.error.code : answer.result?.isError ? "tool_error" : "ok";
  return `${JSON.stringify(answer.id ?? null)} ${outcome}`;
}

export function describeExpected(expected: Expected): string {
  return `${JSON.stringify(expected.id)} ${"code" in expected ? expected.code : expected.result}`;
}

let sentinels = 0;

/**
 * Sends `lines`, then a ping, and returns the answers that came back for
 * them. Answers without an id (the request's id was unreadable) are written
 * while the line is read, so they all come before the ping's answer; answers
 * with an id may come later (a tool still running) and are waited for by id.
 * Anything else that arrived in between is returned too, for the test to refuse.
 */
export async function exchange(
  mcp: RawMcp,
  lines: (string | Buffer)[],
  expected: Expected[],
): Promise<Answer[]> {
  const from = mcp.answers.length;
  for (const line of lines) mcp.send(line);
  const sentinel = `sentinel-${++sentinels}`;
  mcp.sendJson({ jsonrpc: "2.0", id: sentinel, method: "ping" });
  await mcp.answerTo(sentinel);
  await Promise.all(
    expected.flatMap((e) => (e.id === null ? [] : [mcp.waitFor((a) => a.id === e.id, from)])),
  );
  return mcp.answers.slice(from).filter((answer) => answer.id !== sentinel);
}

/** Every answer is a well-formed JSON-RPC 2.0 response: one of result or error, and an id (null only with an error). */
export function expectWellFormed(answers: Answer[]): void {
  for (const answer of answers) {
    expect(answer.jsonrpc).toBe("2.0");
    expect("result" in answer !== "error" in answer, JSON.stringify(answer).slice(0, 200)).toBe(true);
    expect("id" in answer).toBe(true);
    if (answer.id === null) expect(answer.error).toBeDefined();
    if (answer.error) {
      expect(Number.isInteger(answer.error.code)).toBe(true);
      expect(typeof answer.error.message).toBe("string");
    }
  }
}
