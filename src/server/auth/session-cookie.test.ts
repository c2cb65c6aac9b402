import { describe, expect, it } from "vitest";
import { clearedSessionCookie, deviceNameFrom, readSessionCookie, sessionCookie } from "./session-cookie.js";

describe("the session cookie", () => {
  it("is HttpOnly, SameSite=Strict, for the whole hub, and Secure only over TLS", () => {
    expect(sessionCookie("bs_x", { secure: false })).toBe(
      "baton_session=bs_x; HttpOnly; SameSite=Strict; Path=/",
    );
    expect(sessionCookie("bs_x", { secure: true })).toBe(
      "baton_session=bs_x; HttpOnly; SameSite=Strict; Path=/; Secure",
    );
    expect(clearedSessionCookie({ secure: false })).toMatch(/^baton_session=; .*Max-Age=0/);
  });

  it("is read from among other cookies, and not from one whose name only ends the same", () => {
    expect(readSessionCookie("theme=dark; baton_session=bs_abc; lang=en")).toBe("bs_abc");
    expect(readSessionCookie("xbaton_session=bs_abc")).toBeUndefined();
    expect(readSessionCookie("baton_session=")).toBeUndefined();
    expect(readSessionCookie(undefined)).toBeUndefined();
  });

  it("names a device from its user agent, and keeps control characters out of the name", () => {
    const phone =
      "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36";
    expect(deviceNameFrom(phone)).toBe("Chrome on Android");
    expect(deviceNameFrom("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0")).toBe(
      "Firefox on Linux",
    );
    expect(deviceNameFrom("curl/8.5\u001b[2J")).not.toContain("\u001b");
    expect(deviceNameFrom(undefined)).toBe("a browser");
    expect(deviceNameFrom("x".repeat(500)).length).toBeLessThanOrEqual(80);
  });
});
