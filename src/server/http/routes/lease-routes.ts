import { z } from "zod";
import { BatonError } from "../../../errors.js";
import { formatDuration } from "../../../util/duration.js";
import { duration, type Route, route } from "../route.js";
import { agentName, paths, text, token } from "./fields.js";

/** File leases: lock before editing, release after; a human may break a lease that is in the way. */
export const LEASE_ROUTES: Route[] = [
  route({
    method: "GET",
    path: "/leases",
    operationId: "listLeases",
    summary: "Live leases (holder: only that agent's)",
    tag: "leases",
    query: z.object({ holder: agentName.optional() }).strict(),
    run: async ({ ws, query }) => ({ leases: await ws.leases.list(query) }),
  }),
  route({
    method: "POST",
    path: "/leases",
    operationId: "lock",
    summary: "Lease files, folders or globs: all granted, or none (409 with the holders)",
    tag: "leases",
    creates: true,
    body: z
      .object({
        paths: paths.optional(),
        ttl: duration("ttl").optional(),
        intent: text("intent").optional(),
        shared: z.boolean().optional(),
        wholeWorkspace: z.boolean().optional(),
      })
      .strict(),
    run: async ({ ws, body: { paths: wanted, ttl, ...options } }) => {
      const result = await ws.leases.lock(wanted ?? [], { ...options, ttlMs: ttl });
      const first = result.conflicts[0];
      if (first) {
        // All or none: nothing was granted. A conflict, as for every other refusal, with who holds what.
        throw new BatonError(
          "conflict",
          `${first.path} is locked by ${first.holder}${first.intent ? ` to ${first.intent}` : ""}, for ${formatDuration(first.expiresAt - ws.hub.clock.now())} more; nothing was locked`,
          "work on something else meanwhile, or message the holder",
          { conflicts: result.conflicts, warnings: result.warnings },
        );
      }
      return { granted: result.granted, warnings: result.warnings };
    },
  }),
  route({
    method: "POST",
    path: "/leases/release",
    operationId: "unlock",
    summary: "Release your leases on these paths (those you did not hold are listed in notHeld)",
    tag: "leases",
    body: z.object({ paths, token: token.optional() }).strict(),
    run: async ({ ws, body }) => ws.leases.unlock(body.paths, { token: body.token }),
  }),
  route({
    method: "GET",
    path: "/leases/check",
    operationId: "checkPath",
    summary: "Who holds a lease overlapping a path",
    tag: "leases",
    query: z.object({ path: z.string().min(1).max(1024) }).strict(),
    run: async ({ ws, query }) => ws.leases.checkPath(query.path),
  }),
  route({
    method: "POST",
    path: "/leases/force-release",
    operationId: "forceRelease",
    summary: "Release every lease on these paths, whoever holds it (humans only)",
    tag: "leases",
    humanOnly: true,
    body: z
      .object({
        paths,
        onlyTokens: z
          .array(token)
          .max(1000)
          .optional()
          .describe("release only if these are still the leases there"),
      })
      .strict(),
    run: async ({ ws, body }) => ({ released: await ws.leases.forceRelease(body.paths, body) }),
  }),
];
