import type { InboxItem } from "./types";

/** A diff's lines, each keeping its +/- mark (colour is not the only sign of what changed). */
export function DiffLines({ diff }: { diff: string }) {
  return (
    <pre class="diff">
      {diff.split("\n").map((line, i) => (
        <span key={i} class={line.startsWith("+ ") ? "add" : line.startsWith("- ") ? "del" : "same"}>
          {line}
          {"\n"}
        </span>
      ))}
    </pre>
  );
}

/** What an approval asks to do: the command or file in view, an edit's diff, the whole request folded. */
export function RequestView({ item }: { item: InboxItem }) {
  const p = item.permission;
  if (!p) return item.plan ? <pre class="plan">{item.plan}</pre> : null;
  return (
    <div class="request">
      <p class="tool">
        <span class="label">{p.tool}</span> <code>{p.subject}</code>
      </p>
      {p.diff ? <DiffLines diff={p.diff} /> : null}
      {item.plan ? (
        <details class="folds">
          <summary>The whole request</summary>
          <pre class="plan">{item.plan}</pre>
        </details>
      ) : null}
    </div>
  );
}
