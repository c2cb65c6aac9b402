import { BatonError, clip } from "../../errors.js";

/**
 * What tmux does to the argv it is given, and how baton keeps every word a
 * literal. tmux never runs a shell on its arguments, but it still reads them:
 *
 * - A word ending in `;` ends a command, and the next words start another
 *   (cmd-parse.y, cmd_parse_from_arguments): `new-window node x 'a;' kill-server`
 *   runs kill-server. A word ending in `\;` keeps one `;` and loses the `\`. So
 *   a final `;` is written `\;`, whatever precedes it (tmuxWord).
 * - Session names (-s), window names (-n) and start directories (-c) are
 *   expanded as formats, and `#(cmd)` in a format runs cmd in a shell. Names are
 *   held to characters without `#`; a directory has each `#` doubled, which a
 *   format turns back into one (formatLiteral).
 * - Targets (-t) find sessions by prefix and patterns, and windows by index,
 *   name prefix or offset: baton names a session exactly (`=name`) and a window
 *   or pane only by its id (`@3`, `%7`), which tmux gives at creation and never reuses.
 */

/** One argv word, so that tmux reads it as itself. */
export function tmuxWord(word: string): string {
  return word.endsWith(";") ? `${word.slice(0, -1)}\\;` : word;
}

/** Several tmux commands for one invocation: each word escaped, the commands joined by `;` words of our own. */
export function commandSequence(commands: readonly (readonly string[])[]): string[] {
  return commands.flatMap((command, i) => [...(i > 0 ? [";"] : []), ...command.map(tmuxWord)]);
}

/** Text for an argument tmux expands as a format, read back as the same text. */
export function formatLiteral(text: string): string {
  return text.replaceAll("#", "##");
}

const SESSION_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
/** Agent names (services/identity.ts) fit: `.` and `@` are safe in a name since windows are targeted by id. */
const WINDOW_NAME = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/;
const TARGET = /^[%@]\d+$/;
const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function checkSessionName(name: string): string {
  if (!SESSION_NAME.test(name)) {
    throw new BatonError(
      "invalid_input",
      `'${clip(name)}' is not a usable tmux session name`,
      "use up to 64 letters, digits, _ and -, starting with a letter or digit",
    );
  }
  return name;
}

export function checkWindowName(name: string): string {
  if (!WINDOW_NAME.test(name)) {
    throw new BatonError(
      "invalid_input",
      `'${clip(name)}' is not a usable tmux window name`,
      "use up to 64 letters, digits and _ . @ -, starting with a letter or digit (an agent's name fits)",
    );
  }
  return name;
}

/** A window (`@3`) or pane (`%7`) id, as newSession, newWindow and listWindows give them. */
export function checkTarget(target: string): string {
  if (!TARGET.test(target)) {
    throw new BatonError(
      "invalid_input",
      `'${clip(target)}' is not a tmux window or pane id`,
      "pass the paneId (%N) or windowId (@N) that newSession, newWindow or listWindows returned",
    );
  }
  return target;
}

/** The exact-match target of a session: `=name`, never a prefix or pattern of another session's name. */
export function sessionTarget(session: string): string {
  return `=${checkSessionName(session)}`;
}

export function checkEnvKey(key: string): string {
  if (!ENV_KEY.test(key)) {
    throw new BatonError(
      "invalid_input",
      `'${clip(key)}' is not a usable environment variable name`,
      "use letters, digits and _, not starting with a digit",
    );
  }
  return key;
}

/** A value that can travel in argv: a NUL byte would end it early (Node refuses it outright). */
export function checkArgvText(text: string, what: string): string {
  if (text.includes("\0")) {
    throw new BatonError("invalid_input", `${what} contains a NUL byte`, "remove the NUL byte (\\0)");
  }
  return text;
}

/**
 * `K=V` words for env: the variables a pane's process gets on top of the tmux
 * server's environment. Given to env in the pane's command rather than as
 * tmux's `-e` flags: tmux 3.3a lets the client's own PATH win over `-e PATH=`
 * in respawn-pane, so an agent never got the PATH baton gave it.
 */
export function envAssignments(env: Readonly<Record<string, string>>): string[] {
  return Object.entries(env).map(
    ([key, value]) => `${checkEnvKey(key)}=${checkArgvText(value, `the value of ${key}`)}`,
  );
}

/**
 * The argv a pane runs for `command`. tmux runs a command of one word through
 * `sh -c WORD` (spawn.c: argc == 1), where `claude;rm -rf ~` or `$(...)` would
 * be shell. Two words or more it passes to execvp as they are. So every command
 * goes through `env -- WORD...`: always two words or more for tmux, and env
 * (POSIX, on every system tmux runs on) execs WORD with the rest as its argv, no
 * shell anywhere. `--` ends env's options, so a word starting with `-` is the
 * command's. env reads a leading `NAME=VALUE` word as a variable, so a program
 * whose name holds `=` cannot go through it and is refused. The variables come
 * as env's `NAME=VALUE` words after `--`, where POSIX env takes them; env sets
 * them before it looks the program up, so a PATH given here is the one used.
 */
export function paneCommand(
  envPath: string,
  command: readonly string[],
  env: Readonly<Record<string, string>> = {},
): string[] {
  const [program] = command;
  if (program === undefined || program === "") {
    throw new BatonError(
      "invalid_input",
      "no command to run in the pane",
      "pass the program and its arguments",
    );
  }
  if (program.includes("=")) {
    throw new BatonError(
      "invalid_input",
      `the program '${clip(program)}' has '=' in its name, which env would read as a variable`,
      "run it through a path or a symlink without '='",
    );
  }
  for (const word of command) checkArgvText(word, "the command");
  return [envPath, "--", ...envAssignments(env), ...command];
}
