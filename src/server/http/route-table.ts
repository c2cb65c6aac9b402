import type { Method, Route } from "./route.js";
import { AGENT_ROUTES } from "./routes/agent-routes.js";
import { HUMAN_ROUTES } from "./routes/human-routes.js";
import { LEASE_ROUTES } from "./routes/lease-routes.js";
import { MESSAGE_ROUTES } from "./routes/message-routes.js";
import { PROJECT_ROUTES } from "./routes/project-routes.js";
import { PUSH_ROUTES } from "./routes/push-routes.js";
import { SESSION_ROUTES } from "./routes/session-routes.js";
import { TASK_ROUTES } from "./routes/task-routes.js";
import { TEAM_ROUTES } from "./routes/team-routes.js";

/** Every operation of the JSON API, under /api/v1: what the handler serves and the API document lists. */
export const ROUTES: readonly Route[] = [
  ...TASK_ROUTES,
  ...LEASE_ROUTES,
  ...AGENT_ROUTES,
  ...MESSAGE_ROUTES,
  ...HUMAN_ROUTES,
  ...PROJECT_ROUTES,
  ...SESSION_ROUTES,
  ...TEAM_ROUTES,
  ...PUSH_ROUTES,
];

export const API_PREFIX = ["api", "v1"] as const;

export type Match =
  | { kind: "route"; route: Route; params: Record<string, string> }
  | { kind: "method"; allow: Method[] }
  | { kind: "none" };

function matchPath(pattern: string, segments: readonly string[]): Record<string, string> | undefined {
  const parts = pattern.slice(1).split("/");
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const segment = segments[i]!;
    if (part.startsWith("{")) {
      if (segment === "") return undefined;
      params[part.slice(1, -1)] = segment;
    } else if (part !== segment) return undefined;
  }
  return params;
}

/**
 * The route for a method and the path's segments below /api/v1. A literal
 * segment beats a parameter (POST `/tasks/claim` claims the next task, not
 * task "claim"), so the routes with fewer parameters are tried first. A path
 * served only under other methods answers 405 with them in Allow.
 */
export function matchRoute(method: string, segments: readonly string[]): Match {
  const candidates = ROUTES.map((route) => ({ route, params: matchPath(route.path, segments) }))
    .filter((c): c is { route: Route; params: Record<string, string> } => c.params !== undefined)
    .sort((a, b) => Object.keys(a.params).length - Object.keys(b.params).length);
  if (candidates.length === 0) return { kind: "none" };
  const hit = candidates.find((c) => c.route.method === method);
  if (hit) return { kind: "route", route: hit.route, params: hit.params };
  return { kind: "method", allow: [...new Set(candidates.map((c) => c.route.method))] };
}
