import { connect } from "node:net";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../../../test/helpers/temp-repo.js";
import { ManualClock } from "../../clock.js";
import { ERROR_CODES } from "../../errors.js";
import { LocalNotifier } from "../../notify/local-notifier.js";
import { STORE_OPERATIONS } from "../../store/operations.js";
import { hubSocketPath } from "../../store/remote/protocol.js";
import { SqliteStore } from "../../store/sqlite/sqlite-store.js";
import { serveStoreSocket } from "./store-socket-server.js";

/** A small deterministic generator, so a failing case can be found again. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function malformedLine(next: () => number, i: number): string {
  const pick = <T>(items: T[]): T => items[Math.floor(next() * items.length)]!;
  const ops = [...Object.keys(STORE_OPERATIONS), "close", "constructor", "__proto__", "toString", ""];
  const values = [null, true, -1, 1.5, 2 ** 60, "x", "", [], {}, { actor: 5 }, { actor: "a", id: {} }];
  switch (i % 8) {
    case 0: // bytes that are no JSON
      return Array.from({ length: 1 + Math.floor(next() * 40) }, () =>
        String.fromCharCode(32 + Math.floor(next() * 90)),
      ).join("");
    case 1: // JSON that is no object
      return JSON.stringify(pick(values));
    case 2: // a bad id
      return JSON.stringify({ id: pick(values), op: "listTasks", input: {} });
    case 3: // an operation with wrong types in its input
      return JSON.stringify({ id: i, op: pick(ops), input: pick(values) });
    case 4: // an operation with a plausible input whose fields have the wrong type
      return JSON.stringify({
        id: i,
        op: pick(ops),
        input: { actor: pick(values), id: pick(values), ttlMs: pick(values) },
      });
    case 5: // subscribe / unsubscribe / notify with junk
      return JSON.stringify({ id: i, [pick(["subscribe", "unsubscribe", "notify"])]: pick(values) });
    case 6: // unknown fields only
      return JSON.stringify({ id: i, [pick(["foo", "opp", "hello"])]: pick(values) });
    default: // a truncated frame
      return JSON.stringify({ id: i, op: pick(ops), input: { actor: "a" } }).slice(
        0,
        Math.floor(next() * 30),
      );
  }
}

describe("the hub's socket under malformed requests", () => {
  it("answers 1,000 generated malformed lines, each with an answer, and keeps serving", async () => {
    const path = join(tempDir(), "baton.db");
    const store = new SqliteStore({
      path,
      clock: new ManualClock(),
      notifier: new LocalNotifier(),
      groupCommit: true,
    });
    const server = await serveStoreSocket({
      store,
      path: hubSocketPath(store.location),
      hello: { location: store.location, pid: process.pid, version: "test" },
    });
    try {
      const next = random(42);
      const lines = Array.from({ length: 1000 }, (_, i) => malformedLine(next, i)).filter(
        (l) => !l.includes("\n"),
      );
      const replies = await new Promise<unknown[]>((resolve, reject) => {
        const socket = connect(server.path);
        const got: unknown[] = [];
        let buffered = "";
        socket.on("data", (chunk) => {
          buffered += chunk.toString();
          for (let nl = buffered.indexOf("\n"); nl !== -1; nl = buffered.indexOf("\n")) {
            got.push(JSON.parse(buffered.slice(0, nl)));
            buffered = buffered.slice(nl + 1);
          }
          if (got.length >= lines.length + 1) {
            socket.destroy();
            resolve(got);
          }
        });
        socket.on("close", () => reject(new Error(`the hub hung up after ${got.length} answers`)));
        // Last, a valid request: answered after all the others, on the same connection.
        socket.write(`${lines.join("\n")}\n{"id":99999,"op":"listChannels"}\n`);
      });
      expect(replies).toHaveLength(lines.length + 1);
      expect(replies).toContainEqual({ id: 99999, result: [] });
      for (const reply of replies) {
        const { error } = reply as { error?: { code: string; message: string; hint: string } };
        if (!error) continue;
        // An error with a known code and a hint, never a crash: invalid input, or what the store said of it.
        expect(ERROR_CODES).toContain(error.code);
        expect(error.hint.length).toBeGreaterThan(0);
      }
      // Still serving, and the store is intact.
      expect(await store.listTasks({})).toEqual(expect.any(Array));
    } finally {
      await server.close();
      await store.close();
    }
  });
});
