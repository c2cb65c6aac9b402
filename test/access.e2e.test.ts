import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EXIT } from "../src/errors.js";
import { hashSecret } from "../src/services/secrets.js";
import { baton, tempRepo } from "./helpers/temp-repo.js";

const as = (name: string) => ({ BATON_AGENT: name });

/** A repository whose config names lea as its human, with lea and an agent joined. */
function team(): string {
  const repo = tempRepo({ humans: ["lea"] });
  expect(baton(repo, ["agent", "join", "lea", "--kind", "human"]).code).toBe(0);
  expect(baton(repo, ["agent", "join", "claude-1", "--kind", "claude"]).code).toBe(0);
  return repo;
}

describe("humans come from the committed config", () => {
  it("baton init --human names them, in a fresh config and in a kept one", () => {
    const repo = tempRepo({ init: false });
    const first = baton(repo, ["init", "--human", "lea", "--json"]);
    expect(first.code).toBe(0);
    expect(first.json().humans).toEqual(["lea"]);
    expect(baton(repo, ["init", "--human", "max", "--json"]).json().humans).toEqual(["lea", "max"]);
    const text = readFileSync(join(repo, ".baton/config.json"), "utf8");
    expect(text).toContain('"humans": ["lea", "max"]');
    expect(text).toContain("// The people on the team"); // the comments are kept
  });

  it("an agent cannot join as a human, nor promote itself; the hint says how a person is named", () => {
    const repo = team();
    const join = baton(repo, ["agent", "join", "mallory", "--kind", "human", "--json"]);
    expect(join.code).toBe(EXIT.forbidden);
    expect(join.json().error.code).toBe("forbidden");
    expect(join.json().error.hint).toMatch(/"humans" in \.baton\/config\.json/);
    const promote = baton(repo, ["agent", "join", "claude-1", "--kind", "human", "--json"]);
    expect(promote.code).toBe(EXIT.forbidden);
    const agents = baton(repo, ["agents", "--json"]).json().agents as { name: string; kind: string }[];
    expect(agents.map((a) => [a.name, a.kind])).toEqual([
      ["claude-1", "claude"],
      ["lea", "human"],
    ]);
  });

  it("a human in the database but not in the config cannot decide", () => {
    const repo = team();
    baton(repo, ["approval", "request", "deploy"], as("claude-1"));
    // Named, joined, then taken out of the config again.
    const path = join(repo, ".baton/config.json");
    writeFileSync(path, readFileSync(path, "utf8").replace('"humans": ["lea"]', '"humans": []'));
    const refused = baton(repo, ["approve", "A-1", "--yes", "--json"], as("lea"));
    expect(refused.code).toBe(EXIT.forbidden);
    expect(baton(repo, ["approval", "show", "A-1", "--json"]).json().approval.status).toBe("pending");
  });
});

describe("decisions from the CLI need a terminal or --yes", () => {
  it.each([
    [
      "answer",
      ["answer", "Q-1", "yes"],
      (r: string) => baton(r, ["question", "Q-1", "--json"]).json().question.status,
    ],
    [
      "resolve",
      ["resolve", "E-1"],
      (r: string) => String(baton(r, ["escalations", "--open", "--json"]).json().escalations.length),
    ],
  ])(
    "%s without a terminal and without --yes: usage, nothing changes; with --yes it goes ahead",
    (_, args, state) => {
      const repo = team();
      baton(repo, ["ask", "ship it?"], as("claude-1"));
      baton(repo, ["task", "add", "x"], as("lea"));
      baton(repo, ["task", "escalate", "T-1", "--reason", "stuck"], as("claude-1"));
      const before = state(repo);
      const refused = baton(repo, [...args, "--json"], as("lea"));
      expect(refused.code).toBe(EXIT.usage);
      expect(refused.json().error).toMatchObject({ code: "usage" });
      expect(refused.json().error.hint).toMatch(/--yes/);
      expect(state(repo)).toBe(before);
      expect(baton(repo, [...args, "--yes"], as("lea")).code).toBe(0);
      expect(state(repo)).not.toBe(before);
    },
  );
});

describe("keys and pairing, from the CLI", () => {
  it("a human makes a key, shown once and kept only as its hash; lists and revokes it", () => {
    const repo = team();
    const made = baton(
      repo,
      ["key", "create", "--agent", "claude-1", "--role", "backend", "--json"],
      as("lea"),
    );
    expect(made.code).toBe(0);
    const { key, secret } = made.json();
    expect(key).toMatchObject({ id: "K-1", agent: "claude-1", role: "backend", createdBy: "lea" });
    expect(secret).toMatch(/^bk_[A-Za-z0-9_-]{43}$/);
    const db = readFileSync(join(repo, ".baton/baton.db")).toString("latin1");
    expect(db).not.toContain(secret);
    expect(db).toContain(hashSecret(secret));

    const text = baton(repo, ["key", "create", "--agent", "claude-2"], as("lea")).stdout;
    expect(text).toContain("will not be shown again");
    expect(text).toContain("Authorization: Bearer");

    const listed = baton(repo, ["key", "list", "--json"]).json().keys;
    expect(listed.map((k: { id: string }) => k.id)).toEqual(["K-1", "K-2"]);
    expect(JSON.stringify(listed)).not.toContain(secret);

    expect(baton(repo, ["key", "revoke", "K-1", "--json"], as("lea")).json().key.revokedBy).toBe("lea");
    expect(baton(repo, ["log", "--json"]).stdout).not.toContain(secret);
  });

  it("an agent may not make, revoke or pair: forbidden, nothing made", () => {
    const repo = team();
    baton(repo, ["key", "create", "--agent", "claude-1"], as("lea"));
    for (const args of [
      ["key", "create", "--agent", "claude-2"],
      ["key", "revoke", "K-1"],
      ["pair", "--human", "lea"],
      ["key", "create", "--agent", "lea"],
    ]) {
      const refused = baton(repo, [...args, "--json"], as("claude-1"));
      expect(refused.code, args.join(" ")).toBe(EXIT.forbidden);
    }
    // Nor a human a key for a human: a key is an agent's.
    expect(baton(repo, ["key", "create", "--agent", "lea", "--json"], as("lea")).code).toBe(EXIT.forbidden);
    const keys = baton(repo, ["key", "list", "--json"]).json().keys;
    expect(keys.map((k: { id: string; revokedAt: unknown }) => [k.id, k.revokedAt])).toEqual([["K-1", null]]);
  });

  it("pair prints a one-time link and its QR code; only for a human in the config", () => {
    const repo = team();
    const json = baton(repo, ["pair", "--human", "lea", "--json"], as("lea")).json();
    expect(json.link).toMatch(/^http:\/\/127\.0\.0\.1:7345\/pair#bp_[A-Za-z0-9_-]{43}$/);
    expect(json.pairing).toMatchObject({ id: "P-1", human: "lea", usedAt: null });
    expect(json.pairing.expiresAt - json.pairing.createdAt).toBe(600_000);

    const text = baton(repo, ["pair", "--human", "lea", "--ttl", "30m"], as("lea")).stdout;
    const qr = text.split("\n").filter((line) => /^[ █▀▄]{20,}$/.test(line));
    expect(qr.length).toBeGreaterThan(10);
    expect(text).toMatch(/\/pair#bp_/);
    expect(text).toContain("30m");

    expect(baton(repo, ["pair", "--human", "claude-1", "--json"], as("lea")).code).toBe(EXIT.forbidden);
    expect(baton(repo, ["devices", "--json"]).json().devices).toEqual([]);
    expect(baton(repo, ["devices", "revoke", "D-9", "--json"], as("lea")).code).toBe(EXIT.notFound);
  });
});
