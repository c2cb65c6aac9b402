import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { initWorkspaceFiles } from "../../dist/index.js";

/** A fresh git repository with one commit and baton set up, naming `human` (default lea) a human. */
export function newRepo(scratch, name, human = "lea") {
  const repo = join(scratch, name);
  mkdirSync(repo);
  spawnSync("git", ["init", "-q", "-b", "main", repo]);
  spawnSync("git", [
    "-C",
    repo,
    "-c",
    "user.email=b@b",
    "-c",
    "user.name=b",
    "commit",
    "-q",
    "--allow-empty",
    "-m",
    "start",
  ]);
  initWorkspaceFiles(repo, { humans: [human] });
  return repo;
}
