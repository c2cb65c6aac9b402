import { isAbsolute, join } from "node:path";
import { patchTargets } from "./apply-patch.js";
import { commandTargets, commandWords, type Target } from "./shell-commands.js";
import { expandBraces, type Token, tokenize } from "./shell-tokens.js";

/**
 * The files a shell command would write, read from its text: a best effort,
 * not a shell. It follows `cd` (and pushd) the way the shell does: not out of
 * a subshell `( )`, a pipe or a background job, and after `||` as either
 * folder; reads redirections (`>`, `>>`, `&>`, `2>`, `>|`, `<>`, `>&file`), the
 * usual writers (shell-commands.ts), `bash -c`/`sh -c`/`eval` scripts,
 * command substitutions, and apply_patch heredocs. What it cannot know (`$VAR`
 * paths, `cd $DIR`, files a program writes by itself) is left out rather than
 * guessed: a wrong target would refuse a harmless command.
 */
export interface ShellWrite extends Target {
  /** The folder the path is relative to ("" = where the shell started); absolute paths need none. */
  cwd: string;
}

const UNKNOWN = "\0";
const MAX_DEPTH = 4;
const REDIRECTS = new Set([">", ">>", "&>", "&>>", ">|", "<>"]);
const SEPARATORS = new Set([";", "&&", "||", "|", "&", ";;"]);
/** Words that open or close a compound command; what follows them is a command of its own. */
const RESERVED = new Set([
  "if",
  "then",
  "else",
  "elif",
  "fi",
  "do",
  "done",
  "while",
  "until",
  "!",
  "{",
  "}",
  "esac",
]);
const SHELLS = new Set(["sh", "bash", "dash", "zsh", "ksh"]);

export function shellWrites(command: string): ShellWrite[] {
  return writesOf(command, [""], 0).filter((w) => w.path !== "" && !w.cwd.includes(UNKNOWN));
}

interface Command {
  words: { text: string; opaque: boolean }[];
  redirects: string[];
  bodies: string[];
}

function joinCwd(cwd: string, dir: string): string {
  if (isAbsolute(dir)) return dir;
  return cwd ? join(cwd, dir) : dir;
}

function writesOf(text: string, start: string[], depth: number): ShellWrite[] {
  const { tokens, substitutions } = tokenize(text);
  const writes: ShellWrite[] = [];
  let cwds = start;
  const scopes: string[][] = [];
  let before = ";";
  let command: Command = { words: [], redirects: [], bodies: [] };
  const at = (target: Target) => {
    for (const cwd of isAbsolute(target.path) ? [""] : cwds) writes.push({ ...target, cwd });
  };
  const finish = (after: string) => {
    const { redirects, bodies } = command;
    const words = command.words.flatMap((w) => (w.opaque ? [""] : expandBraces(w.text)));
    command = { words: [], redirects: [], bodies: [] };
    for (const path of redirects) at({ path });
    while (words.length > 0 && RESERVED.has(words[0]!)) words.shift();
    if (words[0] === "for" || words[0] === "case" || words[0] === "function") return;
    const run = commandWords(words);
    const name = run[0]?.split("/").pop();
    if (name === "cd" || name === "pushd" || name === "popd") {
      // A cd in a pipe or a background job runs in a subshell of its own: it moves nothing after it.
      if (before === "|" || after === "|" || after === "&") return;
      const dir = name === "popd" ? undefined : run.slice(1).find((w) => !w.startsWith("-") || w === "-");
      const moved = !dir || dir === "-" ? [UNKNOWN] : cwds.map((cwd) => joinCwd(cwd, dir));
      cwds = before === "||" ? [...new Set([...cwds, ...moved])] : moved;
      return;
    }
    if (depth < MAX_DEPTH && name === "eval") {
      writes.push(...writesOf(run.slice(1).join(" "), cwds, depth + 1));
      return;
    }
    if (depth < MAX_DEPTH && name && SHELLS.has(name)) {
      const flag = run.findIndex((w, i) => i > 0 && /^-[a-z]*c[a-z]*$/.test(w));
      if (flag < 0) return; // a script file or stdin: not readable from here
      const script = run.slice(flag + 1).find((w) => w !== "--");
      if (script) writes.push(...writesOf(script, cwds, depth + 1));
      return;
    }
    if (name === "apply_patch" || name === "applypatch") {
      for (const body of bodies) for (const path of patchTargets(body)) at({ path });
      return;
    }
    for (const target of commandTargets(run)) at(target);
  };
  for (let i = 0; i < tokens.length; i++) {
    const token: Token = tokens[i]!;
    if (token.kind === "word") {
      command.words.push({ text: token.text, opaque: token.opaque });
      continue;
    }
    const next = tokens[i + 1];
    const operand = next?.kind === "word" ? next : undefined;
    if (REDIRECTS.has(token.op) || token.op === ">&") {
      i++;
      if (!operand || operand.opaque) continue;
      // `2>&1`, `>&-`: a descriptor; `>&file`: bash's redirect of both outputs to a file.
      if (token.op === ">&" && /^(\d+|-)$/.test(operand.text)) continue;
      if (!/^\/dev\/(null|stdout|stderr|tty|fd\/\d+)$/.test(operand.text))
        command.redirects.push(operand.text);
      continue;
    }
    if (token.op === "<" || token.op === "<<<") {
      i++;
      continue;
    }
    if (token.op === "<<" || token.op === "<<-") {
      if (token.body !== undefined) command.bodies.push(token.body);
      continue;
    }
    if (token.op === "(") {
      // `( ... )` is a subshell: a cd inside it ends with it. `name()` starts a function.
      if (command.words.length === 0) scopes.push(cwds);
      continue;
    }
    if (token.op === ")") {
      finish(")");
      cwds = scopes.pop() ?? cwds;
      before = ")";
      continue;
    }
    if (SEPARATORS.has(token.op)) {
      finish(token.op);
      before = token.op;
    }
  }
  finish(";");
  for (const inner of depth < MAX_DEPTH ? substitutions : [])
    writes.push(...writesOf(inner, start, depth + 1));
  return writes;
}
