import { z } from "zod";
import { COUNTS, NUMBERS, TEXTS } from "../../../domain/limits.js";

/** Body fields as the services take them, with the ranges of src/domain/limits.ts (the document shows them). */
export const text = (kind: keyof typeof TEXTS) => z.string().max(TEXTS[kind].max);
export const taskId = z.string().min(1).max(32);
export const agentName = z.string().min(1).max(64);
export const tags = z.array(z.string().max(64)).max(COUNTS.tags.max);
export const paths = z.array(z.string().min(1).max(1024)).min(1).max(COUNTS.paths.max);
export const token = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
export const priority = z.number().int().min(NUMBERS.priority.min).max(NUMBERS.priority.max);
export const queueName = z.string().min(1).max(64);
/** `YYYY-MM-DD`, a day of the summary round. */
export const day = z.string().max(10);

/** An empty body: the route takes nothing (an object with no fields, or no body at all). */
export const none = z.object({}).strict();
