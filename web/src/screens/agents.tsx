import { useCallback, useEffect, useState } from "preact/hooks";
import type { ApiError } from "../api";
import type { ScreenProps } from "../app";
import { useLive } from "../live";
import { ago } from "../time";
import { AgentActions } from "./agents/actions";
import { costText, loadRows, type Row, STATE_LABEL, type Team } from "./agents/model";
import { Terminal } from "./agents/terminal";
import "./agents/agents.css";

/** What changes an agent's row: the agents themselves, their tasks and leases, the team's processes, what they ask. */
const MATTERS = /^(agent|task|lease|team|question|approval|escalation|cost)\./;

/** How often the rows are re-read with no event: heartbeat ages and "silent since" move with the clock. */
const REFRESH_MS = 15_000;

/**
 * The agents: each one's state (working, waiting for you, idle, stuck,
 * offline) with the evidence, heartbeat age, task, leases and cost; `/agents/NAME`
 * opens one, with its live terminal and nudge, stop and restart when baton up
 * started it.
 */
export default function Agents({ rest }: ScreenProps) {
  const [data, setData] = useState<{ rows: Row[]; team: Team | null } | undefined>();
  const [error, setError] = useState<string | undefined>();
  const reload = useCallback(() => {
    loadRows()
      .then((next) => {
        setData(next);
        setError(undefined);
      })
      .catch((e: ApiError) => setError(e.message));
  }, []);
  useEffect(() => {
    reload();
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  useLive((e) => MATTERS.test(e.type), reload);

  const focus = rest[0] ? decodeURIComponent(rest[0]) : undefined;
  if (!data) return <p aria-busy="true">{error ?? "Loading…"}</p>;
  if (focus) {
    const row = data.rows.find((r) => r.name === focus);
    return (
      <section aria-labelledby="agent-title">
        <p>
          <a href="/agents">← All agents</a>
        </p>
        <h1 id="agent-title">{focus}</h1>
        {error ? <p role="alert">{error}</p> : null}
        {row ? <AgentCard row={row} labelledBy="agent-title" /> : <p class="empty">No agent of this name.</p>}
        {row?.team && data.team?.session ? (
          <>
            {row.team.process === "running" || row.team.process === "exited" ? (
              <Terminal name={row.name} />
            ) : null}
            {row.team.process !== "stopped" ? <AgentActions name={row.name} onDone={reload} /> : null}
          </>
        ) : null}
      </section>
    );
  }
  return (
    <section aria-labelledby="agents-title">
      <h1 id="agents-title">
        Agents <span class="count">{data.rows.length}</span>
      </h1>
      {error ? <p role="alert">{error}</p> : null}
      {data.team ? <TeamLine team={data.team} /> : null}
      {data.rows.length === 0 ? (
        <p class="empty">No agents yet: they join when they first act, or start a team with baton up.</p>
      ) : null}
      <ol class="items agents">
        {data.rows.map((row) => (
          <li key={row.name}>
            <AgentCard row={row} />
          </li>
        ))}
      </ol>
    </section>
  );
}

function TeamLine({ team }: { team: Team }) {
  const where = team.headless ? "headless (background processes)" : `tmux session ${team.session}`;
  return (
    <p class="team-line">
      Team: {where}
      {team.live ? "" : " — gone (baton down clears it)"}
    </p>
  );
}

/** One agent; on its own page (`labelledBy` its heading) without its name again or the link to that page. */
function AgentCard({ row, labelledBy }: { row: Row; labelledBy?: string }) {
  const { agent, team } = row;
  const detail = labelledBy !== undefined;
  const id = labelledBy ?? `agent-${row.name}`;
  const cost = agent ? costText(agent.cost) : "";
  return (
    <article class={`item agent state-${row.state}`} aria-labelledby={id} data-agent={row.name}>
      <header>
        {detail ? null : (
          <a id={id} class="from" href={`/agents/${encodeURIComponent(row.name)}`}>
            {row.name}
          </a>
        )}
        <span class="role">
          {[agent?.role ?? team?.role, team?.host ?? agent?.kind].filter(Boolean).join(" · ")}
        </span>
        <span class={`state ${row.state}`}>{STATE_LABEL[row.state]}</span>
      </header>
      <ul class="evidence" aria-label="Evidence">
        {row.waits.map((w) => (
          <li key={w.id}>
            <a href={`/inbox/${w.id}`}>
              {w.kind} {w.id}
            </a>{" "}
            waits for you{ago(w.at) === "now" ? "" : ` (${ago(w.at)})`}: {w.text}
          </li>
        ))}
        {row.evidence.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      <dl class="facts">
        {agent ? (
          <div>
            <dt>Heartbeat</dt>
            <dd>
              <time
                dateTime={new Date(agent.lastSeenAt).toISOString()}
                title={new Date(agent.lastSeenAt).toLocaleString()}
              >
                {ago(agent.lastSeenAt)}
              </time>
            </dd>
          </div>
        ) : null}
        <div>
          <dt>Task</dt>
          <dd>
            {row.tasks.length
              ? row.tasks.map((t) => (
                  <a key={t.id} href={`/board/${t.id}`}>
                    {t.id} {t.title}
                  </a>
                ))
              : (agent?.workingOn ?? "none")}
          </dd>
        </div>
        {agent?.leases.length ? (
          <div>
            <dt>Leases</dt>
            <dd>
              {agent.leases.map((path) => (
                <code key={path}>{path}</code>
              ))}
            </dd>
          </div>
        ) : null}
        {cost ? (
          <div>
            <dt>Cost</dt>
            <dd>{cost}</dd>
          </div>
        ) : null}
        {team ? (
          <div>
            <dt>Process</dt>
            <dd>
              {team.process}
              {team.restarts ? `, ${team.restarts} restart${team.restarts > 1 ? "s" : ""}` : ""}
              {team.branch ? ` · ${team.branch}` : ""}
              {team.url ? (
                <>
                  {" · "}
                  <a href={team.url} target="_blank" rel="noreferrer">
                    {team.url}
                  </a>
                </>
              ) : null}
            </dd>
          </div>
        ) : null}
      </dl>
      {!detail && team && team.process === "running" ? (
        <p class="open">
          <a href={`/agents/${encodeURIComponent(row.name)}`}>Terminal and actions</a>
        </p>
      ) : null}
    </article>
  );
}
