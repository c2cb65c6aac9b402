import { sleep } from "../../util/sleep.js";
import { sessionTarget } from "./tmux-args.js";
import type { TmuxClient } from "./tmux-client.js";

/** One window of a team's session, as listWindows reports it. */
export interface WindowInfo {
  index: number;
  /** `@N`: the window's id, unique on its server and never reused. */
  windowId: string;
  name: string;
  /** `%N`: the id of the window's first pane, where its command runs. */
  paneId: string;
  /** The pid of the pane's command (env execs into it, so it is the program's own). */
  panePid: number;
  /** The command has ended; the pane stays, showing its last screen (remain-on-exit). */
  dead: boolean;
  /** Its exit code when it exited, once tmux has collected it. */
  exitStatus: number | undefined;
  /** The signal that ended it (tmux 3.3 and later tell). */
  exitSignal: number | undefined;
  /** When the window last showed new output (ms, to the second): the supervisor's second sign of life. */
  activityAt: number | undefined;
}

/**
 * list-panes -F: one line per pane, fields split by tabs. The window name comes
 * last: tmux shows a tab or newline in a name escaped (\t, \n), and whatever a
 * person renamed the window to, the fields before it stay in place.
 */
export const PANE_FORMAT = [
  "#{window_index}",
  "#{window_id}",
  "#{pane_id}",
  "#{pane_index}",
  "#{pane_pid}",
  "#{pane_dead}",
  "#{pane_dead_status}",
  "#{pane_dead_signal}",
  "#{pid}",
  "#{window_activity}",
  "#{window_name}",
].join("\t");

export interface PaneListing {
  windows: WindowInfo[];
  /** The tmux server's pid. */
  serverPid: number | undefined;
}

/**
 * The session's windows, each with its first pane. A pane that tmux shows as
 * dead with no status yet has usually been missed, not delayed: with
 * libutempter (Debian's and Ubuntu's tmux), tmux can lose the SIGCHLD of a
 * command that ends soon after it starts and leave it a zombie for good (tmux
 * issue #311; seen here with 3.3a about one time in three). A SIGCHLD sent to
 * the server makes it reap its children, which is all its handler does, so the
 * status is asked for again, a few times at most.
 */
export async function listWindows(client: TmuxClient, session: string): Promise<WindowInfo[]> {
  for (let attempt = 0; ; attempt++) {
    const listing = parsePaneListing(
      await client.run(
        [["list-panes", "-s", "-t", sessionTarget(session), "-F", PANE_FORMAT]],
        `the tmux session ${session}`,
      ),
    );
    const unreaped = listing.windows.some(
      (w) => w.dead && w.exitStatus === undefined && w.exitSignal === undefined,
    );
    if (!unreaped || attempt === 5 || listing.serverPid === undefined) return listing.windows;
    try {
      process.kill(listing.serverPid, "SIGCHLD");
    } catch {
      return listing.windows; // not ours to signal: report what tmux knows
    }
    await sleep(10 * (attempt + 1));
  }
}

/** Parses list-panes -s output: each window with its first pane, in index order. */
export function parsePaneListing(output: string): PaneListing {
  const firstPanes = new Map<string, { paneIndex: number; info: WindowInfo }>();
  let serverPid: number | undefined;
  for (const line of output.split("\n")) {
    if (line === "") continue;
    const fields = line.split("\t");
    const [index, windowId, paneId, paneIndex, panePid, dead, status, signal, server, activity] = fields;
    const info: WindowInfo = {
      index: Number(index),
      windowId: windowId!,
      name: fields.slice(10).join("\t"),
      paneId: paneId!,
      panePid: Number(panePid),
      dead: dead === "1",
      exitStatus: optionalNumber(status),
      exitSignal: optionalNumber(signal),
      activityAt: activity ? Number(activity) * 1000 : undefined,
    };
    serverPid = optionalNumber(server) ?? serverPid;
    const known = firstPanes.get(info.windowId);
    if (!known || Number(paneIndex) < known.paneIndex) {
      firstPanes.set(info.windowId, { paneIndex: Number(paneIndex), info });
    }
  }
  const windows = [...firstPanes.values()].map((entry) => entry.info).sort((a, b) => a.index - b.index);
  return { windows, serverPid };
}

function optionalNumber(text: string | undefined): number | undefined {
  return text === undefined || text === "" ? undefined : Number(text);
}

/** How a dead pane's command ended, in words for people and the log: `status 1`, `signal 9`, or `no status`. */
export function exitWords(window: Pick<WindowInfo, "exitStatus" | "exitSignal">): string {
  if (window.exitStatus !== undefined) return `status ${window.exitStatus}`;
  return window.exitSignal !== undefined ? `signal ${window.exitSignal}` : "no status";
}
