/**
 * A shell command line as words and operators, read the way a POSIX shell
 * reads it: quotes ('', "", $'', backslashes), operators, comments, `$((...))`
 * arithmetic, and heredocs (the body is attached to its `<<` operator, so a
 * body is data to everything but the command it feeds). Command substitutions
 * (`$(...)`, backquotes, also inside double quotes and unquoted heredoc bodies)
 * are collected as command lines of their own. A word holding an expansion
 * that cannot be known ahead (`$VAR`, `$(...)`) is marked opaque.
 */
export type Token =
  | { kind: "word"; text: string; opaque: boolean }
  | { kind: "op"; op: string; body?: string };

export interface Tokens {
  tokens: Token[];
  /** The inner command lines of `$(...)` and backquotes, in order. */
  substitutions: string[];
}

const OPERATOR = /^(<<<|<<-|<<|&>>|&>|>>|>\||>&|<>|&&|\|\||;;|[0-9]*>>|[0-9]*>&|[0-9]*>|[;&|()<>])/;

/** The text of a balanced `(...)` starting at `open` (the index of "("), and the index after it. */
function balanced(text: string, open: number): { inner: string; end: number } {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === "\\") {
      i++;
      continue;
    }
    if (c === "'") {
      const close = text.indexOf("'", i + 1);
      i = close < 0 ? text.length : close;
      continue;
    }
    if (c === "(") depth++;
    if (c === ")" && --depth === 0) return { inner: text.slice(open + 1, i), end: i + 1 };
  }
  return { inner: text.slice(open + 1), end: text.length };
}

/** The substitutions in text where `$(` and backquotes run commands (double quotes, unquoted heredocs). */
function substitutionsIn(text: string, into: string[]): void {
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "\\") {
      i++;
    } else if (text[i] === "$" && text[i + 1] === "(" && text[i + 2] !== "(") {
      const { inner, end } = balanced(text, i + 1);
      into.push(inner);
      i = end - 1;
    } else if (text[i] === "`") {
      const close = text.indexOf("`", i + 1);
      into.push(text.slice(i + 1, close < 0 ? text.length : close));
      i = close < 0 ? text.length : close;
    }
  }
}

const ANSI_C: Record<string, string> = {
  n: "\n",
  t: "\t",
  r: "\r",
  "\\": "\\",
  "'": "'",
  '"': '"',
  "0": "\0",
};

export function tokenize(text: string): Tokens {
  const tokens: Token[] = [];
  const substitutions: string[] = [];
  const heredocs: { delimiter: string; quoted: boolean; token: { body?: string } }[] = [];
  let i = 0;
  let word = "";
  let inWord = false;
  let opaque = false;
  const endWord = () => {
    if (inWord) tokens.push({ kind: "word", text: word, opaque });
    word = "";
    inWord = false;
    opaque = false;
  };
  /** Reads one word at `from` (for a heredoc delimiter): its text without quotes, whether any part was quoted, where it ends. */
  const readWord = (from: number): { text: string; quoted: boolean; end: number } => {
    let j = from;
    let out = "";
    let quoted = false;
    while (j < text.length && !/[\s;&|<>()]/.test(text[j]!)) {
      const c = text[j]!;
      if (c === "'" || c === '"') {
        const close = text.indexOf(c, j + 1);
        out += text.slice(j + 1, close < 0 ? text.length : close);
        quoted = true;
        j = close < 0 ? text.length : close + 1;
      } else if (c === "\\") {
        out += text[j + 1] ?? "";
        quoted = true;
        j += 2;
      } else {
        out += c;
        j++;
      }
    }
    return { text: out, quoted, end: j };
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === "\n") {
      endWord();
      tokens.push({ kind: "op", op: ";" });
      i++;
      // Heredoc bodies start on the next line: each runs up to its delimiter.
      for (const doc of heredocs.splice(0)) {
        const lines: string[] = [];
        while (i < text.length) {
          const end = text.indexOf("\n", i);
          const line = text.slice(i, end < 0 ? text.length : end);
          i = end < 0 ? text.length : end + 1;
          if (line.replace(/^\t+/, "") === doc.delimiter) break;
          lines.push(line);
        }
        doc.token.body = lines.join("\n");
        if (!doc.quoted) substitutionsIn(doc.token.body, substitutions);
      }
      continue;
    }
    if (c === " " || c === "\t" || c === "\r") {
      endWord();
      i++;
      continue;
    }
    if (c === "#" && !inWord) {
      while (i < text.length && text[i] !== "\n") i++;
      continue;
    }
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      word += text.slice(i + 1, end < 0 ? text.length : end);
      inWord = true;
      i = end < 0 ? text.length : end + 1;
      continue;
    }
    if (c === "$" && text[i + 1] === "'") {
      // $'...': ANSI-C quoting.
      i += 2;
      while (i < text.length && text[i] !== "'") {
        if (text[i] === "\\" && i + 1 < text.length) {
          word += ANSI_C[text[i + 1]!] ?? text[i + 1];
          i += 2;
        } else word += text[i++];
      }
      inWord = true;
      i++;
      continue;
    }
    if (c === '"') {
      inWord = true;
      const start = i + 1;
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === "\\" && i + 1 < text.length) {
          word += text[i + 1];
          i += 2;
          continue;
        }
        if (text[i] === "$" || text[i] === "`") opaque = true;
        if (text[i] === "$" && text[i + 1] === "(") {
          const { end } = balanced(text, i + 1);
          word += text.slice(i, end);
          i = end;
          continue;
        }
        word += text[i++];
      }
      substitutionsIn(text.slice(start, i), substitutions);
      i++;
      continue;
    }
    if (c === "\\") {
      if (text[i + 1] !== "\n") word += text[i + 1] ?? "";
      inWord = true;
      i += 2;
      continue;
    }
    if (c === "$" && text[i + 1] === "(") {
      // $((arithmetic)) holds no command; $(command) does.
      const { inner, end } = balanced(text, i + 1);
      if (text[i + 2] !== "(") substitutions.push(inner);
      word += text.slice(i, end);
      inWord = true;
      opaque = true;
      i = end;
      continue;
    }
    if (c === "`") {
      const close = text.indexOf("`", i + 1);
      substitutions.push(text.slice(i + 1, close < 0 ? text.length : close));
      inWord = true;
      opaque = true;
      i = close < 0 ? text.length : close + 1;
      continue;
    }
    if (c === "$") opaque = true;
    const op = OPERATOR.exec(text.slice(i));
    // A digit inside a word (`a2>f`) belongs to the word; at its start it may name a descriptor (`2>f`).
    if (op && !(/[0-9]/.test(c) && inWord)) {
      endWord();
      const name = op[0]!.replace(/^[0-9]+/, "");
      const token: Token = { kind: "op", op: name };
      tokens.push(token);
      i += op[0]!.length;
      if (name === "<<" || name === "<<-") {
        while (text[i] === " " || text[i] === "\t") i++;
        const delimiter = readWord(i);
        if (delimiter.text) heredocs.push({ delimiter: delimiter.text, quoted: delimiter.quoted, token });
        i = delimiter.end;
      }
      continue;
    }
    word += c;
    inWord = true;
    i++;
  }
  endWord();
  return { tokens, substitutions };
}

/** One level of brace expansion: `src/{a,b}.ts` → src/a.ts, src/b.ts (nested braces expand in turn). */
export function expandBraces(word: string): string[] {
  const match = /\{([^{}]*,[^{}]*)\}/.exec(word);
  if (!match) return [word];
  return match[1]!
    .split(",")
    .flatMap((part) =>
      expandBraces(word.slice(0, match.index) + part + word.slice(match.index + match[0].length)),
    );
}
