import { z } from "zod";
import { validateAgentName } from "../../services/identity.js";

/**
 * What a readable team.json must hold, field by field. The record steers
 * signals, tmux targets and file paths (`baton down` signals each agent's
 * process group by its pid), so a record that is JSON but not of this shape
 * is damaged, not half believed: a hostile run gave an agent `"process":
 * {"pid": 0}`, no start time, and `baton down` signalled its own process group
 * (`kill(-0)`); `-1` would have been pid 1. Fields added later are optional
 * (an older record lacks them); withDefaults fills them in.
 */
const pid = z
  .number()
  .int()
  .min(2) // 0 and 1 are never a process baton started; a negative one would signal a group or all
  .max(2 ** 22);
const processRef = z.object({ pid, started: z.string().min(1).max(100) });
const paneId = z.string().regex(/^%\d{1,9}$/);
const name = z
  .string()
  .max(64)
  .refine((value) => {
    try {
      return validateAgentName(value) === value;
    } catch {
      return false;
    }
  }, "not an agent name");
const time = z.number().finite();
const port = z.number().int().min(1).max(65535);

const stopRequest = z.object({
  at: time,
  by: z.string().max(64),
  reason: z.string().max(1000).nullable(),
  deadline: time,
  quitAt: time.nullable(),
  confirmed: z.boolean(),
});

const teamAgent = z.object({
  name,
  host: z.string().min(1).max(200),
  command: z.array(z.string()),
  role: z.string().max(64),
  cwd: z.string().startsWith("/"),
  branch: z.string().max(300).nullable(),
  env: z.record(z.string(), z.string()),
  paneId: paneId.nullable(),
  process: processRef.nullable().optional(),
  runPaneId: paneId.nullable().optional(),
  runProcess: processRef.nullable().optional(),
  port,
  startedAt: time,
  restarts: z.number().int().min(0),
  stoppedAt: time.nullable(),
  stop: stopRequest.nullable().optional(),
  spawnedBy: z.string().max(64).nullable().optional(),
});

export const teamRecordShape = z.object({
  version: z.literal(1),
  session: z.string().min(1).max(200).nullable(),
  tmuxSocket: z.string().min(1).nullable(),
  root: z.string().startsWith("/"),
  createdAt: time,
  worktrees: z.boolean().optional(),
  cli: z.string().optional(),
  hub: processRef.nullable().optional(),
  agents: z.array(teamAgent).max(1000),
});

/** The first thing wrong with a record, in words, or undefined when it has the shape. */
export function teamRecordFault(value: unknown): string | undefined {
  const parsed = teamRecordShape.safeParse(value);
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0]!;
  return `${issue.path.join(".") || "the record"}: ${issue.message}`;
}
