/**
 * What the module must answer, computed independently of it: the README's HTTP behaviour table
 * turned into functions the fuzz properties compare the real answers with.
 */

/** The body limit the fuzz apps are created with (`useBodyParser('json', { limit })`). */
export const BODY_LIMIT = '1mb';
export const BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * Deepest JSON nesting the module accepts (the envelope object is level 1, also as an item of an
 * array body, which may therefore be one level deeper).
 */
export const MAX_NESTING = 128;

/** Keys the module answers 400 to, wherever they are: they would subvert class-transformer. */
const FORBIDDEN_KEYS = ['__proto__', 'constructor'];

export type SignedOutcome =
  | { readonly status: 200; readonly changes: number; readonly starChanges: number }
  | { readonly status: 400 | 413 };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Why a parsed JSON tree must be refused whatever its shape: an own forbidden key, or nesting
 * deeper than {@link MAX_NESTING}. Iterative, so that it copes with any depth `JSON.parse` does.
 */
export function unsafeTreeReason(root: unknown): string | undefined {
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth > MAX_NESTING) return `nested deeper than ${MAX_NESTING}`;
    if (!Array.isArray(node)) {
      const key = FORBIDDEN_KEYS.find((name) => Object.hasOwn(node, name));
      if (key) return `own "${key}" key`;
    }
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return undefined;
}

/**
 * The number of `entry[] × changes[]` items of a body the module must acknowledge with 200, or
 * `undefined` when it must answer 400. The body is one envelope, or a non-empty array whose
 * every item is one (Meta's own docs show an example payload wrapped in an array); the counts
 * of an array body are the sums over its items.
 */
export function countEnvelopeChanges(
  body: unknown,
): { changes: number; starChanges: number } | undefined {
  if (!Array.isArray(body)) return countChangesOfEnvelope(body);
  if (body.length === 0) return undefined;
  let changes = 0;
  let starChanges = 0;
  for (const item of body as unknown[]) {
    const counted = countChangesOfEnvelope(item);
    if (!counted) return undefined;
    changes += counted.changes;
    starChanges += counted.starChanges;
  }
  return { changes, starChanges };
}

/**
 * {@link countEnvelopeChanges} of one envelope: `object` is `whatsapp_business_account`, `entry`
 * an array of objects with a string `id`, an integer (or absent) `time` and a `changes` array of
 * objects with a string `field` and a non-null `value`; no forbidden key and no excessive
 * nesting (counted from the envelope).
 */
function countChangesOfEnvelope(
  body: unknown,
): { changes: number; starChanges: number } | undefined {
  if (!isPlainObject(body) || unsafeTreeReason(body) !== undefined) return undefined;
  if (body.object !== 'whatsapp_business_account' || !Array.isArray(body.entry)) return undefined;
  let changes = 0;
  let starChanges = 0;
  for (const entry of body.entry as unknown[]) {
    if (!isPlainObject(entry) || typeof entry.id !== 'string') return undefined;
    if (entry.time !== undefined && entry.time !== null && !Number.isInteger(entry.time)) {
      return undefined;
    }
    if (!Array.isArray(entry.changes)) return undefined;
    for (const change of entry.changes as unknown[]) {
      if (!isPlainObject(change) || typeof change.field !== 'string') return undefined;
      if (change.value === undefined || change.value === null) return undefined;
      changes++;
      if (change.field === '*') starChanges++;
    }
  }
  return { changes, starChanges };
}

/** Decodes a JSON request body as body-parser does (UTF-8, a leading BOM dropped); `{}` when empty. */
export function parseBodyLikeExpress(bytes: Buffer): { ok: true; value: unknown } | { ok: false } {
  let text = bytes.toString('utf8');
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  if (text.length === 0) return { ok: true, value: {} };
  const first = /[^\x20\t\n\r]/.exec(text)?.[0];
  if (first !== '{' && first !== '[') return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** The answer to a correctly signed POST with a JSON content type and no content encoding. */
export function expectedForSignedJson(bytes: Buffer): SignedOutcome {
  if (bytes.length > BODY_LIMIT_BYTES) return { status: 413 };
  const parsed = parseBodyLikeExpress(bytes);
  if (!parsed.ok) return { status: 400 };
  const counted = countEnvelopeChanges(parsed.value);
  return counted ? { status: 200, ...counted } : { status: 400 };
}

/**
 * The answer to a POST whose signature is not valid, with a JSON content type and no content
 * encoding: refused by the body parser (413, 400) or else by the signature guard (401).
 */
export function expectedForUnsignedJson(bytes: Buffer): 400 | 401 | 413 {
  if (bytes.length > BODY_LIMIT_BYTES) return 413;
  return parseBodyLikeExpress(bytes).ok ? 401 : 400;
}

const PROTOTYPES: Record<string, object> = {
  Object: Object.prototype,
  Array: Array.prototype,
  Function: Function.prototype,
  String: String.prototype,
  Number: Number.prototype,
  Boolean: Boolean.prototype,
};

function ownKeys(target: object): string[] {
  return Reflect.ownKeys(target)
    .map((key) => String(key))
    .sort();
}

const BASELINE = Object.fromEntries(
  Object.entries(PROTOTYPES).map(([name, proto]) => [name, ownKeys(proto)]),
);

/** Every sign of prototype pollution since this module was loaded; empty when there is none. */
export function prototypePollution(): string[] {
  const findings: string[] = [];
  for (const [name, proto] of Object.entries(PROTOTYPES)) {
    const now = ownKeys(proto);
    const added = now.filter((key) => !BASELINE[name]!.includes(key));
    const removed = BASELINE[name]!.filter((key) => !now.includes(key));
    if (added.length > 0) findings.push(`${name}.prototype gained ${added.join(', ')}`);
    if (removed.length > 0) findings.push(`${name}.prototype lost ${removed.join(', ')}`);
  }
  const probes = { '{}': {}, '[]': [], '""': '', '0': 0 } as Record<string, unknown>;
  for (const [label, probe] of Object.entries(probes)) {
    const polluted = (Object(probe) as { polluted?: unknown }).polluted;
    if (polluted !== undefined) findings.push(`(${label}).polluted is ${String(polluted)}`);
  }
  if (Object.getPrototypeOf({}) !== Object.prototype) findings.push('{} has another prototype');
  return findings;
}
