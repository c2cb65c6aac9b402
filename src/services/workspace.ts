import { realpathSync } from "node:fs";
import { type Clock, systemClock } from "../clock.js";
import type { BatonConfig } from "../domain/config.js";
import { isBatonError } from "../errors.js";
import type { Store } from "../store/port.js";
import { readConfig } from "../workspace/config-file.js";
import { findTree, hubRootOf, type Tree, tryTree } from "../workspace/find-root.js";
import { hubNotSetUp, openStore } from "../workspace/store-url.js";
import type { PathScope } from "../workspace/workspace-path.js";
import { readWorktreeAgent } from "../workspace/worktree-agent.js";
import { AgentService } from "./agent-service.js";
import { HookService } from "./hook-service.js";
import { HumanService } from "./human-service.js";
import { requireIdentity } from "./identity.js";
import { LeaseService } from "./lease-service.js";
import { LogService } from "./log-service.js";
import { MessageService } from "./message-service.js";
import { MirrorService } from "./mirror-service.js";
import { QueueService } from "./queue-service.js";
import type { ServiceContext } from "./service-context.js";
import { StatusService } from "./status-service.js";
import { SummaryService } from "./summary-service.js";
import { TaskService } from "./task-service.js";

export interface OpenWorkspaceOptions {
  /** Where to look for the repository; default: the process's working directory. */
  cwd?: string;
  /** Store URL (`sqlite:PATH` or a path); default: `.baton/baton.db` at the repository's main root. */
  store?: string;
  /** The agent acting; default: the BATON_AGENT environment variable, then the worktree's agent (`baton connect`). */
  as?: string;
  /** Run every change without keeping it. */
  dryRun?: boolean;
  clock?: Clock;
}

/** Where the acting identity came from, for `baton whoami` and for warnings. */
export type IdentitySource = "option" | "environment" | "worktree";

/**
 * One repository's hub, seen by one identity from one working tree: the
 * services every face (CLI, MCP, HTTP) shares. Open it with `openWorkspace`,
 * close it when done.
 *
 * Two roots: `root` is the hub root (the main checkout, where `.baton/` lives),
 * `tree` the worktree the caller works in, where lease paths start.
 */
export class Workspace implements AsyncDisposable {
  readonly tasks: TaskService;
  readonly leases: LeaseService;
  readonly agents: AgentService;
  readonly log: LogService;
  readonly messages: MessageService;
  readonly human: HumanService;
  readonly queues: QueueService;
  readonly summary: SummaryService;
  readonly mirror: MirrorService;
  readonly status: StatusService;

  readonly paths: PathScope;

  constructor(
    readonly root: string,
    readonly config: BatonConfig,
    readonly store: Store,
    readonly identity: string | undefined,
    options: {
      cwd: string;
      dryRun: boolean;
      clock: Clock;
      tree?: Tree;
      identitySource?: IdentitySource;
    },
  ) {
    this.tree = options.tree;
    this.identitySource = identity ? (options.identitySource ?? "option") : undefined;
    this.paths = {
      commonDir: options.tree?.commonDir,
      treeRoot: options.tree?.root ?? root,
      cwd: options.cwd,
    };
    const ctx: ServiceContext = {
      store,
      config,
      root,
      cwd: options.cwd,
      paths: this.paths,
      clock: options.clock,
      dryRun: options.dryRun,
      actor: () => requireIdentity(identity),
      whoami: () => identity,
    };
    const hooks = new HookService(ctx);
    this.tasks = new TaskService(ctx, hooks);
    this.leases = new LeaseService(ctx);
    this.agents = new AgentService(ctx);
    this.log = new LogService(ctx);
    this.messages = new MessageService(ctx, hooks);
    this.human = new HumanService(ctx, hooks);
    this.queues = new QueueService(ctx);
    this.summary = new SummaryService(ctx);
    this.mirror = new MirrorService(ctx);
    this.status = new StatusService(ctx, this.agents);
  }

  /** The worktree the caller works in; undefined for a store opened outside any repository. */
  readonly tree: Tree | undefined;
  readonly identitySource: IdentitySource | undefined;

  close(): Promise<void> {
    return this.store.close();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

export async function openWorkspace(options: OpenWorkspaceOptions = {}): Promise<Workspace> {
  const cwd = realpathSync(options.cwd ?? process.cwd());
  const clock = options.clock ?? systemClock;
  // An explicit store may live outside any repository; then paths are relative to cwd.
  const tree = options.store ? tryTree(cwd) : findTree(cwd);
  const root = tree ? hubRootOf(tree) : cwd;
  const config = readConfig(root);
  const store = openHubStore(options.store, root, cwd, clock, tree);
  const { identity, source } = resolveIdentity(options.as, tree);
  return new Workspace(root, config, store, identity, {
    cwd,
    dryRun: options.dryRun ?? false,
    clock,
    tree,
    identitySource: source,
  });
}

/**
 * Who acts: `--as`, else `BATON_AGENT` (set by whoever launched the agent),
 * else the worktree's agent recorded by `baton connect`. Never a committed file.
 */
export function resolveIdentity(
  as: string | undefined,
  tree: Tree | undefined,
): { identity: string | undefined; source: IdentitySource | undefined } {
  // An explicit `--as ""` is a mistake to report, not a reason to fall back to BATON_AGENT.
  // Trimmed as validateAgentName trims, so `ws.identity` is the name the store knows (the edit guard compares it).
  if (as !== undefined) return { identity: as.trim(), source: "option" };
  if (process.env.BATON_AGENT?.trim())
    return { identity: process.env.BATON_AGENT.trim(), source: "environment" };
  const recorded = tree ? readWorktreeAgent(tree.gitDir) : undefined;
  return recorded ? { identity: recorded, source: "worktree" } : { identity: undefined, source: undefined };
}

/** The store; in a linked worktree, a hub that is not set up is explained as the main checkout's. */
function openHubStore(
  url: string | undefined,
  root: string,
  cwd: string,
  clock: Clock,
  tree: Tree | undefined,
) {
  try {
    return openStore(url, root, cwd, clock);
  } catch (error) {
    if (!isBatonError(error) || error.code !== "not_initialised" || !tree || tree.root === root) throw error;
    throw hubNotSetUp(root, true);
  }
}
