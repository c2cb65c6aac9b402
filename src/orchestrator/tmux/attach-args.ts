import { realpathSync } from "node:fs";
import { BatonError, clip } from "../../errors.js";
import { sessionTarget } from "./tmux-args.js";

export interface AttachOptions {
  /** The server's socket (-S), or undefined for the user's server. */
  socket: string | undefined;
  session: string;
  /** A window index, or a window (@N) or pane (%N) id to show first. */
  window?: number | string | undefined;
  /** Where $TMUX is read: the caller's environment. */
  env?: NodeJS.ProcessEnv;
}

/**
 * The argv that puts the person's terminal on the team's session, for the CLI
 * to run with its stdio inherited. Inside tmux ($TMUX set), on the same server,
 * the client switches over (switch-client), as attaching there would nest tmux
 * in itself, which tmux refuses. Inside another server (a private socket), the
 * session is attached nested, with TMUX unset for that one command, since that
 * is the only way to see it from there. Outside tmux it attaches.
 */
export function attachArgs(options: AttachOptions): string[] {
  const env = options.env ?? process.env;
  const target = attachTarget(options.session, options.window);
  const server = options.socket === undefined ? [] : ["-S", options.socket];
  const inside = env.TMUX !== undefined && env.TMUX !== "";
  if (inside && sameServer(env.TMUX!, options.socket)) {
    return ["tmux", "-u", ...server, "switch-client", "-t", target];
  }
  const attach = ["tmux", "-u", ...server, "attach-session", "-t", target];
  return inside ? ["env", "-u", "TMUX", ...attach] : attach;
}

/**
 * `=session`, `=session:INDEX`, `=session:@N`; a pane id stands alone, since
 * tmux does not take one after the session (`=team:%3` is "can't find window")
 * and a pane id is unique on its server.
 */
function attachTarget(session: string, window: number | string | undefined): string {
  const exact = sessionTarget(session);
  if (window === undefined) return exact;
  if (typeof window === "number" && Number.isSafeInteger(window) && window >= 0) return `${exact}:${window}`;
  if (typeof window === "string" && /^@\d+$/.test(window)) return `${exact}:${window}`;
  if (typeof window === "string" && /^%\d+$/.test(window)) return window;
  throw new BatonError(
    "invalid_input",
    `'${clip(String(window))}' is not a window index or id`,
    "pass the index, windowId (@N) or paneId (%N) that listWindows returned",
  );
}

/**
 * Whether $TMUX (`socket,pid,session`) names the server at `socket`. Without a
 * socket of our own, tmux commands go to $TMUX's server itself (that is how the
 * tmux client picks its server), so it is the same one.
 */
function sameServer(tmuxVariable: string, socket: string | undefined): boolean {
  if (socket === undefined) return true;
  const theirs = tmuxVariable.replace(/,-?\d+,-?\d+$/, ""); // the path may hold commas itself
  return real(theirs) === real(socket);
}

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
