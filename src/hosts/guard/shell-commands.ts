/**
 * What the usual file-writing commands write, from their words: each knows
 * which of its options take a value, so `touch -r REF file` writes `file`
 * only and `install -m 644 f dst` writes `dst`.
 */
export interface Target {
  path: string;
  /** When the path is a folder, everything below it is written too (rm -r, mv). */
  below?: boolean;
  /** Copied or moved into `path` when it is an existing folder: then it is `path/<name of each>`. */
  into?: string[];
  /** A name as a file tool gives it: `*` and `[` in it are characters, not wildcards. */
  literal?: boolean;
}

interface Args {
  operands: string[];
  values: Map<string, string[]>;
  flags: Set<string>;
}

/**
 * Splits arguments into operands, flags and option values. `valued` names the
 * options that take a value (`-t`, `--target-directory`); a short one may carry
 * it attached (`-tDIR`), a long one after `=`. `--` ends the options.
 */
function parseArgs(args: string[], valued: string[] = []): Args {
  const result: Args = { operands: [], values: new Map(), flags: new Set() };
  const takes = new Set(valued);
  const put = (name: string, value: string) =>
    result.values.set(name, [...(result.values.get(name) ?? []), value]);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") {
      result.operands.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith("--")) {
      const [name, value] = arg.includes("=")
        ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
        : [arg, undefined];
      if (value !== undefined) put(name!, value);
      else if (takes.has(name!)) put(name!, args[++i] ?? "");
      else result.flags.add(name!);
      continue;
    }
    if (arg.startsWith("-") && arg.length > 1) {
      // Combined short flags (-rf); the first that takes a value ends the run.
      for (let j = 1; j < arg.length; j++) {
        const name = `-${arg[j]}`;
        if (takes.has(name)) {
          put(name, j + 1 < arg.length ? arg.slice(j + 1) : (args[++i] ?? ""));
          break;
        }
        result.flags.add(name);
      }
      continue;
    }
    result.operands.push(arg);
  }
  return result;
}

const plain = (paths: string[]): Target[] => paths.filter(Boolean).map((path) => ({ path }));
const basename = (path: string) => path.replace(/\/+$/, "").split("/").pop() ?? path;

/** Copying or moving SOURCES to DEST, as cp, mv, install and ln do (with -t DIR, or DIR last). */
function copyTargets(args: Args, moves: boolean): Target[] {
  const dir = args.values.get("-t")?.at(-1) ?? args.values.get("--target-directory")?.at(-1);
  const sources = dir !== undefined ? args.operands : args.operands.slice(0, -1);
  const dest = dir ?? args.operands.at(-1);
  if (dest === undefined || sources.length === 0) return [];
  const moved = moves ? sources.map((path) => ({ path, below: true })) : [];
  if (dir !== undefined || dest.endsWith("/") || sources.length > 1)
    return [
      ...moved,
      ...sources.map((source) => ({ path: `${dest.replace(/\/+$/, "")}/${basename(source)}` })),
    ];
  return [...moved, { path: dest, into: sources }];
}

type Writer = (args: string[]) => Target[];

const WRITERS: Record<string, Writer> = {
  tee: (args) => plain(parseArgs(args).operands),
  touch: (args) => plain(parseArgs(args, ["-r", "-d", "-t", "--reference", "--date"]).operands),
  truncate: (args) => plain(parseArgs(args, ["-s", "-r", "--size", "--reference"]).operands),
  unlink: (args) => plain(parseArgs(args).operands),
  shred: (args) => plain(parseArgs(args, ["-n", "-s", "--iterations", "--size"]).operands),
  rm: (args) => {
    const parsed = parseArgs(args);
    const below = ["-r", "-R", "--recursive"].some((flag) => parsed.flags.has(flag));
    return parsed.operands.filter(Boolean).map((path) => ({ path, below }));
  },
  mv: (args) => copyTargets(parseArgs(args, ["-t", "--target-directory", "-S", "--suffix"]), true),
  cp: (args) => copyTargets(parseArgs(args, ["-t", "--target-directory", "-S", "--suffix"]), false),
  ln: (args) => copyTargets(parseArgs(args, ["-t", "--target-directory", "-S", "--suffix"]), false),
  install: (args) =>
    copyTargets(
      parseArgs(args, [
        "-t",
        "--target-directory",
        "-m",
        "--mode",
        "-o",
        "--owner",
        "-g",
        "--group",
        "-S",
        "--suffix",
      ]),
      false,
    ),
  sed: (args) => {
    const parsed = parseArgs(args, ["-e", "-f", "-l", "--expression", "--file", "--line-length"]);
    const inPlace =
      [...parsed.flags].some((f) => f === "-i" || f.startsWith("--in-place")) ||
      args.some((a) => /^-[a-zA-Z]*i/.test(a));
    if (!inPlace) return [];
    const scripted =
      parsed.values.has("-e") ||
      parsed.values.has("-f") ||
      parsed.values.has("--expression") ||
      parsed.values.has("--file");
    // `-i.bak` puts its suffix in the flag run: the operands are what is left.
    const operands = parsed.operands.filter((o) => !/^\.[A-Za-z0-9_~-]*$/.test(o));
    return plain(scripted ? operands : operands.slice(1));
  },
  perl: (args) => {
    if (!args.some((a) => /^-[a-zA-Z]*i/.test(a))) return [];
    return plain(parseArgs(args, ["-e", "-E", "-I", "-M", "-m", "-x"]).operands);
  },
  dd: (args) => plain(args.filter((a) => a.startsWith("of=")).map((a) => a.slice(3))),
  sort: (args) => {
    const parsed = parseArgs(args, ["-o", "--output", "-k", "-t", "-S", "-T"]);
    return plain([...(parsed.values.get("-o") ?? []), ...(parsed.values.get("--output") ?? [])]);
  },
  curl: (args) => {
    const parsed = parseArgs(args, [
      "-o",
      "--output",
      "-d",
      "--data",
      "-H",
      "--header",
      "-X",
      "-u",
      "-A",
      "-e",
      "-b",
      "-c",
      "-F",
      "-T",
    ]);
    return plain([...(parsed.values.get("-o") ?? []), ...(parsed.values.get("--output") ?? [])]);
  },
  wget: (args) => {
    const parsed = parseArgs(args, ["-O", "--output-document", "-P", "-o", "-a"]);
    return plain([...(parsed.values.get("-O") ?? []), ...(parsed.values.get("--output-document") ?? [])]);
  },
  git: (args) => {
    const [sub, ...rest] = args.filter((a, i) => !(i === 0 && a.startsWith("-")));
    switch (sub) {
      case "checkout": {
        const dash = rest.indexOf("--");
        return dash >= 0 ? plain(rest.slice(dash + 1)) : [];
      }
      case "restore":
        return plain(parseArgs(rest, ["-s", "--source"]).operands);
      case "rm":
        return parseArgs(rest).operands.map((path) => ({ path, below: true }));
      case "mv":
        return copyTargets(parseArgs(rest), true);
      default:
        return [];
    }
  },
};

/** Options of the words that run the command after them, and how many values each takes. */
const PREFIX_VALUES: Record<string, string[]> = {
  sudo: ["-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U", "--user", "--group"],
  doas: ["-u", "-C"],
  env: ["-u", "-C", "-S", "--unset", "--chdir"],
  nice: ["-n", "--adjustment"],
  ionice: ["-c", "-n", "-p", "-t"],
  timeout: ["-s", "-k", "--signal", "--kill-after"],
  stdbuf: ["-i", "-o", "-e"],
  nohup: [],
  exec: ["-a"],
  command: [],
  builtin: [],
  time: ["-f", "-o"],
  xargs: ["-I", "-n", "-P", "-d", "-L", "-s", "-E", "-a"],
};

/**
 * The command a line really runs, past words that run another command
 * (`sudo -u x`, `env -i A=1`, `timeout 5`, `nice -n 10`) and variable
 * assignments. `xargs CMD` runs CMD with arguments from its input: the words
 * it is given still name what CMD writes if they name files.
 */
export function commandWords(words: string[]): string[] {
  let rest = words;
  for (;;) {
    while (rest.length > 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(rest[0]!)) rest = rest.slice(1);
    const name = rest[0]?.split("/").pop();
    if (!name || !(name in PREFIX_VALUES)) return rest;
    const takes = new Set(PREFIX_VALUES[name]);
    let i = 1;
    while (i < rest.length && rest[i]!.startsWith("-") && rest[i] !== "-") {
      if (rest[i] === "--") {
        i++;
        break;
      }
      if (takes.has(rest[i]!)) i++;
      i++;
    }
    // timeout's duration comes before the command.
    if (name === "timeout" && i < rest.length) i++;
    rest = rest.slice(i);
  }
}

/** What the command `words` (prefixes already stripped) writes; shells and apply_patch are handled by the caller. */
export function commandTargets(words: string[]): Target[] {
  const [name, ...args] = words;
  if (!name) return [];
  const writer = WRITERS[name.split("/").pop()!];
  return writer ? writer(args) : [];
}
