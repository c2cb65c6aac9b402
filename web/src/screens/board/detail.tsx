import { useCallback, useEffect, useState } from "preact/hooks";
import { type ApiError, api, get, post } from "../../api";
import { useLive } from "../../live";
import { when } from "../../time";
import { TaskDiff } from "./diff-view";
import { boardLink } from "./filters";
import { age, PRIORITIES, priorityLabel, type TaskDetail } from "./types";

const FINAL = new Set(["done", "failed", "cancelled", "dead"]);

/** One task at /board/T-3: everything about it, its history, report, cost and its agent's diff. */
export function TaskPage({ id }: { id: string }) {
  const [task, setTask] = useState<TaskDetail | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [failure, setFailure] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const [agents, setAgents] = useState<string[]>([]);
  // Bumped on each change to the task, so the diff is read again with it.
  const [version, setVersion] = useState(0);

  const reload = useCallback(() => {
    get<{ task: TaskDetail }>(`/tasks/${encodeURIComponent(id)}`)
      .then(({ task }) => {
        setTask(task);
        setError(undefined);
      })
      .catch((e: ApiError) => setError(e));
  }, [id]);
  useEffect(() => {
    setTask(undefined);
    reload();
  }, [id]);
  useEffect(() => {
    get<{ agents: { name: string; kind: string }[] }>("/agents")
      .then(({ agents }) => setAgents(agents.filter((a) => a.kind !== "human").map((a) => a.name)))
      .catch(() => undefined);
  }, []);
  useLive(
    (e) => e.subject === task?.id || e.subject === id,
    () => {
      reload();
      setVersion((v) => v + 1);
    },
  );

  const act = (request: Promise<unknown>) => {
    setBusy(true);
    setFailure(undefined);
    request
      .then(reload)
      .catch((e: ApiError) => setFailure(e))
      .finally(() => setBusy(false));
  };

  if (error)
    return (
      <section>
        <p>
          <a href={boardLink()}>← Board</a>
        </p>
        <h1>{id}</h1>
        <p role="alert">
          {error.message}
          {error.hint ? ` — ${error.hint}` : ""}
        </p>
      </section>
    );
  if (!task) return <p aria-busy="true">Loading {id}…</p>;
  const open = !FINAL.has(task.status);
  const path = `/tasks/${encodeURIComponent(task.id)}`;
  return (
    <article class="task-page" aria-labelledby="task-title">
      <p>
        <a href={boardLink()}>← Board</a>
      </p>
      <h1 id="task-title">
        <span class="id">{task.id}</span> {task.title}
      </h1>
      <p class="card-meta">
        <span class={`status s-${task.status}`}>{task.status}</span>
        <span class={`prio p${task.priority}`}>{priorityLabel(task.priority)}</span>
        <span class="queue">{task.queue}</span>
        <span>
          {age(task.createdAt)} by {task.createdBy}
        </span>
      </p>
      {failure ? (
        <p class="failure" role="alert">
          {failure.message}
          {failure.hint ? ` — ${failure.hint}` : ""}
        </p>
      ) : null}

      <dl class="facts">
        <dt>Held by</dt>
        <dd>
          {task.holder
            ? `${task.holder}${task.claimExpiresAt ? `, claim ends ${when(task.claimExpiresAt)}` : ""}`
            : "nobody"}
        </dd>
        <dt>Assigned to</dt>
        <dd>{task.assignee ?? "nobody"}</dd>
        <dt>Depends on</dt>
        <dd>{task.dependsOn.length ? <TaskLinks ids={task.dependsOn} /> : "nothing"}</dd>
        {task.waitingOn.length ? (
          <>
            <dt>Waiting on</dt>
            <dd>
              <TaskLinks ids={task.waitingOn} />
            </dd>
          </>
        ) : null}
        {task.blockedBy.length ? (
          <>
            <dt>Blocked</dt>
            <dd class="blocked">
              {task.blockedBy.map((b) => `${b.id} ${b.status}`).join(", ")}: it cannot start by itself
            </dd>
          </>
        ) : null}
        {task.blocks.length ? (
          <>
            <dt>Blocks</dt>
            <dd>
              <TaskLinks ids={task.blocks} />
            </dd>
          </>
        ) : null}
        <dt>Tags</dt>
        <dd>{task.tags.length ? task.tags.join(", ") : "none"}</dd>
        <dt>Attempts</dt>
        <dd>
          {task.attempts} of {task.maxAttempts}
        </dd>
        {task.dueAt ? (
          <>
            <dt>Due</dt>
            <dd>{when(task.dueAt)}</dd>
          </>
        ) : null}
        <dt>Cost</dt>
        <dd>
          {task.cost.turns === 0
            ? "nothing yet"
            : `${task.cost.estimated ? "~" : ""}$${task.cost.usd.toFixed(2)} over ${task.cost.turns} turns, ${task.cost.inputTokens} in / ${task.cost.outputTokens} out tokens${task.cost.unpriced ? ` (${task.cost.unpriced} turns unpriced)` : ""}`}
        </dd>
      </dl>

      {task.body ? <p class="body">{task.body}</p> : null}

      {open ? (
        <section class="task-actions" aria-labelledby="actions-title">
          <h2 id="actions-title">Change</h2>
          <label>
            Priority
            <select
              value={task.priority}
              disabled={busy}
              onChange={(e) => act(api("PATCH", path, { priority: Number(e.currentTarget.value) }))}
            >
              {PRIORITIES.map((p) => (
                <option key={p} value={p}>
                  {priorityLabel(p)}
                </option>
              ))}
            </select>
          </label>
          <Assign
            current={task.assignee}
            agents={agents}
            busy={busy}
            onAssign={(agent) => act(post(`${path}/assign`, { agent }))}
          />
          <Cancel
            busy={busy}
            onCancel={(reason) => act(post(`${path}/cancel`, { reason, ifToken: task.token }))}
          />
        </section>
      ) : null}

      {task.result ? (
        <section aria-labelledby="result-title">
          <h2 id="result-title">Result</h2>
          <p class="body">{task.result}</p>
        </section>
      ) : null}
      {task.report ? <Report report={task.report} /> : null}

      <section aria-labelledby="diff-title">
        <h2 id="diff-title">Diff</h2>
        <TaskDiff id={task.id} version={version} />
      </section>

      {task.remarks.length ? (
        <section aria-labelledby="remarks-title">
          <h2 id="remarks-title">Remarks</h2>
          <ol class="log">
            {task.remarks.map((r) => (
              <li key={r.at}>
                <time dateTime={new Date(r.at).toISOString()}>{when(r.at)}</time> <b>{r.by}</b>{" "}
                <span class="body">{r.text}</span>
              </li>
            ))}
          </ol>
        </section>
      ) : null}

      <section aria-labelledby="history-title">
        <h2 id="history-title">History</h2>
        <ol class="log">
          {task.history.map((e) => (
            <li key={e.seq}>
              <time dateTime={new Date(e.at).toISOString()}>{when(e.at)}</time> <code>{e.type}</code>{" "}
              {e.summary}
            </li>
          ))}
        </ol>
      </section>
    </article>
  );
}

function TaskLinks({ ids }: { ids: string[] }) {
  return (
    <>
      {ids.map((id, i) => (
        <span key={id}>
          {i > 0 ? ", " : ""}
          <a href={`/board/${id}`}>{id}</a>
        </span>
      ))}
    </>
  );
}

function Assign({
  current,
  agents,
  busy,
  onAssign,
}: {
  current: string | null;
  agents: string[];
  busy: boolean;
  onAssign: (agent: string | null) => void;
}) {
  const [name, setName] = useState("");
  return (
    <form
      class="reply"
      onSubmit={(e) => {
        e.preventDefault();
        if (name.trim()) onAssign(name.trim());
        setName("");
      }}
    >
      <label>
        Assign to
        <input list="detail-agents" value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </label>
      <datalist id="detail-agents">
        {agents.map((a) => (
          <option key={a} value={a} />
        ))}
      </datalist>
      <button type="submit" disabled={busy || !name.trim()}>
        Assign
      </button>
      {current ? (
        <button type="button" disabled={busy} onClick={() => onAssign(null)}>
          Unassign {current}
        </button>
      ) : null}
    </form>
  );
}

function Cancel({ busy, onCancel }: { busy: boolean; onCancel: (reason: string | undefined) => void }) {
  const [reason, setReason] = useState("");
  return (
    <details class="cancel">
      <summary>Cancel this task…</summary>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onCancel(reason.trim() || undefined);
        }}
      >
        <label>
          <span>
            Why <span class="hint">(kept in its history)</span>
          </span>
          <textarea rows={2} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
        </label>
        <button type="submit" class="reject" disabled={busy}>
          Cancel task
        </button>
      </form>
    </details>
  );
}

function Report({ report }: { report: NonNullable<TaskDetail["report"]> }) {
  const list = (title: string, items: string[]) =>
    items.length ? (
      <>
        <h3>{title}</h3>
        <ul>
          {items.map((item) => (
            <li key={item}>{item}</li>
          ))}
        </ul>
      </>
    ) : null;
  return (
    <section aria-labelledby="report-title">
      <h2 id="report-title">Report</h2>
      <p class="body">{report.summary}</p>
      {report.findings.length ? (
        <>
          <h3>Findings</h3>
          <ul>
            {report.findings.map((f) => (
              <li key={`${f.file}:${f.line}:${f.description}`}>
                <b>{f.severity}</b> {f.description}
                {f.file ? (
                  <>
                    {" "}
                    <code>
                      {f.file}
                      {f.line ? `:${f.line}` : ""}
                    </code>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {list("Recommendations", report.recommendations)}
      {list("Files modified", report.filesModified)}
      {list("Files created", report.filesCreated)}
      {list("Errors", report.errors)}
    </section>
  );
}
