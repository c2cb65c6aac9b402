import { BatonError, clip } from "../errors.js";

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/;
/** Names baton uses for itself in the log. */
const RESERVED = new Set(["guardian", "baton", "system"]);

export function validateAgentName(name: string): string {
  const trimmed = String(name).trim();
  if (!NAME.test(trimmed)) {
    throw new BatonError(
      "invalid_input",
      `'${clip(String(name))}' is not a usable agent name`,
      "use up to 64 letters, digits and _ . @ -, starting with a letter or digit (e.g. claude-1)",
    );
  }
  if (RESERVED.has(trimmed.toLowerCase())) {
    throw new BatonError("invalid_input", `'${trimmed}' is reserved for baton itself`, "choose another name");
  }
  return trimmed;
}

/** The caller's identity, required by every change: who did it goes in the log. */
export function requireIdentity(name: string | undefined): string {
  if (name === undefined) {
    throw new BatonError("usage", "who is acting? this command changes state and needs an agent name", {
      cli: "pass --as NAME, export BATON_AGENT=NAME, or run baton connect HOST --as NAME in this worktree",
      tool: "the server was started without an agent name: its host must set BATON_AGENT, or this worktree must have its agent recorded",
    });
  }
  return validateAgentName(name);
}
