import type { Message } from "../../domain/types.js";
import type { StopRequest } from "./team-record.js";

/** How a stop request begins: what the simulated agent (and a person reading the inbox) knows it by. */
const STOP_MARK = "baton: stop requested";

/** The message an agent gets when it is asked to stop: what to do, and by when. */
export function stopRequestText(stop: Pick<StopRequest, "by" | "reason" | "deadline" | "at">): string {
  const seconds = Math.round((stop.deadline - stop.at) / 1000);
  return `${STOP_MARK} by ${stop.by}${stop.reason ? `: ${stop.reason}` : ""}. Finish the step you are on, commit or release your task, then leave the team (the leave_team tool, or baton agent leave), which releases what you hold. In ${seconds} s baton ends your session anyway.`;
}

/** Whether a message is baton's stop request. */
export function isStopRequest(message: Pick<Message, "body">): boolean {
  return message.body.startsWith(STOP_MARK);
}
