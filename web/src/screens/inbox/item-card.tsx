import { useRef, useState } from "preact/hooks";
import { type ApiError, post } from "../../api";
import { ago } from "../../time";
import { RequestView } from "./request-view";
import type { InboxItem } from "./types";

interface Props {
  item: InboxItem;
  focused: boolean;
  now: number;
  onDone: () => void;
}

function label(item: InboxItem): string {
  if (item.kind === "approval") return item.approvalKind === "permission" ? "permission" : "approval";
  return item.kind;
}

/**
 * One item and the one tap that settles it: an option button answers a
 * question, Approve approves; free text answers, a note goes with a decision,
 * and a rejection asks for one (the agent reads why). An expired item shows
 * why and offers nothing to press.
 */
export function ItemCard({ item, focused, now, onDone }: Props) {
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<{ message: string; hint?: string } | undefined>();
  const noteRef = useRef<HTMLInputElement>(null);
  const pastDeadline = item.expiresAt != null && item.expiresAt <= now;
  const expired = item.state === "expired" || pastDeadline;
  const why = item.why ?? (pastDeadline ? "no decision came before its deadline" : "");

  const act = (path: string, body: unknown) => {
    setBusy(true);
    setFailure(undefined);
    post(path, body)
      .then(() => {
        setNote("");
        onDone();
      })
      .catch((e: ApiError) => {
        setFailure({ message: e.message, hint: e.hint });
        onDone();
      })
      .finally(() => setBusy(false));
  };
  const reject = () => {
    if (!note.trim()) {
      setFailure({ message: "Say why in the note: the agent reads it and changes course." });
      noteRef.current?.focus();
      return;
    }
    act(`/approvals/${item.id}/decision`, { approve: false, note: note.trim() });
  };
  const send = () => {
    const text = note.trim();
    if (!text) return;
    if (item.kind === "question") act(`/questions/${item.id}/answer`, { text });
    else if (item.kind === "message") act("/messages", { to: item.from, text, replyTo: item.id });
    else if (item.kind === "escalation") act(`/escalations/${item.id}/resolve`, { note: text });
  };
  const titleId = `title-${item.id}`;
  const placeholder =
    item.kind === "question"
      ? "Or type an answer…"
      : item.kind === "message"
        ? `Reply to ${item.from}…`
        : item.kind === "escalation"
          ? "What was done (optional)…"
          : "Note (a rejection needs one)…";

  return (
    <article
      class={`item ${item.kind}${expired ? " expired" : ""}${item.urgent ? " urgent" : ""}${focused ? " focused" : ""}`}
      aria-labelledby={titleId}
      data-id={item.id}
      ref={(el) => {
        if (focused) el?.scrollIntoView({ block: "center" });
      }}
    >
      <header>
        <span class="kind">{label(item)}</span>
        <a class="from" href={`/agents/${encodeURIComponent(item.from)}`}>
          {item.from}
        </a>
        <time dateTime={new Date(item.at).toISOString()} title={new Date(item.at).toLocaleString()}>
          {expired ? "" : "waiting "}
          {ago(item.at, now)}
        </time>
      </header>
      {item.task ? (
        <a class="task" href={`/board/${item.task.id}`}>
          {item.task.id} · {item.task.title}
        </a>
      ) : null}
      <h2 id={titleId} class="text">
        <span class="id">{item.id}</span> {item.text}
      </h2>
      {item.kind === "approval" ? <RequestView item={item} /> : null}
      {expired ? (
        <p class="why">
          <strong>Expired</strong>: {why}. Nothing waits for{" "}
          {item.kind === "question" ? "an answer" : "a decision"} any more.
        </p>
      ) : (
        <>
          {item.expiresAt ? (
            <p class="deadline">
              Expires in {ago(2 * now - item.expiresAt, now)} unless decided
              {item.approvalKind === "permission" ? ": then the tool is denied" : ""}.
            </p>
          ) : null}
          <div class="actions">
            {item.kind === "question"
              ? (item.options ?? []).map((option) => (
                  <button
                    key={option}
                    type="button"
                    class="option"
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
                    act(`/approvals/${item.id}/decision`, {
                      approve: true,
                      ...(note.trim() ? { note: note.trim() } : {}),
                    })
                  }
                >
                  Approve
                </button>
                <button type="button" class="reject" disabled={busy} onClick={reject}>
                  Reject
                </button>
              </>
            ) : null}
            {item.kind === "escalation" ? (
              <button
                type="button"
                disabled={busy}
                onClick={() =>
                  act(`/escalations/${item.id}/resolve`, note.trim() ? { note: note.trim() } : {})
                }
              >
                Mark handled
              </button>
            ) : null}
          </div>
          <form
            class="reply"
            onSubmit={(e) => {
              e.preventDefault();
              send();
            }}
          >
            <label class="field">
              <span class="sr-only">
                {item.kind === "approval"
                  ? `Note on ${item.id}`
                  : item.kind === "question"
                    ? `Answer to ${item.id}`
                    : `Reply about ${item.id}`}
              </span>
              <input
                ref={noteRef}
                value={note}
                onInput={(e) => setNote((e.target as HTMLInputElement).value)}
                placeholder={placeholder}
                maxLength={4000}
              />
            </label>
            {item.kind !== "approval" ? (
              <button type="submit" disabled={busy || !note.trim()}>
                Send
              </button>
            ) : null}
          </form>
        </>
      )}
      {failure ? (
        <p role="alert" class="failure">
          {failure.message} {failure.hint ? <span class="hint">{failure.hint}</span> : null}
        </p>
      ) : null}
    </article>
  );
}
