import { describe, expect, it } from "vitest";
import { BatonError } from "../errors.js";
import { parseJsonc } from "../workspace/jsonc.js";
import { DEFAULT_CONFIG_TEXT, normaliseConfig, queueFor } from "./config.js";

describe("config", () => {
  it("parses the commented defaults that init writes", () => {
    const config = normaliseConfig(parseJsonc(DEFAULT_CONFIG_TEXT, "config"));
    expect(config.defaultQueue).toBe("tasks");
    expect(config.queues.tasks).toEqual({
      name: "tasks",
      prefix: "T",
      handler: null,
      slaMinutes: null,
      claimPolicy: "open",
    });
    expect(config.claimTtlMs).toBe(15 * 60_000);
    expect(config.maxAttempts).toBe(3);
    expect(config.permissions).toEqual({ allow: [], deny: [], approvalTimeoutMs: 10 * 60_000 });
  });

  it("reads permission rules and the approval timeout", () => {
    const config = normaliseConfig({
      permissions: {
        allow: [{ tool: "Bash", input: "npm test*" }, { tool: "Read" }],
        deny: [{ tool: "*", input: "*.env" }],
        approval_timeout: "2s",
      },
    });
    expect(config.permissions).toEqual({
      allow: [
        { tool: "Bash", input: "npm test*" },
        { tool: "Read", input: null },
      ],
      deny: [{ tool: "*", input: "*.env" }],
      approvalTimeoutMs: 2000,
    });
  });

  it("accepts mai-cli's owner and sla_hours, converting them", () => {
    const config = normaliseConfig({
      queues: { requests: { prefix: "REQ", owner: "reviewer", sla_hours: 2 } },
    });
    expect(config.queues.requests).toMatchObject({ handler: "reviewer", slaMinutes: 120 });
    expect(config.defaultQueue).toBe("requests");
  });

  it.each([
    [{ queues: { a: { prefix: "X" }, b: { prefix: "X" } } }, "share the prefix"],
    [{ queues: { a: { prefix: "lower" } } }, "bad prefix"],
    [{ claim_ttl: "soon" }, "bad"],
    [{ max_attempts: 0 }, "max_attempts"],
    [{ default_queue: "nope" }, "default_queue"],
    [[1, 2], "one JSON object"],
    [{ permissions: { alow: [] } }, 'did you mean "allow"'],
    [
      { permissions: { allow: [{ tool: "Bash", command: "ls" }] } },
      'permissions.allow[0] has no key "command"',
    ],
    [{ permissions: { deny: [{ input: "rm *" }] } }, "permissions.deny[0].tool"],
    [{ permissions: { allow: "Bash" } }, "must be a list of rules"],
    [{ permissions: { approval_timeout: "forever" } }, "permissions.approval_timeout"],
  ])("refuses %j with a hint", (raw, text) => {
    expect(() => normaliseConfig(raw)).toThrow(BatonError);
    expect(() => normaliseConfig(raw)).toThrow(text);
  });

  it("names the known queues when one is unknown", () => {
    const config = normaliseConfig({});
    try {
      queueFor(config, "bugs");
      expect.unreachable();
    } catch (error) {
      expect((error as BatonError).code).toBe("not_found");
      expect((error as BatonError).hint).toContain("tasks");
    }
  });
});
