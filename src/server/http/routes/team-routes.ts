import { z } from "zod";
import { restartAgent } from "../../../orchestrator/team/restart-agent.js";
import { requestStop } from "../../../orchestrator/team/stop-agent.js";
import { nudgeAgent, terminalScreen, typeIntoTerminal } from "../../../orchestrator/team/team-terminal.js";
import { teamView } from "../../../orchestrator/team/team-view.js";
import { ALLOWED_KEYS } from "../../../orchestrator/tmux/tmux.js";
import { type Route, route } from "../route.js";
import { none, text } from "./fields.js";

/** Text typed into a terminal: kept whole in the log entry (team.typed), whose data has room for this much. */
const typed = z.string().max(4000);

/** What `baton nudge` types when given nothing to say. */
const DEFAULT_NUDGE = "Check your baton inbox and the ready tasks, then carry on.";

/**
 * The team `baton up` started, as the web app's agents screen shows and
 * drives it: each agent's process and terminal, and a person's nudge, typing,
 * stop and restart. Everything that acts is for humans only and logged.
 */
export const TEAM_ROUTES: Route[] = [
  route({
    method: "GET",
    path: "/team",
    operationId: "team",
    summary:
      "The team baton up started (its tmux session, each agent's process, port, whether it was heard from); null when none runs",
    tag: "team",
    run: async ({ ws }) => {
      const seen = new Map((await ws.agents.list()).map((a) => [a.name, a.lastSeenAt]));
      return { team: (await teamView(ws.root, seen)) ?? null };
    },
  }),
  route({
    method: "GET",
    path: "/agents/{name}/terminal",
    operationId: "agentTerminal",
    summary: "What an orchestrated agent's terminal shows now, as plain text (humans only)",
    tag: "team",
    humanOnly: true,
    run: async ({ ws, params }) => terminalScreen(ws, params.name!),
  }),
  route({
    method: "POST",
    path: "/agents/{name}/terminal",
    operationId: "typeIntoTerminal",
    summary:
      "Type into an orchestrated agent's terminal: text (control characters as stand-ins), Enter, named keys; logged as team.typed (humans only)",
    tag: "team",
    humanOnly: true,
    body: z
      .object({
        text: typed.default(""),
        submit: z.boolean().default(false).describe("press Enter after the text, once it was echoed"),
        keys: z.array(z.enum(ALLOWED_KEYS)).max(16).default([]),
      })
      .strict(),
    run: async ({ ws, params, body }) => {
      await typeIntoTerminal(ws, params.name!, body);
      return { typed: params.name };
    },
  }),
  route({
    method: "POST",
    path: "/agents/{name}/nudge",
    operationId: "nudgeAgent",
    summary:
      "Type a message into an orchestrated agent's terminal and submit it, as baton nudge (humans only)",
    tag: "team",
    humanOnly: true,
    body: z.object({ text: typed.min(1).optional() }).strict(),
    run: async ({ ws, params, body }) => nudgeAgent(ws, params.name!, body.text ?? DEFAULT_NUDGE),
  }),
  route({
    method: "POST",
    path: "/agents/{name}/stop",
    operationId: "stopAgent",
    summary:
      "Ask an agent of the team to stop, as baton stop --no-wait: the hub ends its session if it has not left in time (humans only)",
    tag: "team",
    humanOnly: true,
    body: z.object({ reason: text("reason").optional() }).strict(),
    run: async ({ ws, params, body }) => ({
      stop: await requestStop(ws.hub, ws.root, params.name!, { by: ws.identity!, reason: body.reason }),
    }),
  }),
  route({
    method: "POST",
    path: "/agents/{name}/restart",
    operationId: "restartAgent",
    summary: "Restart an agent of the team in its window, as the supervisor restarts one (humans only)",
    tag: "team",
    humanOnly: true,
    body: none,
    run: async ({ ws, params }) => ({ restarted: await restartAgent(ws, params.name!) }),
  }),
];
