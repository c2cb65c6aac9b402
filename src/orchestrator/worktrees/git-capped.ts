import { spawn } from "node:child_process";
import { BatonError } from "../../errors.js";
import { gitEnv } from "./git.js";

export interface CappedOutput {
  text: string;
  /** Why the text stops early: it reached the byte cap, or git ran past the deadline. */
  cut: "size" | "time" | null;
}

export interface CappedOptions {
  /** Bytes of stdout kept; past them git is stopped and the text is cut. */
  maxBytes: number;
  /** When git is stopped and what it wrote so far is returned, cut. */
  deadline: number;
  /** Exit codes that are not failures (`git diff --no-index` exits 1 when the files differ). */
  okCodes?: number[];
}

/**
 * Runs git with argv (never a shell) without holding the hub's event loop, as
 * execFileSync would: a diff of a large worktree can take seconds. Its output
 * is kept only up to a cap, and it is stopped at a deadline, so one request
 * cannot fill the hub's memory or hang it.
 */
export function gitCapped(cwd: string, args: string[], options: CappedOptions): Promise<CappedOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, { cwd, env: gitEnv(), stdio: ["ignore", "pipe", "pipe"] });
    const chunks: Buffer[] = [];
    let bytes = 0;
    let cut: CappedOutput["cut"] = null;
    let stderr = "";
    const stop = (why: "size" | "time") => {
      cut ??= why;
      child.kill("SIGKILL");
    };
    const timer = setTimeout(() => stop("time"), Math.max(0, options.deadline - Date.now()));
    child.stdout.on("data", (chunk: Buffer) => {
      if (cut) return;
      const room = options.maxBytes - bytes;
      if (chunk.length > room) {
        chunks.push(chunk.subarray(0, room));
        bytes = options.maxBytes;
        stop("size");
        return;
      }
      chunks.push(chunk);
      bytes += chunk.length;
    });
    child.stderr.on("data", (chunk: Buffer) => {
      if (stderr.length < 4000) stderr += chunk.toString("utf8");
    });
    child.on("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        error.code === "ENOENT"
          ? new BatonError("not_a_repository", "git is not installed or not on PATH", "install git")
          : error,
      );
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      // A cut text ends mid-line (and maybe mid-character): drop the partial line.
      let text = Buffer.concat(chunks).toString("utf8");
      if (cut) text = text.slice(0, text.lastIndexOf("\n") + 1);
      if (cut || code === 0 || (code !== null && options.okCodes?.includes(code))) {
        resolve({ text, cut });
        return;
      }
      const said = stderr.trim().split("\n").filter(Boolean).at(-1) ?? `exit code ${code}`;
      reject(
        new BatonError(
          "invalid_state",
          `git ${args.find((arg) => !arg.startsWith("-")) ?? ""} failed: ${said}`,
          "run the same git command in the worktree to see the whole message",
        ),
      );
    });
  });
}
