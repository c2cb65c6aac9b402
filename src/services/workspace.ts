import { realpathSync } from "node:fs";
import { type Clock, systemClock } from "../clock.js";
import type { BatonConfig } from "../domain/config.js";
import { Waker, wakeDirFor } from "../notify/waker.js";
import type { Store } from "../store/port.js";
import { readConfig } from "../workspace/config-file.js";
import { findRepositoryRoot } from "../workspace/find-root.js";
import { openStore } from "../workspace/store-url.js";
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
import { SummaryService } from "./summary-service.js";
import { TaskService } from "./task-service.js";

export interface OpenWorkspaceOptions {
  /** Where to look for the repository; default: the process's working directory. */
  cwd?: string;
  /** Store URL (`sqlite:PATH` or a path); default: `.baton/baton.db` at the repository's main root. */
  store?: string;
  /** The agent acting; default: the BATON_AGENT environment variable. */
  as?: string;
  /** Run every change without keeping it. */
  dryRun?: boolean;
  clock?: Clock;
}

/**
 * One repository's hub, seen by one identity: the services every face (CLI,
 * MCP, HTTP) shares. Open it with `openWorkspace`, close it when done.
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

  constructor(
    readonly root: string,
    readonly config: BatonConfig,
    readonly store: Store,
    readonly identity: string | undefined,
    options: { cwd: string; dryRun: boolean; clock: Clock },
  ) {
    const ctx: ServiceContext = {
      store,
      config,
      root,
      cwd: options.cwd,
      clock: options.clock,
      waker: new Waker(wakeDirFor(store.location)),
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
  }

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
  const root = options.store ? (tryRepositoryRoot(cwd) ?? cwd) : findRepositoryRoot(cwd);
  const config = readConfig(root);
  const store = openStore(options.store, root, cwd, clock);
  const identity = options.as ?? (process.env.BATON_AGENT || undefined);
  return new Workspace(root, config, store, identity, { cwd, dryRun: options.dryRun ?? false, clock });
}

function tryRepositoryRoot(cwd: string): string | undefined {
  try {
    return findRepositoryRoot(cwd);
  } catch {
    return undefined;
  }
}
