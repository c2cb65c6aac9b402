// Puts test/workers/fake-host.mjs on PATH as `claude`, for baton up's tests and the team
// benchmark: a folder `bin/` in `dir` with a `claude` that runs it with this Node, and the log
// it appends every typed line to. Returns the environment `baton up` needs for it.
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export function fakeClaudeBin(dir, cli) {
  const bin = join(dir, "bin");
  mkdirSync(bin);
  const script = join(import.meta.dirname, "fake-host.mjs");
  writeFileSync(join(bin, "claude"), `#!/bin/sh\nexec '${process.execPath}' '${script}' "$@"\n`);
  chmodSync(join(bin, "claude"), 0o755);
  const log = join(dir, "typed.log");
  writeFileSync(log, "");
  return { log, env: { PATH: `${bin}:${process.env.PATH}`, BATON_FAKE_CLI: cli, BATON_FAKE_LOG: log } };
}
