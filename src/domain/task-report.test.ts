import { describe, expect, it } from "vitest";
import { BatonError } from "../errors.js";
import { validateReport } from "./task-report.js";

describe("validateReport", () => {
  it("fills defaults and accepts snake_case and camelCase lists", () => {
    expect(validateReport({ summary: " Done ", filesModified: ["a.ts"], files_created: ["b.ts"] })).toEqual({
      summary: "Done",
      findings: [],
      recommendations: [],
      filesModified: ["a.ts"],
      filesCreated: ["b.ts"],
      errors: [],
    });
    expect(validateReport({ summary: "s", findings: [{ description: "d" }] }).findings).toEqual([
      { description: "d", severity: "info", file: null, line: null },
    ]);
  });

  it.each([
    [null, "the document"],
    [{}, "summary"],
    [{ summary: "s", findings: {} }, "findings must be a list"],
    [{ summary: "s", findings: [{ description: "d", severity: "bad" }] }, "findings[0].severity"],
    [{ summary: "s", findings: [{ description: "d", line: -1 }] }, "findings[0].line"],
    [{ summary: "s", files_modified: "a.ts" }, "files_modified must be a list"],
    [{ summary: "s", errors: [""] }, "errors[0]"],
    [{ summary: "s", extra: 1 }, '"extra"'],
  ])("refuses %j, naming %s", (raw, where) => {
    expect(() => validateReport(raw)).toThrow(BatonError);
    expect(() => validateReport(raw)).toThrow(where);
  });
});
