import { get } from "./api";

/**
 * The first screen's data, asked for as the script starts and side by side:
 * on a phone every round trip counts (150 ms each on a mobile network), so the
 * session and the inbox do not wait for each other nor for the first render.
 * Each is taken once; later reads go to the hub as usual.
 */
const pairing = location.pathname === "/pair";
const home = location.pathname === "/" || location.pathname.startsWith("/inbox");
// A page opened to pair has no session yet: it asks once paired.
const pending = new Map<string, Promise<unknown>>(pairing ? [] : [["/session", get("/session")]]);
if (home) pending.set("/inbox", get("/inbox"));
for (const promise of pending.values()) promise.catch(() => undefined);

/** The early read of `path`, once; undefined when there was none or it was taken. */
export function takeEarly<T>(path: string): Promise<T> | undefined {
  const promise = pending.get(path) as Promise<T> | undefined;
  pending.delete(path);
  return promise;
}
