import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BatonError, ManualClock, openWorkspace } from "../src/index.js";
import { tempRepo } from "./helpers/temp-repo.js";

describe("library: openWorkspace", () => {
  it("finds the hub from a subfolder and exposes the same services as the CLI", async () => {
    const repo = tempRepo();
    mkdirSync(join(repo, "pkg"));
    await using lead = await openWorkspace({ cwd: join(repo, "pkg"), as: "lead" });
    expect(lead.root).toBe(repo);
    const task = await lead.tasks.add("From the library", { priority: 1, tags: ["lib"] });
    await using worker = await openWorkspace({ cwd: repo, as: "worker" });
    const { task: claimed, token } = await worker.tasks.claim();
    expect(claimed?.id).toBe(task.id);
    const done = await worker.tasks.done(task.id, { token: token!, result: "ok" });
    expect(done.status).toBe("done");
    expect((await lead.log.list({ subject: task.id })).map((event) => event.type)).toEqual([
      "task.added",
      "task.claimed",
      "task.completed",
    ]);
  });

  it("releases held leases when an `await using` scope ends, even on a throw", async () => {
    const repo = tempRepo();
    await using alice = await openWorkspace({ cwd: repo, as: "alice" });
    await using bob = await openWorkspace({ cwd: repo, as: "bob" });
    await expect(
      (async () => {
        await using held = await alice.leases.hold(["src/app.ts"], { intent: "refactor" });
        expect(held.leases.map((lease) => lease.path)).toEqual(["src/app.ts"]);
        const error = await bob.leases.hold(["src/app.ts"]).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(BatonError);
        expect((error as BatonError).code).toBe("conflict");
        expect((error as BatonError).message).toContain("alice");
        throw new Error("work failed");
      })(),
    ).rejects.toThrow("work failed");
    expect(await alice.leases.list()).toEqual([]);
    await using again = await bob.leases.hold(["src/app.ts"]);
    expect(again.leases[0]?.holder).toBe("bob");
  });

  it("takes an injectable clock so expiry is tested without sleeping", async () => {
    const repo = tempRepo();
    const clock = new ManualClock();
    await using a = await openWorkspace({ cwd: repo, as: "a", clock });
    await using b = await openWorkspace({ cwd: repo, as: "b", clock });
    const task = await a.tasks.add("t");
    await a.tasks.claim(task.id, { ttlMs: 60_000 });
    expect((await b.tasks.claim()).task).toBeNull();
    clock.advance(60_000);
    expect((await b.tasks.claim()).task).toMatchObject({ id: task.id, attempts: 1 });
    await expect(a.tasks.done(task.id)).rejects.toMatchObject({ code: "lease_lost" });
  });

  it("refuses changes without an identity, with a hint", async () => {
    const repo = tempRepo();
    const saved = process.env.BATON_AGENT;
    delete process.env.BATON_AGENT;
    try {
      await using ws = await openWorkspace({ cwd: repo });
      await expect(ws.tasks.add("x")).rejects.toMatchObject({
        code: "usage",
        hint: expect.stringContaining("BATON_AGENT"),
      });
      expect(await ws.tasks.list()).toEqual([]);
    } finally {
      if (saved !== undefined) process.env.BATON_AGENT = saved;
    }
  });
});
