/** What an agent must know to work in a baton team, for hosts without MCP and for `baton prompt`. */
export function protocolText(agent?: string): string {
  const as = agent
    ? ` (you are \`${agent}\`: \`export BATON_AGENT=${agent}\`)`
    : " (`export BATON_AGENT=<your name>` first)";
  return `## Working in a baton team

This repository is coordinated by baton${as}. Several agents work here at once;
baton makes sure two never take the same task or edit the same file.

1. **Join and look around:** \`baton agent join NAME --kind KIND\`, then \`baton task list --ready\` and \`baton inbox\`.
2. **Claim before working:** \`baton task claim\` (the next ready task) or \`baton task claim T-3\`. Keep the printed token.
   Never work on a task you have not claimed.
3. **Lock before editing:** \`baton lock src/auth/ --intent "what you will do"\`. If it answers exit 3, someone else holds it:
   work on something else or \`baton send THEM "..."\`. Unlock when done: \`baton unlock src/auth/\`.
4. **Stay alive:** run \`baton heartbeat --working-on "T-3 tests"\` at least every few minutes; silent agents lose their claims.
5. **Ask when unsure:** \`baton ask "question" --options a,b --wait 30m\` rather than guess. Ask for approval before risky
   actions: \`baton approval request "what" --plan plan.md --wait 1h\`.
6. **Finish:** \`baton task done T-3 --token N --result "what changed"\` (add \`--report report.yaml\` for findings), or
   \`baton task fail T-3 --reason "why"\`, or \`baton task release T-3\`. If it answers \`lease_lost\`, stop: the task is no longer yours.
7. **Read messages** between tasks: \`baton inbox --ack\`, or \`baton inbox --wait 10m --ack\` when idle.

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
