import { realpathSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BatonError } from "../errors.js";
import type { Tree } from "../workspace/find-root.js";
import { resolveReal } from "../workspace/real-path.js";
import { isInside } from "../workspace/workspace-path.js";
import { worktreeAgentFile } from "../workspace/worktree-agent.js";
import { planClaude } from "./connect-claude.js";
import { planCodex } from "./connect-codex.js";
import { planGemini } from "./connect-gemini.js";
import { planInstructions } from "./connect-instructions.js";
import { readText } from "./host-files.js";
import type { Host } from "./host-names.js";
import { LAUNCHER } from "./instructions.js";

export { writeTextAtomic } from "../util/write-atomic.js";

export interface FileChange {
  path: string;
  before: string;
  after: string;
  /** File mode for a new file (the launcher is executable). */
  mode?: number;
}

/** Something `connect` cannot do itself: a step left to the user, or a risk to know about. */
export interface ConnectNote {
  level: "todo" | "warning";
  text: string;
}

export interface ConnectPlan {
  files: FileChange[];
  notes: ConnectNote[];
}

export interface ConnectOptions {
  /** The worktree `connect` runs in: host files go to its root, the agent's name to its git dir. */
  tree: Tree;
  /** The main checkout, where `.baton/` lives. */
  hubRoot: string;
  agent: string;
  scope: "project" | "user";
  /** Where user-scope files live; the home folder unless a test says otherwise. */
  home?: string;
  /** Codex's home ($CODEX_HOME or ~/.codex). */
  codexHome?: string;
}

/**
 * The command hosts run: `baton`, found on PATH. It is the one line that works
 * in a fresh clone, in every worktree, for a project without Node, and fast
 * (a hook runs on every edit: `npx --no-install baton` costs 0.26–0.41 s a call
 * here and fails in a worktree without node_modules; node directly 0.05–0.10 s).
 * An absolute path would work too, but it names one machine's folders in files
 * the team commits.
 */
export const BATON_COMMAND = "baton";

/** What every host's files share: the agent's name for this worktree and the launcher. */
export interface HostContext extends ConnectOptions {
  home: string;
  codexHome: string;
  change(path: string, edit: (text: string) => string, mode?: number): FileChange;
}

/** The files `baton connect HOST` would write, with their content before and after, and what it cannot do. Writes nothing. */
export function planConnect(host: Host, options: ConnectOptions): ConnectPlan {
  const ctx = hostContext(options);
  const own = planWorktree(ctx);
  const hostPlan = planHost(host, ctx);
  return { files: [...hostPlan.files, ...own], notes: hostPlan.notes };
}

/** Only the worktree's own files (its agent's name, the launcher): for a program that reads no host config. */
export function planAgentTree(options: ConnectOptions): FileChange[] {
  return planWorktree(hostContext(options));
}

function hostContext(options: ConnectOptions): HostContext {
  const home = options.home ?? homedir();
  const codexHome = options.codexHome ?? (process.env.CODEX_HOME || join(home, ".codex"));
  const allowed = [options.tree.root, options.hubRoot, options.tree.gitDir, home, codexHome];
  return {
    ...options,
    home,
    codexHome,
    change(path, edit, mode) {
      const real = writablePath(path, allowed);
      const before = readText(real);
      return { path: real, before, after: edit(before), mode };
    },
  };
}

/**
 * Where a write to `path` really lands: links are followed (a host file may be
 * a link the team keeps elsewhere in the repository), but never out of the
 * repository, the worktree's git dir or the user's home: a link that leads out
 * is refused before anything is written.
 */
function writablePath(path: string, allowed: string[]): string {
  const real = resolveReal("/", path);
  if (!allowed.some((root) => isInside(realOrSelf(root), real))) {
    throw new BatonError(
      "outside_workspace",
      `${path} leads to ${real} through a symlink, outside the repository and your home; nothing was written`,
      "remove the link or point it inside the repository, then run baton connect again",
      { path, real },
    );
  }
  return real;
}

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function planHost(host: Host, ctx: HostContext): ConnectPlan {
  switch (host) {
    case "claude":
      return planClaude(ctx);
    case "codex":
      return planCodex(ctx);
    case "gemini":
      return planGemini(ctx);
    case "pi":
    case "shell":
    case "aider":
      if (ctx.scope === "user") {
        throw new BatonError(
          "usage",
          `${host} reads its instructions from the repository`,
          "drop --scope user for this host",
        );
      }
      return planInstructions(host, ctx);
  }
}

/**
 * The worktree's own, never committed: the agent's name in the tree's git dir,
 * and `.baton/bin/baton`, a launcher with this machine's paths that runs baton
 * whether or not it is on PATH (in a folder that git-ignores itself).
 */
function planWorktree(ctx: HostContext): FileChange[] {
  const launcher = join(ctx.tree.root, LAUNCHER);
  const cli = fileURLToPath(new URL("../cli/baton.js", import.meta.url));
  const quote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;
  const script = `#!/bin/sh
# Written by \`baton connect\` for this worktree; not committed (see .gitignore beside it).
# Runs baton whether or not it is on PATH.
exec ${quote(process.execPath)} ${quote(cli)} "$@"
`;
  return [
    ctx.change(worktreeAgentFile(ctx.tree.gitDir), () => `${ctx.agent}\n`),
    ctx.change(launcher, () => script, 0o755),
    ctx.change(join(ctx.tree.root, ".baton", "bin", ".gitignore"), () => "*\n"),
  ];
}
