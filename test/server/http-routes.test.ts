import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ERRORS } from "../../src/errors.js";
import { redeemPairing } from "../../src/server/auth/session-cookie.js";
import { parseTarget } from "../../src/server/http/request-target.js";
import { API_PREFIX, matchRoute, ROUTES } from "../../src/server/http/route-table.js";
import { type Answer, call, startServer } from "../helpers/http-server.js";
import { startPushService } from "../helpers/push-service.js";
import { baton } from "../helpers/temp-repo.js";
import { asAgent, asHuman, asHumanOn } from "../helpers/test-authenticator.js";
import { agentWorktree } from "../orchestrator/helpers.js";
import { tmuxSocket } from "../orchestrator/team-helpers.js";

const a1 = asAgent("a1");
const a2 = asAgent("a2");
const lea = asHuman("lea");

/** Each route, by method and path: whether a test saw it succeed, and saw it refuse. */
const seen = new Map<string, { ok: boolean; refused: boolean }>();

function record(method: string, path: string, status: number): void {
  const segments = parseTarget(path).segments.slice(API_PREFIX.length);
  const match = matchRoute(method, segments);
  if (match.kind !== "route") return;
  const key = `${match.route.method} ${match.route.path}`;
  const entry = seen.get(key) ?? { ok: false, refused: false };
  if (status < 300) entry.ok = true;
  else if (status >= 400 && status < 500) entry.refused = true;
  seen.set(key, entry);
}

/**
 * One request to the server at `url`, expecting `status`; recorded for the
 * every-route check. A refusal must carry the error's code, message and hint,
 * with the status of its code; every answer is uncached and unsniffed.
 */
function hitter(url: string) {
  return async (
    status: number,
    method: string,
    path: string,
    auth: Record<string, string>,
    body?: unknown,
  ): Promise<Answer["body"]> => {
    const answer = await call(url, method, `/api/v1${path}`, auth, body);
    expect(answer.status, `${method} ${path}: ${JSON.stringify(answer.body)}`).toBe(status);
    record(method, `/api/v1${path}`, status);
    if (status >= 400) {
      expect(Object.keys(answer.body.error).sort()).toEqual(
        expect.arrayContaining(["code", "hint", "message"]),
      );
      expect(ERRORS[answer.body.error.code as keyof typeof ERRORS].http).toBe(status);
    }
    expect(answer.headers.get("cache-control")).toBe("no-store");
    expect(answer.headers.get("x-content-type-options")).toBe("nosniff");
    return answer.body;
  };
}

describe("the JSON API, every route", () => {
  afterAll(() => {
    const missing = ROUTES.map((r) => `${r.method} ${r.path}`).filter((key) => {
      const entry = seen.get(key);
      return !entry?.ok || !entry.refused;
    });
    expect(missing, "routes without a success and a refusal in these tests").toEqual([]);
  });

  it("serves each route, and refuses each with the status of its error code", async () => {
    const { url, hub } = await startServer();
    const hit = hitter(url);

    // Agents
    expect((await hit(200, "POST", "/agents/join", a1, { role: "backend" })).agent).toMatchObject({
      name: "a1",
      role: "backend",
    });
    expect((await hit(403, "POST", "/agents/join", a1, { kind: "human" })).error.code).toBe("forbidden");
    // A paired person is a human from their first request; joining says nothing more.
    expect((await hit(200, "GET", "/agents/me", lea)).agent.kind).toBe("human");
    expect((await hit(200, "POST", "/agents/join", lea, {})).agent.kind).toBe("human");
    await hit(200, "POST", "/agents/join", a2, {});
    await hit(200, "POST", "/agents/join", asAgent("a3"), {});
    expect((await hit(200, "GET", "/agents", a1)).agents.map((a: { name: string }) => a.name).sort()).toEqual(
      ["a1", "a2", "a3", "lea"],
    );
    expect((await hit(400, "GET", "/agents?x=1", a1)).error.message).toContain("'x'");
    expect((await hit(200, "GET", "/agents/me", a2)).agent.name).toBe("a2");
    expect((await hit(401, "GET", "/agents/me", {})).error.code).toBe("unauthorized");
    await hit(200, "POST", "/agents/heartbeat", a1, { workingOn: "setup" });
    expect((await hit(400, "POST", "/agents/heartbeat", a1, { workingOn: 5 })).error.message).toContain(
      "'workingOn' must be string",
    );

    // Tasks
    expect((await hit(201, "POST", "/tasks", a1, { title: "one", priority: 2 })).task.id).toBe("T-1");
    expect((await hit(400, "POST", "/tasks", a1, {})).error.message).toContain("'title' is required");
    await hit(201, "POST", "/tasks", a1, { title: "two", tags: ["api"] });
    await hit(201, "POST", "/tasks", a1, { title: "three" });
    expect((await hit(200, "GET", "/tasks", a1)).tasks).toHaveLength(3);
    expect((await hit(400, "GET", "/tasks?status=bogus", a1)).error.message).toContain("bogus");
    expect((await hit(200, "GET", "/tasks/t-1", a1)).task.title).toBe("one");
    await hit(404, "GET", "/tasks/T-99", a1);
    expect((await hit(200, "PATCH", "/tasks/T-1", a1, { priority: 1 })).task.priority).toBe(1);
    await hit(400, "PATCH", "/tasks/T-1", a1, { priority: 9 });
    expect(
      (await hit(200, "POST", "/tasks/T-2/dependencies", a1, { dependsOn: "T-1" })).task.dependsOn,
    ).toEqual(["T-1"]);
    expect((await hit(409, "POST", "/tasks/T-1/dependencies", a1, { dependsOn: "T-2" })).error.code).toBe(
      "dependency_cycle",
    );
    expect((await hit(200, "DELETE", "/tasks/T-2/dependencies/T-1", a1)).task.dependsOn).toEqual([]);
    await hit(404, "DELETE", "/tasks/T-99/dependencies/T-1", a1);
    const claimed = await hit(200, "POST", "/tasks/claim", a1, {});
    expect(claimed.task.id).toBe("T-1");
    expect(typeof claimed.token).toBe("number");
    await hit(400, "POST", "/tasks/claim", a2, { ttl: "1ms" });
    await hit(200, "POST", "/tasks/T-1/remarks", a1, { remark: "also the docs" });
    await hit(400, "POST", "/tasks/T-1/remarks", a1, { remark: "" });
    expect((await hit(201, "POST", "/tasks/T-1/escalate", a1, { reason: "stuck" })).escalation.id).toBe(
      "E-1",
    );
    await hit(404, "POST", "/tasks/T-99/escalate", a1, {});
    expect((await hit(200, "GET", "/escalations?open=true", lea)).escalations).toHaveLength(1);
    await hit(400, "GET", "/escalations?open=maybe", lea);
    await hit(403, "POST", "/escalations/E-1/resolve", a1, { note: "done" });
    expect(
      (await hit(200, "POST", "/escalations/E-1/resolve", lea, { note: "unblocked" })).escalation.resolvedBy,
    ).toBe("lea");
    // The human's inbox (the web app's home), who a request acts as, and paired devices
    const home = await hit(200, "GET", "/inbox", lea);
    expect(home.missed).toEqual([]);
    expect(home.items.map((i: { kind: string }) => i.kind)).not.toContain("escalation");
    await hit(400, "GET", "/inbox?all=1", lea);
    expect(await hit(200, "GET", "/session", lea)).toMatchObject({
      kind: "human",
      name: "lea",
      csrfToken: "csrf-lea",
    });
    expect(await hit(200, "GET", "/session", a1)).toMatchObject({
      kind: "agent",
      name: "a1",
      csrfToken: null,
    });
    await hit(401, "GET", "/session", {});
    const { token } = await hub.as("lea").access.pair("lea");
    const { device } = await redeemPairing(hub.store, token, "the phone");
    expect((await hit(200, "GET", "/devices", lea)).devices.map((d: { id: string }) => d.id)).toEqual([
      device.id,
    ]);
    await hit(403, "GET", "/devices", a1);
    // Web Push for the request's own device (lea on the phone just paired)
    const phone = asHumanOn("lea", device.id);
    const pushService = await startPushService();
    const { browser: _, ...subscription } = pushService.subscribe("phone");
    expect((await hit(200, "GET", "/session", phone)).vapidPublicKey).toMatch(/^B[\w-]{86}$/);
    await hit(403, "PUT", "/push/subscription", a1, subscription);
    // Only https push services, unless the hub was started to allow a loopback one (tests).
    expect((await hit(400, "PUT", "/push/subscription", phone, subscription)).error.message).toContain(
      "refused",
    );
    process.env.BATON_PUSH_ALLOW_LOOPBACK = "1";
    try {
      await hit(400, "PUT", "/push/subscription", phone, {
        ...subscription,
        keys: { p256dh: "x", auth: "y" },
      });
      expect((await hit(200, "PUT", "/push/subscription", phone, subscription)).subscription.device).toBe(
        device.id,
      );
      expect(await hit(200, "GET", "/push/settings", phone)).toMatchObject({
        subscribed: true,
        settings: { kinds: ["question", "approval", "escalation", "message"], quietHours: null },
      });
      await hit(403, "GET", "/push/settings", a1);
      const quiet = { start: "22:00", end: "07:00", timeZone: "Europe/Paris" };
      expect(
        (await hit(200, "PUT", "/push/settings", phone, { kinds: ["question"], quietHours: quiet })).settings,
      ).toMatchObject({ kinds: ["question"], quietHours: quiet });
      await hit(400, "PUT", "/push/settings", phone, {
        kinds: [],
        quietHours: { ...quiet, timeZone: "Mars/Base" },
      });
      expect((await hit(200, "POST", "/push/test", phone, {})).outcome).toEqual({ kind: "sent" });
      expect((await pushService.waitFor(1))[0]!.payload).toMatchObject({
        tag: "baton-test",
        url: "/settings",
      });
      // lea's other "device" in these tests is no paired device at all.
      await hit(404, "POST", "/push/test", lea, {});
      await hit(403, "DELETE", "/push/subscription", a1, {});
      expect((await hit(200, "DELETE", "/push/subscription", phone, {})).removed).toBe(true);
      expect((await hit(200, "GET", "/push/settings", phone)).subscribed).toBe(false);
    } finally {
      delete process.env.BATON_PUSH_ALLOW_LOOPBACK;
    }
    await hit(403, "POST", `/devices/${device.id}/revoke`, a1, {});
    expect((await hit(200, "POST", `/devices/${device.id}/revoke`, lea, {})).device.revokedBy).toBe("lea");
    await hit(409, "POST", "/tasks/T-1/complete", a2, { result: "not mine" });
    expect(
      (await hit(200, "POST", "/tasks/T-1/complete", a1, { result: "shipped", token: claimed.token })).task
        .status,
    ).toBe("done");
    await hit(403, "POST", "/tasks/T-1/reopen", a1, { reason: "again" });
    expect((await hit(200, "POST", "/tasks/T-1/reopen", lea, { reason: "again" })).task.status).toBe("open");
    await hit(200, "POST", "/tasks/T-2/claim", a2, {});
    await hit(409, "POST", "/tasks/T-2/claim", a1, {});
    await hit(200, "POST", "/tasks/T-2/release", a2, {});
    await hit(409, "POST", "/tasks/T-2/release", a2, {});
    await hit(200, "POST", "/tasks/T-2/claim", a2, {});
    await hit(400, "POST", "/tasks/T-2/fail", a2, {});
    expect((await hit(200, "POST", "/tasks/T-2/fail", a2, { reason: "flaky" })).task.status).not.toBe(
      "claimed",
    );
    expect((await hit(200, "POST", "/tasks/T-3/assign", a1, { agent: "a2" })).task.assignee).toBe("a2");
    await hit(404, "POST", "/tasks/T-3/assign", a1, { agent: "nobody" });
    expect((await hit(200, "POST", "/tasks/T-3/cancel", lea, { reason: "dropped" })).task.status).toBe(
      "cancelled",
    );
    await hit(409, "POST", "/tasks/T-3/cancel", lea, {});

    // Leases
    const locked = await hit(201, "POST", "/leases", a1, { paths: ["src/a.ts"], intent: "refactor" });
    expect(locked.granted.map((l: { path: string }) => l.path)).toEqual(["src/a.ts"]);
    const conflict = await hit(409, "POST", "/leases", a2, { paths: ["src"] });
    expect(conflict.error.details.conflicts[0].holder).toBe("a1");
    expect((await hit(200, "GET", "/leases", a2)).leases).toHaveLength(1);
    await hit(400, "GET", `/leases?holder=${"x".repeat(65)}`, a2);
    expect((await hit(200, "GET", "/leases/check?path=src/a.ts", a2)).leases[0].holder).toBe("a1");
    await hit(400, "GET", "/leases/check", a2);
    expect((await hit(200, "POST", "/leases/release", a1, { paths: ["src/a.ts"] })).released).toHaveLength(1);
    await hit(400, "POST", "/leases/release", a1, { paths: [] });
    await hit(201, "POST", "/leases", a1, { paths: ["src/b.ts"] });
    await hit(403, "POST", "/leases/force-release", a2, { paths: ["src/b.ts"] });
    expect(
      (await hit(200, "POST", "/leases/force-release", lea, { paths: ["src/b.ts"] })).released,
    ).toHaveLength(1);

    // Messages
    const sent = (await hit(201, "POST", "/messages", a1, { to: "a2", text: "hi" })).message.id;
    await hit(400, "POST", "/messages", a1, { to: "a2" });
    await hit(201, "POST", "/broadcasts", a1, { text: "standup", urgent: true });
    await hit(400, "POST", "/broadcasts", a1, { text: "" });
    const inbox = await hit(200, "POST", "/inbox/read", a2, { ack: true });
    expect(inbox.messages.map((m: { body: string }) => m.body)).toEqual(["hi", "standup"]);
    await hit(400, "POST", "/inbox/read", a2, { wait: "2d" });
    await hit(200, "GET", "/channels", a1);
    await hit(400, "GET", "/channels?all=true", a1);
    await hit(201, "POST", "/channels", a1, { name: "dev", topic: "the build" });
    await hit(400, "POST", "/channels", a1, { name: "bad name!" });
    await hit(201, "POST", "/channels/dev/messages", a1, { text: "green", replyTo: sent });
    await hit(404, "POST", "/channels/nochannel/messages", a1, { text: "hello?" });
    expect((await hit(200, "POST", "/channels/dev/read", a2, {})).messages[0].body).toBe("green");
    await hit(400, "POST", "/channels/dev/read", a2, { limit: 0 });
    expect((await hit(200, "GET", `/messages/${sent}/thread`, a1)).messages.length).toBeGreaterThan(1);
    await hit(404, "GET", "/messages/M-999/thread", a1);
    // Reading without moving a cursor: pages of a channel, of a conversation with one agent, of the broadcasts
    expect((await hit(200, "GET", "/channels/dev/messages?limit=5", lea)).messages[0].body).toBe("green");
    await hit(404, "GET", "/channels/nochannel/messages", lea);
    expect((await hit(200, "GET", `/broadcasts?before=M-999`, lea)).messages[0].body).toBe("standup");
    await hit(400, "GET", "/broadcasts?before=yesterday", lea);
    const a3 = asAgent("a3");
    await hit(200, "POST", "/inbox/read", lea, { ack: true });
    await hit(201, "POST", "/messages", a3, { to: "lea", text: "review T-1?" });
    await hit(201, "POST", "/messages", a2, { to: "lea", text: "lunch?" });
    await hit(201, "POST", "/messages", a3, { to: "lea", text: "ping" });
    await hit(201, "POST", "/messages", lea, { to: "a3", text: "on it" });
    const withA3 = (await hit(200, "GET", "/direct/a3/messages", lea)).messages;
    expect(withA3.map((m: { body: string }) => m.body)).toEqual(["review T-1?", "ping", "on it"]);
    await hit(400, "GET", "/direct/a3/messages?limit=0", lea);
    expect(await hit(200, "GET", "/messages/unread", lea)).toEqual({
      channels: { dev: 1 },
      inbox: { a3: 2, a2: 1 },
    });
    await hit(400, "GET", "/messages/unread?all=true", lea);
    // One inbox cursor: a3's messages are read up to a2's unread one, which stays unread (and a3's after it)
    expect(await hit(200, "POST", "/direct/a3/read", lea, {})).toEqual({ read: 1, unread: 2 });
    expect((await hit(200, "GET", "/messages/unread", lea)).inbox).toEqual({ a3: 1, a2: 1 });
    await hit(400, "POST", "/direct/a3/read", lea, { all: true });

    // Questions: a wait ends when a human answers, from another request
    const asked = await hit(201, "POST", "/questions", a1, { text: "ship?", options: ["yes", "no"] });
    expect(asked.question.id).toBe("Q-1");
    await hit(400, "POST", "/questions", a1, { text: "" });
    expect((await hit(200, "GET", "/questions?open=true", lea)).questions).toHaveLength(1);
    await hit(400, "GET", "/questions?open=1", lea);
    expect((await hit(200, "GET", "/questions/Q-1?wait=20ms", a1)).question.status).toBe("open");
    await hit(404, "GET", "/questions/Q-99", a1);
    await hit(403, "POST", "/questions/Q-1/answer", a2, { text: "yes" });
    const waiting = hit(200, "GET", "/questions/Q-1?wait=30s", a1);
    await hit(200, "POST", "/questions/Q-1/answer", lea, { text: "1" });
    expect((await waiting).question).toMatchObject({ status: "answered", answer: "yes" });

    // Approvals
    expect(
      (await hit(201, "POST", "/approvals", a1, { action: "drop a table", plan: "1. back up" })).approval.id,
    ).toBe("A-1");
    await hit(400, "POST", "/approvals", a1, { action: "x", wait: "forever" });
    expect((await hit(200, "GET", "/approvals?open=true", lea)).approvals).toHaveLength(1);
    await hit(400, "GET", "/approvals?open=yes", lea);
    expect((await hit(200, "GET", "/approvals/A-1", a1)).approval.plan).toBe("1. back up");
    await hit(404, "GET", "/approvals/A-9", a1);
    await hit(403, "POST", "/approvals/A-1/decision", a1, { approve: true });
    await hit(400, "POST", "/approvals/A-1/decision", lea, { approve: false });
    expect((await hit(200, "POST", "/approvals/A-1/decision", lea, { approve: true })).approval.status).toBe(
      "approved",
    );

    // Agents leaving and removed
    await hit(403, "DELETE", "/agents/a3", a1);
    await hit(200, "DELETE", "/agents/a3?force=true", lea);
    await hit(400, "POST", "/agents/leave", a2, { now: true });
    await hit(200, "POST", "/agents/leave", a2, {});

    // The project
    const status = await hit(200, "GET", "/status", lea);
    expect(status.you).toEqual({ name: "lea", kind: "human" });
    await hit(400, "GET", "/status?verbose=true", lea);
    expect(
      (await hit(201, "POST", "/events", a1, { type: "decision", summary: "use SQLite" })).event.type,
    ).toBe("decision");
    await hit(400, "POST", "/events", a1, { type: "Bad Type", summary: "x" });
    const events = (await hit(200, "GET", "/events?type=task.&task=T-1", a1)).events;
    expect(events.length).toBeGreaterThan(2);
    expect(
      events.every(
        (e: { type: string; subject: string }) => e.type.startsWith("task.") && e.subject === "T-1",
      ),
    ).toBe(true);
    await hit(400, "GET", "/events?limit=0", a1);
    const newest = events.at(-1).seq;
    const earlier = (await hit(200, "GET", `/events?before=${newest}&limit=2`, a1)).events;
    expect(earlier.map((e: { seq: number }) => e.seq)).toEqual([newest - 2, newest - 1]);
    await hit(400, "GET", "/events?before=-1", a1);
    await hit(200, "POST", "/summary/trigger", lea, {});
    await hit(400, "POST", "/summary/trigger", lea, { day: "2026-02-30" });
    await hit(200, "POST", "/summary/entries", a1, { text: "shipped T-1" });
    await hit(400, "POST", "/summary/entries", a1, { text: "" });
    expect((await hit(200, "GET", "/summary", a1)).round.entries).toHaveLength(1);
    await hit(404, "GET", "/summary?day=1999-01-01", a1);
    expect((await hit(200, "GET", "/summary/days", lea)).days).toHaveLength(1);
    await hit(400, "GET", "/summary/days?day=1999-01-01", lea);
    expect((await hit(200, "GET", "/summary/status", a1)).written[0].agent).toBe("a1");
    await hit(400, "GET", "/summary/status?day=tomorrow", a1);
    expect((await hit(200, "POST", "/summary/collect", lea, {})).round.report).toContain("shipped T-1");
    await hit(404, "POST", "/summary/collect", lea, { day: "1999-01-01" });
    expect((await hit(200, "GET", "/queues", a1)).queues.length).toBeGreaterThan(0);
    await hit(404, "GET", "/queues?queue=nope", a1);
    await hit(200, "GET", "/queues/blockers", a1);
    await hit(400, "GET", "/queues/blockers?all=true", a1);
  });

  it("drives a team baton up started: its view, an agent's terminal, typing, nudge, restart and stop (humans only)", async () => {
    const { url, repo } = await startServer();
    const hit = hitter(url);
    expect((await hit(200, "GET", "/team", lea)).team).toBeNull();
    await hit(400, "GET", "/team?x=1", lea);
    await hit(404, "GET", "/agents/sim-1/terminal", lea); // no team yet
    const up = baton(repo, ["up", "-n", "1", "--agent", "sim", "--shared-tree"], {
      BATON_TMUX_SOCKET: tmuxSocket(),
    });
    expect(up.code, up.stderr).toBe(0);
    expect((await hit(200, "GET", "/team", a1)).team.agents[0]).toMatchObject({
      name: "sim-1",
      process: "running",
    });
    await hit(403, "GET", "/agents/sim-1/terminal", a1);
    await hit(404, "GET", "/agents/nobody/terminal", lea);
    expect((await hit(200, "GET", "/agents/sim-1/terminal", lea)).agent).toBe("sim-1");
    await hit(200, "POST", "/agents/sim-1/terminal", lea, { text: "hello from lea" });
    await hit(403, "POST", "/agents/sim-1/terminal", a1, { text: "hello" });
    await hit(400, "POST", "/agents/sim-1/terminal", lea, { keys: ["F12"] });
    expect((await hit(200, "POST", "/agents/sim-1/nudge", lea, {})).nudged).toBe("sim-1");
    await hit(403, "POST", "/agents/sim-1/nudge", a1, {});
    expect((await hit(200, "POST", "/agents/sim-1/restart", lea, {})).restarted.agent).toBe("sim-1");
    await hit(403, "POST", "/agents/sim-1/restart", a1, {});
    await hit(403, "POST", "/agents/sim-1/stop", a1, {});
    await hit(404, "POST", "/agents/nobody/stop", lea, {});
    expect((await hit(200, "POST", "/agents/sim-1/stop", lea, { reason: "done for today" })).stop.agent).toBe(
      "sim-1",
    );
    await hit(409, "POST", "/agents/sim-1/restart", lea, {}); // being stopped: not restarted
    const types = (await hit(200, "GET", "/events?type=team.", lea)).events.map(
      (e: { type: string; actor: string }) => `${e.type} ${e.actor}`,
    );
    expect(types).toEqual(
      expect.arrayContaining([
        "team.typed lea",
        "team.nudged lea",
        "team.restarted lea",
        "team.stop_requested guardian",
      ]),
    );
    expect(baton(repo, ["down", "--force"]).code).toBe(0);
  });

  it("shows the diff of the worktree of the agent holding a task, and refuses a worktree git does not know", async () => {
    const { url, repo } = await startServer();
    const hit = hitter(url);
    await agentWorktree(repo, "a1", {
      file: "app.ts",
      base: "export const a = 1;\n",
      committed: "export const a = 2;\n",
      uncommitted: "export const a = 3;\n",
      added: { path: "new.ts", text: "export const b = 1;\n" },
    });

    await hit(201, "POST", "/tasks", lea, { title: "change a" });
    await hit(201, "POST", "/tasks", lea, { title: "nobody's" });
    expect((await hit(404, "GET", "/tasks/T-1/diff", lea)).error.message).toContain("nobody has held T-1");
    await hit(200, "POST", "/tasks/T-1/claim", a1, {});
    const { diff } = await hit(200, "GET", "/tasks/T-1/diff", lea);
    expect(diff).toMatchObject({ agent: "a1", worktree: ".baton/worktrees/a1", cut: null });
    expect(diff.committed).toContain("-export const a = 1;");
    expect(diff.committed).toContain("+export const a = 2;");
    expect(diff.uncommitted).toContain("+export const a = 3;");
    expect(diff.uncommitted).toContain("+export const b = 1;");
    // Each task with its cost, for the board.
    const costed = (await hit(200, "GET", "/tasks?cost=true", lea)).tasks;
    expect(costed[0].cost).toMatchObject({ usd: 0, turns: 0 });
    await hit(400, "GET", "/tasks?cost=yes", lea);

    // A folder in .baton/worktrees that git does not know as a worktree is not baton's.
    await hit(200, "POST", "/tasks/T-2/claim", a2, {});
    mkdirSync(join(repo, ".baton", "worktrees", "a2"));
    expect((await hit(409, "GET", "/tasks/T-2/diff", lea)).error.message).toContain("not a worktree");
  });
});

describe("a request that waits", () => {
  it("stops waiting when its client hangs up: the wake-up socket it listened on is closed", async () => {
    const { url, hub } = await startServer();
    const folder = (hub.store.notifier as unknown as { dir: string }).dir;
    const sockets = () => (existsSync(folder) ? readdirSync(folder).filter((n) => n.endsWith(".sock")) : []);
    await call(url, "POST", "/api/v1/questions", a1, { text: "ship?" });
    const before = sockets().length;
    const hangUp = new AbortController();
    const waiting = fetch(`${url}/api/v1/questions/Q-1?wait=1h`, {
      headers: a1,
      signal: hangUp.signal,
    }).catch((error: Error) => error.name);
    await until(() => sockets().length > before);
    hangUp.abort();
    expect(await waiting).toBe("AbortError");
    // Without the abort the wait would hold its socket for the hour asked.
    await until(() => sockets().length === before);
  });
});

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
}
