#!/usr/bin/env node
// Installs what the test suite runs besides baton: the real agent hosts (Claude Code, Codex,
// Gemini CLI, pi) at pinned versions, and Node 24. Part of `npm test`, before the tests run,
// so no test downloads anything. Each goes into node_modules/.cache/baton-hosts/<name>; one
// already there at the pinned version is kept. A failed install stops here with npm's error.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const hosts = JSON.parse(readFileSync(join(root, "test", "hosts", "hosts.json"), "utf8"));
const cache = join(root, "node_modules", ".cache", "baton-hosts");

function installedVersion(dir, pkg) {
  try {
    return JSON.parse(readFileSync(join(dir, "node_modules", pkg, "package.json"), "utf8")).version;
  } catch {
    return undefined;
  }
}

for (const [name, host] of Object.entries(hosts)) {
  if (name.startsWith("/")) continue;
  const dir = join(cache, name);
  const have = installedVersion(dir, host.package);
  const pinned = host.version;
  // "24" pins a major: any 24.x will do.
  if (
    have &&
    (have === pinned || have.split(".")[0] === pinned) &&
    existsSync(join(dir, "node_modules", ".bin", host.bin))
  ) {
    console.log(`test hosts: ${name} ${have} is installed`);
    continue;
  }
  mkdirSync(dir, { recursive: true });
  const started = Date.now();
  console.log(`test hosts: installing ${host.package}@${pinned} ...`);
  execFileSync(
    "npm",
    [
      "install",
      "--no-save",
      "--no-audit",
      "--no-fund",
      "--loglevel=error",
      "--prefix",
      dir,
      `${host.package}@${pinned}`,
    ],
    { stdio: ["ignore", "inherit", "inherit"] },
  );
  console.log(
    `test hosts: ${name} ${installedVersion(dir, host.package)} in ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
}
