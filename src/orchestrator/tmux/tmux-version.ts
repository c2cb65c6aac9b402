import { BatonError } from "../../errors.js";
import { which } from "../../util/which.js";
import { INSTALL_HINT, runTmux } from "./tmux-run.js";

export interface TmuxInfo {
  path: string;
  /** As `tmux -V` says it: 3.3a, next-3.6, openbsd-7.5. */
  version: string;
  /** 3.2 or later: `copy-mode -q`, which sendText and sendKeys need, came in 3.2. */
  supported: boolean;
}

/** tmux on PATH and its version, or undefined when it is not installed. */
export async function tmuxInfo(): Promise<TmuxInfo | undefined> {
  const path = which("tmux");
  if (!path) return undefined;
  const result = await runTmux(["-V"]);
  const version = result.stdout.trim().replace(/^tmux\s+/, "");
  return { path, version, supported: supportedVersion(version) };
}

/** tmuxInfo(), or a BatonError saying what to install when tmux is missing or too old. */
export async function requireTmux(): Promise<TmuxInfo> {
  const info = await tmuxInfo();
  if (!info) throw new BatonError("unsupported", "tmux is not installed (not found on PATH)", INSTALL_HINT);
  if (!info.supported) {
    throw new BatonError(
      "unsupported",
      `tmux ${info.version} is too old: baton needs 3.2 or later`,
      INSTALL_HINT,
    );
  }
  return info;
}

/** 3.2 or later; builds that name no number (openbsd-N, master) are taken as recent. */
export function supportedVersion(version: string): boolean {
  if (/^(openbsd-|master)/.test(version)) return true;
  const match = /(\d+)\.(\d+)/.exec(version);
  if (!match) return true;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  return major > 3 || (major === 3 && minor >= 2);
}
