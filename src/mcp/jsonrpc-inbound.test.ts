import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_DEPTH, readLine } from "./jsonrpc-inbound.js";

const line = (text: string) => readLine(Buffer.from(text));

describe("readLine", () => {
  it("never throws, and answers with a code JSON-RPC defines and an id that is a string, an integer or null", () => {
    const value = fc.oneof(
      fc.json({ depthSize: "medium" }).map((text) => JSON.parse(text) as unknown),
      fc.record(
        {
          jsonrpc: fc.oneof(fc.constant("2.0"), fc.jsonValue()),
          id: fc.jsonValue(),
          method: fc.oneof(fc.string(), fc.jsonValue()),
          params: fc.jsonValue(),
          result: fc.jsonValue(),
          error: fc.jsonValue(),
        },
        { requiredKeys: [] },
      ),
    );
    const bytes = fc.oneof(
      value.map((v) => Buffer.from(JSON.stringify(v) ?? "null")),
      fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)),
      fc.string().map((s) => Buffer.from(s)),
    );
    fc.assert(
      fc.property(bytes, (input) => {
        const inbound = readLine(input);
        if (inbound.kind !== "answer") return;
        expect(inbound.answers.length).toBeGreaterThan(0);
        for (const answer of inbound.answers) {
          expect([-32700, -32600, -32602]).toContain(answer.error.code);
          expect(answer.id === null || typeof answer.id === "string" || Number.isSafeInteger(answer.id)).toBe(
            true,
          );
        }
      }),
      { numRuns: 3000, seed: 11 },
    );
  });

  it("passes on a request stripped to the members JSON-RPC defines", () => {
    expect(line('{"jsonrpc":"2.0","id":3,"method":"ping","params":{},"extra":true}')).toEqual({
      kind: "message",
      message: { jsonrpc: "2.0", id: 3, method: "ping", params: {} },
    });
  });

  it("refuses JSON nested past the limit, keeping the id it can read", () => {
    const nest = (n: number) => `${"[".repeat(n)}${"]".repeat(n)}`;
    expect(
      line(`{"jsonrpc":"2.0","id":"d","method":"ping","params":{"x":${nest(MAX_DEPTH - 2)}}}`).kind,
    ).toBe("message");
    expect(
      line(`{"jsonrpc":"2.0","id":"d","method":"ping","params":{"x":${nest(MAX_DEPTH)}}}`),
    ).toMatchObject({
      kind: "answer",
      answers: [{ id: "d", error: { code: -32600 } }],
    });
  });
});
