import { chmodSync } from "node:fs";
import { connect } from "node:net";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { describeAgentNamesConformance } from "../../../test/conformance/agent-names-conformance.js";
import { describeBlockedTasksConformance } from "../../../test/conformance/blocked-tasks-conformance.js";
import { describeEditConformance } from "../../../test/conformance/edit-conformance.js";
import { describeLostHoldsConformance } from "../../../test/conformance/lost-holds-conformance.js";
import { describeStoreConformance, type StoreFactory } from "../../../test/conformance/store-conformance.js";
import { tempDir } from "../../../test/helpers/temp-repo.js";
import { type Clock, ManualClock } from "../../clock.js";
import { HubNotifier } from "../../notify/hub-notifier.js";
import { SocketNotifier, wakeDirFor } from "../../notify/socket-notifier.js";
import { serveStoreSocket } from "../../server/socket/store-socket-server.js";
import { STORE_OPERATIONS } from "../operations.js";
import { SqliteStore } from "../sqlite/sqlite-store.js";
import { connectHub } from "./connect-hub.js";
import { hubSocketPath } from "./protocol.js";
import { RemoteStore } from "./remote-store.js";

/** A hub in this process: a group-commit SQLite store served on its socket. */
async function startHub(path: string, clock: Clock, maxRequestBytes?: number) {
  const location = `sqlite:${path}`;
  const notifier = new HubNotifier(new SocketNotifier(wakeDirFor(location)));
  const store = new SqliteStore({ path, clock, notifier, groupCommit: true });
  const server = await serveStoreSocket({
    store,
    path: hubSocketPath(store.location),
    hello: { location: store.location, pid: process.pid, version: "test" },
    maxRequestBytes,
  });
  return {
    store,
    server,
    stop: async () => {
      await server.close();
      await store.close();
    },
  };
}

async function connectRemote(path: string, clock: Clock): Promise<RemoteStore> {
  const remote = await RemoteStore.connect({
    socketPath: hubSocketPath(`sqlite:${path}`),
    fallback: () => new SqliteStore({ path, clock }),
  });
  if (!remote) throw new Error("no hub answered");
  return remote;
}

const throughHub: StoreFactory = async (clock) => {
  const path = join(tempDir(), "baton.db");
  const hub = await startHub(path, clock);
  const remote = await connectRemote(path, clock);
  const close = remote.close.bind(remote);
  remote.close = async () => {
    await close();
    await hub.stop();
  };
  return remote;
};

describeStoreConformance("hub socket", throughHub);
describeLostHoldsConformance("hub socket", throughHub);
describeBlockedTasksConformance("hub socket", throughHub);
describeAgentNamesConformance("hub socket", throughHub);
describeEditConformance("hub socket", throughHub);

/** Sends raw lines to the hub's socket and collects the replies until `count` arrived or the hub hung up. */
function rawExchange(
  socketPath: string,
  data: string,
  count: number,
): Promise<{ replies: unknown[]; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = connect(socketPath);
    const replies: unknown[] = [];
    let buffered = "";
    socket.on("data", (chunk) => {
      buffered += chunk.toString();
      let newline = buffered.indexOf("\n");
      while (newline !== -1) {
        replies.push(JSON.parse(buffered.slice(0, newline)));
        buffered = buffered.slice(newline + 1);
        newline = buffered.indexOf("\n");
      }
      if (replies.length >= count) {
        socket.destroy();
        resolve({ replies, closed: false });
      }
    });
    socket.on("close", () => resolve({ replies, closed: true }));
    socket.on("error", () => {});
    socket.write(data);
  });
}

describe("the hub's socket", () => {
  it("serves exactly the operations the SQLite store has", async () => {
    const store = new SqliteStore({ path: join(tempDir(), "baton.db"), clock: new ManualClock() });
    try {
      const operations = Object.entries(store)
        .filter(([, value]) => typeof value === "function")
        .map(([name]) => name)
        .sort();
      expect(Object.keys(STORE_OPERATIONS).sort()).toEqual(operations);
    } finally {
      await store.close();
    }
  });

  it("answers pipelined requests by id, and rebuilds errors with their code, message, hint and details", async () => {
    const path = join(tempDir(), "baton.db");
    const hub = await startHub(path, new ManualClock());
    const remote = await connectRemote(path, new ManualClock());
    try {
      expect(remote.backend).toBe("hub");
      expect(remote.location).toBe(hub.store.location);
      const added = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          remote.addTask({ actor: "lead", prefix: "T", queue: "tasks", title: `t${i}`, maxAttempts: 1 }),
        ),
      );
      expect(added.map((t) => t.title)).toEqual(Array.from({ length: 50 }, (_, i) => `t${i}`));
      // Sent together, committed together.
      expect(hub.store.groupCommitStats!.transactions).toBeLessThan(50);
      const direct = await hub.store.claimTask({ actor: "ana", id: "T-999", ttlMs: 1000 }).catch((e) => e);
      const viaHub = await remote.claimTask({ actor: "ana", id: "T-999", ttlMs: 1000 }).catch((e) => e);
      expect(viaHub.name).toBe("BatonError");
      expect(viaHub.toJSON()).toEqual(direct.toJSON());
    } finally {
      await remote.close();
      await hub.stop();
    }
  });

  it("answers malformed frames with an error and keeps serving; an unknown or non-store operation is refused", async () => {
    const path = join(tempDir(), "baton.db");
    const hub = await startHub(path, new ManualClock());
    try {
      const lines = [
        "not json",
        "[1,2]",
        '{"op":"listTasks"}',
        '{"id":1,"op":"close"}',
        '{"id":2,"op":"__proto__","input":{}}',
        '{"id":3,"op":"listTasks","input":"x"}',
        '{"id":4,"subscribe":"inbox:a"}',
        '{"id":5,"nothing":true}',
        '{"id":6,"op":"listTasks","input":{}}',
      ];
      const { replies, closed } = await rawExchange(hub.server.path, `${lines.join("\n")}\n`, lines.length);
      expect(closed).toBe(false);
      const errors = replies.filter((r) => (r as { error?: unknown }).error);
      expect(errors).toHaveLength(8);
      for (const reply of errors) expect(reply).toMatchObject({ error: { code: "invalid_input" } });
      expect(replies).toContainEqual({ id: 6, result: [] });
    } finally {
      await hub.stop();
    }
  });

  it("refuses a frame over its limit with too_large and drops the connection, and serves the next client", async () => {
    const path = join(tempDir(), "baton.db");
    const hub = await startHub(path, new ManualClock(), 1024);
    try {
      const big = JSON.stringify({
        id: 1,
        op: "appendEvent",
        input: { actor: "a", type: "x", summary: "y".repeat(5000) },
      });
      const { replies, closed } = await rawExchange(hub.server.path, `${big}\n`, 2);
      expect(closed).toBe(true);
      expect(replies).toEqual([{ id: null, error: expect.objectContaining({ code: "too_large" }) }]);
      const again = await rawExchange(hub.server.path, '{"id":7,"op":"listChannels"}\n', 1);
      expect(again.replies).toEqual([{ id: 7, result: expect.any(Array) }]);
    } finally {
      await hub.stop();
    }
  });

  it("is not used when its folder is open to other users: another user could have planted the socket", async () => {
    const path = join(tempDir(), "baton.db");
    const hub = await startHub(path, new ManualClock());
    const direct = () => new SqliteStore({ path, clock: new ManualClock() });
    const folder = dirname(hub.server.path);
    try {
      const found = await connectHub(hub.store.location, direct);
      expect(found?.backend).toBe("hub");
      await found?.close();
      chmodSync(folder, 0o777);
      expect(await connectHub(hub.store.location, direct)).toBeUndefined();
    } finally {
      chmodSync(folder, 0o700);
      await hub.stop();
    }
  });

  it("pushes a wake-up for a commit made directly on the file by another store", async () => {
    const path = join(tempDir(), "baton.db");
    const hub = await startHub(path, new ManualClock());
    const remote = await connectRemote(path, new ManualClock());
    const direct = new SqliteStore({ path, clock: new ManualClock() });
    try {
      const subscription = await remote.notifier.subscribe(["inbox:bob"]);
      await direct.sendMessage({ actor: "ana", kind: "direct", to: "bob", body: "hi", allowUnknown: true });
      expect(await subscription.next(5_000)).toBe(true);
      subscription.close();
    } finally {
      await direct.close();
      await remote.close();
      await hub.stop();
    }
  });

  it("when the hub goes away: requests in flight get connection_lost, later ones open the file directly", async () => {
    const path = join(tempDir(), "baton.db");
    const hub = await startHub(path, new ManualClock());
    // The hub's store never answers these two: they are in flight when it goes away.
    const never = () => new Promise<never>(() => {});
    Object.assign(hub.store, { listTasks: never, addTask: never });
    const remote = await connectRemote(path, new ManualClock());
    try {
      await remote.sendMessage({ actor: "ana", kind: "direct", to: "bob", body: "1", allowUnknown: true });
      const waiting = await remote.notifier.subscribe(["inbox:bob"]);
      const read = remote.listTasks({}).catch((e) => e);
      const write = remote
        .addTask({ actor: "lead", prefix: "T", queue: "tasks", title: "x", maxAttempts: 1 })
        .catch((e) => e);
      await new Promise((resolve) => setTimeout(resolve, 50)); // both requests reach the hub
      await hub.stop();

      const readError = await read;
      expect(readError).toMatchObject({ code: "connection_lost", details: { op: "listTasks" } });
      expect(readError.message).toMatch(/nothing was changed/);
      const writeError = await write;
      expect(writeError).toMatchObject({ code: "connection_lost", details: { op: "addTask" } });
      expect(writeError.message).toMatch(/may or may not have been applied/);
      expect(writeError.hint).toMatch(/baton log/);

      // The waiter is woken: it may have missed a wake-up while the hub went away.
      expect(await waiting.next(5_000)).toBe(true);
      const inbox = await remote.readMessages({ actor: "bob", stream: "inbox" });
      expect(remote.isDirect).toBe(true);
      expect(inbox.messages.map((m) => m.body)).toEqual(["1"]);
      // ...and its wait now listens on the direct wake-ups.
      const direct = new SqliteStore({ path, clock: new ManualClock() });
      await direct.sendMessage({ actor: "ana", kind: "direct", to: "bob", body: "2", allowUnknown: true });
      await direct.close();
      expect(await waiting.next(5_000)).toBe(true);
      waiting.close();
    } finally {
      await remote.close();
    }
  });
});
