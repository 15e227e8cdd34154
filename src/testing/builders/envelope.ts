import { randomBytes } from 'node:crypto';
import { WABA_FIELD_REGISTRY } from '../../dto/waba-field.registry.js';
import type { OpenString } from '../../types/open-string.js';

/** One `entry[].changes[]` item of a webhook payload. */
export interface WabaWebhookChange<V = unknown> {
  /** The subscribed field, e.g. `messages` or `message_template_status_update`. */
  field: string;
  /** The field's payload; see the field catalogue. */
  value: V;
}

/** One `entry[]` item of a webhook payload: the changes of one WABA (or business portfolio). */
export interface WabaWebhookEntry<V = unknown> {
  /** Normally the WABA ID; the business portfolio ID for `partner_solutions`. */
  id: string;
  /** Unix seconds (JSON integer); present on management fields, absent on messaging fields. */
  time?: number;
  changes: WabaWebhookChange<V>[];
}

/**
 * The body Meta POSTs to the callback URL: `{ object, entry[] }`. A delivery may batch up to
 * 1000 updates across several entries and changes.
 */
export interface WabaWebhookPayload<V = unknown> {
  object: OpenString<'whatsapp_business_account'>;
  entry: WabaWebhookEntry<V>[];
}

/**
 * The obviously fake, stable identifiers the builders use as defaults. Assert against them in
 * tests instead of repeating literals.
 */
export const WABA_TEST_IDS = Object.freeze({
  /** `entry[].id` of every builder except `partner_solutions`. */
  wabaId: '102290129340398',
  /** Business portfolio ID: `entry[].id` of `partner_solutions`, `owner_business_id`… */
  businessId: '104996122399160',
  /** `metadata.phone_number_id` of messaging fields. */
  phoneNumberId: '106540352242922',
  /** `metadata.display_phone_number` of messaging fields. */
  displayPhoneNumber: '15550783881',
  /** The default user's WhatsApp ID (`from`, `contacts[].wa_id`, `recipient_id`). */
  userWaId: '16505551234',
  /** The default user's business-scoped user ID (`from_user_id`, `contacts[].user_id`). */
  userId: 'US.13491208655302741918',
  /** The default user's profile name. */
  userName: 'Kerry Fisher',
  /** `message_template_id` of the template fields (Meta sends it as a JSON number). */
  templateId: 1689556908129832,
  /** `message_template_name` of the template fields. */
  templateName: 'order_confirmation',
  /** `catalog_id` of orders and product enquiries. */
  catalogId: '194836987003835',
});

/** Messaging-type fields, from the field registry: their entry has no `time`. */
const MESSAGING_FIELDS: ReadonlySet<string> = new Set(
  WABA_FIELD_REGISTRY.filter((entry) => entry.messaging).map((entry) => entry.name),
);

/**
 * Whether Meta omits `entry[].time` for this field (messaging-type fields). Management fields,
 * fields whose behaviour is undocumented and unknown fields get a `time`.
 */
export function isMessagingField(field: string): boolean {
  return MESSAGING_FIELDS.has(field);
}

let sequence = 0;

/**
 * Distinguishes this process's IDs from another run's: a store that outlives a test run (a
 * shared Redis deduplication store) must not take a new run's messages for redeliveries.
 */
const RUN = randomBytes(4).toString('hex').toUpperCase();

/** Next value of the module-wide counter that makes builder IDs unique per call. */
export function nextSequence(): number {
  sequence += 1;
  return sequence;
}

/** Current time in unix seconds (integer). */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** Current time in unix seconds as Meta types it inside messages, statuses, calls and groups. */
export function nowTimestamp(): string {
  return String(nowSeconds());
}

/** A unique, wamid-looking message ID: `wamid.HBgL…` with a counter inside. */
export function nextWamid(): string {
  const serial = nextSequence().toString(16).toUpperCase().padStart(16, '0');
  return `wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzRUIw${RUN}${serial}AA==`;
}

/** A unique, wacid-looking call ID. */
export function nextWacid(): string {
  const serial = nextSequence().toString(16).toUpperCase().padStart(16, '0');
  return `wacid.HBgLMTY1MDU1NTEyMzQVAgARGCA${RUN}${serial}AA==`;
}

/** A unique 16-digit numeric ID as a string (media IDs, flow IDs, request IDs…). */
export function nextNumericId(): string {
  return String(1_000_000_000_000_000 + nextSequence());
}

/**
 * Wraps changes in one `entry[]` item. Changes of different fields mix freely: the value type
 * `V` is not inferred from them (it stays `unknown` unless given explicitly).
 *
 * @param changes the `changes[]` of the entry.
 * @param options `id` defaults to {@link WABA_TEST_IDS}`.wabaId`; `time` is omitted unless given.
 * @example webhookEntry([{ field: 'account_review_update', value: { decision: 'APPROVED' } }], { time: 1739321024 })
 */
export function webhookEntry<V = unknown>(
  changes: WabaWebhookChange<NoInfer<V>>[],
  options: { id?: string; time?: number } = {},
): WabaWebhookEntry<V> {
  const id = options.id ?? WABA_TEST_IDS.wabaId;
  // Key order id → time → changes, as Meta serialises it.
  return options.time === undefined ? { id, changes } : { id, time: options.time, changes };
}

/**
 * Wraps entries in a `{ object: 'whatsapp_business_account', entry }` envelope.
 *
 * @example webhookPayload(webhookEntry([{ field: 'security', value: { event: 'PIN_CHANGED' } }]))
 */
export function webhookPayload<V = unknown>(
  ...entries: WabaWebhookEntry<NoInfer<V>>[]
): WabaWebhookPayload<V> {
  return { object: 'whatsapp_business_account', entry: entries };
}

/**
 * One envelope with one entry holding one change — what Meta sends for a single update.
 *
 * `entry.id` defaults to the test WABA ID (the business portfolio ID for `partner_solutions`);
 * `entry.time` defaults to now (unix seconds) for management fields and is absent for
 * messaging-type fields, as Meta does. The value is used as given (no defaults are added).
 *
 * @param field the `changes[].field` name; unknown names are allowed.
 * @param value the `changes[].value`.
 * @param options `entryId` and `time` of the entry; pass `time` to set it on any field.
 * @example
 * const payload = changeWebhook('account_review_update', { decision: 'REJECTED' });
 * // { object: 'whatsapp_business_account',
 * //   entry: [{ id: '102290129340398', time: 1739321024,
 * //             changes: [{ field: 'account_review_update', value: { decision: 'REJECTED' } }] }] }
 */
export function changeWebhook<V = unknown>(
  field: string,
  value: V,
  options: { entryId?: string; time?: number } = {},
): WabaWebhookPayload<V> {
  const id =
    options.entryId ??
    (field === 'partner_solutions' ? WABA_TEST_IDS.businessId : WABA_TEST_IDS.wabaId);
  const time = options.time ?? (isMessagingField(field) ? undefined : nowSeconds());
  return webhookPayload<V>(webhookEntry<V>([{ field, value }], { id, time }));
}

/**
 * Concatenates the entries of several payloads into one envelope, the way Meta batches up to
 * 1000 updates in a single POST. Entries are kept as they are (not merged by `id`).
 *
 * @example
 * const batch = batchWebhooks(textMessageWebhook('one'), statusWebhook('read'), templateStatusWebhook());
 * batch.entry.length; // 3
 */
export function batchWebhooks(...payloads: WabaWebhookPayload[]): WabaWebhookPayload {
  return webhookPayload(...payloads.flatMap((payload) => payload.entry));
}
