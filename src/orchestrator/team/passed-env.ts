/**
 * Variables that belong to the process that set them, not to an agent started
 * from it. CLAUDECODE and CLAUDE_CODE_ENTRYPOINT are what Claude Code sets for
 * its own child processes (a lead's MCP server, which spawns teammates): a
 * teammate in a window of its own is no child session of the lead's.
 */
const OWN = new Set([
  "TMUX",
  "TMUX_PANE",
  "BATON_AGENT",
  "BATON_ROLE",
  "BATON_PORT",
  "BATON_TEAM",
  "CLAUDECODE",
  "CLAUDE_CODE_ENTRYPOINT",
  "_",
]);
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The environment an agent's window gets from the one who starts the team:
 * panes inherit the tmux server's environment, which is whoever started the
 * server (maybe another session long ago), so API keys and settings exported
 * in this shell would otherwise never reach the agents. Passed in the pane's
 * command, never written to `.baton/team.json` (it may hold keys); a restart
 * by the hub passes the hub's own, which it got the same way.
 */
export function passedEnv(source: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(source))
    if (value !== undefined && NAME.test(key) && !OWN.has(key) && !value.includes("\0")) env[key] = value;
  return env;
}
