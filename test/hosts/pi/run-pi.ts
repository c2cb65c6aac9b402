import { mkdirSync, realpathSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type HostRunOptions, hostBin, hostEnv, runHostProcess } from "../kit.js";

/**
 * Runs the real pi headless (`pi -p --mode json`) against the fake model. pi's
 * own user setup is a provider in ~/.pi/agent/models.json: the fake speaks the
 * OpenAI Chat Completions api, without the developer role or reasoning effort.
 */
export const PROVIDER = "fake";
export const MODEL = "fake-model";

/**
 * What a user does once: tell pi about the provider and its model (with its
 * price in USD per million tokens, which pi reports each request's cost by),
 * and make it the default, so a plain `pi` (as `baton work` runs it) uses it.
 * `settings` go into pi's settings.json as well.
 */
export function setupHome(
  home: string,
  baseUrl: string,
  options: { cost?: { input: number; output: number }; settings?: Record<string, unknown> } = {},
): void {
  const cost = options.cost ?? { input: 0, output: 0 };
  const agentDir = join(home, ".pi", "agent");
  mkdirSync(agentDir, { recursive: true });
  const models = {
    providers: {
      [PROVIDER]: {
        baseUrl,
        api: "openai-completions",
        apiKey: "fake-key",
        compat: { supportsDeveloperRole: false, supportsReasoningEffort: false },
        models: [
          {
            id: MODEL,
            name: "Fake scripted model",
            reasoning: false,
            input: ["text"],
            contextWindow: 128000,
            maxTokens: 4096,
            cost: { ...cost, cacheRead: 0, cacheWrite: 0 },
          },
        ],
      },
    },
  };
  writeFileSync(join(agentDir, "models.json"), JSON.stringify(models, null, 2));
  const settings = {
    quietStartup: true,
    defaultProvider: PROVIDER,
    defaultModel: MODEL,
    ...options.settings,
  };
  writeFileSync(join(agentDir, "settings.json"), JSON.stringify(settings, null, 2));
}

export interface PiRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** pi's JSON event stream (one object per stdout line). */
  // biome-ignore lint/suspicious/noExplicitAny: pi's events are read loosely
  events: any[];
}

export interface PiOptions extends HostRunOptions {
  /** false: no `baton` on PATH, as for a user who never installed it globally. */
  batonOnPath?: boolean;
}

export function runPi(options: PiOptions): Promise<PiRun> {
  const {
    cwd,
    home,
    baseUrl,
    prompt,
    env = {},
    batonOnPath = true,
    args = [],
    timeoutMs = 120_000,
  } = options;
  setupHome(home, baseUrl);
  // The bin links to pi's cli.js; running it with this Node needs no `node` on PATH.
  const cli = realpathSync(hostBin("pi"));
  const argv = [
    cli,
    "-p",
    "--mode",
    "json",
    "--offline",
    "--provider",
    PROVIDER,
    "--model",
    MODEL,
    ...args,
    prompt,
  ];
  const childEnv = hostEnv(home, { PI_OFFLINE: "1", PI_TELEMETRY: "0", ...env }, { batonOnPath });
  return runHostProcess(process.execPath, argv, { cwd, env: childEnv, timeoutMs });
}
