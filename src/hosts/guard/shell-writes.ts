/**
 * The files a shell command would write, read from its text: a best effort,
 * not a shell. It understands quoting, `;` `&&` `||` `|` and newlines between
 * commands, `cd DIR` before a command, redirections (`>`, `>>`, `&>`, `2>`,
 * `>|`, `<>`), heredoc bodies (skipped: they are data), and the usual writers:
 * tee, sed -i, perl -i, mv, cp, rm, touch, truncate, ln, install, dd of=.
 * Anything it cannot know (`$VAR`, `$(...)`, backquotes) is left out rather than
 * guessed. Missing a write means the guard lets one edit through; a wrong
 * target would refuse a harmless command, so it errs towards leaving out.
 */

export interface ShellWrite {
  /** The path as written, relative to `cwd`. */
  path: string;
  /** When the path is a folder, everything below it is written too (rm -r, mv). */
  below?: boolean;
  /** The folder the command runs in after any `cd` before it ("" = where the shell started). */
  cwd: string;
}

type Token = { word: string; op?: undefined } | { op: string; word?: undefined };

const SKIPPED_TARGETS = /^\/dev\/(null|stdout|stderr|tty|fd\/\d+)$/;
/** Words that run the command after them. */
const PREFIXES = new Set(["sudo", "env", "command", "builtin", "exec", "nohup", "time", "nice", "doas"]);

/** Splits a command line into words and operators, skipping heredoc bodies. Unknowable words become null-ish "". */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const heredocs: string[] = [];
  let i = 0;
  let word = "";
  let inWord = false;
  let opaque = false; // the word holds an expansion we cannot evaluate
  const endWord = () => {
    if (inWord) tokens.push({ word: opaque ? "" : word });
    word = "";
    inWord = false;
    opaque = false;
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === "\n") {
      endWord();
      tokens.push({ op: ";" });
      i++;
      // Heredoc bodies start on the next line: skip each up to its delimiter.
      for (const delimiter of heredocs.splice(0)) {
        while (i < text.length) {
          const end = text.indexOf("\n", i);
          const line = text.slice(i, end < 0 ? text.length : end);
          i = end < 0 ? text.length : end + 1;
          if (line.replace(/^\t+/, "") === delimiter) break;
        }
      }
      continue;
    }
    if (c === " " || c === "\t") {
      endWord();
      i++;
      continue;
    }
    if (c === "#" && !inWord) {
      while (i < text.length && text[i] !== "\n") i++;
      continue;
    }
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      word += text.slice(i + 1, end < 0 ? text.length : end);
      inWord = true;
      i = end < 0 ? text.length : end + 1;
      continue;
    }
    if (c === '"') {
      inWord = true;
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === "\\" && i + 1 < text.length) {
          word += text[i + 1];
          i += 2;
          continue;
        }
        if (text[i] === "$" || text[i] === "`") opaque = true;
        word += text[i++];
      }
      i++;
      continue;
    }
    if (c === "\\") {
      if (text[i + 1] !== "\n") word += text[i + 1] ?? "";
      inWord = true;
      i += 2;
      continue;
    }
    if (c === "$" || c === "`") opaque = true;
    const op = /^(<<<|<<-|<<|&>>|&>|>>|>\||<>|&&|\|\||[0-9]*>>|[0-9]*>&?|[;&|()<>])/.exec(text.slice(i));
    if (op && !(c >= "0" && c <= "9" && inWord)) {
      endWord();
      const name = op[0]!.replace(/^[0-9]+/, "");
      tokens.push({ op: name });
      i += op[0]!.length;
      if (name === "<<" || name === "<<-") {
        // The delimiter: the next word, quotes removed.
        while (text[i] === " ") i++;
        const match = /^(['"]?)([^\s'";&|<>]+)\1/.exec(text.slice(i));
        if (match) {
          heredocs.push(match[2]!);
          i += match[0]!.length;
        }
      }
      continue;
    }
    word += c;
    inWord = true;
    i++;
  }
  endWord();
  return tokens;
}

const REDIRECTS = new Set([">", ">>", "&>", "&>>", ">|", "<>"]);
const SEPARATORS = new Set([";", "&&", "||", "|", "&", "(", ")"]);

type Target = { path: string; below?: boolean };

const plain = (paths: string[]): Target[] => paths.filter(Boolean).map((path) => ({ path }));
const basename = (path: string) => path.replace(/\/+$/, "").split("/").pop() ?? path;

/** Copying or moving into `dest`: into a folder when it says so (a trailing slash, or several sources). */
function into(sources: string[], dest: string): Target[] {
  if (dest.endsWith("/") || sources.length > 1)
    return sources.map((source) => ({ path: `${dest.replace(/\/+$/, "")}/${basename(source)}` }));
  return [{ path: dest }];
}

const SHELLS = new Set(["sh", "bash", "dash", "zsh", "ksh"]);

/** What one simple command (its words after prefixes) writes. */
function commandTargets(words: string[], depth: number): Target[] {
  const [name, ...args] = words;
  if (!name) return [];
  const base = name.split("/").pop()!;
  // `bash -c 'echo x > f'` and `eval 'echo x > f'`: the script is a command line of its own.
  if (depth < 3 && (base === "eval" || SHELLS.has(base))) {
    const script =
      base === "eval" ? args.join(" ") : args[args.findIndex((a) => /^-[a-z]*c[a-z]*$/.test(a)) + 1];
    if (base !== "eval" && !args.some((a) => /^-[a-z]*c[a-z]*$/.test(a))) return [];
    return script ? writesOf(script, depth + 1) : [];
  }
  const operands = (list: string[]) => list.filter((a) => a !== "" && !a.startsWith("-"));
  switch (base) {
    case "tee":
    case "touch":
    case "unlink":
    case "shred":
      return plain(operands(args));
    case "truncate":
      return plain(operands(args.filter((a, i) => a !== "-s" && args[i - 1] !== "-s")));
    case "rm": {
      const below = args.some((a) => /^-[a-zA-Z]*[rR]/.test(a) || a === "--recursive");
      return operands(args).map((path) => ({ path, below }));
    }
    case "mv": {
      const list = operands(args);
      if (list.length < 2) return [];
      const sources = list.slice(0, -1);
      return [...sources.map((path) => ({ path, below: true })), ...into(sources, list.at(-1)!)];
    }
    case "cp":
    case "install":
    case "ln": {
      const list = operands(args);
      return list.length >= 2 ? into(list.slice(0, -1), list.at(-1)!) : [];
    }
    case "sed": {
      if (!args.some((a) => /^-[a-zA-Z]*i/.test(a) || a.startsWith("--in-place"))) return [];
      const list: string[] = [];
      let scriptSeen = args.some((a) => a === "-e" || a === "-f" || a === "--expression");
      for (let i = 0; i < args.length; i++) {
        const a = args[i]!;
        if (a === "-e" || a === "-f" || a === "--expression" || a === "--file") {
          i++;
          continue;
        }
        if (a.startsWith("-")) continue;
        if (!scriptSeen) {
          scriptSeen = true;
          continue;
        }
        list.push(a);
      }
      return plain(list);
    }
    case "perl": {
      if (!args.some((a) => /^-[a-zA-Z]*i/.test(a))) return [];
      const list: string[] = [];
      for (let i = 0; i < args.length; i++) {
        const a = args[i]!;
        if (/^-[a-zA-Z]*e$/.test(a)) {
          i++;
          continue;
        }
        if (!a.startsWith("-")) list.push(a);
      }
      return plain(list);
    }
    case "dd":
      return plain(args.filter((a) => a.startsWith("of=")).map((a) => a.slice(3)));
    default:
      return [];
  }
}

export function shellWrites(command: string): ShellWrite[] {
  return writesOf(command, 0).filter((w) => w.path !== "" && !w.cwd.includes("\0"));
}

function writesOf(command: string, depth: number): ShellWrite[] {
  const tokens = tokenize(command);
  const writes: ShellWrite[] = [];
  let cwd = "";
  let words: string[] = [];
  // An absolute path needs no cwd, even after a `cd` we could not follow.
  const at = (target: Target): ShellWrite => ({ ...target, cwd: target.path.startsWith("/") ? "" : cwd });
  const finish = () => {
    while (words.length > 0 && (PREFIXES.has(words[0]!) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0]!)))
      words.shift();
    if (words[0] === "cd") {
      const dir = words[1];
      // `cd` with an unknowable target: later relative paths cannot be placed.
      cwd = dir === undefined || dir === "" || dir === "-" ? "\0" : joinCwd(cwd, dir);
    } else {
      for (const target of commandTargets(words, depth)) {
        // A nested script's paths are relative to where it starts: this command's cwd.
        const nested = target as Partial<ShellWrite>;
        writes.push(
          nested.cwd !== undefined
            ? { ...target, cwd: nested.cwd.startsWith("/") ? nested.cwd : joinCwd(cwd, nested.cwd) }
            : at(target),
        );
      }
    }
    words = [];
  };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.op === undefined) {
      words.push(token.word);
      continue;
    }
    if (REDIRECTS.has(token.op)) {
      const target = tokens[i + 1];
      if (target?.op === undefined && target?.word && !SKIPPED_TARGETS.test(target.word)) {
        writes.push(at({ path: target.word }));
      }
      i++;
      continue;
    }
    if (token.op === "<" || token.op === "<<<" || token.op === ">&") {
      i++; // read from, or a descriptor duplicated (2>&1): nothing written
      continue;
    }
    if (token.op === "<<" || token.op === "<<-") continue; // the heredoc body is data
    if (SEPARATORS.has(token.op)) finish();
  }
  finish();
  return writes;
}

function joinCwd(cwd: string, dir: string): string {
  if (!dir) return cwd;
  if (dir.startsWith("/")) return dir;
  return cwd ? `${cwd}/${dir}` : dir;
}
