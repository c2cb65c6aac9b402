import { sleep } from "../../util/sleep.js";
import type { Tmux } from "../tmux/tmux.js";
import type { WindowInfo } from "../tmux/window-list.js";

/** How long what a closed window ran has to end on tmux's SIGHUP before its group is killed. */
const HANGUP_GRACE_MS = 1_000;

/** Whether any process is left in the group (a group outlives its leader while members remain). */
function groupLives(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Ends a window of the team and everything its pane started. Closing a
 * window only sends SIGHUP: a hostile run's run script (`trap "" HUP TERM`,
 * as a dev server may do by accident) outlived `baton down`, holding its port
 * with nothing left to stop it. The pane's process leads a group of its own
 * (tmux starts it in a new session), so what still runs in that group a moment
 * after the hangup is killed. The group's id cannot be taken by another
 * process while any member lives, and the wait is a second, so no stranger's
 * group is reached. Something that left the group (setsid, a daemon) is out of
 * reach, as of any terminal.
 */
export async function endWindow(tmux: Tmux, window: WindowInfo): Promise<void> {
  const pgid = window.dead || !(window.panePid > 1) ? undefined : window.panePid;
  await tmux.killWindow(window.paneId).catch(() => false);
  if (pgid === undefined) return;
  const deadline = Date.now() + HANGUP_GRACE_MS;
  while (groupLives(pgid) && Date.now() < deadline) await sleep(50);
  if (!groupLives(pgid)) return;
  try {
    process.kill(-pgid, "SIGKILL");
  } catch {
    // ended meanwhile
  }
}

/** The session's windows by their pane id: only these are the team's, whatever team.json says. */
export async function sessionPanes(tmux: Tmux, session: string): Promise<Map<string, WindowInfo>> {
  if (!(await tmux.hasSession(session).catch(() => false))) return new Map();
  const windows = await tmux.listWindows(session).catch(() => []);
  return new Map(windows.map((w) => [w.paneId, w]));
}
