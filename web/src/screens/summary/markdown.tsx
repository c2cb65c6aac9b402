import { type ComponentChildren, Fragment, type JSX } from "preact";

/**
 * The little markdown the summary is written in (headings, bullet and numbered
 * lists, paragraphs; `code`, **bold**, _emphasis_; task ids), turned into
 * elements — never into HTML text, so whatever an agent wrote is shown as
 * text and nothing in it can run. `shift` lowers headings under the page's own
 * h1 (`#` becomes h2 with the default 1).
 */
export function Markdown({ text, shift = 1 }: { text: string; shift?: number }) {
  return <div class="markdown">{blocks(text, shift)}</div>;
}

type Block =
  | { kind: "heading"; level: number; text: string }
  | { kind: "list"; ordered: boolean; items: string[] }
  | { kind: "paragraph"; lines: string[] };

const HEADING = /^(#{1,6})\s+(.*)$/;
const BULLET = /^\s*[-*+]\s+(.*)$/;
const NUMBERED = /^\s*\d+[.)]\s+(.*)$/;

function parse(text: string): Block[] {
  const out: Block[] = [];
  for (const line of text.replace(/\r\n?/g, "\n").split("\n")) {
    const last = out.at(-1);
    const heading = HEADING.exec(line);
    const bullet = BULLET.exec(line);
    const numbered = bullet ? null : NUMBERED.exec(line);
    if (heading) out.push({ kind: "heading", level: heading[1]!.length, text: heading[2]! });
    else if (bullet || numbered) {
      const ordered = Boolean(numbered);
      const item = (bullet ?? numbered)![1]!;
      if (last?.kind === "list" && last.ordered === ordered) last.items.push(item);
      else out.push({ kind: "list", ordered, items: [item] });
    } else if (!line.trim()) {
      if (last?.kind === "paragraph") out.push({ kind: "paragraph", lines: [] });
    } else if (last?.kind === "paragraph") last.lines.push(line);
    else out.push({ kind: "paragraph", lines: [line] });
  }
  return out.filter((b) => b.kind !== "paragraph" || b.lines.length > 0);
}

function blocks(text: string, shift: number): JSX.Element[] {
  return parse(text).map((block, i) => {
    if (block.kind === "heading") {
      const Tag = `h${Math.min(6, block.level + shift)}` as "h2";
      return <Tag key={i}>{inline(block.text)}</Tag>;
    }
    if (block.kind === "list") {
      const Tag = block.ordered ? "ol" : "ul";
      return (
        <Tag key={i}>
          {block.items.map((item, j) => (
            <li key={j}>{inline(item)}</li>
          ))}
        </Tag>
      );
    }
    return (
      <p key={i}>
        {block.lines.map((line, j) => (
          <Fragment key={j}>
            {j > 0 ? <br /> : null}
            {inline(line)}
          </Fragment>
        ))}
      </p>
    );
  });
}

const INLINE = /(`[^`]+`|\*\*[^*]+\*\*|__[^_]+__|(?<![\w*])\*[^*\s][^*]*\*(?!\w)|(?<!\w)_[^_\s][^_]*_(?!\w))/;

/** `code`, **bold**, *emphasis* or _emphasis_, and task ids linked to the board; the rest as text. */
function inline(text: string): ComponentChildren[] {
  return text.split(INLINE).map((part, i) => {
    if (i % 2 === 0) return taskLinks(part);
    if (part.startsWith("`")) return <code key={i}>{part.slice(1, -1)}</code>;
    if (part.startsWith("**") || part.startsWith("__"))
      return <strong key={i}>{taskLinks(part.slice(2, -2))}</strong>;
    return <em key={i}>{taskLinks(part.slice(1, -1))}</em>;
  });
}

const TASK = /\b(T-\d+)\b/;

function taskLinks(text: string): ComponentChildren[] {
  return text.split(TASK).map((part, i) =>
    i % 2 === 1 ? (
      <a key={i} href={`/board/${part}`}>
        {part}
      </a>
    ) : (
      part
    ),
  );
}
