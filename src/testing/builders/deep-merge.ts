/**
 * Overrides accepted by the test-kit builders: every key optional at every depth of a plain
 * object. Arrays are not deep-partial — an array in the overrides replaces the default array
 * whole, so it must be given complete.
 *
 * @example
 * const overrides: DeepPartial<WabaMessageStatus> = { pricing: { category: 'marketing' } };
 */
export type DeepPartial<T> = T extends (...args: never[]) => unknown
  ? T
  : T extends readonly unknown[]
    ? T
    : T extends object
      ? { [K in keyof T]?: DeepPartial<T[K]> }
      : T;

/** A plain JSON-like object (not an array, `null`, `Date`, `Buffer`…). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Deep-merges `overrides` over `defaults` and returns a new object; neither input is mutated
 * and the result shares no plain object or array with `defaults`.
 *
 * - plain objects merge key by key, recursively;
 * - arrays, primitives and `null` replace the default value;
 * - a key explicitly set to `undefined` removes the default key (e.g. `{ pricing: undefined }`
 *   for a status without pricing), so the result serialises exactly like Meta's payloads.
 *
 * @example
 * deepMerge({ a: { b: 1, c: [1, 2] } }, { a: { c: [3] } }); // { a: { b: 1, c: [3] } }
 * deepMerge({ a: 1, b: 2 }, { b: undefined });             // { a: 1 }
 */
export function deepMerge<T>(defaults: T, overrides?: DeepPartial<T> | undefined): T {
  return mergeValue(defaults, overrides) as T;
}

function mergeValue(base: unknown, override: unknown): unknown {
  if (override === undefined) return cloneJson(base);
  if (isPlainObject(base) && isPlainObject(override)) {
    const result: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(base)) {
      if (!Object.hasOwn(override, key)) result[key] = cloneJson(value);
    }
    for (const [key, value] of Object.entries(override)) {
      if (value === undefined) continue;
      result[key] = Object.hasOwn(base, key) ? mergeValue(base[key], value) : cloneJson(value);
    }
    return result;
  }
  return cloneJson(override);
}

/** Copies plain objects and arrays recursively so built payloads never share state. */
function cloneJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cloneJson);
  if (isPlainObject(value)) {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (item !== undefined) copy[key] = cloneJson(item);
    }
    return copy;
  }
  return value;
}
