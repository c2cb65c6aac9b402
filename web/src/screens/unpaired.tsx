import { useEffect, useState } from "preact/hooks";
import { type ApiError, post } from "../api";

interface Props {
  /** Opened from a pairing link: redeem its token, then open the inbox. */
  pairing?: boolean;
  error?: ApiError;
}

/**
 * The only screen an unpaired browser sees. A pairing link carries its
 * one-time token in the fragment (never sent to a server, so a chat app's link
 * preview cannot spend it); this screen posts it once and drops it from the
 * address bar.
 */
export function Unpaired({ pairing, error }: Props) {
  const [status, setStatus] = useState<{ text: string; hint?: string } | undefined>(
    pairing ? { text: "Pairing this device…" } : undefined,
  );
  useEffect(() => {
    if (!pairing) return;
    const token = location.hash.slice(1);
    history.replaceState(null, "", "/pair");
    if (!token) {
      setStatus({
        text: "This link has no pairing token.",
        hint: "ask for a new one: baton pair --human NAME",
      });
      return;
    }
    // Paired, the app starts afresh at the inbox: the page's early reads (made before the
    // cookie existed, and refused) must not stand for the session.
    post("/pair", { token })
      .then(() => location.replace("/inbox"))
      .catch((e: ApiError) => setStatus({ text: e.message, hint: e.hint }));
  }, []);

  return (
    <main class="unpaired" id="main">
      <h1>{pairing ? "Pair this device" : "This device is not paired"}</h1>
      {status ? (
        <p role="status">
          {status.text}
          {status.hint ? <span class="hint"> {status.hint}</span> : null}
        </p>
      ) : (
        <>
          {error && error.status !== 401 ? <p role="alert">{error.message}</p> : null}
          <p>
            Nothing here works until this browser is paired with the hub. On the machine where the team runs,
            <code> baton serve</code> prints a one-time link and a QR code;{" "}
            <code>baton pair --human NAME</code> makes another. Open it here (or scan it with the phone's
            camera).
          </p>
          <p class="hint">A paired device stays paired until it is revoked: baton devices revoke ID.</p>
        </>
      )}
    </main>
  );
}
