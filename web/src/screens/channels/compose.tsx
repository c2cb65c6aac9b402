import { useState } from "preact/hooks";
import { type ApiError, post } from "../../api";
import { sendRequest, type Where } from "./model";

/** The hub's limit for a message (src/domain/limits.ts). */
const MESSAGE_MAX = 16_384;

/**
 * Writes a message, a reply or a broadcast, with the urgent flag (urgent
 * messages reach an agent's inbox first and the human's inbox screen). Enter
 * with Ctrl or Cmd sends; plain Enter makes a new line, as a phone expects.
 */
export function Compose({
  where,
  label,
  replyTo,
  onSent,
}: {
  where: Where;
  label: string;
  replyTo?: string;
  onSent: () => void;
}) {
  const [text, setText] = useState("");
  const [urgent, setUrgent] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiError | undefined>();
  const id = `compose-${replyTo ?? "new"}`;
  const send = () => {
    const said = text.trim();
    if (!said || busy) return;
    setBusy(true);
    setFailure(undefined);
    const { path, body } = sendRequest(where, said, urgent, replyTo);
    post(path, body)
      .then(() => {
        setText("");
        setUrgent(false);
        onSent();
      })
      .catch((e: ApiError) => setFailure(e))
      .finally(() => setBusy(false));
  };
  return (
    <form
      class="compose"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <label for={id}>{label}</label>
      <textarea
        id={id}
        rows={2}
        value={text}
        maxLength={MESSAGE_MAX}
        onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            send();
          }
        }}
      />
      <div class="compose-row">
        <label class="check">
          <input
            type="checkbox"
            checked={urgent}
            onChange={(e) => setUrgent((e.target as HTMLInputElement).checked)}
          />
          Urgent
        </label>
        <button type="submit" disabled={busy || !text.trim()}>
          {busy ? "Sending…" : "Send"}
        </button>
      </div>
      {failure ? (
        <p role="alert" class="failure">
          {failure.message} <span class="hint">{failure.hint}</span>
        </p>
      ) : null}
    </form>
  );
}
