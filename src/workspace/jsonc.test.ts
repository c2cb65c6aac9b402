import { describe, expect, it } from "vitest";
import { BatonError } from "../errors.js";
import { parseJsonc } from "./jsonc.js";

describe("parseJsonc", () => {
  it("reads comments and trailing commas, leaving strings alone", () => {
    const text = `{
      // a comment with "quotes" and a , comma
      "url": "http://x/*not a comment*/", /* block
      comment */ "list": [1, 2,],
      "escaped": "a \\" // still text",
    }`;
    expect(parseJsonc(text, "f")).toEqual({
      url: "http://x/*not a comment*/",
      list: [1, 2],
      escaped: 'a " // still text',
    });
  });

  it("points at the line and column of an error in the original text", () => {
    const text = '{\n  // comment\n  "a": 1\n  "b": 2\n}';
    try {
      parseJsonc(text, "config.json");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(BatonError);
      expect((error as BatonError).message).toContain("config.json does not parse at line 4, column 3");
    }
  });
});
