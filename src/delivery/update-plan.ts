import type { ReceivedChange } from '../events/waba-dispatch.types.js';
import {
  defaultDedupKey,
  defaultItemKey,
  type WabaDedupKeyFunction,
  type WabaUpdateKind,
} from './dedup-key.js';

/** The item arrays delivered and deduplicated one item at a time, per field. */
const ITEM_LISTS: Readonly<
  Record<string, readonly (readonly [list: string, kind: WabaUpdateKind])[]>
> = {
  messages: [
    ['messages', 'message'],
    ['statuses', 'status'],
  ],
  calls: [
    ['calls', 'call'],
    ['statuses', 'call_status'],
  ],
};

/** The names of each field's item arrays. */
const ITEM_LIST_NAMES: Readonly<Record<string, ReadonlySet<string>>> = Object.fromEntries(
  Object.entries(ITEM_LISTS).map(([field, lists]) => [field, new Set(lists.map(([list]) => list))]),
);

/** Keys of an item change's value that describe its items rather than add content of their own. */
const ITEM_CONTEXT = new Set(['messaging_product', 'metadata', 'contacts']);

/** One item of a change, with its key. */
export interface PlannedItem {
  readonly list: string;
  readonly item: Record<string, unknown>;
  readonly key: string;
}

/** A change broken into what is deduplicated (and, in queue mode, delivered) separately. */
export interface ChangePlan {
  readonly change: ReceivedChange;
  readonly items: readonly PlannedItem[];
  /** Key of the change's own content: set when it has no items, or content beside them. */
  readonly restKey?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Breaks a validated change into keyed updates. */
export function planChange(change: ReceivedChange, keyOf: WabaDedupKeyFunction): ChangePlan {
  const { field, entryId, time, value } = change;
  // hasOwn: a field named like an Object.prototype member must not pick it up.
  const lists = change.errors || !Object.hasOwn(ITEM_LISTS, field) ? undefined : ITEM_LISTS[field];
  if (!lists || !isRecord(value)) {
    return { change, items: [], restKey: keyOf({ kind: 'change', field, entryId, time, value }) };
  }
  const items: PlannedItem[] = [];
  const listNames = ITEM_LIST_NAMES[field]!;
  // The default key is built from the item's parts directly: no input object per item.
  const byDefault = keyOf === defaultDedupKey;
  for (const [list, kind] of lists) {
    const array = value[list];
    if (!Array.isArray(array)) continue;
    for (const item of array as Record<string, unknown>[]) {
      const key = byDefault
        ? defaultItemKey(kind, field, item)!
        : keyOf({ kind, field, entryId, time, item });
      items.push({ list, item, key });
    }
  }
  let rest: Record<string, unknown> | undefined;
  for (const key of Object.keys(value)) {
    if (listNames.has(key) || ITEM_CONTEXT.has(key) || value[key] === undefined) continue;
    (rest ??= {})[key] = value[key];
  }
  if (items.length === 0) {
    return { change, items, restKey: keyOf({ kind: 'change', field, entryId, time, value }) };
  }
  return rest
    ? { change, items, restKey: keyOf({ kind: 'change', field, entryId, time, value: rest }) }
    : { change, items };
}

/** Appends every key of a plan to `keys`. */
export function pushPlanKeys(plan: ChangePlan, keys: string[]): void {
  for (let i = 0; i < plan.items.length; i++) keys.push(plan.items[i]!.key);
  if (plan.restKey !== undefined) keys.push(plan.restKey);
}

/**
 * The change narrowed to what is new: items whose key is new, and the rest of the value when
 * its key is new. `undefined` when nothing is.
 */
export function narrowToNew(
  plan: ChangePlan,
  isNew: (key: string) => boolean,
): ReceivedChange | undefined {
  const restNew = plan.restKey !== undefined && isNew(plan.restKey);
  if (plan.items.length === 0) return restNew ? plan.change : undefined;
  const fresh = plan.items.filter((i) => isNew(i.key));
  if (fresh.length === plan.items.length && (restNew || plan.restKey === undefined))
    return plan.change;
  if (fresh.length === 0 && !restNew) return undefined;
  return { ...plan.change, value: narrowValue(plan, fresh, restNew) };
}

function narrowValue(
  plan: ChangePlan,
  items: readonly PlannedItem[],
  keepRest: boolean,
): Record<string, unknown> {
  const value = plan.change.value as Record<string, unknown>;
  const narrowed: Record<string, unknown> = {};
  const lists = new Set(plan.items.map((i) => i.list));
  for (const key of Object.keys(value)) {
    if (lists.has(key)) {
      const kept = items.filter((i) => i.list === key).map((i) => i.item);
      if (kept.length > 0) narrowed[key] = kept;
    } else if (ITEM_CONTEXT.has(key) || keepRest) {
      narrowed[key] = value[key];
    }
  }
  return narrowed;
}

/** One change per item (plus one for the rest), as delivered by the queue. */
export function splitIntoUpdates(plan: ChangePlan): { key: string; change: ReceivedChange }[] {
  if (plan.items.length === 0) return [{ key: plan.restKey!, change: plan.change }];
  const updates = plan.items.map((item) => ({
    key: item.key,
    change: { ...plan.change, value: narrowValue(plan, [item], false) },
  }));
  if (plan.restKey !== undefined) {
    updates.push({
      key: plan.restKey,
      change: { ...plan.change, value: narrowValue(plan, [], true) },
    });
  }
  return updates;
}
