import { type LeaseAliases, leaseKeys } from "../domain/lease-conflicts.js";
import { patternsOverlap } from "../domain/lease-pattern.js";
import { checkCount, checkDuration, optionalText } from "../domain/limits.js";
import type { Lease } from "../domain/types.js";
import { BatonError, isBatonError } from "../errors.js";
import type { AcquireResult } from "../store/port.js";
import { formatDuration } from "../util/duration.js";
import { withFsSnapshot } from "../workspace/fs-snapshot.js";
import { hardLinkCount, keysNow, spelledKeys } from "../workspace/lease-keys.js";
import { type PatternOptions, toWorkspacePattern, WHOLE_WORKSPACE } from "../workspace/workspace-path.js";
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
  /** Allow a pattern that covers the whole workspace (`**`, `*`, the root): said on purpose, by a human. */
  wholeWorkspace?: boolean;
}

export interface LockResult extends AcquireResult {
  /** What the caller should know about a grant (a file with other names it does not cover). */
  warnings: string[];
}

/** Held leases that release themselves when the scope ends: `await using held = await ws.leases.hold([...])`. */
export interface HeldLeases extends AsyncDisposable {
  leases: Lease[];
  release(): Promise<void>;
}

/**
 * Leases as every face sees them. Each path is resolved once, by
 * `toWorkspacePattern` (symlinks followed as the kernel does), for locking,
 * checking, releasing and the edit guard alike; and each held lease answers
 * both to its stored key and to where that key leads now (`keysNow`), so a
 * symlink made after a grant can neither let a second agent in under another
 * name nor strand the lease where nobody can release it.
 */
export class LeaseService {
  constructor(private readonly ctx: ServiceContext) {}

  /** Workspace-relative form of paths typed relative to the working directory. */
  normalise(paths: string[], options: PatternOptions = {}): string[] {
    if (paths.length === 0)
      throw new BatonError("usage", "no path given", {
        cli: "name one or more files, folders or globs: baton lock src/api.ts",
        tool: 'name one or more paths, e.g. ["src/api.ts"]',
      });
    return checkCount("paths", paths).map((path) => toWorkspacePattern(path, this.ctx.paths, options));
  }

  async lock(paths: string[], options: LockOptions = {}): Promise<LockResult> {
    const held = await this.ctx.store.listLeases({});
    // One look at the file system for the paths, every held lease's key and the hard-link count.
    const { wanted, aliases, warnings } = withFsSnapshot(() => {
      const wanted =
        options.wholeWorkspace && paths.length === 0
          ? [WHOLE_WORKSPACE]
          : this.normalise(paths, { wholeWorkspace: options.wholeWorkspace });
      return { wanted, aliases: this.aliases(held, wanted), warnings: this.hardLinkWarnings(paths, wanted) };
    });
    const result = await this.ctx.store.acquireLeases({
      actor: this.ctx.actor(),
      dryRun: this.ctx.dryRun,
      paths: wanted,
      exclusive: !options.shared,
      ttlMs: checkDuration("ttl", options.ttlMs ?? this.ctx.config.leaseTtlMs),
      intent: optionalText("intent", options.intent),
      aliases,
    });
    return { ...result, warnings };
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
   * The stored keys to release. A key spelled as it is stored wins (what
   * `locks` shows always works, even once its path leads outside or round a
   * loop); else the path is resolved, and every lease stored under that key or
   * leading there now is meant.
   */
  private releaseKeys(paths: string[], leases: Lease[]): string[] {
    return withFsSnapshot(() => this.releaseKeysNow(paths, leases));
  }

  private releaseKeysNow(paths: string[], leases: Lease[]): string[] {
    if (paths.length === 0) return this.normalise(paths);
    checkCount("paths", paths);
    const stored = new Set(leases.map((lease) => lease.path));
    // Only a path that spells no stored key needs where every lease leads now.
    let aliases: LeaseAliases | undefined;
    return [
      ...new Set(
        paths.flatMap((path) => {
          const spelled = spelledKeys(path, this.ctx.paths).find((key) => stored.has(key));
          if (spelled !== undefined) return [spelled];
          const resolved = this.resolveForRelease(path, leases);
          aliases ??= this.aliases(leases);
          const meant = [...stored].filter((key) => key === resolved || aliases![key]?.includes(resolved));
          return meant.length > 0 ? meant : [resolved];
        }),
      ),
    ];
  }

  private resolveForRelease(path: string, leases: Lease[]): string {
    try {
      return toWorkspacePattern(path, this.ctx.paths, { wholeWorkspace: true });
    } catch (error) {
      if (!isBatonError(error) || leases.length === 0) throw error;
      const keys = [...new Set(leases.map((lease) => lease.path))].slice(0, 5).join(", ");
      throw new BatonError(error.code, `${error.message}, and no lease is stored under that name`, {
        cli: `name the lease as \`baton locks\` shows it (${keys}${leases.length > 5 ? ", ..." : ""})`,
        tool: `name the lease as it is stored (${keys}${leases.length > 5 ? ", ..." : ""})`,
      });
    }
  }

  async list(options: { holder?: string } = {}): Promise<Lease[]> {
    return this.ctx.store.listLeases(options);
  }

  /** Live leases that overlap a path: who would stop you editing it. */
  async check(path: string): Promise<Lease[]> {
    return (await this.checkPath(path)).leases;
  }

  /**
   * The key a path is checked under, and the live leases that overlap it. A
   * path that leads nowhere the repository holds (outside, a loop) still
   * finds a lease stored under its name; with none, it is refused.
   */
  async checkPath(path: string): Promise<{ key: string; leases: Lease[] }> {
    try {
      const [key] = withFsSnapshot(() => this.normalise([path], { wholeWorkspace: true }));
      return { key: key!, leases: await this.overlapping(key!) };
    } catch (error) {
      if (!isBatonError(error) || (error.code !== "outside_workspace" && error.code !== "invalid_input"))
        throw error;
      const all = await this.ctx.store.listLeases({});
      const stored = new Set(all.map((lease) => lease.path));
      const key = spelledKeys(path, this.ctx.paths).find((k) => stored.has(k));
      if (key === undefined) throw error;
      return { key, leases: all.filter((lease) => lease.path === key) };
    }
  }

  /** Live leases that overlap a repository-relative pattern, already normalised, under their keys or where those lead now. */
  async overlapping(pattern: string): Promise<Lease[]> {
    const all = await this.ctx.store.listLeases({});
    const aliases = withFsSnapshot(() => this.aliases(all, [pattern]));
    const wanted = leaseKeys(pattern, aliases);
    return all.filter((lease) =>
      leaseKeys(lease.path, aliases).some((key) => wanted.some((other) => patternsOverlap(key, other))),
    );
  }

  /** The other keys each lease key (held, or asked for in `more`) answers to now. */
  private aliases(leases: Lease[], more: string[] = []): LeaseAliases {
    const aliases: LeaseAliases = {};
    for (const key of new Set([...leases.map((lease) => lease.path), ...more])) {
      const now = keysNow(key, this.ctx.paths);
      if (now.length > 0) aliases[key] = now;
    }
    return aliases;
  }

  private hardLinkWarnings(paths: string[], keys: string[]): string[] {
    return paths.flatMap((path, i) => {
      const names = hardLinkCount(path, this.ctx.paths);
      return names > 1
        ? [
            `${keys[i] ?? path} has ${names} names (hard links): the lease covers this name only; lock its other names too, or edit it only through this one`,
          ]
        : [];
    });
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
