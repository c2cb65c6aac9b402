/**
 * The examples at the foot of every help page, in one place: a help page is where people
 * learn a command, and an example teaches faster than a flag list. program.ts adds them to
 * each command by its path ("task claim"); a test checks that every command has some and
 * that each `baton ...` line parses as the command it illustrates.
 *
 * An example is a command line, as it would be typed in a shell, and an optional remark
 * (printed after `#`, so the line can be pasted as it is).
 */
export type Example = readonly [line: string, remark?: string];

export const HELP_EXAMPLES: Readonly<Record<string, readonly Example[]>> = {
  "": [
    ["baton init", "set up .baton/ in this repository"],
    ["baton", "what waits for you and what the team does (baton status)"],
    ["export BATON_AGENT=alice", "who you are (or --as alice)"],
    ['baton task add "Fix login redirect"', "add work"],
    ["baton task claim", "take the next ready task"],
    ["baton lock src/auth/login.ts", "lease the files you will edit"],
    ["baton heartbeat", "keep your claims and leases alive"],
    ['baton task done T-1 --result "fixed"', "finish"],
    ['baton send bob "T-1 is ready for review"', "message a teammate; bob reads it with baton inbox"],
    ['baton ask "Which DB?" --wait 30m', "ask the human and wait for the answer"],
    ["baton agents", "see the team (and baton locks, baton log)"],
  ],
  status: [
    ["baton status", "what waits for you, the agents, tasks and leases"],
    ["baton status --watch", "redraw in place every 2s (Ctrl-C to stop)"],
    ["baton status --json", "the same as one JSON document"],
  ],
  init: [
    ["baton init", "set up .baton/ here; existing files are kept"],
    ["baton init --force", "rewrite config.json with the defaults"],
    ["baton init --human lea", 'name lea in config.json "humans": the person who approves'],
  ],
  key: [
    ["baton key create --agent claude-1 --role backend", "a key for an agent on the hub server"],
    ["baton key list"],
    ["baton key revoke K-2"],
  ],
  "key create": [
    ["baton key create --agent claude-1", "shown once: copy it into the agent's MCP config"],
    ["baton key create --agent reviewer-2 --role reviewer --json"],
  ],
  "key list": [["baton key list", "every key, last use, and which are revoked"]],
  "key revoke": [["baton key revoke K-2", "it stops working at its next request"]],
  devices: [
    ["baton devices", "the browsers and phones paired with the hub"],
    ["baton devices revoke D-1", "a lost phone: its session ends at once"],
  ],
  "devices revoke": [["baton devices revoke D-1"]],
  pair: [
    ["baton pair --human lea", "a one-time link and QR code, valid 10 minutes"],
    ["baton pair --human lea --ttl 30m --json"],
  ],

  task: [
    ['baton task add "Fix login redirect" --priority 1 --tag web'],
    ['baton task add "Ship release notes" --after T-1,T-2'],
    ["baton task claim", "the next ready task for you"],
    ['baton task done T-1 --result "fixed in 3f2a1c"'],
  ],
  "task add": [
    ['baton task add "Fix login redirect" --priority 1 --tag web,auth'],
    ['baton task add "Ship release notes" --after T-1,T-2 --assign alice'],
    ['baton task add "Review the billing change" --queue review --body "see PR #42"'],
  ],
  "task list": [
    ["baton task list", "open and claimed tasks"],
    ["baton task list --ready", "what you could claim now"],
    ["baton task list --status done --queue review"],
    ["baton task list --mine --json"],
  ],
  "task show": [["baton task show T-3"]],
  "task claim": [
    ["baton task claim", "the next ready task: highest priority, then oldest"],
    ["baton task claim T-3 --ttl 30m"],
    ["baton task claim --queue review --tag web"],
  ],
  "task done": [
    ['baton task done T-1 --result "fixed in 3f2a1c"'],
    ["baton task done T-1 --token 42 --report report.yaml"],
  ],
  "task fail": [['baton task fail T-1 --reason "tests fail on CI" --token 42']],
  "task release": [["baton task release T-1", "back to the queue, no attempt counted"]],
  "task assign": [["baton task assign T-3 alice", "only alice may claim it"]],
  "task unassign": [["baton task unassign T-3"]],
  "task dep": [["baton task dep add T-5 T-3", "T-5 waits until T-3 is done"], ["baton task dep rm T-5 T-3"]],
  "task dep add": [["baton task dep add T-5 T-3", "T-5 waits until T-3 is done"]],
  "task dep rm": [["baton task dep rm T-5 T-3"]],
  "task amend": [['baton task amend T-3 "also cover the API"']],
  "task escalate": [['baton task escalate T-3 --reason "blocked on credentials for a week"']],
  "task cancel": [
    ['baton task cancel T-3 --reason "duplicate of T-2"'],
    ["baton task cancel T-4 --yes", "one another agent holds, without the question"],
  ],
  "task edit": [
    ['baton task edit T-3 --title "Fix the login redirect on Safari" --priority 0'],
    ["baton task edit T-3 --tag urgent --untag later"],
    ['baton task edit T-3 --body "Steps to reproduce: ..."'],
  ],
  "task reopen": [
    ['baton task reopen T-3 --reason "the fix broke Safari"', "a done task: humans only"],
    ["baton task reopen T-7", "a failed, dead or cancelled one: anyone"],
  ],

  lock: [
    ['baton lock src/auth/login.ts --intent "fix redirect"'],
    ["baton lock 'src/api/**/*.ts' --ttl 30m"],
    [
      'baton lock --whole-workspace --intent "release 1.4"',
      "every file (a pattern of wildcards alone needs this)",
    ],
    ["baton lock check src/auth/login.ts", "who holds it?"],
    ["baton lock force-release src/auth", "free a lock whose holder is gone (asks, then logs it)"],
  ],
  "lock check": [
    ["baton lock check src/auth/login.ts", "exit 3 when someone else holds it"],
    ["baton lock check 'src/api/**' --json"],
  ],
  "lock force-release": [
    ["baton lock force-release src/auth", "shows whose lease it is and asks first"],
    ["baton lock force-release src/auth --yes", "in a script: no question"],
  ],
  unlock: [
    ["baton unlock src/auth/login.ts", "nothing to do if you do not hold it"],
    ["baton unlock src/api/users.ts --token 12", "refused if that lease was lost"],
  ],
  locks: [["baton locks"], ["baton locks --holder alice --json"]],

  agent: [
    ["baton agent join alice --role backend --kind claude"],
    ["baton agent join lea --kind human", 'a person named in config.json "humans" (baton init --human lea)'],
    ["baton agent leave --as alice"],
  ],
  "agent remove": [
    ["baton agent remove cluade-1", "a name made by a typo, holding nothing"],
    ["baton agent remove claude-2 --force", "releases its claims and leases first"],
  ],
  "agent join": [
    ["baton agent join alice --role backend --kind claude"],
    ["baton agent join lea --kind human", 'a person named in config.json "humans" (baton init --human lea)'],
  ],
  "agent leave": [["baton agent leave --as alice", "releases alice's claims and leases"]],
  whoami: [["baton whoami"], ["baton whoami --as alice --json"]],
  agents: [["baton agents"], ["baton agents --json"]],
  heartbeat: [["baton heartbeat --working-on T-3", "renews your claims and leases"]],

  send: [
    ['baton send bob "T-1 is ready for review"'],
    ['baton send bob "on it" --reply-to M-4'],
    ['baton send carol "start with T-9" --new', "carol has not joined yet"],
  ],
  broadcast: [
    ['baton broadcast "main is frozen until 17:00" --urgent'],
    ['baton broadcast "the review queue is long" --role reviewer'],
  ],
  inbox: [
    ["baton inbox", "what is unread (nothing is marked read)"],
    ["baton inbox --ack", "show and mark read"],
    ["baton inbox --wait 10m --ack", "block until something arrives (an agent's idle loop)"],
  ],
  post: [["baton post '#release' \"v2.1 is tagged\""], ["baton post '#release' \"thanks\" --reply-to M-7"]],
  read: [["baton read '#release'"], ["baton read '#release' --wait 5m --ack"]],
  thread: [["baton thread M-4", "the message and every reply"]],
  channel: [["baton channel add '#release' --topic \"shipping v2.1\""], ["baton channel list"]],
  "channel add": [["baton channel add '#release' --topic \"shipping v2.1\""]],
  "channel list": [["baton channel list"]],

  ask: [
    ['baton ask "Which auth library?" --options "passport,lucia" --task T-4 --wait 30m'],
    ['baton ask "Can I drop the legacy API?"', "no --wait: read the answer later with baton question"],
  ],
  questions: [["baton questions --open", "what still waits for the human"]],
  question: [["baton question Q-3"], ["baton question Q-3 --wait 10m", "exit 5 if still unanswered"]],
  answer: [["baton answer Q-3 2", "the second option"], ['baton answer Q-3 "use the v2 API"']],
  approval: [
    ['baton approval request "run the billing migration" --plan plan.md --task T-4 --wait 1h'],
    ["baton approval show A-1"],
  ],
  "approval request": [
    ['baton approval request "run the billing migration" --plan plan.md --task T-4 --wait 1h'],
    ['baton approval request "force-push main"', "no --wait: check later with approval show"],
  ],
  "approval show": [["baton approval show A-1"], ["baton approval show A-1 --wait 30m"]],
  approvals: [["baton approvals --open", "what waits for a decision"]],
  approve: [
    ['baton approve A-1 --note "go ahead"', "shows the request and asks first"],
    ["baton approve A-1 --yes --json", "in a script: no question"],
  ],
  reject: [
    ['baton reject A-1 --reason "not during the release"'],
    ['baton reject A-1 --reason "use a feature flag" --yes'],
  ],

  queue: [
    ["baton queue add bugs --prefix BUG --sla 4h", "a queue whose tasks are BUG-1, BUG-2 ..."],
    ["baton queue check --overdue"],
    ["baton queue blockers"],
  ],
  "queue add": [
    ["baton queue add bugs --prefix BUG --sla 4h"],
    ["baton queue add review --prefix REV --handler reviewer --claim-policy handler-only"],
  ],
  "queue edit": [
    ["baton queue edit bugs --sla 2h --handler triage"],
    ["baton queue edit bugs --no-sla --default", "no SLA; new tasks go here by default"],
  ],
  "queue rm": [["baton queue rm bugs", "refused while it holds unfinished tasks"]],
  "queue check": [["baton queue check"], ["baton queue check bugs --overdue"]],
  "queue blockers": [["baton queue blockers", "open tasks and what each waits on"]],
  escalations: [
    ["baton escalations --open", "what still waits for a human"],
    ["baton escalations --task T-3"],
  ],
  resolve: [['baton resolve E-2 --note "gave alice the credentials"', "mark an escalation handled (humans)"]],

  summary: [
    ["baton summary trigger", "open today's round (asks every agent in its inbox)"],
    ['baton summary write "Shipped T-3; T-5 next; blocked on credentials"'],
    ["baton summary status", "who has not written yet"],
    ["baton summary collect", "merge entries, completed and failed tasks, decisions"],
    ["baton summary show 2026-11-20"],
  ],
  "summary trigger": [["baton summary trigger"], ["baton summary trigger --date 2026-11-20"]],
  "summary write": [['baton summary write "Shipped T-3; T-5 next; blocked on credentials"']],
  "summary status": [
    ["baton summary status", "today's: who wrote, who has not yet"],
    ["baton summary status 2026-11-20"],
  ],
  "summary collect": [["baton summary collect"], ["baton summary collect --date 2026-11-20"]],
  "summary show": [["baton summary show"], ["baton summary show 2026-11-20"]],

  mirror: [
    ["baton mirror", "write .baton/mirror/ once"],
    ["baton mirror --dir docs/team --watch", "keep it up to date"],
  ],
  mcp: [["baton mcp --as claude-1 --kind claude", "what a host runs; see connect"]],
  serve: [
    ["baton serve", "run the hub until Ctrl-C; every baton command of this store then goes through it"],
    ["baton serve --stop", "stop the hub running for this store"],
    ["BATON_HUB=off baton task list", "one command without the hub: open the database directly"],
  ],
  connect: [
    ["git worktree add ../wt-2 -b baton/claude-2", "a worktree for the agent"],
    ["baton connect claude --as claude-2", "run inside that worktree"],
    ["baton connect codex --as codex-1 --scope user"],
  ],
  cleanup: [
    ["baton cleanup", "every agent worktree whose agent is gone and whose work is committed"],
    ["baton cleanup --dry-run", "what would go, and why the rest stays"],
    ["baton cleanup claude-2 --force", "uncommitted work too: saved in refs/baton/wip/claude-2/<time> first"],
    ["git for-each-ref refs/baton/wip/", "every saved snapshot"],
    [
      "git worktree add .baton/worktrees/claude-2-restored refs/baton/wip/claude-2/20261121T220501Z",
      "its files back, in a new worktree",
    ],
  ],
  merge: [
    [
      "baton merge alice bob",
      "alice's branch, then bob's, into the branch checked out here (a merge commit each)",
    ],
    ["baton merge --all --dry-run", "every agent's branch, tried in a scratch worktree; nothing moves"],
    ["baton merge --all --into release --rebase", "their commits replayed on release, which fast-forwards"],
    ["baton merge claude-2 --json", "exit 3 on a conflict, with the files and who touched them"],
  ],
  cost: [
    ["baton cost", "each agent's spend, highest first, and the caps"],
    ["baton cost claude-2 --json", "one agent's total"],
    ["baton cost T-4", "one task's turns: who, which host and model, dollars and tokens"],
  ],
  "cost add": [
    ["baton cost add --usd 0.42 --task T-4", "a program of your own reports what a turn cost"],
    [
      "baton cost add --input-tokens 12000 --output-tokens 800 --model gpt-5-codex",
      "tokens, priced from costs.prices",
    ],
  ],
  conflicts: [
    ["baton conflicts", "files two agents touched (committed, uncommitted or leased): exit 3 if any"],
    ["baton conflicts --into release --json"],
  ],
  up: [
    ["baton up -n 3 --agent claude", "three Claude Code agents, a worktree each"],
    ["baton up -n 4 --agent claude --agent codex", "two of each, alternating"],
    ["baton up -n 2 --agent sim", "baton's simulated agents: try it with no AI service"],
    [
      'baton up --agent "aider --model sonnet" --roles lead,developer',
      "any command (split like a shell, run by none)",
    ],
    ["baton up --headless -n 2 --agent claude", "no tmux: background processes running baton work"],
    ["baton up -n 2 --agent sim --port-base 5000", "ports from 5000 (default: team.port_base)"],
  ],
  down: [
    ["baton down", "ask each agent to quit, kill after 10 s, release their claims"],
    ["baton down --force", "kill at once; also clears a damaged .baton/team.json"],
  ],
  spawn: [
    ["baton spawn --agent claude --role reviewer", "one more agent in the running team"],
    ["baton spawn --agent sim --name helper --task T-4", "named, with an open task assigned to it"],
  ],
  stop: [
    ["baton stop claude-3", "asked to leave; its window ended after 60 s if it does not"],
    ['baton stop claude-3 --reason "done reviewing" --timeout 5m --no-wait', "the hub sees it through"],
  ],
  sessions: [["baton sessions", "every baton team on this machine's tmux server"]],
  attach: [
    ["baton attach", "the team's tmux session"],
    ["baton attach claude-2", "at that agent's window"],
  ],
  nudge: [
    ["baton nudge claude-2", "typed into its terminal: look at your inbox"],
    ['baton nudge claude-2 "T-4 is urgent: take it next"'],
  ],
  "sim-agent": [
    ["baton sim-agent --as sim-1", "what baton up --agent sim runs in each window"],
    [
      "BATON_SIM_CRASH_AFTER=1 baton up -n 1 --agent sim",
      "an agent that exits after a task: see the restart",
    ],
  ],
  work: [
    ["baton work --agent claude --as ci-bot --until-empty", "CI: every ready task, then stop"],
    ['baton work --agent "./scripts/fix-task.sh" --queue bugs -j 2', "two workers on the bugs queue"],
  ],
  prompt: [["baton prompt --role reviewer", "paste into an agent that has no MCP"]],
  hook: [["baton hook pre-edit --host claude", "run by the host, with the hook's JSON on stdin"]],
  log: [
    ["baton log --since 1h"],
    ["baton log --type lease. --agent alice"],
    ['baton log write decision "keep SQLite as the default store"'],
  ],
  "log write": [
    ['baton log write decision "keep SQLite as the default store"'],
    ['baton log write note "CI is slow today"'],
  ],
  guardian: [["baton guardian", "sweep until Ctrl-C"], ["baton guardian --once"]],
  completion: [
    ["source <(baton completion bash)", "this shell only"],
    ["baton completion bash > ~/.local/share/bash-completion/completions/baton"],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: zsh's own ${fpath[1]}, printed as it is
    ['baton completion zsh > "${fpath[1]}/_baton"', "then restart zsh"],
    ["baton completion fish > ~/.config/fish/completions/baton.fish"],
  ],
};

/** The examples block of a help page, or "" for a command without examples. */
export function examplesText(path: string): string {
  const examples = HELP_EXAMPLES[path];
  if (!examples?.length) return "";
  const width = Math.min(48, Math.max(...examples.map(([line]) => line.length)));
  const lines = examples.map(([line, remark]) =>
    remark ? `  ${line.padEnd(width)}  # ${remark}` : `  ${line}`,
  );
  return `\n${path === "" ? "Getting started" : "Examples"}:\n${lines.join("\n")}`;
}
