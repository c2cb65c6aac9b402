import { BatonError, clip } from "../../errors.js";

/** Longer URLs are refused: no route needs more, and every byte of one is parsed. */
export const MAX_URL_CHARS = 8192;

export interface RequestTarget {
  /** The path's segments, each percent-decoded once. */
  segments: string[];
  query: Record<string, string>;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters in a path is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

function badPath(what: string): BatonError {
  return new BatonError(
    "invalid_input",
    `bad request path: ${what}`,
    "name a route as the API document lists it (GET /api/v1/openapi.json)",
  );
}

/**
 * Splits a request's URL into decoded path segments and query parameters.
 * Nothing is resolved: a `.` or `..` segment (typed, or percent-encoded as
 * `%2e%2e`, which URL parsers resolve too), an encoded slash, backslash or
 * control character is refused outright, so no spelling of a path can reach a
 * route other than the one it plainly names.
 */
export function parseTarget(url: string | undefined): RequestTarget {
  const raw = url ?? "/";
  if (raw.length > MAX_URL_CHARS) {
    throw new BatonError(
      "too_large",
      `the URL is ${raw.length} characters; the limit is ${MAX_URL_CHARS}`,
      "send long values in a JSON body",
      { limitChars: MAX_URL_CHARS },
    );
  }
  if (!raw.startsWith("/")) throw badPath(`'${clip(raw)}' does not start with /`);
  const at = raw.indexOf("?");
  const path = at === -1 ? raw : raw.slice(0, at);
  const segments = path
    .slice(1)
    .split("/")
    .map((segment) => {
      let decoded: string;
      try {
        decoded = decodeURIComponent(segment);
      } catch {
        throw badPath(`'${clip(segment)}' is not valid percent-encoding`);
      }
      if (decoded === "." || decoded === "..") throw badPath("'.' and '..' segments are not resolved");
      if (/[/\\]/.test(decoded)) throw badPath("an encoded slash or backslash in a segment");
      if (CONTROL.test(decoded)) throw badPath("a control character");
      return decoded;
    });
  return { segments, query: parseQuery(at === -1 ? "" : raw.slice(at + 1)) };
}

function parseQuery(text: string): Record<string, string> {
  // No prototype: a parameter named __proto__ is a key like any other (and refused as unknown).
  const query: Record<string, string> = Object.create(null);
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(text);
  } catch {
    throw badPath("the query is not valid");
  }
  for (const [key, value] of params) {
    if (Object.hasOwn(query, key)) {
      throw new BatonError(
        "invalid_input",
        `the query parameter '${clip(key)}' is given twice`,
        "give each parameter once; a list is comma-separated (status=open,claimed)",
      );
    }
    query[key] = value;
  }
  return query;
}
