/** The command instructions teach: a launcher `baton connect` writes into each worktree (not committed). */
export const LAUNCHER = ".baton/bin/baton";

/**
 * What an agent must know to work in a baton team, for hosts without MCP and
 * for `baton prompt`. It names no agent unless asked to (`baton prompt --as`):
 * the section goes into AGENTS.md, a committed file every agent reads, so the
 * name comes from the agent's environment or its worktree instead.
 */
export function protocolText(agent?: string): string {
  const b = LAUNCHER;
  const who = agent
    ? `You are \`${agent}\`.`
    : `It knows who you are: your name comes from \`BATON_AGENT\` or from this worktree (\`${b} whoami\` tells you), so every command works in a fresh shell with nothing exported.`;
  return `## Working in a baton team

This repository is coordinated by baton. Several agents work here at once; baton makes sure two never
take the same task or edit the same file.

Run baton as \`${b}\` from the repository's root: that works whether or not \`baton\` is on PATH
(if the file is missing, ask the human to run \`baton connect\` in this worktree). ${who}

1. **Look around:** \`${b} task list --ready\` and \`${b} inbox\`.
2. **Claim before working:** \`${b} task claim\` (the next ready task) or \`${b} task claim T-3\`.
   Never work on a task you have not claimed.
3. **Lock before editing:** \`${b} lock src/auth/ --intent "what you will do"\`. If it answers exit 3, someone else holds it:
   work on something else or \`${b} send THEM "..."\`. Unlock when done: \`${b} unlock src/auth/\`.
4. **Stay alive:** run \`${b} heartbeat --working-on "T-3 tests"\` at least every few minutes; silent agents lose their claims.
   If it answers exit 3, you lost a claim or lock (it says which and why): stop work on that task or file.
5. **Ask when unsure:** \`${b} ask "question" --options a,b --wait 30m\` rather than guess. Ask for approval before risky
   actions: \`${b} approval request "what" --plan plan.md --wait 1h\`.
6. **Finish:** \`${b} task done T-3 --result "what changed"\` (add \`--report report.yaml\` for findings), or
   \`${b} task fail T-3 --reason "why"\`, or \`${b} task release T-3\`. If it answers \`lease_lost\`, stop: the task is no longer yours.
7. **Read messages** between tasks: \`${b} inbox --ack\`, or \`${b} inbox --wait 10m --ack\` when idle.

Every command takes \`--json\` and answers errors with a code and a hint.
`;
}

/** Role templates `baton init` writes to .baton/roles/, for the team to edit. */
export const ROLE_TEMPLATES: Record<string, string> = {
  developer: `# Role: developer

You implement tasks. Claim one at a time, lock the files you change, keep commits small,
run the tests before \`baton task done\`, and describe what changed in the result or a report.
`,
  reviewer: `# Role: reviewer

You review finished work. Claim review tasks, read the diff and the task's report, and record
findings (severity, file, line) in your own report. Ask the human when a change looks risky.
`,
  lead: `# Role: lead

You break work into tasks with clear titles, dependencies (--after) and priorities, answer
agents' messages, and escalate to the human what agents cannot decide.
`,
};
