import type { Clock } from "../clock.js";
import type { BatonConfig } from "../domain/config.js";
import type { Waker } from "../notify/waker.js";
import type { Store } from "../store/port.js";

/** What every service gets from its workspace. */
export interface ServiceContext {
  store: Store;
  config: BatonConfig;
  /** The repository's main root (a real path). */
  root: string;
  /** Where relative paths are resolved from. */
  cwd: string;
  clock: Clock;
  /** Wakes waiters (inbox --wait, ask --wait) after a commit that concerns them. */
  waker: Waker;
  /** Keep nothing: every change runs and is rolled back. */
  dryRun: boolean;
  /** The acting agent; throws `usage` with a hint when nobody is named. */
  actor(): string;
  /** The acting agent if one is named. */
  whoami(): string | undefined;
}
