import { readFileSync } from "node:fs";
import { join } from "node:path";
import { BatonError } from "../../errors.js";
import { protocolText, ROLE_TEMPLATES } from "../../hosts/instructions.js";

export const DEFAULT_ROLE = "developer";
const ROLE = /^[a-z][a-z0-9_-]{0,31}$/;

/** A role's text: the team's own `.baton/roles/ROLE.md` (committed, edited by the team), else baton's template. */
export function roleText(root: string, role: string): string {
  if (!ROLE.test(role))
    throw new BatonError(
      "usage",
      `'${role.slice(0, 40)}' is not a role name`,
      "roles are lowercase words: --roles lead,developer,reviewer",
    );
  try {
    return readFileSync(join(root, ".baton", "roles", `${role}.md`), "utf8");
  } catch {
    // Its own templates only: "constructor" is a role name, and Object's constructor is no text.
    const template = Object.hasOwn(ROLE_TEMPLATES, role) ? ROLE_TEMPLATES[role] : undefined;
    if (template) return template;
    throw new BatonError(
      "not_found",
      `no role '${role}': .baton/roles/${role}.md does not exist`,
      `write it (see .baton/roles/ for examples), or use one of: ${Object.keys(ROLE_TEMPLATES).join(", ")}`,
    );
  }
}

/** The first message an agent of the team gets: who it is, where it works, the protocol, its role. */
export function firstPrompt(agent: {
  name: string;
  role: string;
  cwd: string;
  branch: string | null;
  port: number;
  teamSize: number;
  roleText: string;
}): string {
  const where = agent.branch
    ? `your own git worktree ${agent.cwd} on branch ${agent.branch} (commit there; a human merges it)`
    : `the shared checkout ${agent.cwd}`;
  return [
    `You are ${agent.name}, the ${agent.role} in a team of ${agent.teamSize} agents that baton coordinates in this repository.`,
    `You work in ${where}. Ports ${agent.port} to ${agent.port + 9} are yours (BATON_PORT) for dev servers.`,
    "",
    protocolText(agent.name),
    "",
    agent.roleText.trim(),
    "",
    "Start now: look at the ready tasks, claim one, and work until none is left; then wait for messages.",
  ].join("\n");
}
