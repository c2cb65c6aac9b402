import { type BatonConfig, isConfiguredHuman, notAHumanError } from "../domain/config.js";
import type { ServiceContext } from "./service-context.js";

/**
 * The acting identity, which must be one of the humans the committed config
 * names. The store also requires kind human for these acts; this adds that the
 * name is one the team wrote down, so an agent that joined as a human before
 * (or edited the database) still cannot decide.
 */
export function requireConfiguredHuman(ctx: ServiceContext, what: string): string {
  const actor = ctx.actor();
  if (!isConfiguredHuman(ctx.config, actor)) throw notAHumanError(actor, what, ctx.config);
  return actor;
}

/**
 * Adds people to the config's "humans" (`baton init --human`), keeping the
 * file's comments and other keys. The config editor is loaded on demand, as
 * QueueService loads it: only commands that write the config pay its start-up.
 */
export async function nameHumans(
  root: string,
  names: readonly string[],
  options: { dryRun?: boolean } = {},
): Promise<BatonConfig> {
  const { editConfigFile } = (await import(
    new URL("../workspace/config-edit.js", import.meta.url).href
  )) as typeof import("../workspace/config-edit.js");
  const edited = await editConfigFile(
    root,
    ({ config }) => [{ path: ["humans"], value: [...new Set([...config.humans, ...names])] }],
    { dryRun: options.dryRun },
  );
  return edited.config;
}
