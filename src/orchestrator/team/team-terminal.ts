import { BatonError, clip } from "../../errors.js";
import type { Workspace } from "../../services/workspace.js";
import { neutralise } from "../../util/control-chars.js";
import type { AllowedKey, Tmux } from "../tmux/tmux.js";
import type { WindowInfo } from "../tmux/window-list.js";
import { sessionPanes } from "./end-window.js";
import { findTeamAgent, requireTeam } from "./team-lookup.js";
import type { TeamAgent, TeamRecord } from "./team-record.js";
import { teamTmux } from "./team-tmux.js";

/** An orchestrated agent's terminal, found safely: a pane of the team's own session, never a pane id alone. */
export interface AgentPane {
  record: TeamRecord;
  agent: TeamAgent;
  tmux: Tmux;
  window: WindowInfo;
}

/**
 * The pane of an agent of the team this repository runs. Its id comes from
 * team.json, but a tmux server started anew hands the same %N to other
 * sessions' windows (a person's own shell): so the pane must be one of the
 * team's session, as `baton nudge` and `baton attach` check.
 */
export async function agentPane(root: string, name: string): Promise<AgentPane> {
  const record = requireTeam(root);
  const agent = findTeamAgent(record, name);
  if (!record.session || !agent.paneId)
    throw new BatonError(
      "invalid_state",
      `${agent.name} has no terminal (a headless agent)`,
      `read its output in .baton/logs/${agent.name}.log; send it a message instead`,
    );
  const tmux = teamTmux(record);
  const window = (await sessionPanes(tmux, record.session)).get(agent.paneId);
  if (!window)
    throw new BatonError(
      "invalid_state",
      `${agent.name}'s window is gone`,
      "see the team in the agents list; baton down clears a team that is gone",
    );
  return { record, agent, tmux, window };
}

export interface TerminalScreen {
  agent: string;
  /** The pane's visible screen as plain text; control characters shown as stand-ins, never passed on. */
  screen: string;
  /** Its program has ended: the last screen it left, kept by remain-on-exit. */
  dead: boolean;
  at: number;
}

/**
 * What the agent's terminal shows now. capture-pane without -e gives text
 * with no escape sequences; neutralise still turns anything a browser or a
 * terminal could act on (a stray ESC, bidi overrides) into a visible stand-in.
 */
export async function terminalScreen(ws: Workspace, name: string): Promise<TerminalScreen> {
  const { agent, tmux, window } = await agentPane(ws.root, name);
  const screen = await tmux.capture(window.paneId);
  return { agent: agent.name, screen: neutralise(screen), dead: window.dead, at: ws.hub.clock.now() };
}

export interface TypeRequest {
  text: string;
  /** Enter after the text, once the program has echoed it (pane-input.ts). */
  submit: boolean;
  /** Named keys pressed after (arrows and Enter for a first-run screen, Escape, C-c). */
  keys: AllowedKey[];
}

/**
 * A person types into an agent's terminal: the text with send-keys -l (or a
 * guarded paste), keys only from ALLOWED_KEYS; recorded in the log as
 * team.typed, with who typed what into which agent, so nothing typed into an
 * agent is invisible to the rest of the team.
 */
export async function typeIntoTerminal(ws: Workspace, name: string, request: TypeRequest): Promise<void> {
  if (request.text === "" && !request.submit && request.keys.length === 0)
    throw new BatonError("invalid_input", "nothing to type", "give text, submit or keys");
  const { agent, tmux, window } = await agentPane(ws.root, name);
  if (request.text !== "" || request.submit)
    await tmux.sendText(window.paneId, request.text, { submit: request.submit });
  if (request.keys.length > 0) await tmux.sendKeys(window.paneId, request.keys);
  const what = [
    request.text && JSON.stringify(clip(request.text, 200)),
    request.submit && "Enter",
    ...request.keys,
  ].filter(Boolean);
  await ws.log.record(
    "team.typed",
    `${ws.identity} typed into ${agent.name}'s terminal: ${what.join(" ")}`,
    { agent: agent.name, by: ws.identity, text: request.text, submit: request.submit, keys: request.keys },
    { subject: agent.name },
  );
}

/** `baton nudge` from the web: a message typed and submitted in the agent's terminal, logged as team.nudged. */
export async function nudgeAgent(ws: Workspace, name: string, text: string): Promise<{ nudged: string }> {
  const { agent, tmux, window } = await agentPane(ws.root, name);
  await tmux.sendText(window.paneId, text, { submit: true });
  await ws.log.record(
    "team.nudged",
    `${ws.identity} nudged ${agent.name}: ${clip(text, 200)}`,
    { agent: agent.name, by: ws.identity, text },
    { subject: agent.name },
  );
  return { nudged: agent.name };
}
