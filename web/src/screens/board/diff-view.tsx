import { useEffect, useState } from "preact/hooks";
import { type ApiError, get } from "../../api";
import type { WorktreeDiff } from "./types";

type LineKind = "add" | "del" | "hunk" | "file" | "meta" | "ctx";

function kindOf(line: string): LineKind {
  if (line.startsWith("diff --git ")) return "file";
  if (line.startsWith("+++ ") || line.startsWith("--- ")) return "meta";
  if (line.startsWith("@@")) return "hunk";
  if (line.startsWith("+")) return "add";
  if (line.startsWith("-")) return "del";
  if (/^(index |new file|deleted file|similarity|rename |old mode|new mode|Binary files)/.test(line))
    return "meta";
  return "ctx";
}

/** "1 file", "3 files": what a patch touches, from its `diff --git a/x b/x` lines. */
function filesOf(patch: string): string {
  const n = patch.split("\n").filter((line) => line.startsWith("diff --git ")).length;
  return n === 1 ? "1 file" : `${n} files`;
}

/**
 * A patch, line by line, added lines green and removed ones red. The `+` and
 * `-` stay at the start of each line, so colour is never the only sign (a
 * screen reader and a colour-blind reader see them too).
 */
function Patch({ text }: { text: string }) {
  const lines = text.replace(/\n$/, "").split("\n");
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a wide patch scrolls sideways; focusable so a keyboard can scroll it
    <pre class="diff" tabIndex={0}>
      {lines.map((line, i) => (
        <span key={i} class={`d-${kindOf(line)}`}>
          {line}
          {"\n"}
        </span>
      ))}
    </pre>
  );
}

/** The diff of the worktree of the agent that holds (or last held) the task: GET /api/v1/tasks/{id}/diff. */
export function TaskDiff({ id, version }: { id: string; version: number }) {
  const [diff, setDiff] = useState<WorktreeDiff | undefined>();
  const [failure, setFailure] = useState<ApiError | undefined>();
  const [loading, setLoading] = useState(true);
  useEffect(() => {
    setLoading(true);
    get<{ diff: WorktreeDiff }>(`/tasks/${encodeURIComponent(id)}/diff`)
      .then((answer) => {
        setDiff(answer.diff);
        setFailure(undefined);
      })
      .catch((e: ApiError) => {
        setDiff(undefined);
        setFailure(e);
      })
      .finally(() => setLoading(false));
  }, [id, version]);

  if (loading && !diff && !failure) return <p aria-busy="true">Reading the worktree…</p>;
  if (failure)
    return (
      <p class="hint">
        No diff: {failure.message}
        {failure.hint ? ` (${failure.hint})` : ""}
      </p>
    );
  if (!diff) return null;
  const empty = !diff.committed && !diff.uncommitted && diff.untrackedNotShown.length === 0;
  return (
    <div class="task-diff">
      <p class="hint">
        {diff.agent}'s worktree <code>{diff.worktree}</code>
        {diff.branch ? (
          <>
            {" "}
            on <code>{diff.branch.replace(/^refs\/heads\//, "")}</code>
          </>
        ) : null}
        {diff.base ? (
          <>
            , since <code>{diff.base.slice(0, 8)}</code>
          </>
        ) : (
          ", which shares no history with the main checkout"
        )}
        . Lines starting with + were added, with - removed.
      </p>
      {diff.cut ? (
        <p class="banner" role="note">
          The diff is {diff.cut}.
        </p>
      ) : null}
      {empty ? <p class="empty">No changes in the worktree.</p> : null}
      {diff.committed ? (
        <>
          <h3>
            Committed <span class="hint">({filesOf(diff.committed)})</span>
          </h3>
          <Patch text={diff.committed} />
        </>
      ) : null}
      {diff.uncommitted ? (
        <>
          <h3>
            Not committed yet <span class="hint">({filesOf(diff.uncommitted)})</span>
          </h3>
          <Patch text={diff.uncommitted} />
        </>
      ) : null}
      {diff.untrackedNotShown.length > 0 ? (
        <p class="hint">New files not shown: {diff.untrackedNotShown.join(", ")}</p>
      ) : null}
    </div>
  );
}
