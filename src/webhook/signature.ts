import { createHmac, createSecretKey, type KeyObject, timingSafeEqual } from 'node:crypto';

/** Prefix of the `X-Hub-Signature-256` header value. */
export const SIGNATURE_PREFIX = 'sha256=';

/** `sha256=` and 64 hex digits. */
const SIGNATURE_LENGTH = SIGNATURE_PREFIX.length + 64;

/**
 * Computes the `X-Hub-Signature-256` header value Meta sends: `sha256=` + the lowercase hex
 * HMAC-SHA256 of the exact request bytes, keyed with the App Secret.
 */
export function computeSignature(rawBody: Buffer | string, appSecret: string): string {
  return SIGNATURE_PREFIX + createHmac('sha256', appSecret).update(rawBody).digest('hex');
}

/**
 * Parses an `X-Hub-Signature-256` header: `sha256=` followed by exactly 64 hex digits.
 *
 * @param into the 32-byte buffer to decode the digest into: one the caller reuses, so that no
 * buffer is allocated per request. A new one by default.
 * @returns the 32 digest bytes (`into`, when given), or `undefined` when the header is missing
 * or malformed (a repeated header, which Node joins with a comma, is malformed).
 */
export function parseSignatureHeader(
  header: string | string[] | undefined,
  into: Buffer = Buffer.allocUnsafe(32),
): Buffer | undefined {
  if (
    typeof header !== 'string' ||
    header.length !== SIGNATURE_LENGTH ||
    !header.startsWith(SIGNATURE_PREFIX)
  ) {
    return undefined;
  }
  // Node's hex decoding stops at the first pair that is not two hex digits: 32 bytes from
  // 64 characters means every one of them was a hex digit.
  const written = into.write(header.slice(SIGNATURE_PREFIX.length), 0, 32, 'hex');
  return written === 32 ? into : undefined;
}

/**
 * The app secrets as HMAC keys, made once (a string key is converted into a key object by
 * every `createHmac` call). A string secret is keyed by its UTF-8 bytes, as `createHmac` does.
 */
export function signatureKeys(appSecrets: readonly string[]): readonly KeyObject[] {
  return appSecrets.map((secret) => createSecretKey(Buffer.from(secret, 'utf8')));
}

/**
 * Checks a parsed signature against the raw request bytes. Digests are compared as bytes in
 * constant time; with several secrets (rotation, several apps) the first that matches wins.
 *
 * `appSecrets` may be strings or the keys {@link signatureKeys} made of them.
 *
 * @returns the index in `appSecrets` of the secret that produced the signature, or `-1`.
 */
export function matchSignature(
  rawBody: Buffer,
  provided: Buffer,
  appSecrets: readonly (string | KeyObject)[],
): number {
  for (let i = 0; i < appSecrets.length; i++) {
    const expected = createHmac('sha256', appSecrets[i]!).update(rawBody).digest();
    if (expected.length === provided.length && timingSafeEqual(expected, provided)) return i;
  }
  return -1;
}
