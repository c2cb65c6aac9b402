import { existsSync } from "node:fs";
import { join } from "node:path";
import { isTrustedFolder } from "./connect-gemini.js";
import { parseJsonFile, parseTomlFile, readText } from "./host-files.js";

/**
 * What an interactive host will ask the human before its session starts in a
 * new worktree, read from the host's own settings the way the pinned versions
 * read them (Claude Code 2.1.330, Codex 0.169, Gemini CLI 0.61; pi asks
 * nothing). baton never answers these: each is a decision of the user's
 * (trusting a folder runs its hooks and MCP servers). It only says, at `baton
 * up` and in `baton status`, that the agent waits for one.
 *
 * A worktree needs no trust of its own where the user trusted the repository:
 * Claude Code keeps a linked worktree's project settings (its trust included)
 * under the main checkout's path, Codex applies trust to the repository root
 * ("Trusting will apply to the repository root"), and Gemini's TRUST_FOLDER
 * covers the folders below it, where baton's worktrees live (.baton/worktrees/).
 */
export interface FirstRunPlace {
  /** The main checkout. */
  root: string;
  /** The folder the host starts in (the agent's worktree). */
  cwd: string;
  /** The environment the host gets (HOME, CODEX_HOME, API keys). */
  env: Record<string, string | undefined>;
}

export function firstRunQuestions(host: string, place: FirstRunPlace): string[] {
  const home = place.env.HOME ?? "";
  try {
    if (host === "claude") return claudeQuestions(place, home);
    if (host === "codex") return codexQuestions(place, home);
    if (host === "gemini") return geminiQuestions(place, home);
  } catch {
    // A settings file that does not parse: the host will say so itself; baton predicts nothing.
  }
  return [];
}

function claudeQuestions(place: FirstRunPlace, home: string): string[] {
  const dir = place.env.CLAUDE_CONFIG_DIR || home;
  const path = join(dir, ".claude.json");
  const config = parseJsonFile(path, readText(path));
  if (config.hasCompletedOnboarding !== true) return ["Claude Code's first-run setup (theme, sign-in)"];
  const asks: string[] = [];
  const key = place.env.ANTHROPIC_API_KEY;
  const answers = (config.customApiKeyResponses ?? {}) as { approved?: unknown; rejected?: unknown };
  const listed = (list: unknown) => Array.isArray(list) && key !== undefined && list.includes(key.slice(-20));
  if (key && !listed(answers.approved) && !listed(answers.rejected))
    asks.push("Claude Code asks whether to use the ANTHROPIC_API_KEY of its environment");
  const projects = (config.projects ?? {}) as Record<string, { hasTrustDialogAccepted?: unknown }>;
  const trusted = [place.root, place.cwd].some((p) => projects[p]?.hasTrustDialogAccepted === true);
  if (!trusted)
    asks.push(
      `Claude Code asks whether you trust ${place.cwd} (trusting ${place.root} once covers every worktree of it)`,
    );
  return asks;
}

function codexQuestions(place: FirstRunPlace, home: string): string[] {
  const codexHome = place.env.CODEX_HOME || join(home, ".codex");
  const path = join(codexHome, "config.toml");
  const config = parseTomlFile(path, readText(path));
  const asks: string[] = [];
  // With OpenAI's own provider and no saved login Codex opens on "Sign in with ChatGPT", an
  // OPENAI_API_KEY in the environment notwithstanding (0.169).
  const provider = config.model_provider ?? "openai";
  if (provider === "openai" && !existsSync(join(codexHome, "auth.json")))
    asks.push("Codex asks you to sign in");
  const projects = (config.projects ?? {}) as Record<string, { trust_level?: unknown }>;
  // "untrusted" is an answer the user gave already (Codex then reads no project config at all).
  const answered = [place.root, place.cwd].some((p) => projects[p]?.trust_level !== undefined);
  if (!answered) asks.push(`Codex asks whether you trust ${place.root} (the repository of the worktree)`);
  return asks;
}

function geminiQuestions(place: FirstRunPlace, home: string): string[] {
  const path = join(home, ".gemini", "settings.json");
  const settings = parseJsonFile(path, readText(path));
  const security = (settings.security ?? {}) as { folderTrust?: { enabled?: unknown } };
  if (security.folderTrust?.enabled === false) return [];
  return isTrustedFolder(home, place.cwd) ? [] : [`Gemini CLI asks whether you trust ${place.cwd}`];
}
