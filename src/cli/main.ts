#!/usr/bin/env node
import module from "node:module";

// Node 22.1+ keeps compiled code between runs: every command starts faster. Node 20 has no cache.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

import { readFileSync } from "node:fs";
import { CommanderError } from "commander";
import { BatonError, toBatonError } from "../errors.js";
import { deferTerminalStop } from "./defer-terminal-stop.js";
import { EXIT, exitCodeFor } from "./exit-codes.js";
import { Output } from "./output.js";
import { buildProgram } from "./program.js";

const { version } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
  version: string;
};

/** Commander's own errors (unknown flag, missing argument) become usage errors with a hint. */
function fromCommander(error: CommanderError): BatonError {
  const message = error.message.replace(/^error: /, "");
  return new BatonError("usage", message, "see the command's --help for its arguments and flags");
}

/** Global options that take a value: `baton --as lea` alone still means `baton status`. */
const VALUED_GLOBALS = new Set(["--as", "--store"]);

/** `baton` with no command (global options aside) shows the status, the screen a person wants first. */
function withDefaultCommand(argv: string[]): string[] {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (VALUED_GLOBALS.has(arg)) i++;
    else if (!arg.startsWith("--") || arg === "--help" || arg === "--version") return argv;
    else if (!["--json", "--dry-run"].includes(arg) && !arg.includes("=")) return argv;
  }
  return [...argv, "status"];
}

async function main(argv: string[]): Promise<number> {
  const json = argv.includes("--json");
  const program = buildProgram(version);
  try {
    await program.parseAsync(withDefaultCommand(argv), { from: "user" });
    return Number(process.exitCode ?? EXIT.ok);
  } catch (error) {
    if (error instanceof CommanderError && error.exitCode === 0) return EXIT.ok; // --help, --version
    // The one place where every failure becomes output and an exit code.
    const batonError = error instanceof CommanderError ? fromCommander(error) : toBatonError(error);
    if (batonError.code === "internal" && process.env.BATON_DEBUG) console.error(error);
    new Output(json, false).error(batonError);
    return exitCodeFor(batonError.code);
  }
}

// A reader that stops early (`baton --help | head`) closes the pipe: that is the end of the output, not a crash.
// A command that listens on the stream itself decides instead (`baton mcp`: stdout is its protocol, and a host
// gone is said on stderr and ends non-zero).
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (stream.listenerCount("error") > 1) return;
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

// Ctrl-Z stops the command between writes, never inside one (it would hold every agent's writes).
deferTerminalStop();

process.exitCode = await main(process.argv.slice(2));
