/**
 * Versioned schema. `PRAGMA user_version` records how many migrations ran; a
 * database with a higher number was written by a newer baton and is refused.
 * Append new migrations; never edit one that has shipped.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE id_counters (prefix TEXT PRIMARY KEY, last INTEGER NOT NULL) WITHOUT ROWID;

  CREATE TABLE agents (
    name TEXT PRIMARY KEY,
    role TEXT,
    kind TEXT NOT NULL,
    joined_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    working_on TEXT,
    left_at INTEGER,
    hung_since INTEGER
  ) WITHOUT ROWID;

  CREATE TABLE tasks (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    queue TEXT NOT NULL,
    priority INTEGER NOT NULL,
    tags TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL,
    assignee TEXT,
    holder TEXT,
    token INTEGER,
    claim_expires_at INTEGER,
    claim_ttl_ms INTEGER,
    attempts INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    result TEXT,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX tasks_ready ON tasks (priority, seq) WHERE status = 'open';
  CREATE INDEX tasks_claimed_by_expiry ON tasks (claim_expires_at) WHERE status = 'claimed';

  CREATE TABLE task_deps (
    task_id TEXT NOT NULL,
    depends_on TEXT NOT NULL,
    PRIMARY KEY (task_id, depends_on)
  ) WITHOUT ROWID;
  CREATE INDEX task_deps_by_dependency ON task_deps (depends_on);

  CREATE TABLE remarks (
    id INTEGER PRIMARY KEY,
    task_id TEXT NOT NULL,
    at INTEGER NOT NULL,
    author TEXT NOT NULL,
    text TEXT NOT NULL
  );
  CREATE INDEX remarks_by_task ON remarks (task_id);

  CREATE TABLE leases (
    path TEXT NOT NULL,
    holder TEXT NOT NULL,
    exclusive INTEGER NOT NULL,
    intent TEXT,
    token INTEGER NOT NULL,
    acquired_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    ttl_ms INTEGER NOT NULL,
    PRIMARY KEY (path, holder)
  ) WITHOUT ROWID;
  CREATE INDEX leases_by_expiry ON leases (expires_at);
  CREATE INDEX leases_by_holder ON leases (holder);

  -- seq is the rowid without AUTOINCREMENT: events are never deleted, so it still
  -- only grows, and no sqlite_sequence page is written on every change.
  CREATE TABLE events (
    seq INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    type TEXT NOT NULL,
    subject TEXT,
    summary TEXT NOT NULL,
    data TEXT NOT NULL DEFAULT '{}'
  );
  CREATE INDEX events_by_subject ON events (subject, seq);
  `,
  `
  CREATE TABLE channels (
    name TEXT PRIMARY KEY,
    topic TEXT,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL
  ) WITHOUT ROWID;

  -- kind: direct (to an agent), channel (to #name), broadcast (to every agent, or a role).
  CREATE TABLE messages (
    seq INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    sender TEXT NOT NULL,
    kind TEXT NOT NULL,
    target TEXT,
    thread INTEGER,
    reply_to INTEGER,
    urgent INTEGER NOT NULL DEFAULT 0,
    body TEXT NOT NULL
  );
  CREATE INDEX messages_by_channel ON messages (target, seq) WHERE kind = 'channel';
  CREATE INDEX messages_by_thread ON messages (thread, seq) WHERE thread IS NOT NULL;

  -- One row per recipient of a direct message or broadcast, written with the message:
  -- delivery does not depend on the recipient being online, or even joined yet.
  CREATE TABLE deliveries (
    agent TEXT NOT NULL,
    message INTEGER NOT NULL,
    PRIMARY KEY (agent, message)
  ) WITHOUT ROWID;

  -- Read cursors: the last message an agent acknowledged in its inbox ('inbox') or a channel ('#name').
  CREATE TABLE cursors (
    agent TEXT NOT NULL,
    stream TEXT NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (agent, stream)
  ) WITHOUT ROWID;
  `,
  `
  CREATE TABLE questions (
    seq INTEGER PRIMARY KEY,
    asked_by TEXT NOT NULL,
    asked_at INTEGER NOT NULL,
    text TEXT NOT NULL,
    options TEXT,
    task TEXT,
    status TEXT NOT NULL,
    answer TEXT,
    answered_by TEXT,
    answered_at INTEGER
  );
  CREATE INDEX questions_open ON questions (seq) WHERE status = 'open';

  CREATE TABLE approvals (
    seq INTEGER PRIMARY KEY,
    requested_by TEXT NOT NULL,
    requested_at INTEGER NOT NULL,
    action TEXT NOT NULL,
    plan TEXT,
    task TEXT,
    status TEXT NOT NULL,
    decided_by TEXT,
    decided_at INTEGER,
    note TEXT
  );
  CREATE INDEX approvals_pending ON approvals (seq) WHERE status = 'pending';
  CREATE INDEX approvals_by_task ON approvals (task, status) WHERE task IS NOT NULL;

  ALTER TABLE tasks ADD COLUMN plan_required INTEGER NOT NULL DEFAULT 0;
  `,
  `
  ALTER TABLE tasks ADD COLUMN due_at INTEGER;
  ALTER TABLE tasks ADD COLUMN escalated_at INTEGER;
  CREATE INDEX tasks_due ON tasks (due_at) WHERE due_at IS NOT NULL AND escalated_at IS NULL;

  -- An escalation is a message to every human (message), kept here so it can be listed.
  CREATE TABLE escalations (
    seq INTEGER PRIMARY KEY,
    task TEXT NOT NULL,
    at INTEGER NOT NULL,
    by TEXT NOT NULL,
    reason TEXT NOT NULL,
    message INTEGER NOT NULL
  );
  `,
  `
  ALTER TABLE tasks ADD COLUMN report TEXT;
  `,
  `
  CREATE TABLE summary_rounds (
    day TEXT PRIMARY KEY,
    opened_by TEXT NOT NULL,
    opened_at INTEGER NOT NULL,
    collected_at INTEGER,
    report TEXT
  ) WITHOUT ROWID;

  -- One entry per agent per day: writing again replaces it, so concurrent writers never clash.
  CREATE TABLE summary_entries (
    day TEXT NOT NULL,
    agent TEXT NOT NULL,
    at INTEGER NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (day, agent)
  ) WITHOUT ROWID;
  `,
  `
  -- A human marks an escalation handled; until then it waits for them.
  ALTER TABLE escalations ADD COLUMN resolved_at INTEGER;
  ALTER TABLE escalations ADD COLUMN resolved_by TEXT;
  ALTER TABLE escalations ADD COLUMN note TEXT;
  `,
  `
  -- What each agent lost without giving it up itself (a claim or lease expired and swept by any
  -- process, a task cancelled under it, a lease force-released, the agent removed). Kept until
  -- that agent's next heartbeat reports it, so a holder learns of it whoever noticed first.
  CREATE TABLE lost_holds (
    id INTEGER PRIMARY KEY,
    agent TEXT NOT NULL,
    event INTEGER NOT NULL,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    token INTEGER NOT NULL,
    reason TEXT NOT NULL,
    by TEXT NOT NULL,
    at INTEGER NOT NULL
  );
  CREATE INDEX lost_holds_by_agent ON lost_holds (agent, id);

  -- Agent names are unique whatever their case ('Lea' beside 'lea' would be a second person).
  -- A UNIQUE index on the folded name would fail on a database that already has such twins,
  -- so new names are checked on insert instead; twins from before keep working as typed.
  -- Names are ASCII (validateAgentName), which NOCASE folds completely.
  CREATE INDEX agents_by_folded_name ON agents (name COLLATE NOCASE);
  CREATE TRIGGER agents_unique_folded_name BEFORE INSERT ON agents
  WHEN EXISTS (SELECT 1 FROM agents WHERE name = NEW.name COLLATE NOCASE)
  BEGIN
    SELECT RAISE(ABORT, 'an agent with this name in another case exists');
  END;
  `,
  `
  -- The outbox: what runs after a commit (hooks now; the mirror and pushes later) is driven
  -- from the event log by a durable cursor per consumer, not by the process that committed.
  -- A process that dies right after its commit leaves its events here for the next drain.
  CREATE TABLE outbox_cursors (
    consumer TEXT PRIMARY KEY,
    seq INTEGER NOT NULL
  );
  -- One row per (event, consumer) taken for delivery: claimed in the transaction that moves
  -- the cursor, so two processes draining at once never both run it; finished_at stays NULL
  -- while it runs, so a runner that died mid-delivery can be found and its delivery retried.
  CREATE TABLE outbox_deliveries (
    seq INTEGER NOT NULL,
    consumer TEXT NOT NULL,
    runner TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 1,
    started_at INTEGER NOT NULL,
    finished_at INTEGER,
    PRIMARY KEY (seq, consumer)
  );
  CREATE INDEX outbox_unfinished ON outbox_deliveries (consumer) WHERE finished_at IS NULL;
  `,
  `
  -- Access to the hub server. Secrets are kept only as SHA-256 hashes (hex): a copy of this file
  -- gives no key and no session. Rows are never deleted: revoked ones stay listed, for the record.
  CREATE TABLE agent_keys (
    seq INTEGER PRIMARY KEY,
    agent TEXT NOT NULL,
    role TEXT,
    secret_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    last_used_at INTEGER,
    revoked_at INTEGER,
    revoked_by TEXT
  );

  CREATE TABLE pairings (
    seq INTEGER PRIMARY KEY,
    human TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER,
    device INTEGER
  );

  CREATE TABLE devices (
    seq INTEGER PRIMARY KEY,
    human TEXT NOT NULL,
    name TEXT NOT NULL,
    secret_hash TEXT NOT NULL UNIQUE,
    paired_at INTEGER NOT NULL,
    pairing INTEGER NOT NULL,
    last_used_at INTEGER,
    revoked_at INTEGER,
    revoked_by TEXT
  );
  `,
  `
  ALTER TABLE agents ADD COLUMN activity TEXT;
  ALTER TABLE agents ADD COLUMN activity_signal TEXT;
  ALTER TABLE agents ADD COLUMN activity_detail TEXT;
  ALTER TABLE agents ADD COLUMN activity_at INTEGER;
  `,
  `
  CREATE TABLE costs (
    seq INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    agent TEXT NOT NULL,
    task TEXT,
    host TEXT NOT NULL,
    session TEXT,
    turn INTEGER,
    model TEXT,
    usd REAL,
    estimated INTEGER NOT NULL DEFAULT 0,
    input_tokens INTEGER NOT NULL DEFAULT 0,
    output_tokens INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX costs_by_agent ON costs (agent);
  CREATE INDEX costs_by_task ON costs (task);
  `,
  // An approval's kind: a plan or action an agent asked about ('request'), or a host's tool
  // permission ('permission', which never counts as a task's approved plan); and when a pending one
  // stops being decidable (the host that asked no longer waits). Permission requests made before
  // this column are known by the plan the broker wrote ("agent: NAME\nhost: ...").
  `
  ALTER TABLE approvals ADD COLUMN kind TEXT NOT NULL DEFAULT 'request';
  ALTER TABLE approvals ADD COLUMN expires_at INTEGER;
  UPDATE approvals SET kind = 'permission'
    WHERE plan LIKE 'agent: ' || requested_by || char(10) || 'host: %';
  CREATE INDEX approvals_expiring ON approvals (expires_at) WHERE status = 'pending' AND expires_at IS NOT NULL;
  `,
  // Why a question expired unanswered (its task ended, its asker left): the web app shows it.
  `
  ALTER TABLE questions ADD COLUMN note TEXT;
  CREATE INDEX questions_open_by_task ON questions (task) WHERE status = 'open' AND task IS NOT NULL;
  `,
  // Web Push: one subscription per paired device (a browser has one per service worker), what the
  // device wants to hear about, and each item pushed to it: one notification per item per device,
  // also across a hub restart. A revoked device's subscription is deleted with the revocation.
  `
  CREATE TABLE push_subscriptions (
    device INTEGER PRIMARY KEY,
    endpoint TEXT NOT NULL,
    p256dh TEXT NOT NULL,
    auth TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE push_settings (
    device INTEGER PRIMARY KEY,
    kinds TEXT NOT NULL,
    quiet_start TEXT,
    quiet_end TEXT,
    time_zone TEXT,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE push_sent (
    device INTEGER NOT NULL,
    item TEXT NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (device, item)
  ) WITHOUT ROWID;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;
