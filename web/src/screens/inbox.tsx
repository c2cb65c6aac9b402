import { useCallback, useEffect, useState } from "preact/hooks";
import { type ApiError, get, post } from "../api";
import type { ScreenProps } from "../app";
import { useLive } from "../live";
import { ago } from "../time";

/** One thing waiting for the human, as GET /api/v1/inbox gives it. */
export interface InboxItem {
  kind: "question" | "approval" | "escalation" | "message";
  id: string;
  from: string;
  task: { id: string; title: string; status: string } | null;
  at: number;
  text: string;
  urgent: boolean;
  options?: string[] | null;
  plan?: string | null;
  approvalKind?: "request" | "permission";
  expiresAt?: number | null;
  state: "open" | "expired";
  why?: string;
}

interface Inbox {
  items: InboxItem[];
  missed: InboxItem[];
}

const KINDS = /^(question|approval|escalation|message|task|agent)\./;

/** The home screen: every open question, approval, escalation and urgent message, answered with one tap. */
export function Inbox({ rest }: ScreenProps) {
  const [inbox, setInbox] = useState<Inbox | undefined>();
  const [error, setError] = useState<string | undefined>();
  const reload = useCallback(() => {
    get<Inbox>("/inbox")
      .then((next) => {
        setInbox(next);
        setError(undefined);
      })
      .catch((e: ApiError) => setError(e.message));
  }, []);
  useEffect(reload, []);
  useLive((e) => KINDS.test(e.type), reload);

  const focus = rest[0];
  if (!inbox) return <p aria-busy="true">{error ?? "Loading…"}</p>;
  return (
    <section aria-labelledby="inbox-title">
      <h1 id="inbox-title">
        Inbox <span class="count">{inbox.items.length}</span>
      </h1>
      {error ? <p role="alert">{error}</p> : null}
      {inbox.items.length === 0 ? <p class="empty">Nothing waits for you.</p> : null}
      <ol class="items">
        {inbox.items.map((item) => (
          <li key={item.id}>
            <Item item={item} focused={item.id === focus} onDone={reload} />
          </li>
        ))}
      </ol>
      {inbox.missed.length > 0 ? (
        <details class="missed">
          <summary>Expired before anyone acted ({inbox.missed.length})</summary>
          <ol class="items">
            {inbox.missed.map((item) => (
              <li key={item.id}>
                <Item item={item} focused={item.id === focus} onDone={reload} />
              </li>
            ))}
          </ol>
        </details>
      ) : null}
    </section>
  );
}

function Item({ item, focused, onDone }: { item: InboxItem; focused: boolean; onDone: () => void }) {
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiError | undefined>();
  const expired = item.state === "expired";
  const act = (path: string, body: unknown) => {
    setBusy(true);
    setFailure(undefined);
    post(path, body)
      .then(onDone)
      .catch((e: ApiError) => setFailure(e))
      .finally(() => setBusy(false));
  };
  const labelId = `item-${item.id}`;
  return (
    <article
      class={`item ${item.kind}${expired ? " expired" : ""}${item.urgent ? " urgent" : ""}`}
      aria-labelledby={labelId}
      data-id={item.id}
      ref={(el) => {
        if (focused) el?.scrollIntoView({ block: "center" });
      }}
    >
      <header>
        <span class="kind">
          {item.kind === "approval" && item.approvalKind === "permission" ? "permission" : item.kind}
        </span>
        <span class="from">{item.from}</span>
        {item.task ? (
          <a class="task" href={`/board/${item.task.id}`}>
            {item.task.id} {item.task.title}
          </a>
        ) : null}
        <time dateTime={new Date(item.at).toISOString()} title={new Date(item.at).toLocaleString()}>
          waiting {ago(item.at)}
        </time>
      </header>
      <p id={labelId} class="text">
        <span class="id">{item.id}</span> {item.text}
      </p>
      {item.plan ? <pre class="plan">{item.plan}</pre> : null}
      {expired ? (
        <p class="why">Expired: {item.why}. Nothing waits for an answer any more.</p>
      ) : (
        <div class="actions">
          {item.kind === "question" && item.options?.length
            ? item.options.map((option) => (
                <button
                  type="button"
                  disabled={busy}
                  onClick={() => act(`/questions/${item.id}/answer`, { text: option })}
                >
                  {option}
                </button>
              ))
            : null}
          {item.kind === "approval" ? (
            <>
              <button
                type="button"
                class="approve"
                disabled={busy}
                onClick={() =>
                  act(`/approvals/${item.id}/decision`, { approve: true, ...(note ? { note } : {}) })
                }
              >
                Approve
              </button>
              <button
                type="button"
                class="reject"
                disabled={busy}
                onClick={() =>
                  act(`/approvals/${item.id}/decision`, {
                    approve: false,
                    note: note || "rejected from the web app",
                  })
                }
              >
                Reject
              </button>
            </>
          ) : null}
          {item.kind === "escalation" ? (
            <button
              type="button"
              disabled={busy}
              onClick={() => act(`/escalations/${item.id}/resolve`, note ? { note } : {})}
            >
              Mark handled
            </button>
          ) : null}
          <form
            class="reply"
            onSubmit={(e) => {
              e.preventDefault();
              if (item.kind === "question" && note.trim())
                act(`/questions/${item.id}/answer`, { text: note.trim() });
            }}
          >
            <label>
              <span class="sr-only">
                {item.kind === "question" ? `Answer to ${item.id}` : `Note for ${item.id}`}
              </span>
              <input
                value={note}
                onInput={(e) => setNote((e.target as HTMLInputElement).value)}
                placeholder={item.kind === "question" ? "Answer…" : "Note (optional; a rejection says why)"}
                maxLength={4000}
              />
            </label>
            {item.kind === "question" ? (
              <button type="submit" disabled={busy || !note.trim()}>
                Send
              </button>
            ) : null}
          </form>
        </div>
      )}
      {failure ? (
        <p role="alert" class="failure">
          {failure.message} <span class="hint">{failure.hint}</span>
        </p>
      ) : null}
    </article>
  );
}
