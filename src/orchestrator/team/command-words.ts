import { BatonError } from "../../errors.js";

/**
 * Splits the command a user gave to `--agent "aider --model x"` into argv words
 * the way a POSIX shell splits them (quotes, backslashes), and does nothing else
 * a shell would: no variables, no `$(...)`, no globs, no `;`. Those characters
 * stay literal parts of a word, so the program receives exactly what was typed
 * and no shell ever reads it.
 */
export function commandWords(text: string): string[] {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote === "'") {
      if (c === "'") quote = null;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === "\\" && i + 1 < text.length && '"\\$`'.includes(text[i + 1]!)) word += text[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === "\\" && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (c === " " || c === "\t" || c === "\n") {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote)
    throw new BatonError(
      "usage",
      `the command ${JSON.stringify(text)} has an unclosed ${quote}`,
      "close the quote, e.g. --agent \"aider --message 'hello'\"",
    );
  if (inWord) words.push(word);
  if (words.length === 0)
    throw new BatonError("usage", "--agent names an empty command", "e.g. --agent claude");
  return words;
}
