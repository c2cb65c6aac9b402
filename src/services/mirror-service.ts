import { join } from "node:path";
import { type MirrorState, renderMirror } from "../mirror/render.js";
import { writeFiles } from "../mirror/write-files.js";
import { toWorkspaceDir } from "../workspace/workspace-path.js";
import type { ServiceContext } from "./service-context.js";

export const DEFAULT_MIRROR_DIR = join(".baton", "mirror");

export class MirrorService {
  constructor(private readonly ctx: ServiceContext) {}

  /** The mirror folder, refused unless inside the workspace. The default is the hub's; a given one is from where you are. */
  resolveDir(dir?: string): string {
    const scope = dir ? this.ctx.paths : { ...this.ctx.paths, cwd: this.ctx.root };
    return toWorkspaceDir(dir ?? DEFAULT_MIRROR_DIR, scope, this.ctx.root);
  }

  async state(): Promise<MirrorState> {
    const store = this.ctx.store;
    const [tasks, agents, questions, approvals, plain, dotted, days, last] = await Promise.all([
      store.listTasks({}),
      store.listAgents({
        hungAfterMs: this.ctx.config.hungAfterMs,
        offlineAfterMs: this.ctx.config.offlineAfterMs,
      }),
      store.listQuestions({ open: true }),
      store.listApprovals({ open: true }),
      store.listEvents({ type: "decision" }),
      store.listEvents({ type: "decision." }),
      store.listSummaryDays(),
      store.listEvents({ limit: 1 }),
    ]);
    const decisions = [...plain, ...dotted].sort((a, b) => a.seq - b.seq);
    const summaries = (await Promise.all(days.map((day) => store.getSummaryRound({ day })))).filter(
      (r) => r !== null,
    );
    return {
      queues: Object.values(this.ctx.config.queues),
      tasks,
      agents,
      questions,
      approvals,
      decisions,
      summaries,
      lastEvent: last[0]?.seq ?? 0,
    };
  }

  /** Renders and writes the mirror; returns the folder, the pages written, and the event it is as of. */
  async write(dir?: string): Promise<{ dir: string; written: string[]; lastEvent: number }> {
    const target = this.resolveDir(dir);
    const state = await this.state();
    const pages = renderMirror(state);
    const written = this.ctx.dryRun ? [...pages.keys()] : writeFiles(target, pages);
    return { dir: target, written, lastEvent: state.lastEvent };
  }
}
