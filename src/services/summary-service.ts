import { checkText } from "../domain/limits.js";
import type { BatonEvent, SummaryRound, Task } from "../domain/types.js";
import { BatonError, clip } from "../errors.js";
import type { ServiceContext } from "./service-context.js";

export interface SummaryStatus {
  day: string;
  openedBy: string;
  collected: boolean;
  written: { agent: string; at: number }[];
  /** Agents expected to write who have not yet, by name. */
  missing: string[];
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The local calendar day of a time, as YYYY-MM-DD. */
export function dayOf(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

/** A calendar day that exists (2026-02-30 does not), as YYYY-MM-DD. */
function parseDay(day: string): { day: string; start: number; end: number } {
  const [y, m, d] = DAY.test(day) ? (day.split("-").map(Number) as [number, number, number]) : [0, 0, 0];
  const start = new Date(y, m - 1, d).getTime();
  if (!DAY.test(day) || y < 1970 || dayOf(start) !== day)
    throw new BatonError(
      "invalid_input",
      `bad date '${clip(String(day))}'`,
      "write a day that exists as YYYY-MM-DD, from 1970 on, e.g. 2026-11-21",
    );
  return { day, start, end: new Date(y, m - 1, d + 1).getTime() };
}

const time = (ms: number) => new Date(ms).toTimeString().slice(0, 5);

/** The daily summary round (mai-cli's model): trigger, every agent writes, collect one report. */
export class SummaryService {
  constructor(private readonly ctx: ServiceContext) {}

  private today(day?: string) {
    return parseDay(day ?? dayOf(this.ctx.clock.now()));
  }

  async trigger(day?: string): Promise<{ round: SummaryRound; created: boolean }> {
    const { round, created } = await this.ctx.store.openSummaryRound({
      actor: this.ctx.actor(),
      dryRun: this.ctx.dryRun,
      day: this.today(day).day,
    });
    return { round, created };
  }

  async write(text: string, day?: string): Promise<SummaryRound> {
    const entry = checkText("summaryEntry", text);
    if (!entry)
      throw new BatonError(
        "invalid_input",
        "an empty summary",
        'say what you did: baton summary write "Shipped T-3; T-5 next"',
      );
    return this.ctx.store.writeSummaryEntry({
      actor: this.ctx.actor(),
      dryRun: this.ctx.dryRun,
      day: this.today(day).day,
      text: entry,
    });
  }

  /** The days that have a round, newest first. */
  async days(): Promise<string[]> {
    return this.ctx.store.listSummaryDays();
  }

  async show(day?: string): Promise<SummaryRound> {
    const { day: date } = this.today(day);
    const round = await this.ctx.store.getSummaryRound({ day: date });
    if (!round)
      throw new BatonError(
        "not_found",
        `no summary round for ${date}`,
        "open one with `baton summary trigger`",
      );
    return round;
  }

  /**
   * Who has written the day's entry and who has not yet. Expected are the agents the round asked
   * when it opened (recorded in its summary.triggered event) and those daily_summary_order names.
   */
  async status(day?: string): Promise<SummaryStatus> {
    const round = await this.show(day);
    const [opened] = await this.ctx.store.listEvents({ type: "summary.triggered", subject: round.day });
    const asked = ((opened?.data.after as { asked?: unknown } | undefined)?.asked ?? []) as string[];
    const written = new Set(round.entries.map((entry) => entry.agent));
    const expected = [...new Set([...this.ctx.config.dailySummaryOrder, ...asked])];
    return {
      day: round.day,
      openedBy: round.openedBy,
      collected: round.collectedAt !== null,
      written: round.entries.map((entry) => ({ agent: entry.agent, at: entry.at })),
      missing: expected.filter((agent) => !written.has(agent)).sort(),
    };
  }

  /** Merges the entries with the day's completed and failed tasks and decisions into one markdown report. */
  async collect(day?: string): Promise<SummaryRound> {
    const range = this.today(day);
    const round = await this.show(range.day);
    const events = (await this.ctx.store.listEvents({ sinceMs: range.start })).filter(
      (e) => e.at < range.end,
    );
    const tasks = new Map((await this.ctx.store.listTasks({})).map((task) => [task.id, task]));
    const report = renderReport(round, events, tasks, this.ctx.config.dailySummaryOrder);
    return this.ctx.store.saveSummaryReport({
      actor: this.ctx.actor(),
      dryRun: this.ctx.dryRun,
      day: range.day,
      report,
    });
  }
}

export function renderReport(
  round: SummaryRound,
  events: BatonEvent[],
  tasks: Map<string, Task>,
  order: string[],
): string {
  // The configured agents first, in their order, with or without an entry; then everyone else alphabetically.
  const byAgent = new Map(round.entries.map((entry) => [entry.agent, entry.text]));
  const others = round.entries
    .map((entry) => entry.agent)
    .filter((agent) => !order.includes(agent))
    .sort();
  const sections = [...order, ...others].map((agent) => ({
    agent,
    text: byAgent.get(agent) ?? "_No entry._",
  }));
  const title = (id: string | null) => (id && tasks.get(id)?.title) || "";
  const completed = events.filter((e) => e.type === "task.completed");
  const failed = events.filter((e) => e.type === "task.failed" || e.type === "task.dead");
  const decisions = events.filter((e) => e.type === "decision" || e.type.startsWith("decision."));
  const lines = [`# Daily summary — ${round.day}`, "", "## From the team", ""];
  if (sections.length === 0) lines.push("_No entries._", "");
  for (const section of sections) lines.push(`### ${section.agent}`, "", section.text, "");
  lines.push(`## Completed (${completed.length})`, "");
  for (const e of completed)
    lines.push(
      `- ${e.subject} ${title(e.subject)} — ${e.actor}${(e.data.after as { result?: string })?.result ? `: ${(e.data.after as { result: string }).result}` : ""}`,
    );
  lines.push("", `## Failed (${failed.length})`, "");
  for (const e of failed) lines.push(`- ${e.subject} ${title(e.subject)} — ${e.summary}`);
  lines.push("", `## Decisions (${decisions.length})`, "");
  for (const e of decisions) lines.push(`- ${time(e.at)} ${e.actor}: ${e.summary}`);
  return `${lines
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim()}\n`;
}
