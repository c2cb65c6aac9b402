import type { Lease } from "../domain/types.js";
import { BatonError } from "../errors.js";
import type { AcquireResult } from "../store/port.js";
import { formatDuration } from "../util/duration.js";
import { toWorkspacePattern } from "../workspace/workspace-path.js";
import type { ServiceContext } from "./service-context.js";

export interface UnlockResult {
  released: Lease[];
  /** The paths (as stored) the caller held no lease on: nothing to release there. */
  notHeld: string[];
}

export interface LockOptions {
  ttlMs?: number;
  intent?: string;
  shared?: boolean;
}

/** Held leases that release themselves when the scope ends: `await using held = await ws.leases.hold([...])`. */
export interface HeldLeases extends AsyncDisposable {
  leases: Lease[];
  release(): Promise<void>;
}

export class LeaseService {
  constructor(private readonly ctx: ServiceContext) {}

  /** Workspace-relative form of paths typed relative to the working directory. */
  normalise(paths: string[]): string[] {
    if (paths.length === 0)
      throw new BatonError("usage", "no path given", {
        cli: "name one or more files, folders or globs: baton lock src/api.ts",
        tool: 'name one or more paths, e.g. ["src/api.ts"]',
      });
    return paths.map((path) => toWorkspacePattern(path, this.ctx.paths));
  }

  async lock(paths: string[], options: LockOptions = {}): Promise<AcquireResult> {
    return this.ctx.store.acquireLeases({
      actor: this.ctx.actor(),
      dryRun: this.ctx.dryRun,
      paths: this.normalise(paths),
      exclusive: !options.shared,
      ttlMs: options.ttlMs ?? this.ctx.config.leaseTtlMs,
      intent: options.intent?.trim() || null,
    });
  }

  /**
   * Releases the caller's leases on `paths`. Idempotent: a path the caller does not hold (never
   * locked, already released, expired) is reported in `notHeld`, not refused. With a token the
   * caller names one lease, and a token that is not the current one is `lease_lost`.
   */
  async unlock(paths: string[], options: { token?: number } = {}): Promise<UnlockResult> {
    const actor = this.ctx.actor();
    const held = await this.ctx.store.listLeases({ holder: actor });
    const keys = this.releaseKeys(paths, held);
    const released = await this.ctx.store.releaseLeases({
      actor,
      dryRun: this.ctx.dryRun,
      paths: keys,
      token: options.token,
      ifHeld: true,
    });
    const freed = new Set(released.map((lease) => lease.path));
    return { released, notHeld: [...new Set(keys)].filter((key) => !freed.has(key)) };
  }

  /** The leases `forceRelease(paths)` would release now, whoever holds them. */
  async forceReleasePreview(paths: string[]): Promise<Lease[]> {
    const all = await this.ctx.store.listLeases({});
    const keys = new Set(this.releaseKeys(paths, all));
    return all.filter((lease) => keys.has(lease.path));
  }

  /**
   * Releases every lease on `paths`, whoever holds it. `onlyTokens`: the leases the caller saw
   * (a human confirmed them); if another lease appeared on those paths since, nothing is released.
   */
  async forceRelease(paths: string[], options: { onlyTokens?: number[] } = {}): Promise<Lease[]> {
    const all = await this.ctx.store.listLeases({});
    return this.ctx.store.forceReleaseLeases({
      actor: this.ctx.actor(),
      dryRun: this.ctx.dryRun,
      paths: this.releaseKeys(paths, all),
      tokens: options.onlyTokens,
    });
  }

  /**
   * The stored keys to release. A lease is keyed by where its path led when it
   * was granted; if a symlink appeared or a folder vanished since, the same text
   * now leads elsewhere (or outside). Releasing must still work: a key typed as
   * it is stored wins over where the path leads now, so a holder can always let
   * go, and a force-release never falls through to another lease.
   */
  private releaseKeys(paths: string[], leases: Lease[]): string[] {
    if (paths.length === 0) return this.normalise(paths);
    const stored = new Set(leases.map((lease) => lease.path));
    return paths.map((path) => {
      const literal = path
        .trim()
        .replace(/^(\.\/)+/, "")
        .replace(/\/{2,}/g, "/");
      const asTyped = [literal, `${literal.replace(/\/+$/, "")}/**`].find((key) => stored.has(key));
      return asTyped ?? this.normalise([path])[0]!;
    });
  }

  async list(options: { holder?: string } = {}): Promise<Lease[]> {
    return this.ctx.store.listLeases(options);
  }

  /** Live leases that overlap a path: who would stop you editing it. */
  async check(path: string): Promise<Lease[]> {
    const [pattern] = this.normalise([path]);
    return this.overlapping(pattern!);
  }

  /** Live leases that overlap a repository-relative pattern, already normalised. */
  async overlapping(pattern: string): Promise<Lease[]> {
    return this.ctx.store.listLeases({ overlapping: pattern });
  }

  /** Locks or throws `conflict`; the result releases the leases when disposed. */
  async hold(paths: string[], options: LockOptions = {}): Promise<HeldLeases> {
    const result = await this.lock(paths, options);
    if (result.conflicts.length > 0) {
      const first = result.conflicts[0]!;
      throw new BatonError(
        "conflict",
        `${first.path} is locked by ${first.holder}${first.intent ? ` to ${first.intent}` : ""}, for ${formatDuration(first.expiresAt - this.ctx.clock.now())} more`,
        "work on something else meanwhile, or ask the holder to unlock it",
        { conflicts: result.conflicts },
      );
    }
    let released = false;
    const release = async () => {
      if (released) return;
      released = true;
      await this.unlock(result.granted.map((lease) => lease.path));
    };
    return { leases: result.granted, release, [Symbol.asyncDispose]: release };
  }
}
