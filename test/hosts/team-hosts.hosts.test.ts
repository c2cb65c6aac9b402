import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { baton, git, tempDir, tempRepo } from "../helpers/temp-repo.js";
import { startFakeModel as claudeModel } from "./claude/fake-model.js";
import { setupHome as claudeHome } from "./claude/run-claude.js";
import { startFakeModel as codexModel } from "./codex/fake-model.js";
import { setupHome as codexHome, trustProject } from "./codex/run-codex.js";
import { startFakeModel as geminiModel } from "./gemini/fake-model.js";
import { setupHome as geminiHome, trustFolder } from "./gemini/run-gemini.js";
import { batonBinDir, HOST_VERSIONS, hostBin } from "./kit.js";
import { startFakeModel as piModel } from "./pi/fake-model.js";
import { MODEL, PROVIDER, setupHome as piHome } from "./pi/run-pi.js";

/**
 * `baton up` / `status` / `down` with the real interactive hosts, each in a
 * tmux window of a private tmux server, in a worktree baton made a moment
 * before, with a HOME set up as a user who has used the host and trusted the
 * repository. The first prompt reaches the host's fake model, whose scripted
 * answer claims the task through baton (MCP, or pi's bash tool); `down` asks
 * the host to quit its own way and releases the claim.
 */
type HostName = "claude" | "codex" | "gemini" | "pi";
const TIMEOUT = 90_000;

interface Fake {
  url: string;
  requests: { body: unknown }[];
  close(): Promise<void>;
}

interface HostCase {
  /** The fake model, playing: claim the task, then say so. */
  model(): Promise<Fake>;
  /** The user's own setup of the host in `home` (before baton touches it), trusting `repo`. */
  setup(home: string, repo: string, url: string): void;
  /** What the host needs in its environment. */
  env(home: string, url: string): Record<string, string>;
  /** The activity signal its host reports once its first turn ended, or null (pi has no hooks). */
  idleSignal: string | null;
}

const said = { text: "Claimed." };

const HOSTS: Record<HostName, HostCase> = {
  claude: {
    model: () => claudeModel([[{ tool: "mcp__baton__claim_task", args: {} }], [said]]),
    setup(home, repo) {
      claudeHome(home);
      trustClaude(home, repo);
    },
    env: (_home, url) => ({
      ANTHROPIC_BASE_URL: url,
      ANTHROPIC_API_KEY: "sk-ant-dummy",
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
      DISABLE_AUTOUPDATER: "1",
    }),
    idleSignal: "claude:Stop",
  },
  codex: {
    model: () => codexModel([[{ tool: "claim_task", args: {}, namespace: "mcp__baton" }], [said]]),
    setup(home, repo, url) {
      codexHome(home);
      trustProject(home, repo);
      // A user who has run this Codex has its base_url in the provider and has seen its model
      // announcement (Codex 0.169 offers gpt-5.5 users "Meet GPT-6 Sol" once, before anything else).
      const config = join(home, ".codex", "config.toml");
      const text = readFileSync(config, "utf8").replace(
        "[model_providers.fake]\n",
        `[model_providers.fake]\nbase_url = ${JSON.stringify(url)}\n`,
      );
      writeFileSync(config, `${text}\n[notice.model_migrations]\n"gpt-5.5" = "gpt-6-sol"\n`);
    },
    env: (home) => ({ CODEX_HOME: join(home, ".codex"), FAKE_MODEL_API_KEY: "sk-fake" }),
    idleSignal: "codex:Stop",
  },
  gemini: {
    model: () => geminiModel([[{ tool: "mcp_baton_claim_task", args: {} }], [said]]),
    setup(home, repo) {
      geminiHome(home);
      trustFolder(home, repo);
    },
    env: (_home, url) => ({
      GEMINI_API_KEY: "dummy",
      GOOGLE_GEMINI_BASE_URL: url,
      GEMINI_CLI_NO_RELAUNCH: "true",
    }),
    idleSignal: "gemini:AfterAgent",
  },
  pi: {
    model: () => piModel([[{ tool: "bash", args: { command: ".baton/bin/baton task claim" } }], [said]]),
    setup(home, _repo, url) {
      piHome(home, url);
      // Interactive pi takes no --provider: the user picked the model once, and pi keeps it.
      const settings = { quietStartup: true, defaultProvider: PROVIDER, defaultModel: MODEL };
      writeFileSync(join(home, ".pi", "agent", "settings.json"), JSON.stringify(settings));
    },
    env: () => ({ PI_OFFLINE: "1", PI_TELEMETRY: "0" }),
    idleSignal: null,
  },
};

/** Trusting the repository in Claude Code, as its dialog does (~/.claude.json, projects[PATH]). */
function trustClaude(home: string, repo: string): void {
  const path = join(home, ".claude.json");
  const config = JSON.parse(readFileSync(path, "utf8"));
  config.projects = { ...config.projects, [repo]: { hasTrustDialogAccepted: true } };
  writeFileSync(path, JSON.stringify(config, null, 2));
}

const servers: string[] = [];
const homes: string[] = [];
afterEach(async () => {
  while (servers.length) spawnSync("tmux", ["-S", servers.pop()!, "kill-server"], { stdio: "ignore" });
  // Codex 0.169's TUI starts an app-server daemon of its own (under $CODEX_HOME), which outlives
  // it by design: the test's are ended by pid, found by their path in the test's HOME, and waited
  // for (a daemon still saving its threads would write into the HOME being removed).
  while (homes.length) await endProcessesUnder(homes.pop()!);
});

function pidsUnder(home: string): number[] {
  const pids: number[] = [];
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(join(home, ".codex", "packages")))
        pids.push(Number(pid));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

async function endProcessesUnder(home: string): Promise<void> {
  const signal = (pids: number[], name: NodeJS.Signals) => {
    for (const pid of pids)
      try {
        process.kill(pid, name);
      } catch {
        // gone meanwhile
      }
  };
  signal(pidsUnder(home), "SIGTERM");
  for (let waited = 0; pidsUnder(home).length > 0 && waited < 5000; waited += 100) await sleep(100);
  signal(pidsUnder(home), "SIGKILL");
  for (let waited = 0; pidsUnder(home).length > 0 && waited < 2000; waited += 50) await sleep(50);
}

interface Team {
  repo: string;
  home: string;
  fake: Fake;
  env: Record<string, string>;
  /** The agents, host-1 … host-N; `name` is the first. */
  names: string[];
  name: string;
}

/**
 * A repository with a task per agent, a HOME with the host set up and the
 * repository trusted (unless `trusted: false`), the host on PATH, the fake model
 * running: then `baton up -n COUNT --agent HOST`.
 */
async function upWith(host: HostName, options: { trusted?: boolean; count?: number } = {}): Promise<Team> {
  const count = options.count ?? 1;
  const repo = tempRepo({ humans: ["lea"] });
  for (let i = 1; i <= count; i++)
    expect(baton(repo, ["task", "add", i === 1 ? "Bump a" : `Bump ${i}`], { BATON_AGENT: "lea" }).code).toBe(
      0,
    );
  const home = tempDir(`baton-${host}-home-`);
  homes.push(home);
  const spec = HOSTS[host];
  const fake = await spec.model();
  spec.setup(home, options.trusted === false ? tempDir("baton-elsewhere-") : repo, fake.url);
  const bin = join(tempDir("baton-host-bin-"), "bin");
  mkdirSync(bin);
  symlinkSync(hostBin(host), join(bin, host));
  const socket = join(tempDir("baton-tmux-"), "sock");
  servers.push(socket);
  const env = {
    BATON_TMUX_SOCKET: socket,
    HOME: home,
    PATH: [bin, batonBinDir(), ...(process.env.PATH ?? "").split(":")].join(":"),
    TERM: "xterm-256color",
    ...spec.env(home, fake.url),
  };
  const up = baton(repo, ["up", "-n", String(count), "--agent", host, "--json"], env);
  expect(up.code, up.stderr).toBe(0);
  const names = Array.from({ length: count }, (_, i) => `${host}-${i + 1}`);
  return { repo, home, fake, env, names, name: names[0]! };
}

async function until<T>(what: string, look: () => T | undefined, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const seen = look();
    if (seen !== undefined) return seen;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

interface TaskRow {
  id: string;
  status: string;
  holder: string | null;
}

const tasks = (repo: string) =>
  baton(repo, ["task", "list", "--status", "all", "--json"]).json().tasks as TaskRow[];
const task = (repo: string) => tasks(repo)[0]!;

/** An agent's screen, for a failure message. */
function screen(team: Team, name = team.name): string {
  return spawnSync("tmux", ["-S", team.env.BATON_TMUX_SOCKET!, "capture-pane", "-p", "-t", name], {
    encoding: "utf8",
  }).stdout;
}

// biome-ignore lint/suspicious/noExplicitAny: status --json is read loosely
type Json = any;

/**
 * Codex runs two agents: its TUI hands sessions to one app-server daemon per
 * CODEX_HOME, which runs every agent's hooks; each must still report as itself.
 */
const COUNT: Record<HostName, number> = { claude: 1, codex: 2, gemini: 1, pi: 1 };

describe.each(["claude", "codex", "gemini", "pi"] as const)(
  "baton up --agent %s (real host in tmux, fake model)",
  (host) => {
    it(
      `${HOST_VERSIONS[host]!.version}: the first turn claims a task; status shows the agent; down quits it its own way and releases the claim`,
      async () => {
        const started = Date.now();
        const team = await upWith(host, { count: COUNT[host] });
        try {
          await until("every agent to claim a task", () => {
            const holders = tasks(team.repo).map((t) => t.holder);
            return team.names.every((name) => holders.includes(name)) ? true : undefined;
          }).catch((error) => {
            throw new Error(
              `${error.message}; their screens:\n${team.names.map((n) => screen(team, n)).join("\n")}`,
            );
          });
          const claimedAfter = Date.now() - started;

          // status: each agent with its state (from its own host's hooks), its window running, heard from.
          const spec = HOSTS[host];
          const status: Json = await until("every agent's turn to end", () => {
            const s = baton(team.repo, ["status", "--json"], team.env).json();
            const done = team.names.every((name) => {
              const agent = s.status.agents.find((a: Json) => a.name === name);
              return spec.idleSignal
                ? agent?.activity?.signal === spec.idleSignal
                : agent?.tasks?.length === 1;
            });
            return done ? s : undefined;
          });
          for (const name of team.names) {
            const agent = status.status.agents.find((a: Json) => a.name === name);
            expect(agent.tasks).toEqual([tasks(team.repo).find((t) => t.holder === name)!.id]);
            if (spec.idleSignal) expect(agent.activity.state).toBe("idle");
          }
          expect(status.team.agents).toEqual(
            team.names.map((name) =>
              expect.objectContaining({ name, host, process: "running", heard: true, waitingFor: [] }),
            ),
          );
          // Starting on its first prompt, no agent was taken for idle and typed at: anything typed
          // came after that agent's own turn ended (its Stop: a task still ready is then its news).
          const logged = baton(team.repo, ["log", "--json", "--limit", "1000"]).json().events as Json[];
          for (const typed of logged.filter((e) => e.type === "team.dispatched")) {
            const stopped = logged.find(
              (e) =>
                e.type === "agent.activity" &&
                e.subject === typed.subject &&
                e.seq < typed.seq &&
                e.data?.after?.state === "idle" &&
                /:(Stop|AfterAgent)$/.test(String(e.data?.after?.signal)),
            );
            expect(stopped, `${typed.summary} before ${typed.subject}'s turn ended`).toBeDefined();
          }

          const downStarted = Date.now();
          const down = baton(team.repo, ["down", "--json"], team.env);
          expect(down.code, down.stderr).toBe(0);
          const result = down.json();
          // Each quit through its own quit command (typed into its prompt), exiting cleanly,
          // well before baton down's 10 s grace would have killed it.
          expect(result).toMatchObject({ killed: [], closed: [] });
          expect(result.quit.sort()).toEqual(team.names);
          for (const name of team.names) expect(result.exits[name], name).toBe("status 0");
          expect(Date.now() - downStarted).toBeLessThan(10_000);
          expect(result.released).toEqual(team.names.map((agent) => ({ agent, tasks: 1, leases: 0 })));
          expect(tasks(team.repo).every((t) => t.status === "open" && t.holder === null)).toBe(true);
          // The worktrees and their branches stay.
          for (const name of team.names) {
            expect(existsSync(join(team.repo, ".baton", "worktrees", name, ".git"))).toBe(true);
            expect(git(team.repo, "branch", "--list", `baton/${name}`)).toContain(`baton/${name}`);
          }
          console.log(
            `${host} -n ${team.names.length}: claimed ${claimedAfter} ms after up began; down took ${Date.now() - downStarted} ms; whole case ${Date.now() - started} ms`,
          );
        } finally {
          await team.fake.close();
        }
      },
      TIMEOUT,
    );
  },
);

/** The text of every message of every main request the fake Claude model got. */
function conversations(fake: Fake): string[] {
  return fake.requests
    .map((r) => r.body as { tools?: unknown[]; messages?: unknown[] } | null)
    .filter((body) => Array.isArray(body?.tools) && body.tools.length > 0)
    .map((body) => JSON.stringify(body!.messages ?? []));
}

describe(`Claude Code ${HOST_VERSIONS.claude!.version} under baton up: first run and restart`, () => {
  it(
    "in a repository the user never trusted, it waits for the human's answer: status says so, down answers nothing",
    async () => {
      const team = await upWith("claude", { trusted: false });
      try {
        // Its trust question is on its screen (baton predicted it from ~/.claude.json); no hook has run.
        await until("the trust question", () => (/trust this folder/i.test(screen(team)) ? true : undefined));
        const status = baton(team.repo, ["status", "--json"], team.env).json();
        expect(status.team.agents[0]).toMatchObject({ process: "running", heard: false });
        expect(status.team.agents[0].waitingFor).toEqual([
          expect.stringContaining(
            `Claude Code asks whether you trust ${join(team.repo, ".baton", "worktrees", team.name)}`,
          ),
        ]);
        const text = baton(team.repo, ["status"], { ...team.env, COLUMNS: "300" }).stdout;
        expect(text).toMatch(/claude-1\s+running, no word yet/);
        expect(text).toContain("claude-1 waits for you: Claude Code asks whether you trust");
        expect(text).toContain("answer it in baton attach claude-1");

        // down types nothing into the question (Enter there would answer it): it closes the window.
        const down = baton(team.repo, ["down", "--json"], team.env).json();
        expect(down).toMatchObject({ quit: [], killed: [], closed: [team.name] });
        const config = JSON.parse(readFileSync(join(team.home, ".claude.json"), "utf8"));
        for (const path of [team.repo, join(team.repo, ".baton", "worktrees", team.name)])
          expect(config.projects?.[path]?.hasTrustDialogAccepted, path).not.toBe(true);
        expect(existsSync(join(team.repo, ".claude", "settings.local.json"))).toBe(false);
        expect(conversations(team.fake)).toEqual([]);
      } finally {
        await team.fake.close();
      }
    },
    TIMEOUT,
  );

  it(
    "killed in its pane, it is restarted by the hub with --continue: the model sees the conversation so far, the instructions and the task it holds",
    async () => {
      const team = await upWith("claude");
      try {
        await until("claude-1 to finish its first turn", () => {
          const agent = baton(team.repo, ["agents", "--json"])
            .json()
            .agents.find((a: Json) => a.name === team.name);
          return agent?.activity?.signal === "claude:Stop" && task(team.repo).holder === team.name
            ? true
            : undefined;
        });
        const before = conversations(team.fake).length;
        const pid = spawnSync(
          "tmux",
          ["-S", team.env.BATON_TMUX_SOCKET!, "list-panes", "-t", team.name, "-F", "#{pane_pid}"],
          { encoding: "utf8" },
        ).stdout.trim();
        process.kill(Number(pid), "SIGKILL");

        const resumed = await until("the restarted claude's first request", () =>
          conversations(team.fake)
            .slice(before)
            .find((text) => text.includes("baton restarted you")),
        );
        // The same conversation: its first turn's claim is in it, then the new message.
        expect(resumed).toContain("mcp__baton__claim_task");
        expect(resumed.indexOf("mcp__baton__claim_task")).toBeLessThan(
          resumed.indexOf("baton restarted you"),
        );
        expect(resumed).toContain("You still hold T-1: Bump a. Carry on with it.");
        expect(resumed).toContain("You are claude-1, the developer");
        const restarted = baton(team.repo, ["log", "--json", "--type", "team.restarted"]).json().events;
        expect(restarted).toEqual([
          expect.objectContaining({
            summary: expect.stringMatching(
              /claude-1 exited \(signal 9\); restarted, resuming its conversation/,
            ),
            data: expect.objectContaining({ resumed: true, restarts: 1 }),
          }),
        ]);
        expect(task(team.repo)).toMatchObject({ status: "claimed", holder: team.name });

        const down = baton(team.repo, ["down", "--json"], team.env).json();
        expect(down).toMatchObject({ quit: [team.name], killed: [], closed: [] });
      } finally {
        await team.fake.close();
      }
    },
    TIMEOUT,
  );
});
