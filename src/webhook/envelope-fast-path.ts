/**
 * The payload pipe's fast path for the bodies Meta sends: one pass over the parsed JSON that
 * says "nothing unsafe here" and one that reads the envelope, both allocating nothing beyond
 * the changes they return. Each only ever answers for a body the full checks (the pipe's
 * `unsafeShape` walk and {@link WebhookEnvelopeDto}) accept as well; anything else — a body
 * with a problem, or one these functions are not sure about — goes through the full checks,
 * which name the problem. The equivalence is tested against the full checks
 * (test/unit/envelope-fast-path.spec.ts).
 *
 * @internal
 */

/** One change of an envelope, as read: the value still as parsed. */
export interface EnvelopeChange {
  readonly field: string;
  readonly entryId: string;
  readonly time: number | undefined;
  readonly value: unknown;
}

/**
 * Whether no object under `node` (itself included) at depth ≤ `maxDepth` has an own
 * `__proto__` or `constructor` key, and nothing is nested deeper than `maxDepth`. `false` means
 * "run the full walk", which names the problem.
 */
export function isSafeShape(node: object, depth: number, maxDepth: number): boolean {
  if (depth > maxDepth) return false;
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      const child: unknown = node[i];
      if (typeof child === 'object' && child !== null && !isSafeShape(child, depth + 1, maxDepth))
        return false;
    }
    return true;
  }
  // for…in visits own enumerable keys (JSON.parse makes "__proto__" one) without an array of them.
  for (const key in node) {
    if (key === '__proto__' || key === 'constructor') return false;
    const child: unknown = (node as Record<string, unknown>)[key];
    if (typeof child === 'object' && child !== null && !isSafeShape(child, depth + 1, maxDepth))
      return false;
  }
  return true;
}

/** A JSON object: not `null`, not an array. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The changes of an envelope that passes every check of `WebhookEnvelopeDto` (`object` is
 * `whatsapp_business_account`; `entry` an array of objects with a string `id`, an optional
 * integer `time` and a `changes` array of objects with a string `field` and a `value`), in
 * order; `undefined` for any other body.
 */
export function readEnvelope(body: unknown, object: string): EnvelopeChange[] | undefined {
  if (!isPlainObject(body) || body['object'] !== object) return undefined;
  const entries = body['entry'];
  if (!Array.isArray(entries)) return undefined;
  const changes: EnvelopeChange[] = [];
  for (let i = 0; i < entries.length; i++) {
    const entry: unknown = entries[i];
    if (!isPlainObject(entry)) return undefined;
    const entryId = entry['id'];
    const time = entry['time'];
    const list = entry['changes'];
    if (typeof entryId !== 'string' || !Array.isArray(list)) return undefined;
    // @IsOptional() @IsInt(): null passes as absent; the full path keeps it as received.
    if (time !== undefined && time !== null && !Number.isInteger(time)) return undefined;
    for (let j = 0; j < list.length; j++) {
      const change: unknown = list[j];
      if (!isPlainObject(change)) return undefined;
      const field = change['field'];
      const value = change['value'];
      if (typeof field !== 'string' || value === undefined) return undefined;
      changes.push({ field, entryId, time: time as number | undefined, value });
    }
  }
  return changes;
}
