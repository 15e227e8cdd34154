import { createHash, timingSafeEqual } from 'node:crypto';

/** The query of Meta's verification GET, flat (`hub.mode`) or nested (`hub: { mode }`). */
export type HandshakeQuery = Record<string, unknown>;

function param(
  query: HandshakeQuery,
  name: 'mode' | 'verify_token' | 'challenge',
): string | undefined {
  const flat = query[`hub.${name}`];
  if (typeof flat === 'string') return flat;
  // Some query parsers (qs with allowDots, PHP-style proxies) turn `hub.mode` into `hub: { mode }`.
  const hub = query['hub'];
  if (typeof hub === 'object' && hub !== null && !Array.isArray(hub)) {
    const nested = (hub as Record<string, unknown>)[name];
    if (typeof nested === 'string') return nested;
  }
  return undefined;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * Answers Meta's verification handshake: `hub.mode=subscribe`, a non-empty `hub.challenge`
 * and a `hub.verify_token` equal to one of the configured tokens. Tokens are compared in
 * constant time over fixed-length digests (so neither content nor length leaks).
 *
 * @returns the challenge to echo back byte for byte, or `undefined` when verification fails.
 */
export function verifyHandshake(
  query: HandshakeQuery,
  verifyTokens: readonly Buffer[],
): string | undefined {
  const mode = param(query, 'mode');
  const token = param(query, 'verify_token');
  const challenge = param(query, 'challenge');
  if (mode !== 'subscribe' || !token || !challenge) return undefined;
  const provided = digest(token);
  let matched = false;
  for (const expected of verifyTokens) matched = timingSafeEqual(provided, expected) || matched;
  return matched ? challenge : undefined;
}

/** Precomputes the digests `verifyHandshake` compares against. */
export function digestVerifyTokens(tokens: readonly string[]): Buffer[] {
  return tokens.map(digest);
}
