import { z } from "zod";
import { AGENT_KINDS } from "../../../domain/types.js";
import { BatonError } from "../../../errors.js";
import { flag, type Route, route } from "../route.js";
import { none, text } from "./fields.js";

/** The team: who is on it, joining and leaving, heartbeats. */
export const AGENT_ROUTES: Route[] = [
  route({
    method: "GET",
    path: "/agents",
    operationId: "listAgents",
    summary: "The team, with each agent's state",
    tag: "agents",
    run: async ({ ws }) => ({ agents: await ws.agents.list() }),
  }),
  route({
    method: "GET",
    path: "/agents/me",
    operationId: "me",
    summary: "Your own record (null before you have joined)",
    tag: "agents",
    run: async ({ ws }) => ({ agent: (await ws.agents.me()) ?? null }),
  }),
  route({
    method: "POST",
    path: "/agents/join",
    operationId: "join",
    summary: "Join the team, or change your role or kind",
    tag: "agents",
    body: z.object({ role: text("role").optional(), kind: z.enum(AGENT_KINDS).optional() }).strict(),
    run: async ({ ws, principal, body }) => {
      // Who is a person is fixed by how they signed in, never by what they say: a key cannot promote itself.
      if (principal.kind === "agent" && body.kind === "human")
        throw new BatonError(
          "forbidden",
          `${principal.name} signs in with an agent's key and cannot join as a human`,
          "people pair a browser or phone with the hub (the link baton serve prints)",
        );
      if (principal.kind === "human" && body.kind !== undefined && body.kind !== "human")
        throw new BatonError(
          "forbidden",
          `${principal.name} is a human and cannot join as ${body.kind}`,
          "an agent joins with its own key",
        );
      const kind = principal.kind === "human" ? "human" : body.kind;
      return { agent: await ws.agents.join({ role: body.role, kind }) };
    },
  }),
  route({
    method: "POST",
    path: "/agents/heartbeat",
    operationId: "heartbeat",
    summary: "Renew your claims and leases; reports once what you lost since",
    tag: "agents",
    body: z.object({ workingOn: text("workingOn").optional() }).strict(),
    run: async ({ ws, body }) => ws.agents.heartbeat(body),
  }),
  route({
    method: "POST",
    path: "/agents/leave",
    operationId: "leave",
    summary: "Leave the team: your claims go back to their queues, your leases end",
    tag: "agents",
    body: none,
    run: async ({ ws }) => ws.agents.leave(),
  }),
  route({
    method: "DELETE",
    path: "/agents/{name}",
    operationId: "removeAgent",
    summary: "Take an agent off the team (yourself, or anyone if you are a human)",
    tag: "agents",
    query: z.object({ force: flag.describe("even while it holds claims or leases") }).strict(),
    run: async ({ ws, principal, params, query }) => {
      if (principal.kind === "agent" && params.name !== principal.name)
        throw new BatonError(
          "forbidden",
          `${principal.name} is an agent; only a human, or ${params.name} itself, may remove ${params.name}`,
          "ask a human to remove it",
        );
      return ws.agents.remove(params.name!, { force: query.force });
    },
  }),
];
