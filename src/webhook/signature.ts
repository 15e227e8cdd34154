import { createHmac, timingSafeEqual } from 'node:crypto';

/** Prefix of the `X-Hub-Signature-256` header value. */
export const SIGNATURE_PREFIX = 'sha256=';

const SIGNATURE_PATTERN = /^sha256=[0-9a-fA-F]{64}$/;

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
 * @returns the 32 digest bytes, or `undefined` when the header is missing or malformed (a
 * repeated header, which Node joins with a comma, is malformed).
 */
export function parseSignatureHeader(header: string | string[] | undefined): Buffer | undefined {
  if (typeof header !== 'string' || !SIGNATURE_PATTERN.test(header)) return undefined;
  return Buffer.from(header.slice(SIGNATURE_PREFIX.length), 'hex');
}

/**
 * Checks a parsed signature against the raw request bytes. Digests are compared as bytes in
 * constant time; with several secrets (rotation, several apps) the first that matches wins.
 *
 * @returns the index in `appSecrets` of the secret that produced the signature, or `-1`.
 */
export function matchSignature(
  rawBody: Buffer,
  provided: Buffer,
  appSecrets: readonly string[],
): number {
  for (let i = 0; i < appSecrets.length; i++) {
    const expected = createHmac('sha256', appSecrets[i]!).update(rawBody).digest();
    if (expected.length === provided.length && timingSafeEqual(expected, provided)) return i;
  }
  return -1;
}
