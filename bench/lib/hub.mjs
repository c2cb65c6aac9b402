/**
 * `baton serve` for the "through the hub" rows: whether this build has it, and
 * starting it in a bench repository until its socket answers.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { connect } from "node:net";
import { isAbsolute, join } from "node:path";

/**
 * True when this build has `baton serve`. Not the exit code alone: commander
 * answers `baton serve --help` for an unknown command with the program's help
 * and exit 0, so the help must be the command's own.
 */
export function hubAvailable(cli) {
  const result = spawnSync(process.execPath, [cli, "serve", "--help"], { encoding: "utf8" });
  return result.status === 0 && /Usage: baton serve\b/.test(result.stdout);
}

function canConnect(options) {
  return new Promise((resolve) => {
    const socket = connect(options);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** Where hub.json says the hub listens: a Unix socket path and/or a TCP port. */
function endpoints(repo, info) {
  const found = [];
  for (const [key, value] of Object.entries(info)) {
    if (typeof value === "string" && /socket|path/i.test(key)) {
      const path = isAbsolute(value) ? value : join(repo, ".baton", value);
      if (existsSync(path) && statSync(path).isSocket()) found.push({ path });
    }
    if (typeof value === "number" && /port/i.test(key))
      found.push({ host: typeof info.host === "string" ? info.host : "127.0.0.1", port: value });
  }
  return found;
}

/**
 * Starts `baton serve` in `repo`, resolves once `.baton/hub.json` names an endpoint that accepts a
 * connection, with the serve process's pid (for its RSS) and stop(). `nodeArgs` go to node
 * before the script (--cpu-prof, --heapsnapshot-signal=SIGUSR2, ... to look inside the hub).
 */
export async function startHub(cli, repo, port, { nodeArgs = [] } = {}) {
  const child = spawn(process.execPath, [...nodeArgs, cli, "serve", "--port", String(port)], {
    cwd: repo,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  let gone = false;
  exited.then(() => {
    gone = true;
  });
  const file = join(repo, ".baton", "hub.json");
  const deadline = performance.now() + 15_000;
  for (;;) {
    if (gone) throw new Error(`baton serve exited before it answered (exit ${child.exitCode}): ${stderr}`);
    if (existsSync(file)) {
      let info;
      try {
        info = JSON.parse(readFileSync(file, "utf8"));
      } catch {
        info = undefined; // being written
      }
      if (info) {
        for (const endpoint of endpoints(repo, info)) {
          if (await canConnect(endpoint))
            return { pid: child.pid, stop: () => stop(child, exited, () => stderr) };
        }
      }
    }
    if (performance.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`baton serve did not answer within 15 s (no reachable endpoint in ${file}): ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function stop(child, exited, stderr) {
  if (child.exitCode !== null) throw new Error(`baton serve died during the run: ${stderr()}`);
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  const code = await exited;
  clearTimeout(timer);
  if (code !== 0 && child.signalCode !== "SIGTERM")
    throw new Error(`baton serve stopped badly on SIGTERM (exit ${code}, ${child.signalCode}): ${stderr()}`);
}
