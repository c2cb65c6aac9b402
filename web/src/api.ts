import { safeReviver } from "./shown";

/**
 * The hub's JSON API as the page calls it: same origin, the session cookie sent
 * by the browser, and the session's CSRF token on every write. An error answer
 * becomes an ApiError with the hub's stable code and hint, shown as they are.
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

let csrfToken = "";

/** The token the hub gave with the session (GET /api/v1/session); writes carry it. */
export function useCsrfToken(token: string): void {
  csrfToken = token;
}

/** What the page does when the hub says the device is no longer paired (set by the app shell). */
let onUnauthorized: (error: ApiError) => void = () => undefined;
export function whenUnauthorized(handler: (error: ApiError) => void): void {
  onUnauthorized = handler;
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (method !== "GET") headers["x-csrf-token"] = csrfToken;
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
    });
  } catch {
    throw new ApiError(
      0,
      "offline",
      "the hub cannot be reached",
      "check the connection; baton retries by itself",
    );
  }
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text, safeReviver) : {};
  } catch {
    throw new ApiError(
      response.status,
      "bad_answer",
      `the hub answered ${response.status}`,
      "reload the page",
    );
  }
  if (!response.ok) {
    const e = (json as { error?: { code?: string; message?: string; hint?: string } }).error ?? {};
    const error = new ApiError(
      response.status,
      e.code ?? "error",
      e.message ?? `the hub answered ${response.status}`,
      e.hint ?? "",
    );
    if (response.status === 401 || (response.status === 403 && e.code === "forbidden" && path === "/session"))
      onUnauthorized(error);
    throw error;
  }
  return json as T;
}

export const get = <T>(path: string) => api<T>("GET", path);
export const post = <T>(path: string, body: unknown = {}) => api<T>("POST", path, body);
