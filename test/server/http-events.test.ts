import { execFile } from "node:child_process";
import { connect } from "node:net";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { call, startServer } from "../helpers/http-server.js";
import { EventStreamClient } from "../helpers/sse-client.js";
import { CLI, testHome } from "../helpers/temp-repo.js";
import { asAgent } from "../helpers/test-authenticator.js";

const a1 = asAgent("a1");
const STREAM = "/api/v1/events";
const run = promisify(execFile);

describe("the live event stream (SSE)", () => {
  it("resumes after a dropped connection from Last-Event-ID, losing and repeating no event", async () => {
    const { url, hub } = await startServer();
    const ws = hub.as("a1");
    const first = await EventStreamClient.connect(url, STREAM, a1);
    expect(first.status).toBe(200);
    expect(first.response!.headers["content-type"]).toMatch(/^text\/event-stream/);
    for (const title of ["one", "two", "three"]) await ws.tasks.add(title);
    await first.until((c) => c.events.length >= 2, "two events");
    // Dropped mid-stream: what it saw last is where it resumes.
    first.close();
    const seenBefore = first.ids();
    const last = seenBefore[seenBefore.length - 1]!;
    for (const title of ["four", "five"]) await ws.tasks.add(title);
    await ws.tasks.claim();
    const missed = (await hub.store.listEvents({ afterSeq: last })).map((e) => e.seq);
    expect(missed.length).toBeGreaterThanOrEqual(4);

    const resumed = await EventStreamClient.connect(url, STREAM, { ...a1, "last-event-id": String(last) });
    await resumed.until((c) => c.events.length >= missed.length, "the missed events");
    expect(resumed.ids()).toEqual(missed);
    // Then live, in order, nothing twice.
    await ws.log.write("decision", "keep going");
    const all = (await hub.store.listEvents({ afterSeq: last })).map((e) => e.seq);
    await resumed.until((c) => c.events.length >= all.length, "the live event");
    expect(resumed.ids()).toEqual(all);
    const lastEvent = resumed.events.at(-1)!;
    expect(lastEvent.event).toBe("decision");
    expect(lastEvent.data).toMatchObject({
      seq: lastEvent.id,
      type: "decision",
      actor: "a1",
      summary: "keep going",
    });
    // The first client's events are a prefix of the log: together, every event once.
    expect([...seenBefore, ...resumed.ids()]).toEqual(
      (await hub.store.listEvents({})).map((e) => e.seq).filter((s) => s >= seenBefore[0]!),
    );
  });

  it("says `reset` and goes live from now when asked to resume after an event the log does not have", async () => {
    const { url, hub } = await startServer();
    const ws = hub.as("a1");
    await ws.tasks.add("one");
    const head = (await hub.store.listEvents({})).at(-1)!.seq;
    // An id from a store since replaced: without the reset, events up to that id would never come.
    const client = await EventStreamClient.connect(url, STREAM, {
      ...a1,
      "last-event-id": String(head + 50),
    });
    await client.until((c) => c.events.length >= 1, "the reset");
    expect(client.events[0]).toMatchObject({ event: "reset", data: { head, asked: head + 50 } });
    await ws.tasks.add("two");
    await client.until((c) => c.events.length >= 2, "the next event, live");
    expect(client.events[1]!.id).toBe(head + 1);
  });

  it("catches up on a long log a page at a time, every event once and in order; the list is bounded", async () => {
    const { url, hub } = await startServer();
    const ws = hub.as("a1");
    for (let i = 0; i < 1_250; i++) await ws.log.write("decision", `step ${i}`);
    const all = (await hub.store.listEvents({})).map((e) => e.seq);
    expect(all.length).toBeGreaterThan(1_250);
    const stream = await EventStreamClient.connect(url, STREAM, { ...a1, "last-event-id": "0" });
    await stream.until((c) => c.events.length >= all.length, "the whole log", 60_000);
    expect(stream.ids()).toEqual(all);
    await ws.log.write("decision", "live again");
    await stream.until((c) => c.events.length > all.length, "the live event");
    expect(stream.events.at(-1)!.data.summary).toBe("live again");
    // The plain list never returns the whole log at once: the newest 1000 by default, pages with ?after=.
    const listed = await call(url, "GET", "/api/v1/events", a1);
    expect(listed.body.events).toHaveLength(1000);
    expect(listed.body.events.at(-1).summary).toBe("live again");
    const page = await call(url, "GET", "/api/v1/events?after=0&limit=10", a1);
    expect(page.body.events.map((e: { seq: number }) => e.seq)).toEqual(all.slice(0, 10));
  }, 120_000);

  it("delivers a change made by a separate baton CLI process, woken by the commit (no re-check in time)", async () => {
    // The re-check is an hour: only the CHANGED wake-up from the other process can deliver it in this test.
    const { url, repo } = await startServer({ recheckMs: 3_600_000 });
    const stream = await EventStreamClient.connect(url, `${STREAM}?type=task.`, a1);
    await run(process.execPath, [CLI, "--as", "cli-agent", "task", "add", "from another process"], {
      cwd: repo,
      env: { ...process.env, BATON_AGENT: undefined, HOME: testHome(), NO_COLOR: "1" },
    });
    await stream.until((c) => c.events.length >= 1, "the CLI's task.added");
    expect(stream.events[0]).toMatchObject({
      event: "task.added",
      data: { actor: "cli-agent", subject: "T-1" },
    });
  });

  it("filters by agent, type (exact or a prefix ending in '.') and task, and resumes with ?after=", async () => {
    const { url, hub } = await startServer();
    await hub.as("a1").tasks.add("one");
    await hub.as("a2").tasks.add("two");
    await hub.as("a1").log.write("decision.api", "REST");
    await hub.as("a2").tasks.claim("T-2");
    const byType = await EventStreamClient.connect(url, `${STREAM}?after=0&type=task.`, a1);
    const byAgent = await EventStreamClient.connect(url, `${STREAM}?after=0&agent=a1`, a1);
    const byTask = await EventStreamClient.connect(url, `${STREAM}?after=0&task=T-2&type=task.claimed`, a1);
    const expected = async (filter: { actor?: string; type?: string; subject?: string }) =>
      (await hub.store.listEvents(filter)).map((e) => e.seq);
    await byType.until((c) => c.events.length >= 3, "task events");
    await byAgent.until((c) => c.events.length >= 2, "a1's events");
    await byTask.until((c) => c.events.length >= 1, "T-2's claim");
    await hub.as("a1").tasks.add("three");
    const types = await expected({ type: "task." });
    await byType.until((c) => c.events.length >= types.length, "the live task event");
    expect(byType.ids()).toEqual(types);
    expect(byType.events.every((e) => e.event.startsWith("task."))).toBe(true);
    const mine = await expected({ actor: "a1" });
    await byAgent.until((c) => c.events.length >= mine.length, "a1's live event");
    expect(byAgent.ids()).toEqual(mine);
    expect(byTask.ids()).toEqual(await expected({ subject: "T-2", type: "task.claimed" }));
  });

  it("sends keep-alive comments, and refuses a bad starting point or filter", async () => {
    const { url } = await startServer({ keepAliveMs: 20 });
    const stream = await EventStreamClient.connect(url, STREAM, a1);
    await stream.until((c) => c.comments.includes("keep-alive"), "a keep-alive");
    for (const [path, headers] of [
      [`${STREAM}?after=abc`, {}],
      [`${STREAM}?since=1`, {}],
      [STREAM, { "last-event-id": "x" }],
    ] as const) {
      const refused = await call(url, "GET", path, { ...a1, accept: "text/event-stream", ...headers });
      expect(refused.status, path).toBe(400);
      expect(refused.body.error.code).toBe("invalid_input");
    }
    expect((await call(url, "GET", STREAM, { accept: "text/event-stream" })).status).toBe(401);
  });

  it("drops a client that stops reading instead of buffering for it, and goes on serving", async () => {
    const { url, hub, handler } = await startServer({ streamBufferBytes: 64 * 1024 });
    const { port } = new URL(url);
    // A client that sends its request and then never reads a byte.
    const stalled = connect(Number(port), "127.0.0.1");
    await new Promise<void>((resolve) => stalled.on("connect", resolve));
    stalled.write(
      `GET ${STREAM} HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\nAuthorization: Bearer test-a1\r\n\r\n`,
    );
    stalled.pause();
    stalled.on("error", () => undefined);
    const reader = await EventStreamClient.connect(url, `${STREAM}?type=note`, a1);
    for (let wait = 0; handler.streams < 2 && wait < 100; wait++) await new Promise((r) => setTimeout(r, 20));
    expect(handler.streams).toBe(2);
    // Far more than any socket buffer holds: ~16 MB of events.
    const big = { blob: "x".repeat(15_000) };
    const ws = hub.as("a1");
    let written = 0;
    while (handler.streams > 1 && written < 2000) {
      await ws.log.write("note", `big ${written++}`, big);
      if (written % 50 === 0) await new Promise((r) => setTimeout(r, 10));
    }
    expect(handler.streams).toBe(1);
    // The reading client got everything in order; the server still answers.
    await reader.until((c) => c.events.length >= written, "every big event");
    expect(reader.events.map((e) => e.data.summary)).toEqual(
      Array.from({ length: written }, (_, i) => `big ${i}`),
    );
    expect((await call(url, "GET", "/api/v1/agents/me", a1)).status).toBe(200);
    stalled.destroy();
  });

  it("bounds the streams one caller holds open: the next is 429 until one closes; others are not held back", async () => {
    const { url, handler } = await startServer({ streamsPerCaller: 2 });
    const first = await EventStreamClient.connect(url, STREAM, a1);
    const second = await EventStreamClient.connect(url, STREAM, a1);
    expect([first.status, second.status]).toEqual([200, 200]);
    const third = await call(url, "GET", STREAM, { ...a1, accept: "text/event-stream" });
    expect(third.status).toBe(429);
    expect(third.body.error.code).toBe("rate_limited");
    const other = await EventStreamClient.connect(url, STREAM, asAgent("a2"));
    expect(other.status).toBe(200);
    // A plain read of the log is not a stream: never refused for them.
    expect((await call(url, "GET", STREAM, a1)).status).toBe(200);
    first.close();
    for (let wait = 0; handler.streams > 2 && wait < 100; wait++) await new Promise((r) => setTimeout(r, 20));
    const again = await EventStreamClient.connect(url, STREAM, a1);
    expect(again.status).toBe(200);
  });
});
