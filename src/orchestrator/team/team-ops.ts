/**
 * What changes a running team from inside it, in one module for the faces that
 * load it on demand (the MCP tools): the orchestrator brings tmux, worktrees
 * and the hosts' file formats, which a session that never changes its team
 * need not load.
 */
export { type Delegated, type DelegateRequest, delegate } from "./delegate.js";
export { type SpawnRequest, spawnAgent } from "./spawn-agent.js";
export { confirmStop, requestStop, type StopRequested } from "./stop-agent.js";
