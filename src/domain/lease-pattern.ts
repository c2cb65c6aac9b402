/**
 * Lease patterns: a workspace-relative path (`src/app.ts`) or a glob
 * (`src/**\/*.ts`, `test/?.js`). A lease on a folder is stored as `folder/**`
 * (the workspace layer does that, as it can see the file system).
 *
 * A glob covers the paths it matches and everything below them, as in a
 * .gitignore: `src/*` matches the folder `src/sub`, which holds `src/sub/x.ts`.
 * A plain path names exactly one file or folder (`folder/**` for a folder);
 * whether a name not there yet may become a folder is for the workspace layer
 * to say, as it can see the file system (see workspace/lease-keys.ts).
 *
 * Two leases conflict when some path could match both. That is decided exactly,
 * not by comparing strings: `patternsOverlap` walks both patterns at once and
 * asks whether one string can satisfy both (the intersection of two regular
 * languages is non-empty), so `src/*.ts` and `src/a.*` conflict while
 * `src/*.ts` and `src/*.css` do not. Where it errs, it errs towards a conflict:
 * `a/**\/b` is read as `a/` + any run + `b`, which also covers `a/xb`.
 */

type Token =
  | { kind: "char"; char: string }
  | { kind: "one" } // ?  any character but /
  | { kind: "star" } // *  any run of characters without /
  | { kind: "globstar" }; // ** any run of characters, / included

const GLOB_CHARS = /[*?]/;

export function isGlob(pattern: string): boolean {
  return GLOB_CHARS.test(pattern);
}

function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === "*") {
      if (pattern[i + 1] === "*") {
        // `a/**/b` must also match `a/b`: the globstar swallows its trailing slash.
        const slashAfter = pattern[i + 2] === "/";
        tokens.push({ kind: "globstar" });
        i += slashAfter ? 2 : 1;
      } else {
        tokens.push({ kind: "star" });
      }
    } else if (char === "?") {
      tokens.push({ kind: "one" });
    } else {
      tokens.push({ kind: "char", char });
    }
  }
  return tokens;
}

function isRun(token: Token): boolean {
  return token.kind === "star" || token.kind === "globstar";
}

/** Whether a single character can be produced by both tokens. */
function charsCompatible(a: Token, b: Token): boolean {
  const allows = (t: Token, c: string | null): boolean => {
    // c === null stands for "some character that is not a slash".
    if (t.kind === "char") return c === null ? t.char !== "/" : t.char === c;
    if (t.kind === "globstar") return true;
    return c !== "/";
  };
  if (a.kind === "char") return allows(b, a.char);
  if (b.kind === "char") return allows(a, b.char);
  return true;
}

function languagesIntersect(a: Token[], b: Token[]): boolean {
  const memo = new Map<number, boolean>();
  const width = b.length + 1;
  const visit = (i: number, j: number): boolean => {
    const key = i * width + j;
    const known = memo.get(key);
    if (known !== undefined) return known;
    memo.set(key, false); // guards the (star, star) self-loop
    let result = false;
    const ta = a[i];
    const tb = b[j];
    if (!ta && !tb) result = true;
    else if (ta && isRun(ta) && visit(i + 1, j)) result = true;
    else if (tb && isRun(tb) && visit(i, j + 1)) result = true;
    else if (ta && tb && charsCompatible(ta, tb)) {
      // Both consume one common character; a run may stay to consume more.
      const ni = isRun(ta) ? i : i + 1;
      const nj = isRun(tb) ? j : j + 1;
      if (ni !== i || nj !== j) result = visit(ni, nj);
      if (!result && isRun(ta) && isRun(tb)) result = visit(i + 1, j) || visit(i, j + 1);
    }
    memo.set(key, result);
    return result;
  };
  return visit(0, 0);
}

/** `pattern/**`: what lies below the paths a pattern names. */
function below(tokens: Token[]): Token[] {
  return [...tokens, { kind: "char", char: "/" }, { kind: "globstar" }];
}

/**
 * Whether some path is covered by both patterns, a glob covering what it
 * matches and everything below. Three of the four cases suffice: if a path
 * lies below a match of each, the shorter match lies below (or is) the longer.
 */
export function patternsOverlap(a: string, b: string): boolean {
  const ta = tokenize(a);
  const tb = tokenize(b);
  return (
    languagesIntersect(ta, tb) ||
    (isGlob(a) && languagesIntersect(below(ta), tb)) ||
    (isGlob(b) && languagesIntersect(ta, below(tb)))
  );
}

/**
 * Whether a pattern is made of wildcards alone (`*`, `**`, `**\/*`, `*\/**`):
 * with the rule above it covers every file of the workspace, or every file at
 * some depth, which is never what an edit needs and stops the whole team.
 */
export function coversWholeWorkspace(pattern: string): boolean {
  return pattern.split("/").every((segment) => /^\*+$/.test(segment));
}
