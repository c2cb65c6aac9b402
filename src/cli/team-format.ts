import type { TeamView } from "../orchestrator/team/team-view.js";
import { oneLine as t } from "../util/control-chars.js";
import { type Style, table } from "./style.js";

/**
 * The team `baton up` started, for status: one row per agent with its process,
 * branch and port (what a person opens to see its dev server). What each agent
 * is doing, with its evidence, is in the Agents block beside it.
 */
export function teamLines(team: TeamView, s: Style): string[] {
  const head = `${s.bold("Team")}: tmux session ${team.session ?? "-"}${team.live ? "" : s.red(" (gone: baton down clears it)")}`;
  const colour = { running: s.green, exited: s.red, stopped: s.dim, gone: s.red };
  const rows = [["AGENT", "PROCESS", "BRANCH", "PORT"].map(s.dim)];
  for (const a of team.agents) {
    const process = `${a.process}${a.exit ? ` (${a.exit})` : ""}${a.restarts ? `, ${a.restarts} restart${a.restarts > 1 ? "s" : ""}` : ""}`;
    rows.push([s.bold(t(a.name)), colour[a.process](process), t(a.branch ?? "(shared)"), String(a.port)]);
  }
  const room = s.columns === undefined ? undefined : Math.max(s.columns - 2, 20);
  return [
    head,
    table(rows, room)
      .split("\n")
      .map((line) => `  ${line}`)
      .join("\n"),
  ];
}
