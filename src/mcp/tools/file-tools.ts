import { z } from "zod";
import { COUNTS, DURATIONS, TEXTS } from "../../domain/limits.js";
import { describeRange, parseDuration } from "../../util/duration.js";
import type { McpSession } from "../session.js";
import type { ToolRegistry } from "../tool-registry.js";

const paths = z.array(z.string().min(1).max(1024)).min(1).max(COUNTS.paths.max);

export function registerFileTools(tools: ToolRegistry, session: McpSession): void {
  const ws = session.ws;

  tools.add("lock_files", {
    title: "Lock files before editing",
    description:
      "Lease files, folders or globs (src/auth/, src/**/*.ts) before editing them, so no other agent edits them at the same time. All are granted or none. A lease covers what it names and everything below; symlinks are followed to the real file, and paths that lead outside the repository or patterns that cover every file (*, **) are refused. Returns {granted, conflicts, warnings}; on conflicts, each names who holds the path, why and until when: work on something else or message the holder. Paths are relative to the repository root.",
    input: {
      paths,
      intent: z.string().max(TEXTS.intent.max).optional().describe("what you will do, shown to others"),
      ttl: z
        .string()
        .max(16)
        .optional()
        .describe(`${describeRange(DURATIONS.ttl)}, e.g. 30m; renewed by every tool call`),
      shared: z.boolean().optional(),
    },
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
    run: async (input) =>
      ws.leases.lock(input.paths, {
        intent: input.intent,
        shared: input.shared,
        ttlMs: input.ttl ? parseDuration(input.ttl, "ttl", DURATIONS.ttl) : undefined,
      }),
  });

  tools.add("unlock_files", {
    title: "Unlock files",
    description:
      "Release your leases when you are done editing, so others can take them. Name each as granted (the path in lock_files' answer) or by a path that leads to it. Returns {released, notHeld}: paths you held no lease on (never locked, already released, expired) are listed in notHeld, not refused.",
    input: { paths },
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
    run: async (input) => ws.leases.unlock(input.paths),
  });

  tools.add("check_files", {
    title: "Who holds these files",
    description:
      "Who holds leases on these paths? Returns {files: [{path, key, free, leases}]}: key is the lease key the path leads to; free is false when another agent holds one.",
    input: { paths },
    annotations: { readOnlyHint: true },
    run: async (input) => ({
      files: await Promise.all(
        input.paths.map(async (path) => {
          const { key, leases } = await ws.leases.checkPath(path);
          return { path, key, free: leases.every((lease) => lease.holder === session.agent), leases };
        }),
      ),
    }),
  });
}
