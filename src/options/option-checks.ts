import { messages } from '../whatsapp-webhooks.messages.js';

/**
 * The checks every folder's option resolver shares, so that a bad option fails the bootstrap
 * with the same one-line message naming it, whichever concern it belongs to.
 *
 * @internal
 */
export function invalidOption(name: string, problem: string): Error {
  return new Error(messages.invalidOption(name, problem));
}

/** A string or a non-empty array of non-empty strings, deduplicated and frozen. */
export function nonEmptyStrings(name: string, value: unknown): readonly string[] {
  const list: unknown = typeof value === 'string' ? [value] : value;
  if (
    !Array.isArray(list) ||
    list.length === 0 ||
    list.some((item) => typeof item !== 'string' || item.length === 0)
  ) {
    throw invalidOption(
      name,
      'must be a non-empty string or a non-empty array of non-empty strings',
    );
  }
  return Object.freeze([...new Set(list as string[])]);
}

/** A set of ids, or `undefined` when the option is absent. */
export function optionalIdSet(name: string, value: unknown): ReadonlySet<string> | undefined {
  return value === undefined ? undefined : new Set(nonEmptyStrings(name, value));
}

/** One of the allowed literals, or the fallback when absent. */
export function oneOf<T extends string>(
  name: string,
  value: T | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value)) {
    throw invalidOption(name, `must be one of ${allowed.map((a) => `'${a}'`).join(', ')}`);
  }
  return value;
}

/** An integer ≥ 1, or the fallback when absent. */
export function positiveInteger(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw invalidOption(name, `must be a positive integer, got ${String(value)}`);
  }
  return value;
}

/** A safe integer ≥ `min`, or the fallback when absent. */
export function wholeNumber(name: string, value: unknown, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw invalidOption(name, `must be a whole number ≥ ${min}`);
  }
  return value;
}
