import type { Clock } from "../clock.js";
import type { BatonConfig } from "../domain/config.js";
import type { Store } from "../store/port.js";
import type { PathScope } from "../workspace/workspace-path.js";

/** What every service gets from its workspace. */
export interface ServiceContext {
  store: Store;
  config: BatonConfig;
  /** The hub root: the repository's main checkout, where `.baton/` lives (a real path). */
  root: string;
  /** Where relative paths are resolved from. */
  cwd: string;
  /** The tree (worktree) the caller works in and the repository its paths must stay in. */
  paths: PathScope;
  clock: Clock;
  /** Keep nothing: every change runs and is rolled back. */
  dryRun: boolean;
  /** Ends waits early (the caller went away): they return as if their time ran out. */
  signal?: AbortSignal;
  /** The acting agent; throws `usage` with a hint when nobody is named. */
  actor(): string;
  /** The acting agent if one is named. */
  whoami(): string | undefined;
}
