import type { BatonConfig } from "../domain/config.js";
import type { Store } from "../store/port.js";
import type { Tree } from "../workspace/find-root.js";
import type { PathScope } from "../workspace/workspace-path.js";
import { readWorktreeAgent } from "../workspace/worktree-agent.js";
import { AccessService } from "./access-service.js";
import { AgentService } from "./agent-service.js";
import { CostService } from "./cost-service.js";
import { HookService } from "./hook-service.js";
import { type Hub, type IdentitySource, type OpenHubOptions, openHub, type SessionOptions } from "./hub.js";
import { HumanService } from "./human-service.js";
import { requireIdentity } from "./identity.js";
import { InboxService } from "./inbox-service.js";
import { LeaseService } from "./lease-service.js";
import { LogService } from "./log-service.js";
import { MessageService } from "./message-service.js";
import { MirrorService } from "./mirror-service.js";
import { PushService } from "./push-service.js";
import { QueueService } from "./queue-service.js";
import type { ServiceContext } from "./service-context.js";
import { StatusService } from "./status-service.js";
import { SummaryService } from "./summary-service.js";
import { TaskService } from "./task-service.js";

export interface OpenWorkspaceOptions extends OpenHubOptions {
  /** The agent acting; default: the BATON_AGENT environment variable, then the worktree's agent (`baton connect`). */
  as?: string;
  /** Run every change without keeping it. */
  dryRun?: boolean;
}

/**
 * One repository's hub, seen by one identity from one working tree: the
 * services every face (CLI, MCP, HTTP) shares. Made by `hub.as(name)` (many per
 * hub, cheap: a server makes one per request or session), or by
 * `openWorkspace`, which opens a hub of its own and closes it with the
 * workspace.
 *
 * Two roots: `root` is the hub root (the main checkout, where `.baton/` lives),
 * `tree` the worktree the caller works in, where lease paths start.
 */
export class Workspace implements AsyncDisposable {
  readonly tasks: TaskService;
  readonly leases: LeaseService;
  readonly agents: AgentService;
  readonly costs: CostService;
  readonly log: LogService;
  readonly messages: MessageService;
  readonly human: HumanService;
  /** Everything that waits for the humans, for the web app's home screen. */
  readonly inbox: InboxService;
  readonly queues: QueueService;
  readonly summary: SummaryService;
  readonly mirror: MirrorService;
  readonly status: StatusService;
  readonly access: AccessService;
  /** Web Push on the caller's paired devices. */
  readonly push: PushService;

  readonly paths: PathScope;
  readonly root: string;
  readonly config: BatonConfig;
  readonly store: Store;

  constructor(
    readonly hub: Hub,
    readonly identity: string | undefined,
    options: SessionOptions & { ownsHub?: boolean } = {},
  ) {
    this.root = hub.root;
    this.config = hub.config;
    this.store = hub.store;
    this.ownsHub = options.ownsHub ?? false;
    const cwd = options.cwd ?? hub.root;
    this.tree = options.tree;
    this.identitySource = identity ? (options.identitySource ?? "option") : undefined;
    this.paths = {
      commonDir: options.tree?.commonDir,
      treeRoot: options.tree?.root ?? hub.root,
      cwd,
    };
    const ctx: ServiceContext = {
      store: hub.store,
      config: hub.config,
      root: hub.root,
      cwd,
      paths: this.paths,
      clock: hub.clock,
      dryRun: options.dryRun ?? false,
      signal: options.signal,
      actor: () => requireIdentity(identity),
      whoami: () => identity,
    };
    const hooks = new HookService(ctx);
    this.tasks = new TaskService(ctx, hooks);
    this.leases = new LeaseService(ctx);
    this.agents = new AgentService(ctx);
    this.costs = new CostService(ctx);
    this.log = new LogService(ctx);
    this.messages = new MessageService(ctx);
    this.human = new HumanService(ctx);
    this.inbox = new InboxService(ctx);
    this.queues = new QueueService(ctx);
    this.summary = new SummaryService(ctx);
    this.mirror = new MirrorService(ctx);
    this.status = new StatusService(ctx, this.agents);
    this.access = new AccessService(ctx);
    this.push = new PushService(ctx);
  }

  private readonly ownsHub: boolean;
  /** The worktree the caller works in; undefined for a store opened outside any repository. */
  readonly tree: Tree | undefined;
  readonly identitySource: IdentitySource | undefined;

  /** Closes the hub if this workspace opened it (openWorkspace); a session made by `hub.as` leaves it open. */
  async close(): Promise<void> {
    if (this.ownsHub) await this.hub.close();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

export async function openWorkspace(options: OpenWorkspaceOptions = {}): Promise<Workspace> {
  const hub = await openHub(options);
  const { identity, source } = resolveIdentity(options.as, hub.tree);
  return new Workspace(hub, identity, {
    cwd: hub.cwd,
    dryRun: options.dryRun ?? false,
    tree: hub.tree,
    identitySource: source,
    ownsHub: true,
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
