import { createCipheriv, createECDH, hkdfSync, randomBytes } from "node:crypto";

/**
 * Web Push message encryption (RFC 8291): the `aes128gcm` content coding of
 * RFC 8188 with keys from an ECDH P-256 agreement between a fresh key of ours
 * and the browser's subscription key (`p256dh`), mixed with its `auth` secret.
 * Only the browser that made the subscription can read the payload; the push
 * service in between sees an opaque body.
 */

/** One record of up to 4096 bytes: a notification's JSON is far smaller, and push services cap bodies near 4 KB. */
const RECORD_SIZE = 4096;
/** What fits in the one record: the record minus the AES-GCM tag (16) and the padding delimiter (1). */
export const MAX_PLAINTEXT_BYTES = RECORD_SIZE - 17 - 86;

export interface PushKeys {
  /** The browser's P-256 public key, uncompressed (65 bytes): the subscription's `p256dh`. */
  p256dh: Buffer;
  /** The browser's 16-byte authentication secret: the subscription's `auth`. */
  auth: Buffer;
}

/** Fixed inputs, for the RFC's test vector only: a real message uses a fresh key and salt every time. */
export interface FixedInputs {
  senderPrivateKey: Buffer;
  salt: Buffer;
}

const label = (text: string, ...parts: Buffer[]) => Buffer.concat([Buffer.from(`${text}\0`), ...parts]);

/** The encrypted body: salt, record size, our public key, then the one record. */
export function encryptPushPayload(plaintext: Buffer, keys: PushKeys, fixed?: FixedInputs): Buffer {
  if (keys.p256dh.length !== 65 || keys.p256dh[0] !== 4)
    throw new Error("p256dh must be an uncompressed P-256 public key (65 bytes)");
  if (keys.auth.length !== 16) throw new Error("auth must be 16 bytes");
  if (plaintext.length > MAX_PLAINTEXT_BYTES)
    throw new Error(`a push payload holds at most ${MAX_PLAINTEXT_BYTES} bytes`);
  const ecdh = createECDH("prime256v1");
  if (fixed) ecdh.setPrivateKey(fixed.senderPrivateKey);
  else ecdh.generateKeys();
  const senderPublic = ecdh.getPublicKey();
  const shared = ecdh.computeSecret(keys.p256dh);
  const salt = fixed?.salt ?? randomBytes(16);
  // §3.3: the auth secret and both public keys bind the key to this subscription and this message.
  const ikm = Buffer.from(
    hkdfSync("sha256", shared, keys.auth, label("WebPush: info", keys.p256dh, senderPublic), 32),
  );
  const cek = Buffer.from(hkdfSync("sha256", ikm, salt, label("Content-Encoding: aes128gcm"), 16));
  const nonce = Buffer.from(hkdfSync("sha256", ikm, salt, label("Content-Encoding: nonce"), 12));
  const cipher = createCipheriv("aes-128-gcm", cek, nonce);
  // 0x02 ends the last (only) record; no further padding.
  const sealed = Buffer.concat([cipher.update(plaintext), cipher.update(Buffer.of(2)), cipher.final()]);
  const header = Buffer.alloc(21);
  salt.copy(header, 0);
  header.writeUInt32BE(RECORD_SIZE, 16);
  header.writeUInt8(senderPublic.length, 20);
  return Buffer.concat([header, senderPublic, sealed, cipher.getAuthTag()]);
}
