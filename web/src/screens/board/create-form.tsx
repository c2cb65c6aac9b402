import { useState } from "preact/hooks";
import { type ApiError, post } from "../../api";
import { PRIORITIES, priorityLabel, type Task } from "./types";

/** A comma- or space-separated list as typed on a phone: "api, ui" or "T-1 T-2". */
export function words(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((w) => w.trim())
    .filter(Boolean);
}

/** Adds a task: POST /api/v1/tasks with what the person filled in. */
export function CreateTask({
  queues,
  agents,
  onCreated,
}: {
  queues: string[];
  agents: string[];
  onCreated: (task: Task) => void;
}) {
  const [title, setTitle] = useState("");
  const [body, setBody] = useState("");
  const [priority, setPriority] = useState(2);
  const [tags, setTags] = useState("");
  const [queue, setQueue] = useState("");
  const [after, setAfter] = useState("");
  const [assign, setAssign] = useState("");
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiError | undefined>();
  const [added, setAdded] = useState<string | undefined>();
  const [open, setOpen] = useState(false);

  const submit = (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setFailure(undefined);
    post<{ task: Task }>("/tasks", {
      title: title.trim(),
      ...(body.trim() ? { body: body.trim() } : {}),
      priority,
      ...(tags.trim() ? { tags: words(tags) } : {}),
      ...(queue ? { queue } : {}),
      ...(after.trim() ? { after: words(after) } : {}),
      ...(assign.trim() ? { assign: assign.trim() } : {}),
    })
      .then(({ task }) => {
        setAdded(task.id);
        setOpen(false);
        setTitle("");
        setBody("");
        setTags("");
        setAfter("");
        setAssign("");
        onCreated(task);
      })
      .catch((e: ApiError) => setFailure(e))
      .finally(() => setBusy(false));
  };

  return (
    <>
      <details class="create" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
        <summary>New task</summary>
        <form onSubmit={submit} class="create-form">
          <label>
            Title
            <input required maxLength={200} value={title} onInput={(e) => setTitle(e.currentTarget.value)} />
          </label>
          <label>
            Description
            <textarea rows={3} value={body} onInput={(e) => setBody(e.currentTarget.value)} />
          </label>
          <div class="row">
            <label>
              Priority
              <select value={priority} onChange={(e) => setPriority(Number(e.currentTarget.value))}>
                {PRIORITIES.map((p) => (
                  <option key={p} value={p}>
                    {priorityLabel(p)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Queue
              <select value={queue} onChange={(e) => setQueue(e.currentTarget.value)}>
                <option value="">default</option>
                {queues.map((q) => (
                  <option key={q} value={q}>
                    {q}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <label>
            <span>
              Tags <span class="hint">(comma-separated)</span>
            </span>
            <input value={tags} onInput={(e) => setTags(e.currentTarget.value)} />
          </label>
          <div class="row">
            <label>
              <span>
                Depends on <span class="hint">(T-1, T-2)</span>
              </span>
              <input value={after} onInput={(e) => setAfter(e.currentTarget.value)} />
            </label>
            <label>
              Assign to
              <input list="board-agents" value={assign} onInput={(e) => setAssign(e.currentTarget.value)} />
            </label>
          </div>
          <datalist id="board-agents">
            {agents.map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
          <div class="actions">
            <button type="submit" disabled={busy || !title.trim()}>
              Add task
            </button>
          </div>
          {failure ? (
            <p class="failure" role="alert">
              {failure.message}
              {failure.hint ? ` — ${failure.hint}` : ""}
            </p>
          ) : null}
        </form>
      </details>
      <p role="status" class="added">
        {added ? (
          <>
            Added <a href={`/board/${added}`}>{added}</a>.
          </>
        ) : null}
      </p>
    </>
  );
}
