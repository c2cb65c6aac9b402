import { Tmux } from "../tmux/tmux.js";
import type { TeamRecord } from "./team-record.js";

/**
 * The tmux server a team lives on: the user's own (so plain `tmux attach`
 * works), unless BATON_TMUX_SOCKET names another (tests, or a user who wants
 * baton's sessions apart). A team keeps the socket it was started on.
 */
export function teamTmux(record?: TeamRecord): Tmux {
  const socket = record?.tmuxSocket ?? (process.env.BATON_TMUX_SOCKET || undefined);
  return new Tmux({ socket });
}
