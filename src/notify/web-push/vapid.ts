import { createPrivateKey, generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BATON_DIR } from "../../workspace/config-file.js";

/**
 * The hub's VAPID identity (RFC 8292): one P-256 key pair, made the first time
 * push is needed and kept in `.baton/vapid.json` (mode 0600, never committed).
 * Browsers bind each subscription to its public key, so the file must outlive
 * restarts: a new key would orphan every subscription.
 */
export const VAPID_FILE = "vapid.json";

export interface VapidKeys {
  /** The uncompressed public key (65 bytes), base64url: the page's `applicationServerKey` and the `k=` of each push. */
  publicKey: string;
  privateKey: KeyObject;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString("base64url");

function fromJwk(jwk: { x: string; y: string; d: string }): VapidKeys {
  const privateKey = createPrivateKey({ key: { kty: "EC", crv: "P-256", ...jwk }, format: "jwk" });
  const raw = Buffer.concat([Buffer.of(4), Buffer.from(jwk.x, "base64url"), Buffer.from(jwk.y, "base64url")]);
  return { publicKey: b64url(raw), privateKey };
}

/** The hub's keys, made and written on first need. */
export function loadVapidKeys(root: string): VapidKeys {
  const dir = join(root, BATON_DIR);
  const path = join(dir, VAPID_FILE);
  keepOutOfGit(dir);
  if (!existsSync(path)) {
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
    const jwk = privateKey.export({ format: "jwk" });
    const text = `${JSON.stringify({ created: new Date().toISOString(), x: jwk.x, y: jwk.y, d: jwk.d })}\n`;
    try {
      // `wx`: two processes making the file at once keep the first one's keys.
      writeFileSync(path, text, { mode: 0o600, flag: "wx" });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  const stored = JSON.parse(readFileSync(path, "utf8")) as { x: string; y: string; d: string };
  return fromJwk(stored);
}

/**
 * Makes sure `.baton/.gitignore` ignores the key file before the file exists:
 * a workspace made before push existed has a .gitignore without the line, and
 * a private key must never reach a commit.
 */
function keepOutOfGit(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const ignore = join(dir, ".gitignore");
  const text = existsSync(ignore) ? readFileSync(ignore, "utf8") : "";
  if (text.split(/\r?\n/).some((line) => line.trim() === VAPID_FILE || line.trim() === `/${VAPID_FILE}`))
    return;
  const lead = text === "" || text.endsWith("\n") ? "" : "\n";
  appendFileSync(ignore, `${lead}# The hub's Web Push (VAPID) private key.\n${VAPID_FILE}\n`);
}

/**
 * The `Authorization` header of a push to `endpoint` (RFC 8292 §2-3): an ES256
 * JWT for the push service's origin, valid 12 hours (at most 24 are allowed),
 * naming who to contact, and our public key.
 */
export function vapidAuthorization(keys: VapidKeys, endpoint: string, subject: string, now: number): string {
  const header = b64url(JSON.stringify({ typ: "JWT", alg: "ES256" }));
  const claims = b64url(
    JSON.stringify({ aud: new URL(endpoint).origin, exp: Math.floor(now / 1000) + 12 * 3600, sub: subject }),
  );
  const input = `${header}.${claims}`;
  // JWS wants the raw r||s signature (64 bytes), not DER.
  const signature = sign("sha256", Buffer.from(input), { key: keys.privateKey, dsaEncoding: "ieee-p1363" });
  return `vapid t=${input}.${b64url(signature)}, k=${keys.publicKey}`;
}
