import { describe, expect, it } from 'vitest';
import {
  backoffDelayMs,
  isPermanentGraphErrorCode,
  isTransientFailure,
  TRANSIENT_GRAPH_ERROR_CODES,
} from '../../src/subscriptions/graph-retry.policy.js';

const POLICY = { attempts: 5, baseDelayMs: 500, maxDelayMs: 10_000, maxWaitMs: 60_000 };

describe('Graph API retry policy', () => {
  it.each([1, 2, 4, 17, 32, 341, 613, 80007, 80008, 130429])(
    'classifies code %i as transient whatever the HTTP status',
    (code) => {
      expect(TRANSIENT_GRAPH_ERROR_CODES.has(code)).toBe(true);
      expect(isTransientFailure({ httpStatus: 400, code })).toBe(true);
    },
  );

  it.each([0, 3, 10, 33, 100, 102, 190, 200, 250, 299, 368, 803, 2200])(
    'classifies code %i as permanent, even with a 5xx',
    (code) => {
      expect(isPermanentGraphErrorCode(code)).toBe(true);
      expect(isTransientFailure({ httpStatus: 500, code })).toBe(false);
    },
  );

  it('lets is_transient decide for other codes', () => {
    expect(isTransientFailure({ httpStatus: 400, code: 131999, isTransient: true })).toBe(true);
    expect(isTransientFailure({ httpStatus: 500, code: 131999, isTransient: false })).toBe(false);
    // A throttling code stays transient even if is_transient says otherwise.
    expect(isTransientFailure({ httpStatus: 400, code: 80008, isTransient: false })).toBe(true);
  });

  it('falls back to the HTTP status for unknown codes and bodies without a Graph error', () => {
    expect(isTransientFailure({ httpStatus: 500 })).toBe(true);
    expect(isTransientFailure({ httpStatus: 503, code: 999 })).toBe(true);
    expect(isTransientFailure({ httpStatus: 429 })).toBe(true);
    expect(isTransientFailure({ httpStatus: 400, code: 999 })).toBe(false);
    expect(isTransientFailure({ httpStatus: 404 })).toBe(false);
  });

  it('treats a failure without an HTTP status (network error, timeout) as transient', () => {
    expect(isTransientFailure({})).toBe(true);
  });

  it('backs off exponentially up to maxDelayMs with full jitter', () => {
    const top = (retry: number) => backoffDelayMs(retry, POLICY, () => 1);
    expect([1, 2, 3, 4, 5, 6, 7].map(top)).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000]);
    expect(backoffDelayMs(3, POLICY, () => 0)).toBe(0);
    expect(backoffDelayMs(3, POLICY, () => 0.5)).toBe(1000);
    for (let i = 0; i < 200; i++) {
      const retry = 1 + (i % 8);
      const delay = backoffDelayMs(retry, POLICY);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(Math.min(10_000, 500 * 2 ** (retry - 1)));
    }
  });

  it('never backs off with baseDelayMs 0', () => {
    expect(backoffDelayMs(4, { ...POLICY, baseDelayMs: 0 }, () => 1)).toBe(0);
  });
});
