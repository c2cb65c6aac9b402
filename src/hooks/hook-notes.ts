import type { Store } from "../store/port.js";
import { describeOutcome, type HookOutcome } from "./run-hook.js";

/** A hook that failed after its change was committed: it can only report, so the log says so. */
export async function noteHookFailure(store: Store, type: string, actor: string, outcome: HookOutcome) {
  await store.appendEvent({
    actor,
    type: "hook.failed",
    subject: type,
    summary: `hook on ${type}: ${describeOutcome(outcome)}`,
    data: {
      argv: outcome.argv,
      code: outcome.code,
      timedOut: outcome.timedOut,
      leftovers: outcome.leftovers,
      output: outcome.output.slice(-2000),
    },
  });
}

/** A hook that passed but left processes running, which were ended: said in the log, so it is not a mystery. */
export async function noteHookLeftovers(store: Store, type: string, actor: string, outcome: HookOutcome) {
  if (outcome.leftovers === 0) return;
  await store.appendEvent({
    actor,
    type: "hook.leftovers",
    subject: type,
    summary: `hook on ${type}: \`${outcome.argv.join(" ")}\` left ${outcome.leftovers} process${outcome.leftovers === 1 ? "" : "es"} running, which were stopped`,
    data: { argv: outcome.argv, leftovers: outcome.leftovers },
  });
}
