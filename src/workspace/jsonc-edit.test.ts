import fc from "fast-check";
import { type ParseError, parse } from "jsonc-parser";
import { describe, expect, it } from "vitest";
import { removeKey, setKey } from "./jsonc-edit.js";

type Json = null | number | string | boolean | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

/**
 * Hostile layouts for the config's edits: one-line and multi-line objects, comments on their
 * own lines, after values and before keys, trailing commas, CRLF. Every comment carries a
 * marker naming the property it belongs to ("" for none), so the test knows which comments an
 * edit may take with it (those inside or after what it removes or replaces) and which it must keep.
 */
interface Layout {
  inline: boolean[];
  comments: number[];
  trailingComma: boolean;
  crlf: boolean;
}

function render(value: Json, layout: Layout, path: string[], indent: string, counter: { n: number }): string {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return JSON.stringify(value);
  const eol = layout.crlf ? "\r\n" : "\n";
  const keys = Object.keys(value);
  const pick = (list: number[]) => list[counter.n++ % list.length]!;
  const inline = layout.inline[counter.n++ % layout.inline.length]!;
  const marker = (owner: string[]) => `m${counter.n++}@${owner.join(".")}@`;
  if (keys.length === 0) return inline ? "{}" : `{${eol}${indent}}`;
  if (inline) {
    const props = keys.map((key) => {
      const before = pick(layout.comments) % 3 === 0 ? `/* ${marker(path)} */ ` : "";
      return `${before}${JSON.stringify(key)}: ${render(value[key]!, layout, [...path, key], indent, counter)}`;
    });
    return `{ ${props.join(", ")}${layout.trailingComma ? "," : ""} }`;
  }
  const inner = `${indent}  `;
  const lines = keys.map((key, i) => {
    const owner = [...path, key];
    const c = pick(layout.comments);
    const own = c % 4 === 1 ? `${inner}// ${marker(path)}${eol}` : "";
    const before = c % 4 === 2 ? `/* ${marker(path)} */ ` : "";
    const last = i === keys.length - 1;
    const comma = !last || layout.trailingComma ? "," : "";
    const after = c % 4 === 3 ? ` // ${marker(owner)}` : "";
    return `${own}${inner}${before}${JSON.stringify(key)}: ${render(value[key]!, layout, owner, inner, counter)}${comma}${after}`;
  });
  return `{${eol}${lines.join(eol)}${eol}${indent}}`;
}

const key = fc.constantFrom("a", "b", "queues", "tasks", "x-y", "q 1", 'say "hi"', "k//not-a-comment");
const leaf: fc.Arbitrary<Json> = fc.oneof(
  fc.integer(),
  fc.constantFrom(null, true, false, "x, y", "// no", "/* no */", "}"),
  fc.string({ maxLength: 8 }),
);
const json: fc.Arbitrary<Obj> = fc.letrec<{ obj: Obj; value: Json }>((tie) => ({
  obj: fc.dictionary(key, tie("value"), { maxKeys: 4 }),
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    tie("obj"),
    fc.array(leaf, { maxLength: 3 }),
  ),
})).obj;
const layout: fc.Arbitrary<Layout> = fc.record({
  inline: fc.array(fc.boolean(), { minLength: 1, maxLength: 5 }),
  comments: fc.array(fc.nat(11), { minLength: 1, maxLength: 6 }),
  trailingComma: fc.boolean(),
  crlf: fc.boolean(),
});

function parseStrict(text: string): Json {
  const errors: ParseError[] = [];
  const value = parse(text, errors, { allowTrailingComma: true });
  expect(errors, text).toEqual([]);
  return value;
}

/** Paths of every object member, and new keys (one or two levels deep) under every object. */
function paths(value: Obj, prefix: string[] = []): { existing: string[][]; fresh: string[][] } {
  const existing: string[][] = [];
  const fresh: string[][] = [
    [...prefix, "new"],
    [...prefix, "new", "deeper"],
  ];
  for (const [k, v] of Object.entries(value)) {
    existing.push([...prefix, k]);
    if (v !== null && typeof v === "object" && !Array.isArray(v)) {
      const inner = paths(v, [...prefix, k]);
      existing.push(...inner.existing);
      fresh.push(...inner.fresh);
    }
  }
  return { existing, fresh };
}

function applyModel(value: Obj, path: string[], next: Json | undefined): Obj {
  const copy = structuredClone(value);
  let at: Obj = copy;
  for (const k of path.slice(0, -1)) {
    if (at[k] === undefined) at[k] = {};
    at = at[k] as Obj;
  }
  if (next === undefined) delete at[path.at(-1)!];
  else at[path.at(-1)!] = next;
  return copy;
}

const markers = (text: string) =>
  [...text.matchAll(/m\d+@([^@]*)@/g)].map((m) => ({ id: m[0], owner: m[1]! }));

describe("JSONC edits", () => {
  it("set and remove change exactly the key and keep every comment they do not remove", () => {
    let runs = 0;
    fc.assert(
      fc.property(json, layout, fc.nat(), fc.boolean(), leaf, (doc, style, choice, remove, value) => {
        const text = `// head${style.crlf ? "\r\n" : "\n"}${render(doc, style, [], "", { n: 0 })}`;
        expect(parseStrict(text)).toEqual(doc);
        const { existing, fresh } = paths(doc);
        const candidates = remove ? existing : [...existing, ...fresh];
        if (candidates.length === 0) return;
        const path = candidates[choice % candidates.length]!;
        const edited = remove ? removeKey(text, path) : setKey(text, path, value);
        expect(parseStrict(edited)).toEqual(applyModel(doc, path, remove ? undefined : value));
        // A comment may go only with the member it belongs to (or one inside it).
        const target = path.join(".");
        const kept = new Set(markers(edited).map((m) => m.id));
        for (const m of markers(text)) {
          const owned = m.owner === target || m.owner.startsWith(`${target}.`);
          if (!owned)
            expect(
              kept.has(m.id),
              `${m.id} lost by ${remove ? "removing" : "setting"} ${target} in\n${text}\n---\n${edited}`,
            ).toBe(true);
        }
        expect(edited.startsWith("// head")).toBe(true);
        if (!style.crlf) expect(edited).not.toContain("\r");
        runs++;
      }),
      { numRuns: 600, seed: 8128 },
    );
    expect(runs).toBeGreaterThan(300);
  });

  it("adds to the layout that is there: one line stays one line; a new line takes its neighbour's indent", () => {
    expect(setKey(`{ "a": 1 }`, ["b"], 2)).toBe(`{ "a": 1, "b": 2 }`);
    expect(setKey(`{}`, ["b"], { c: null })).toBe(`{ "b": { "c": null } }`);
    expect(setKey(`{\n    "a": 1 // one\n}\n`, ["b"], "x")).toBe(`{\n    "a": 1, // one\n    "b": "x"\n}\n`);
    expect(removeKey(`{\n  "a": 1, // main\n  "b": 2 // gone\n}\n`, ["b"])).toBe(`{\n  "a": 1 // main\n}\n`);
    expect(removeKey(`{ "a": 1 }`, ["zzz"])).toBe(`{ "a": 1 }`);
  });
});
