type TeamOps = typeof import("../orchestrator/team/team-ops.js");

/**
 * The team operations, loaded on the first call that needs them. By a URL from
 * this file's folder, which sits one level under dist/ both as itself (`baton
 * mcp` loads the MCP server unbundled) and inside the CLI bundle
 * (dist/cli/baton.js, where the hub serves MCP over HTTP): so the bundle never
 * takes in the orchestrator and the file-format parsers it brings.
 */
export function loadTeamOps(): Promise<TeamOps> {
  return import(new URL("../orchestrator/team/team-ops.js", import.meta.url).href) as Promise<TeamOps>;
}
