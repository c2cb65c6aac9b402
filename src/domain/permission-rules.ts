/**
 * The team's standing answers to a headless agent's permission requests
 * (`"permissions"` in .baton/config.json): a request a rule matches is
 * answered at once; any other becomes a baton approval for a human. This
 * module holds the rules and the matching; the config module validates them.
 */

export interface PermissionRule {
  /** A tool name as the host calls it (Bash, Edit, mcp__baton__claim_task), or `*` for any. */
  tool: string;
  /** A glob on the tool's main input (see `permissionSubject`); absent: any input. */
  input: string | null;
}

export interface PermissionsConfig {
  allow: PermissionRule[];
  deny: PermissionRule[];
  /** How long a request waits for a human before it is denied and the run interrupted. */
  approvalTimeoutMs: number;
}

export interface PermissionVerdict {
  behavior: "allow" | "deny";
  rule: PermissionRule;
}

/**
 * What a rule's `input` pattern is matched against: the command of a shell
 * tool, the path of a file tool, the URL of a fetch, the pattern of a search;
 * for any other tool, its input as JSON.
 */
export function permissionSubject(input: Record<string, unknown>): string {
  for (const key of ["command", "file_path", "notebook_path", "path", "url", "pattern"]) {
    const value = input[key];
    if (typeof value === "string") return value;
  }
  return JSON.stringify(input);
}

/**
 * Shell syntax that joins or redirects commands. An allow rule never matches a
 * command holding any of it: `npm test*` must not allow `npm test && rm -rf ~`.
 * Such a command goes to a human (unless a deny rule matches a part of it).
 */
const SHELL_JOINS = /[;&|`<>\n\r]|\$\(/;

/** `*` is any run of characters (spaces and slashes too), `?` one; the whole subject must match. */
function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, "[\\s\\S]*")
    .replace(/\?/g, "[\\s\\S]");
  return new RegExp(`^${body}$`);
}

function toolMatches(rule: PermissionRule, tool: string): boolean {
  return rule.tool === "*" || rule.tool === tool;
}

/**
 * The standing answer to a request to run `tool` with `input`, or undefined
 * when a human must decide. Deny rules come first and win; for a shell command
 * they are tried on the whole command and on each part between `;`, `&&`,
 * `||`, `|` (so `rm *` catches `cd x && rm -rf y`). Allow rules are tried on
 * the whole subject only, and never on a command that joins or redirects.
 */
export function permissionVerdict(
  config: PermissionsConfig,
  tool: string,
  input: Record<string, unknown>,
): PermissionVerdict | undefined {
  const subject = permissionSubject(input);
  const isCommand = typeof input.command === "string";
  const parts = isCommand
    ? [subject, ...subject.split(/;|&&|\|\||\||\n/).map((part) => part.trim())].filter(Boolean)
    : [subject];
  for (const rule of config.deny) {
    if (!toolMatches(rule, tool)) continue;
    if (rule.input === null || parts.some((part) => globToRegExp(rule.input!).test(part)))
      return { behavior: "deny", rule };
  }
  for (const rule of config.allow) {
    if (!toolMatches(rule, tool)) continue;
    if (rule.input === null) return { behavior: "allow", rule };
    if (isCommand && SHELL_JOINS.test(subject)) continue;
    if (globToRegExp(rule.input).test(subject)) return { behavior: "allow", rule };
  }
  return undefined;
}

/** A rule as the config writes it, for messages and logs: `Bash "npm test*"`, `Read`. */
export function describeRule(rule: PermissionRule): string {
  return rule.input === null ? rule.tool : `${rule.tool} "${rule.input}"`;
}
