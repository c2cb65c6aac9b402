import { z } from "zod";
import { type TaskReport, validateReport } from "../domain/task-report.js";
import type { Workspace } from "../services/workspace.js";
import { readReportFile } from "../workspace/report-file.js";

/** The report as a tool argument; validated again by the domain rules, which give the hint. */
export const reportSchema = z
  .object({
    summary: z.string().min(1).max(4000),
    findings: z
      .array(
        z
          .object({
            description: z.string().min(1).max(2000),
            severity: z.enum(["info", "low", "medium", "high", "critical"]).optional(),
            file: z.string().max(1024).optional(),
            line: z.number().int().positive().optional(),
          })
          .strict(),
      )
      .max(200)
      .optional(),
    recommendations: z.array(z.string().max(2000)).max(100).optional(),
    files_modified: z.array(z.string().max(1024)).max(1000).optional(),
    files_created: z.array(z.string().max(1024)).max(1000).optional(),
    errors: z.array(z.string().max(2000)).max(100).optional(),
  })
  .strict()
  .transform((raw): TaskReport => validateReport(raw));

/** A report file named by the model (relative to its worktree's root), read only from inside the repository. */
export async function readReportFileOrNull(
  ws: Workspace,
  path: string | undefined,
): Promise<TaskReport | null> {
  if (!path) return null;
  return readReportFile(path, { ...ws.paths, cwd: ws.paths.treeRoot });
}
