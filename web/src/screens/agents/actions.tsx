import { useState } from "preact/hooks";
import { type ApiError, post } from "../../api";

type Pending = "stop" | "restart" | undefined;

/**
 * Nudge, stop and restart an orchestrated agent, each as the CLI does it
 * (baton nudge, baton stop, the supervisor's restart); the hub logs who did
 * what. Stop and restart end what the agent is doing, so each asks first, in
 * the page (a native confirm() cannot be styled for a phone or read well).
 */
export function AgentActions({ name, onDone }: { name: string; onDone: () => void }) {
  const [nudge, setNudge] = useState("");
  const [reason, setReason] = useState("");
  const [pending, setPending] = useState<Pending>();
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState<{ ok: boolean; text: string } | undefined>();
  const path = `/agents/${encodeURIComponent(name)}`;
  const act = (what: string, body: unknown, done: string) => {
    setBusy(true);
    setSaid(undefined);
    post(`${path}/${what}`, body)
      .then(() => {
        setSaid({ ok: true, text: done });
        setPending(undefined);
        onDone();
      })
      .catch((e: ApiError) => setSaid({ ok: false, text: `${e.message} ${e.hint}` }))
      .finally(() => setBusy(false));
  };
  return (
    <section class="agent-actions" aria-labelledby="actions-title">
      <h2 id="actions-title">Actions</h2>
      <form
        class="reply"
        onSubmit={(e) => {
          e.preventDefault();
          act("nudge", nudge.trim() ? { text: nudge.trim() } : {}, `Nudged ${name}.`);
          setNudge("");
        }}
      >
        <label>
          <span class="sr-only">Message to nudge {name} with</span>
          <input
            value={nudge}
            onInput={(e) => setNudge((e.target as HTMLInputElement).value)}
            placeholder="Check your inbox and the ready tasks…"
            maxLength={4000}
          />
        </label>
        <button type="submit" disabled={busy}>
          Nudge
        </button>
      </form>
      <div class="actions">
        <button type="button" class="reject" disabled={busy} onClick={() => setPending("stop")}>
          Stop…
        </button>
        <button type="button" disabled={busy} onClick={() => setPending("restart")}>
          Restart…
        </button>
      </div>
      {pending ? (
        <div class="confirm">
          <p>
            {pending === "stop"
              ? `Stop ${name}? It is asked to finish its step and leave the team; baton ends its session within a minute if it does not, and never restarts it.`
              : `Restart ${name}? Whatever it is doing now is ended; it starts again in its window, resuming its conversation where its host can.`}
          </p>
          {pending === "stop" ? (
            <label>
              <span class="sr-only">Why (it reads this)</span>
              <input
                value={reason}
                onInput={(e) => setReason((e.target as HTMLInputElement).value)}
                placeholder="Why (optional; it reads this)"
                maxLength={2000}
              />
            </label>
          ) : null}
          <div class="actions">
            <button
              type="button"
              class={pending === "stop" ? "reject" : "approve"}
              disabled={busy}
              onClick={() =>
                pending === "stop"
                  ? act("stop", reason.trim() ? { reason: reason.trim() } : {}, `Asked ${name} to stop.`)
                  : act("restart", {}, `Restarted ${name}.`)
              }
            >
              {pending === "stop" ? `Stop ${name}` : `Restart ${name}`}
            </button>
            <button type="button" disabled={busy} onClick={() => setPending(undefined)}>
              Cancel
            </button>
          </div>
        </div>
      ) : null}
      {said ? (
        <p role="status" class={said.ok ? "hint" : "failure"}>
          {said.text}
        </p>
      ) : null}
    </section>
  );
}
