import { createHash } from 'node:crypto';

/** What a deduplication key is derived from. */
export type WabaUpdateKind = 'message' | 'status' | 'call' | 'call_status' | 'change';

/** One update: an item of a `messages`/`calls` change, or a whole change of any other field. */
export interface WabaDedupKeyInput {
  readonly kind: WabaUpdateKind;
  readonly field: string;
  readonly entryId: string;
  /**
   * `entry[].time` (unix seconds) when the entry has one, for every kind. Management fields carry
   * it; the default key uses it for whole changes, where it tells a state that comes back (a
   * template APPROVED again after PAUSED) from a redelivery.
   */
  readonly time?: number;
  /** The `messages[]`, `statuses[]` or `calls[]` item, for item kinds. */
  readonly item?: unknown;
  /**
   * For `change`: the change's value (for `messages`/`calls` changes that also carry items, the
   * value without its item arrays).
   */
  readonly value?: unknown;
}

/** Derives the deduplication key of an update. Must be deterministic across processes. */
export type WabaDedupKeyFunction = (input: WabaDedupKeyInput) => string;

function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  const parts: string[] = [];
  for (const key of keys) {
    const child = (value as Record<string, unknown>)[key];
    if (child !== undefined) parts.push(`${JSON.stringify(key)}:${canonicalJson(child)}`);
  }
  return `{${parts.join(',')}}`;
}

/** SHA-256 (base64url) of a value's canonical JSON: equal for equal values whatever their key order. */
export function stableHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('base64url');
}

function str(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

/**
 * The default keys (protocol.md §7.2), namespaced by field:
 * - inbound message → its `id` (wamid);
 * - message status → `id` + `status` (+ the participant, for group sends that yield one status each);
 * - call → call `id` + `event`; call status → `id` + `status`;
 * - any other change → a hash of field + entry id + `entry.time` (when the entry has one) + the
 *   canonical JSON of the value.
 *
 * `entry.time` is what tells a state that recurs (a template APPROVED → PAUSED → APPROVED, a
 * quality rating back to GREEN, a second PIN change) from Meta's redelivery of the same
 * notification, which repeats its `entry.time`. Item keys (wamid, status, call id) leave it out:
 * an item re-batched into another entry is still the same item.
 */
export const defaultDedupKey: WabaDedupKeyFunction = ({
  kind,
  field,
  entryId,
  time,
  item,
  value,
}) =>
  defaultItemKey(kind, field, (item ?? {}) as Record<string, unknown>) ??
  `${field}:change:${stableHash(time === undefined ? [field, entryId, value] : [field, entryId, time, value])}`;

/**
 * {@link defaultDedupKey} of an item, from its parts (`undefined` for a kind that is not an
 * item's): what the delivery calls for each item when the key function is the default one,
 * without an input object per item. @internal
 */
export function defaultItemKey(
  kind: WabaUpdateKind,
  field: string,
  it: Record<string, unknown>,
): string | undefined {
  switch (kind) {
    case 'message':
      return `${field}:message:${str(it['id'])}`;
    case 'status':
      return `${field}:status:${str(it['id'])}:${str(it['status'])}:${str(it['recipient_participant_id'] ?? it['recipient_participant_user_id'])}`;
    case 'call':
      return `${field}:call:${str(it['id'])}:${str(it['event'])}`;
    case 'call_status':
      return `${field}:call_status:${str(it['id'])}:${str(it['status'])}`;
    default:
      return undefined;
  }
}
