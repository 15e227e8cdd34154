import type { GraphApiRetryOptions } from './subscription.types.js';

/**
 * Graph error codes retried with backoff: temporary downtime (1, 2), request limits (4, 17, 32,
 * 341, 613), Business Use Case limits (80000–80009, 80014), Cloud API throughput and service
 * errors (130429, 131000, 131016, 131056). protocol.md §14.3 and §15.1.
 *
 * @internal
 */
export const TRANSIENT_GRAPH_ERROR_CODES: ReadonlySet<number> = new Set([
  1, 2, 4, 17, 32, 341, 613, 80000, 80001, 80002, 80003, 80004, 80005, 80006, 80007, 80008, 80009,
  80014, 130429, 131000, 131016, 131056,
]);

/**
 * Graph error codes never retried, whatever the HTTP status: authentication (0, 102, 190),
 * method and permissions (3, 10, 200–299), deleted or unknown objects (33, 803), invalid
 * parameters (100), policy blocks (368) and failed callback verification (2200).
 *
 * @internal
 */
export function isPermanentGraphErrorCode(code: number): boolean {
  return (
    [0, 3, 10, 33, 100, 102, 190, 368, 803, 2200].includes(code) || (code >= 200 && code <= 299)
  );
}

/** What a failed attempt is classified from. @internal */
export interface FailureFacts {
  /** HTTP status, absent for network errors and timeouts. */
  readonly httpStatus?: number;
  /** `error.code` of the Graph error body. */
  readonly code?: number;
  /** `error.is_transient` of the Graph error body. */
  readonly isTransient?: boolean;
}

/**
 * Whether a failed attempt may succeed if repeated. Classified by Graph error code and
 * `is_transient` first (Meta: "build your app's error handling around error codes"), then by
 * HTTP status (429 and 5xx transient); no HTTP status at all (network error, timeout) is
 * transient.
 *
 * @internal
 */
export function isTransientFailure(facts: FailureFacts): boolean {
  const { httpStatus, code, isTransient } = facts;
  if (isTransient === true) return true;
  if (code !== undefined && TRANSIENT_GRAPH_ERROR_CODES.has(code)) return true;
  if (isTransient === false) return false;
  if (code !== undefined && isPermanentGraphErrorCode(code)) return false;
  if (httpStatus === undefined) return true;
  return httpStatus === 429 || httpStatus >= 500;
}

/**
 * Backoff before retry number `retry` (1 for the first retry): exponential with full jitter, a
 * uniformly random delay in `[0, min(maxDelayMs, baseDelayMs × 2^(retry−1))]`.
 *
 * @internal
 */
export function backoffDelayMs(
  retry: number,
  policy: Readonly<Required<Pick<GraphApiRetryOptions, 'baseDelayMs' | 'maxDelayMs'>>>,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.round(Math.min(1, Math.max(0, random())) * ceiling);
}
