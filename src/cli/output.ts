import type { BatonError } from "../errors.js";
import { neutralise, safeJson } from "../util/control-chars.js";
import { makeStyle, type Style } from "./style.js";

/**
 * Where a command's answer goes. With --json, stdout carries exactly one JSON
 * document (errors included, as {"error": {...}}); otherwise text for people,
 * with notes and errors on stderr.
 */
export class Output {
  readonly style: Style;
  readonly errStyle: Style;

  constructor(
    readonly json: boolean,
    readonly dryRun: boolean,
  ) {
    this.style = makeStyle(process.stdout);
    this.errStyle = makeStyle(process.stderr);
  }

  /** Prints the command's result: `data` as JSON, or `text()` for people. */
  result(data: Record<string, unknown>, text: () => string | string[]): void {
    if (this.json) {
      process.stdout.write(`${safeJson(this.dryRun ? { ...data, dryRun: true } : data)}\n`);
      return;
    }
    const lines = text();
    const body = Array.isArray(lines) ? lines.join("\n") : lines;
    if (body) process.stdout.write(`${forTerminal(body, this.style)}\n`);
    if (this.dryRun) this.note("dry run: nothing was changed");
  }

  /** A remark for people, never part of the JSON document. */
  note(text: string): void {
    if (!this.json) process.stderr.write(`${this.errStyle.dim(neutralise(text))}\n`);
  }

  /**
   * Remarks for people made with `errStyle` (a banner, a QR code): like note,
   * but this process's own colour codes pass the terminal gate, where note
   * would show them as stand-ins.
   */
  noteLines(lines: string[]): void {
    if (!this.json) process.stderr.write(`${forTerminal(lines.join("\n"), this.errStyle)}\n`);
  }

  error(error: BatonError): void {
    if (this.json) {
      process.stdout.write(`${safeJson({ error: error.toJSON() })}\n`);
      return;
    }
    const s = this.errStyle;
    process.stderr.write(
      `${s.red("error")} ${s.dim(`[${error.code}]`)} ${neutralise(error.message)}\n${s.yellow("hint")} ${neutralise(error.hint)}\n`,
    );
    if (process.env.BATON_DEBUG && error.stack) process.stderr.write(`${error.stack}\n`);
  }
}

/**
 * The last gate before a person's terminal: the renderers neutralise what
 * agents wrote, and here any control character left (a field a renderer missed)
 * is shown as a stand-in too. Only this process's own colour codes pass, and only
 * when colour is on.
 */
export function forTerminal(text: string, style: Style): string {
  const codes = style.codes;
  if (codes.length === 0) return neutralise(text);
  return text
    .split(new RegExp(`(${codes.map((code) => code.replace("[", "\\[")).join("|")})`))
    .map((part, i) => (i % 2 === 1 ? part : neutralise(part)))
    .join("");
}
