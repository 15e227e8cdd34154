import type { WabaField, WabaFieldValueMap } from '../dto/waba-field.registry.js';
import type {
  WabaContact,
  WabaInboundMessage,
  WabaInboundMessageType,
  WabaMessageStatus,
  WabaMetadata,
} from '../types/index.js';
import type { SubscribedApp } from '../subscriptions/subscription.types.js';

/** The typed `value` of a field; any other (future) field's value is an open object. */
export type WabaFieldValue<F extends string> = F extends WabaField
  ? WabaFieldValueMap[F]
  : Record<string, unknown>;

/** A change of one field, as delivered to `@OnWaba(field)` listeners. */
export interface WabaFieldChangeEvent<F extends string> {
  /** `entry[].changes[].field`. */
  readonly field: F;
  /** `entry[].id`: the WABA ID for most fields (a business portfolio ID for partner events). */
  readonly entryId: string;
  /** `entry[].time` (unix seconds) when present: management fields carry it, messaging fields do not. */
  readonly time?: number;
  /** `entry[].changes[].value`, validated, with Meta's property names. */
  readonly value: WabaFieldValue<F>;
  /** Name of the app whose secret verified the request, when the module has named `apps`. */
  readonly app?: string;
}

/**
 * The event received by `@OnWaba(field)` listeners.
 *
 * - `WabaChangeEvent<'message_template_status_update'>`: that field's change, typed.
 * - `WabaChangeEvent` (for `@OnWaba('*')`): a union over every documented field plus any
 *   field Meta adds later; narrow it with {@link isWabaChange}.
 *
 * @example
 * \@OnWaba('message_template_status_update')
 * onTemplate(e: WabaChangeEvent<'message_template_status_update'>) {
 *   if (e.value.event === 'REJECTED') this.alerts.templateRejected(e.value.message_template_id);
 * }
 */
export type WabaChangeEvent<F extends string = WabaField | (string & {})> = F extends unknown
  ? WabaFieldChangeEvent<F>
  : never;

/** Narrows a `WabaChangeEvent` received by a `'*'` listener to one field. */
export function isWabaChange<F extends WabaField>(
  event: WabaChangeEvent,
  field: F,
): event is WabaChangeEvent<F> {
  return event.field === field;
}

/** The message of a given type (or of any type), narrowed from the union. */
export type WabaMessageOfType<T extends string> = T extends WabaInboundMessageType
  ? Extract<WabaInboundMessage, { type: T }>
  : WabaInboundMessage;

/**
 * One inbound message (one item of `value.messages[]` of a `messages` change), received by
 * `@OnWabaMessage()` listeners.
 *
 * @example
 * \@OnWabaMessage('text')
 * onText(e: WabaMessageEvent<'text'>) { this.bot.reply(e.message.from, e.message.text.body); }
 */
export interface WabaMessageEvent<T extends string = WabaInboundMessageType | (string & {})> {
  /** `entry[].id`: the WABA ID. */
  readonly entryId: string;
  /** The business phone number that received the message. */
  readonly metadata: WabaMetadata;
  /** The `contacts[]` item of the sender, matched by `wa_id` or `user_id` (BSUID). */
  readonly contact?: WabaContact;
  /** The message, a discriminated union on `type`. */
  readonly message: WabaMessageOfType<T>;
  /** Name of the app whose secret verified the request, when the module has named `apps`. */
  readonly app?: string;
}

/**
 * One status of a message the business sent (one item of `value.statuses[]` of a `messages`
 * change), received by `@OnWabaStatus()` listeners.
 */
export interface WabaStatusEvent {
  /** `entry[].id`: the WABA ID. */
  readonly entryId: string;
  /** The business phone number that sent the message. */
  readonly metadata: WabaMetadata;
  /** The `contacts[]` item of the recipient when Meta sends one (BSUID era), matched by `wa_id` or `user_id`. */
  readonly contact?: WabaContact;
  /** The status: `sent`, `delivered`, `read`, `played`, `failed` or a newer one. */
  readonly status: WabaMessageStatus;
  /** Name of the app whose secret verified the request, when the module has named `apps`. */
  readonly app?: string;
}

/** A change of a known field whose `value` failed its DTO; received by `@OnWabaInvalid()` listeners. */
export interface WabaInvalidEvent {
  readonly entryId: string;
  readonly field: string;
  readonly time?: number;
  /** The value exactly as received (parsed JSON). */
  readonly value: unknown;
  /** What failed, one line per problem with its property path. */
  readonly errors: string[];
  /** Name of the app whose secret verified the request, when the module has named `apps`. */
  readonly app?: string;
}

/** An update that exhausted its delivery attempts in queue mode; received by `@OnWabaDeliveryFailed()`. */
export interface WabaDeliveryFailedEvent {
  /** The update's deduplication key (e.g. `messages:message:wamid.…`). */
  readonly key: string;
  /** The BullMQ job id (derived from the key), to inspect or retry the job. */
  readonly jobId: string;
  readonly queueName: string;
  readonly attempts: number;
  /** The last error. */
  readonly error: string;
  readonly field: string;
  readonly entryId: string;
  /** The change's value as queued (for `messages` and `calls`, narrowed to the one item). */
  readonly value: unknown;
  /** Name of the app whose secret verified the request, when the module has named `apps`. */
  readonly app?: string;
}

/**
 * A business customer's WABA this app was subscribed to (or already was) after its
 * `PARTNER_ADDED` webhook, with `onboarding.autoSubscribe`; received by `@OnWabaOnboarded()`.
 */
export interface WabaOnboardedEvent {
  /** The customer's WABA ID. */
  readonly wabaId: string;
  /** The customer's business portfolio ID, when Meta sent it. */
  readonly ownerBusinessId?: string;
  /** `entry[].id` of the `PARTNER_ADDED` webhook (the partner's business portfolio ID). */
  readonly entryId: string;
  /** Whether a subscription request was made (`false`: the app was already subscribed as asked). */
  readonly changed: boolean;
  /** This app's subscription on the WABA, as Meta lists it. */
  readonly subscription: SubscribedApp;
  /** Name of the app whose secret verified the request, when the module has named `apps`. */
  readonly app?: string;
}

/**
 * A customer's WABA that could not be subscribed to after its `PARTNER_ADDED` webhook, once
 * every attempt failed; received by `@OnWabaOnboardingFailed()`.
 */
export interface WabaOnboardingFailedEvent {
  /** The customer's WABA ID. */
  readonly wabaId: string;
  /** `entry[].id` of the `PARTNER_ADDED` webhook (the partner's business portfolio ID). */
  readonly entryId: string;
  /**
   * The last error: a `GraphApiError` (Meta's code, subcode, fbtrace id; never a token) for a
   * Graph API failure.
   */
  readonly error: Error;
  /** Attempts made: the Graph retry policy's in direct mode, the queue job's in queue mode. */
  readonly attempts: number;
  /** Name of the app whose secret verified the request, when the module has named `apps`. */
  readonly app?: string;
}
