import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { baton, tempDir, tempRepo } from "../helpers/temp-repo.js";
import { teamRecord, tmuxSocket, windowNames, writeConfig } from "./team-helpers.js";

/**
 * The config's team section as `baton up` reads it: port_base, a setup script
 * in each new worktree, and a run script (a dev server) beside each agent,
 * with simulated agents in a real tmux server of the test's own.
 */

/** A tiny dev server: answers with its agent's name, on the port baton gave it. */
function devServer(): string {
  const path = join(tempDir("baton-dev-server-"), "server.cjs");
  writeFileSync(
    path,
    `require("node:http").createServer((req, res) => res.end(process.env.BATON_AGENT + " on " + process.env.BATON_PORT)).listen(Number(process.env.BATON_PORT), "127.0.0.1");\n`,
  );
  return path;
}

async function answer(url: string): Promise<string | undefined> {
  try {
    return await (await fetch(url)).text();
  } catch {
    return undefined;
  }
}

/** What the server at `url` says once it is up (it starts beside the agent, in its own window). */
async function answering(url: string): Promise<string> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const text = await answer(url);
    if (text) return text;
    if (Date.now() > deadline) throw new Error(`nothing answered at ${url}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A base no other test of the run picks: ports are per machine, and files run side by side. */
const BASE = 30_000 + (process.pid % 300) * 100;

describe("baton up with the config's team section", () => {
  it("runs setup in each worktree first, starts each agent's dev server on its own port (port_base from the config), shows their URLs, and down stops them", async () => {
    const repo = tempRepo({ humans: ["lea"] });
    const setupScript = `require("node:fs").writeFileSync("setup-ran.txt", process.env.BATON_AGENT + " " + process.env.BATON_PORT)`;
    writeConfig(repo, {
      humans: ["lea"],
      team: {
        port_base: BASE,
        setup: [process.execPath, "-e", setupScript],
        run: [process.execPath, devServer()],
      },
    });
    const env = { BATON_TMUX_SOCKET: tmuxSocket() };
    const up = baton(repo, ["up", "-n", "2", "--agent", "sim"], env);
    expect(up.code, up.stderr).toBe(0);
    const record = teamRecord(repo);
    const [one, two] = record.agents as { name: string; port: number; cwd: string }[];
    expect(one!.port).toBeGreaterThanOrEqual(BASE);
    expect(two!.port - one!.port).toBeGreaterThanOrEqual(10);
    for (const agent of [one!, two!]) {
      // Setup ran in the agent's worktree, with its environment, before it started.
      expect(readFileSync(join(agent.cwd, "setup-ran.txt"), "utf8")).toBe(`${agent.name} ${agent.port}`);
      expect(up.stdout).toContain(`http://127.0.0.1:${agent.port}`);
    }
    expect(windowNames(env.BATON_TMUX_SOCKET, record.session)).toEqual([
      "hub",
      "sim-1",
      "sim-1.run",
      "sim-2",
      "sim-2.run",
    ]);
    // Both dev servers answer, each on its own port, as its own agent.
    const answers = await Promise.all(
      [one!, two!].map((agent) => answering(`http://127.0.0.1:${agent.port}`)),
    );
    expect(answers).toEqual([`sim-1 on ${one!.port}`, `sim-2 on ${two!.port}`]);

    const status = baton(repo, ["status", "--json"], env).json();
    expect(status.team.agents.map((a: { url: string }) => a.url)).toEqual([
      `http://127.0.0.1:${one!.port}`,
      `http://127.0.0.1:${two!.port}`,
    ]);
    expect(baton(repo, ["status"], { ...env, COLUMNS: "120" }).stdout).toContain(
      `http://127.0.0.1:${two!.port}`,
    );

    expect(baton(repo, ["down"], env).code).toBe(0);
    expect(await answer(`http://127.0.0.1:${one!.port}`)).toBeUndefined();
    expect(await answer(`http://127.0.0.1:${two!.port}`)).toBeUndefined();

    // --port-base still overrides the config.
    const again = baton(
      repo,
      ["up", "-n", "1", "--agent", "sim", "--port-base", String(BASE + 5000), "--json"],
      env,
    );
    expect(again.code, again.stderr).toBe(0);
    expect(again.json().team.agents[0].port).toBeGreaterThanOrEqual(BASE + 5000);
    expect(baton(repo, ["down", "--force"], env).code).toBe(0);
  });

  it("a failing setup stops up before anything starts, with the end of its output in the error", () => {
    const repo = tempRepo();
    writeConfig(repo, {
      team: {
        setup: [
          process.execPath,
          "-e",
          "for (let i = 1; i <= 50; i++) console.log('line ' + i); console.error('npm ERR! no lockfile'); process.exit(2)",
        ],
      },
    });
    const env = { BATON_TMUX_SOCKET: tmuxSocket() };
    const up = baton(repo, ["up", "-n", "2", "--agent", "sim"], env);
    expect(up.code).toBe(1);
    expect(up.stderr).toContain("the setup of sim-1's worktree failed");
    expect(up.stderr).toContain("npm ERR! no lockfile");
    expect(up.stderr).toContain("line 50");
    expect(up.stderr).not.toContain("line 20\n");
    // Nothing started: no session, no record, and the second agent was never prepared.
    expect(baton(repo, ["sessions", "--json"], env).json().sessions).toEqual([]);
    expect(existsSync(join(repo, ".baton", "team.json"))).toBe(false);
    expect(existsSync(join(repo, ".baton", "worktrees", "sim-2"))).toBe(false);
  });
});
