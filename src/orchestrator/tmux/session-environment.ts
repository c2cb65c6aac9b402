import { BatonError } from "../../errors.js";
import { checkArgvText, checkEnvKey, sessionTarget } from "./tmux-args.js";
import type { TmuxClient } from "./tmux-client.js";

/**
 * A session's own environment: where baton records the team (project path,
 * agent count, creation time) so a later command finds it from the session
 * alone. Windows created in the session inherit it.
 */
export async function setEnvironment(
  client: TmuxClient,
  session: string,
  key: string,
  value: string,
): Promise<void> {
  checkArgvText(value, `the value of ${key}`);
  if (value.includes("\n")) {
    throw new BatonError(
      "invalid_input",
      `the value of ${key} holds a newline`,
      "tmux lists its environment one variable a line: record a value without newlines",
    );
  }
  // `--`: a value starting with `-` is a value, not a flag.
  await client.run(
    [["set-environment", "-t", sessionTarget(session), "--", checkEnvKey(key), value]],
    `the tmux session ${session}`,
  );
}

/** The session's environment as tmux lists it (`NAME=value`), without the variables it marks as removed (`-NAME`). */
export async function showEnvironment(client: TmuxClient, session: string): Promise<Record<string, string>> {
  const output = await client.run(
    [["show-environment", "-t", sessionTarget(session)]],
    `the tmux session ${session}`,
  );
  const env: Record<string, string> = {};
  for (const line of output.split("\n")) {
    const equals = line.indexOf("=");
    if (line.startsWith("-") || equals <= 0) continue;
    env[line.slice(0, equals)] = line.slice(equals + 1);
  }
  return env;
}
