import type { Host } from "../../hosts/host-names.js";
import { commandWords } from "../team/command-words.js";
import type { AllowedKey } from "../tmux/tmux.js";

/** The hosts `baton up --agent` knows by name; anything else is a command line of the user's. */
export const AGENT_HOSTS = ["claude", "codex", "gemini", "pi", "aider", "sim"] as const;
export type AgentHost = (typeof AGENT_HOSTS)[number];

/** How to start one agent in a terminal, and how to ask it to stop. */
export interface AgentLaunch {
  /** The host's name, or "command" for a program baton does not know. */
  host: AgentHost | "command";
  /** Which host's files `baton connect` writes into the agent's tree (MCP, hooks), or null. */
  connect: Host | null;
  /** The argv of its window: the prompt goes in as one word, never through a shell. */
  command: string[];
  /**
   * The polite way to end it, typed into its pane: the host's own quit command where it
   * has one (it saves its session and leaves its terminal clean), else Ctrl-C.
   */
  quit: { text: string } | { keys: AllowedKey[] };
}

/**
 * The word for baton's own simulated agent: `baton sim-agent`, run by the same
 * Node and the same baton as the one starting the team, so the demo needs no AI
 * service and nothing on PATH.
 */
export function simAgentCommand(cli: string): string[] {
  return [process.execPath, cli, "sim-agent"];
}

/**
 * What to run for `--agent SPEC` with the agent's first prompt. Interactive
 * hosts take the prompt as their first message (claude, codex, pi: a positional
 * argument; gemini: --prompt-interactive); aider takes none on its command
 * line, so it gets it typed in once it is up.
 */
export function agentLaunch(spec: string, prompt: string, cli: string): AgentLaunch {
  switch (spec) {
    case "claude":
      return { host: "claude", connect: "claude", command: ["claude", prompt], quit: quitOf("claude") };
    case "codex":
      return { host: "codex", connect: "codex", command: ["codex", prompt], quit: quitOf("codex") };
    case "gemini":
      return {
        host: "gemini",
        connect: "gemini",
        command: ["gemini", "--prompt-interactive", prompt],
        quit: quitOf("gemini"),
      };
    case "pi":
      return { host: "pi", connect: "pi", command: ["pi", prompt], quit: quitOf("pi") };
    case "aider":
      return { host: "aider", connect: "aider", command: ["aider"], quit: quitOf("aider") };
    case "sim":
      return { host: "sim", connect: null, command: simAgentCommand(cli), quit: quitOf("sim") };
    default:
      return { host: "command", connect: null, command: commandWords(spec), quit: quitOf("command") };
  }
}

const QUIT: Record<AgentLaunch["host"], AgentLaunch["quit"]> = {
  claude: { text: "/exit" },
  codex: { text: "/quit" },
  gemini: { text: "/quit" },
  pi: { keys: ["C-c", "C-c"] },
  aider: { text: "/exit" },
  sim: { keys: ["C-c"] },
  command: { keys: ["C-c"] },
};

/** How to ask a running agent of this host to end (what `baton down` types); Ctrl-C for a host baton does not know. */
export function quitOf(host: string): AgentLaunch["quit"] {
  return Object.hasOwn(QUIT, host) ? QUIT[host as AgentLaunch["host"]] : QUIT.command;
}

/**
 * How each host carries on its latest conversation in the folder it starts in,
 * with a new first message: what the hub's supervisor runs for an agent that
 * died after its session had started, so the model sees what it did before.
 * Checked against the pinned versions' --help and by running them: `claude
 * --continue PROMPT` (2.1.330), `codex resume --last PROMPT` (0.169: --last
 * picks the newest session of this folder), `gemini --resume latest
 * --prompt-interactive PROMPT` (0.61), `pi --continue PROMPT` (0.73).
 */
const RESUME: Partial<Record<AgentLaunch["host"], (prompt: string) => string[]>> = {
  claude: (prompt) => ["claude", "--continue", prompt],
  codex: (prompt) => ["codex", "resume", "--last", prompt],
  gemini: (prompt) => ["gemini", "--resume", "latest", "--prompt-interactive", prompt],
  pi: (prompt) => ["pi", "--continue", prompt],
};

/** The argv that resumes this host's latest session in its folder with `prompt`, or undefined when it cannot. */
export function resumeOf(host: string, prompt: string): string[] | undefined {
  return Object.hasOwn(RESUME, host) ? RESUME[host as AgentLaunch["host"]]?.(prompt) : undefined;
}

/**
 * Whether the agent's name can go in its environment (BATON_AGENT). Not for
 * Codex: its 0.169 TUI hands every session to an app-server daemon of the
 * user's (one per CODEX_HOME, started by whichever TUI came first, with that
 * one's environment, and outliving it), which runs the hooks and tools of all
 * of them. With two Codex agents, both agents' hooks ran as the one whose TUI
 * started the daemon (measured). Such an agent is named by its worktree, where
 * `baton connect` records its name, and every hook runs in its session's folder.
 */
export function namedByEnvironment(host: string): boolean {
  return host !== "codex";
}

/** The short name an agent of this launch is called by: claude-1, codex-2, sim-1; a command's program name. */
export function agentStem(launch: AgentLaunch): string {
  if (launch.host !== "command") return launch.host;
  const program = launch.command[0]!.split("/").at(-1)!.toLowerCase();
  const stem = program.replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  return /^[a-z]/.test(stem) ? stem.slice(0, 20) : "agent";
}
