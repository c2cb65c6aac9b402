import { describe, expect, it } from "vitest";
import { colourOn } from "./style.js";

/**
 * NO_COLOR per no-color.org (present and not empty turns colour off; empty is as if unset),
 * FORCE_COLOR as Node reads it (wins over NO_COLOR; "0" and "false" turn colour off, anything
 * else on, into a pipe too), TERM=dumb off. Every combination, on a terminal and on a pipe.
 */
describe("colourOn", () => {
  const noColor = [undefined, "", "1", "0", "false"];
  const forceColor = [undefined, "", "1", "2", "3", "0", "false", "FALSE", "true"];
  const term = [undefined, "xterm-256color", "dumb"];

  function expected(tty: boolean, env: Record<string, string | undefined>): boolean {
    if (env.FORCE_COLOR !== undefined) return !["0", "false"].includes(env.FORCE_COLOR.toLowerCase());
    if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
    return tty && env.TERM !== "dumb";
  }

  it("follows NO_COLOR, FORCE_COLOR and TERM in every combination", () => {
    let cases = 0;
    for (const tty of [true, false])
      for (const NO_COLOR of noColor)
        for (const FORCE_COLOR of forceColor)
          for (const TERM of term) {
            const env = Object.fromEntries(
              Object.entries({ NO_COLOR, FORCE_COLOR, TERM }).filter(([, v]) => v !== undefined),
            );
            expect(colourOn({ isTTY: tty }, env), JSON.stringify({ tty, ...env })).toBe(expected(tty, env));
            cases++;
          }
    expect(cases).toBe(270);
    // The two the brief names: an empty NO_COLOR keeps colour on a terminal; FORCE_COLOR colours a pipe.
    expect(colourOn({ isTTY: true }, { NO_COLOR: "" })).toBe(true);
    expect(colourOn({ isTTY: false }, { FORCE_COLOR: "1" })).toBe(true);
  });
});
