/**
 * The dispatch model: what a verified, validated webhook becomes on its way from the payload
 * pipe through delivery to the dispatcher. Every step shares these types; none owns them.
 */

/** One `entry[] × changes[]` item after validation. */
export interface ReceivedChange {
  readonly field: string;
  readonly entryId: string;
  readonly time?: number;
  /** The validated value (DTO instance) — or, when `errors` is set, the value as received. */
  readonly value: unknown;
  /** Present when the value of a known field failed its DTO. */
  readonly errors?: readonly string[];
}

/** A verified, validated webhook request, ready to deliver. */
export interface ReceivedWebhook {
  readonly changes: readonly ReceivedChange[];
  /** Name of the app whose secret verified the request (named `apps` only). */
  readonly app?: string;
}

/**
 * One update: what is deduplicated and, in queue mode, queued and retried on its own — an item
 * of a `messages`/`calls` change (narrowed to it), or a whole change of another field.
 */
export interface WabaUpdate {
  /** The update's deduplication key (job id in queue mode: a hash of it). */
  readonly key: string;
  readonly change: ReceivedChange;
  /** The named app whose secret verified the request, if any. */
  readonly app?: string;
  /** `'onboarding'`: subscribe to the WABA of this `PARTNER_ADDED` change (no listeners run). */
  readonly task?: 'onboarding';
}
