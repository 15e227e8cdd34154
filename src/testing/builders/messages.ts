import { createHash } from 'node:crypto';
import type {
  WabaContact,
  WabaInboundMessage,
  WabaInboundMessageType,
  WabaMessageStatus,
  WabaMessagesValue,
  WabaMetadata,
} from '../../types/index.js';
import type { OpenString } from '../../types/open-string.js';
import { type DeepPartial, deepMerge } from './deep-merge.js';
import {
  WABA_TEST_IDS,
  type WabaWebhookPayload,
  changeWebhook,
  nextNumericId,
  nextWamid,
  nowTimestamp,
} from './envelope.js';

/** The inbound message variant whose `type` is `T`. */
export type WabaInboundMessageOf<T extends WabaInboundMessageType> = Extract<
  WabaInboundMessage,
  { type: T }
>;

/** Status values Meta documents for `statuses[].status` (the builder accepts any string). */
export type WabaMessageStatusName = OpenString<'sent' | 'delivered' | 'read' | 'played' | 'failed'>;

/** Parts of a `messages` field value for {@link messagesValue}; every key is optional. */
export interface MessagesValueParts {
  /** Inbound messages (`value.messages[]`). */
  messages?: WabaInboundMessage[];
  /** Status updates (`value.statuses[]`). */
  statuses?: WabaMessageStatus[];
  /** Sender profiles; derived from `messages` (and BSUID-era `statuses`) when omitted. */
  contacts?: WabaContact[];
  /** Merged over the test phone number's metadata. */
  metadata?: Partial<WabaMetadata>;
  /** Value-level (system, app, account) errors. */
  errors?: WabaMessagesValue['errors'];
  /** Marketing-message link clicks. */
  user_actions?: WabaMessagesValue['user_actions'];
}

/** Entry options of the builders that return a whole envelope. */
export interface WebhookEntryOptions {
  /** `entry[].id`; defaults to {@link WABA_TEST_IDS}`.wabaId`. */
  entryId?: string;
  /** `entry[].time`; absent by default on messaging fields, as Meta sends them. */
  time?: number;
}

/** `metadata` of every messaging-type field: the test business phone number. */
export function testMetadata(): WabaMetadata {
  return {
    display_phone_number: WABA_TEST_IDS.displayPhoneNumber,
    phone_number_id: WABA_TEST_IDS.phoneNumberId,
  } as WabaMetadata;
}

/** A unique media ID and a matching base64 `sha256`, as Meta's media objects carry. */
function media(mimeType: string): { mime_type: string; sha256: string; id: string } {
  const id = nextNumericId();
  return {
    mime_type: mimeType,
    sha256: createHash('sha256').update(`media:${id}`).digest('base64'),
    id,
  };
}

const ERROR_CODES_HREF =
  'https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes';

function unsupportedTypeErrors() {
  return [
    {
      code: 131051,
      title: 'Message type unknown',
      message: 'Message type unknown',
      error_data: { details: 'Message type is currently not supported.' },
    },
  ];
}

/** The default user's BSUID after the number change of the default `system` message. */
const CHANGED_USER_ID = 'US.20736514098817453627';

/** The keys of a message of type `T` besides the sender, id, timestamp and type. */
type MessagePayload<T extends WabaInboundMessageType> = Omit<
  WabaInboundMessageOf<T>,
  'type' | 'id' | 'timestamp' | 'from' | 'from_user_id'
>;

type MessagePayloads = { [T in WabaInboundMessageType]: () => MessagePayload<T> };

/** The type-specific keys of each default inbound message (common keys are added around them). */
const MESSAGE_PAYLOADS: MessagePayloads = {
  text: () => ({ text: { body: 'Hello' } }),
  image: () => ({ image: { caption: 'Our new storefront', ...media('image/jpeg') } }),
  video: () => ({ video: { caption: 'Unboxing', ...media('video/mp4') } }),
  audio: () => ({ audio: { ...media('audio/ogg; codecs=opus'), voice: true } }),
  document: () => ({
    document: { caption: 'Invoice', filename: 'invoice-1042.pdf', ...media('application/pdf') },
  }),
  sticker: () => ({ sticker: { ...media('image/webp'), animated: false } }),
  location: () => ({
    location: {
      address: '1 Hacker Way, Menlo Park, CA 94025',
      latitude: 37.483307,
      longitude: -122.148981,
      name: 'Main Street Store',
    },
  }),
  contacts: () => ({
    contacts: [
      {
        name: { formatted_name: 'Barbara Johnson', first_name: 'Barbara', last_name: 'Johnson' },
        phones: [{ phone: '+1 (940) 555-1234', wa_id: '19405551234', type: 'MOBILE' }],
        emails: [{ email: 'bjohnson@example.com', type: 'WORK' }],
        org: { company: 'Lucky Shrub', title: 'Manager' },
      },
    ],
  }),
  interactive: () => ({
    context: { from: WABA_TEST_IDS.displayPhoneNumber, id: nextWamid() },
    interactive: { type: 'button_reply', button_reply: { id: 'confirm_order', title: 'Confirm' } },
  }),
  button: () => ({
    context: { from: WABA_TEST_IDS.displayPhoneNumber, id: nextWamid() },
    button: { text: 'Track my order', payload: 'TRACK_ORDER' },
  }),
  reaction: () => ({ reaction: { message_id: nextWamid(), emoji: '\u{1F44D}' } }),
  order: () => ({
    order: {
      catalog_id: WABA_TEST_IDS.catalogId,
      text: 'Please deliver before noon',
      product_items: [
        { product_retailer_id: 'SKU-1042', quantity: 2, item_price: 12.5, currency: 'USD' },
      ],
    },
  }),
  // A number change regenerates the BSUID: Meta reports the previous one beside the new one.
  system: () => ({
    system: {
      body: 'Kerry Fisher changed from 16505551234 to 16505550000',
      wa_id: '16505550000',
      type: 'user_changed_number',
      user_id: CHANGED_USER_ID,
      previous_user_id: WABA_TEST_IDS.userId,
    },
  }),
  request_welcome: () => ({}),
  unsupported: () => ({ errors: unsupportedTypeErrors() }),
  unknown: () => ({ errors: unsupportedTypeErrors() }),
  edit: () => ({
    edit: {
      original_message_id: nextWamid(),
      message: { type: 'text', text: { body: 'Hello, sorry for the typo' } },
    },
  }),
  revoke: () => ({ revoke: { original_message_id: nextWamid() } }),
};

/** Whether the overrides name a sender or recipient other than the default test user. */
function isOtherUser(phone: unknown): boolean {
  return typeof phone === 'string' && phone !== WABA_TEST_IDS.userWaId;
}

/**
 * A realistic `value.messages[]` item of the given type, sent by the default test user
 * (`from` = {@link WABA_TEST_IDS}`.userWaId`, `from_user_id` = its BSUID) with a unique wamid and
 * the current time as a string timestamp. Overrides are deep-merged over the default: plain
 * objects merge, arrays and primitives replace, `undefined` removes a key.
 *
 * Giving another `from` drops the default `from_user_id` (set it too for a BSUID-era sender);
 * `{ from: undefined }` gives a username user known only by BSUID.
 *
 * Defaults per type: `text` "Hello"; media with `mime_type`/`sha256`/`id` (`audio` is a voice
 * note); `interactive` a `button_reply` with `context`; `button` a template quick reply;
 * `system` `user_changed_number` with the new `wa_id`, the new `user_id` and the
 * `previous_user_id` (the default user's BSUID); `unsupported`/`unknown` with `errors[]` code
 * 131051; `edit` and `revoke` pointing at another wamid; `request_welcome` without payload.
 *
 * @param type one of the known message types.
 * @param overrides deep-merged over the default message.
 * @example
 * const reply = inboundMessage('interactive', {
 *   interactive: { type: 'list_reply', button_reply: undefined, list_reply: { id: 'row_1', title: 'Size M' } },
 * });
 * @example
 * // A BSUID change with no phone number to share (`user_changed_user_id`).
 * const bsuidChange = inboundMessage('system', {
 *   from: undefined,
 *   system: {
 *     type: 'user_changed_user_id',
 *     wa_id: undefined,
 *     user_id: 'US.20736514098817453627',
 *     previous_user_id: WABA_TEST_IDS.userId,
 *   },
 * });
 */
export function inboundMessage<T extends WabaInboundMessageType>(
  type: T,
  overrides?: DeepPartial<WabaInboundMessageOf<T>>,
): WabaInboundMessageOf<T> {
  const payload: Record<string, unknown> = { ...MESSAGE_PAYLOADS[type]() };
  const { context, ...rest } = payload;
  const from = (overrides as { from?: unknown } | undefined)?.from;
  const defaults: Record<string, unknown> = {
    ...(context === undefined ? {} : { context }),
    from: WABA_TEST_IDS.userWaId,
    ...(isOtherUser(from) ? {} : { from_user_id: WABA_TEST_IDS.userId }),
    id: nextWamid(),
    timestamp: nowTimestamp(),
    type,
    ...rest,
  };
  return deepMerge(
    defaults,
    overrides as DeepPartial<Record<string, unknown>>,
  ) as WabaInboundMessageOf<T>;
}

/**
 * A realistic `value.statuses[]` item for a message the business sent, following fields.md §2.6
 * (v24.0+, per-message pricing): `sent` and `delivered` carry `pricing` (utility, regular);
 * `read` and `played` carry neither `pricing` nor `conversation`; `failed` carries `errors[]`
 * with code 131050 and no BSUID. Each call gets a unique wamid.
 *
 * Giving another `recipient_id` drops the default `recipient_user_id`.
 *
 * @param status the status; unknown values are built like `read` (no pricing).
 * @param overrides deep-merged over the default (`{ pricing: undefined }` removes pricing).
 * @example
 * messageStatus('sent', { pricing: { category: 'marketing' }, biz_opaque_callback_data: 'order-1042' });
 */
export function messageStatus(
  status: WabaMessageStatusName,
  overrides?: DeepPartial<WabaMessageStatus>,
): WabaMessageStatus {
  const recipient = (overrides as { recipient_id?: unknown } | undefined)?.recipient_id;
  const defaults: Record<string, unknown> = {
    id: nextWamid(),
    status,
    timestamp: nowTimestamp(),
    recipient_id: WABA_TEST_IDS.userWaId,
  };
  if (status !== 'failed' && !isOtherUser(recipient)) {
    defaults.recipient_user_id = WABA_TEST_IDS.userId;
  }
  if (status === 'sent' || status === 'delivered') {
    defaults.pricing = {
      billable: true,
      pricing_model: 'PMP',
      type: 'regular',
      category: 'utility',
    };
  }
  if (status === 'failed') {
    const title = 'This message was not delivered to maintain healthy ecosystem engagement.';
    defaults.errors = [
      {
        code: 131050,
        title,
        message: title,
        error_data: {
          details:
            'In order to maintain a healthy ecosystem engagement, the message failed to be delivered.',
        },
        href: ERROR_CODES_HREF,
      },
    ];
  }
  return deepMerge(
    defaults,
    overrides as DeepPartial<Record<string, unknown>>,
  ) as unknown as WabaMessageStatus;
}

function contactFor(waId: string | undefined, userId: string | undefined, parentUserId?: string) {
  const isDefaultUser = waId === WABA_TEST_IDS.userWaId || userId === WABA_TEST_IDS.userId;
  const contact: Record<string, unknown> = {
    profile: { name: isDefaultUser ? WABA_TEST_IDS.userName : 'Test User' },
  };
  if (waId !== undefined) contact.wa_id = waId;
  if (userId !== undefined) contact.user_id = userId;
  if (parentUserId !== undefined) contact.parent_user_id = parentUserId;
  return contact;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * One contact per distinct sender of the messages (system messages have none) and per distinct
 * BSUID-era recipient of the non-failed statuses, in order of first appearance.
 */
function deriveContacts(
  messages: readonly WabaInboundMessage[],
  statuses: readonly WabaMessageStatus[],
): WabaContact[] {
  const contacts = new Map<string, Record<string, unknown>>();
  const add = (waId?: string, userId?: string, parentUserId?: string) => {
    if (waId === undefined && userId === undefined) return;
    const key = `${waId ?? ''}\u0000${userId ?? ''}`;
    if (!contacts.has(key)) contacts.set(key, contactFor(waId, userId, parentUserId));
  };
  for (const message of messages as unknown as readonly Record<string, unknown>[]) {
    if (message.type === 'system') continue;
    add(
      optionalString(message.from),
      optionalString(message.from_user_id),
      optionalString(message.from_parent_user_id),
    );
  }
  for (const status of statuses as unknown as readonly Record<string, unknown>[]) {
    const userId = optionalString(status.recipient_user_id);
    // Only BSUID-era statuses carry contacts; failed ones omit them.
    if (status.status === 'failed' || userId === undefined) continue;
    if (status.recipient_type === 'group') continue;
    add(
      optionalString(status.recipient_id),
      userId,
      optionalString(status.parent_recipient_user_id),
    );
  }
  return [...contacts.values()] as WabaContact[];
}

/**
 * Builds the `value` of a `messages` change: `messaging_product`, the test phone number's
 * `metadata`, then `contacts`, `messages`, `statuses`, `errors` and `user_actions` when given.
 *
 * When `contacts` is not given it is derived: one item per distinct message sender, matched as
 * Meta does by `wa_id` = `from` and/or `user_id` = `from_user_id` (system messages carry none),
 * plus one per BSUID-era recipient of `sent`/`delivered`/`read` statuses. Pass `contacts: []`
 * to build a value without contacts.
 *
 * @example
 * const value = messagesValue({
 *   messages: [inboundMessage('text'), inboundMessage('image', { from: '447700900123' })],
 * });
 * value.contacts?.length; // 2
 */
export function messagesValue(parts: MessagesValueParts = {}): WabaMessagesValue {
  const value: Record<string, unknown> = {
    messaging_product: 'whatsapp',
    metadata: { ...testMetadata(), ...parts.metadata },
  };
  const contacts = parts.contacts ?? deriveContacts(parts.messages ?? [], parts.statuses ?? []);
  if (parts.contacts !== undefined || contacts.length > 0) value.contacts = contacts;
  if (parts.messages !== undefined) value.messages = parts.messages;
  if (parts.statuses !== undefined) value.statuses = parts.statuses;
  if (parts.errors !== undefined) value.errors = parts.errors;
  if (parts.user_actions !== undefined) value.user_actions = parts.user_actions;
  for (const [key, extra] of Object.entries(parts)) {
    if (!(key in value) && extra !== undefined && key !== 'contacts') value[key] = extra;
  }
  return value as unknown as WabaMessagesValue;
}

/**
 * A whole webhook envelope with one `messages` change built by {@link messagesValue} (no
 * `entry.time`, as Meta sends messaging fields).
 *
 * @example
 * const payload = messagesWebhook({ messages: [inboundMessage('text'), inboundMessage('reaction')] });
 */
export function messagesWebhook(
  value: MessagesValueParts,
  options?: WebhookEntryOptions,
): WabaWebhookPayload<WabaMessagesValue> {
  return changeWebhook('messages', messagesValue(value), options);
}

/**
 * A whole webhook envelope carrying one inbound message of the given type (see
 * {@link inboundMessage}) and its sender's contact.
 *
 * @example
 * const payload = messageWebhook('location', { location: { name: 'Warehouse 7' } });
 * const body = serializeLikeMeta(payload);
 */
export function messageWebhook<T extends WabaInboundMessageType>(
  type: T,
  overrides?: DeepPartial<WabaInboundMessageOf<T>>,
  options?: WebhookEntryOptions,
): WabaWebhookPayload<WabaMessagesValue> {
  return messagesWebhook({ messages: [inboundMessage(type, overrides)] }, options);
}

/**
 * A whole webhook envelope with one inbound text message — the payload most tests start from.
 *
 * @param body the `text.body`.
 * @default body 'Hello'
 * @example
 * const body = serializeLikeMeta(textMessageWebhook('Où est ma commande ?'));
 * await request(app.getHttpServer())
 *   .post('/webhooks/whatsapp')
 *   .set('content-type', 'application/json')
 *   .set('x-hub-signature-256', signWebhookBody(body, 'test-app-secret'))
 *   .send(body)
 *   .expect(200);
 */
export function textMessageWebhook(
  body = 'Hello',
  overrides?: DeepPartial<WabaInboundMessageOf<'text'>>,
  options?: WebhookEntryOptions,
): WabaWebhookPayload<WabaMessagesValue> {
  const withBody = deepMerge(
    { text: { body } } as Record<string, unknown>,
    overrides as DeepPartial<Record<string, unknown>>,
  );
  return messageWebhook('text', withBody as DeepPartial<WabaInboundMessageOf<'text'>>, options);
}

/**
 * A whole webhook envelope with one status update (see {@link messageStatus}).
 *
 * @example
 * const payload = statusWebhook('failed', { recipient_id: '447700900123' });
 */
export function statusWebhook(
  status: WabaMessageStatusName,
  overrides?: DeepPartial<WabaMessageStatus>,
  options?: WebhookEntryOptions,
): WabaWebhookPayload<WabaMessagesValue> {
  return messagesWebhook({ statuses: [messageStatus(status, overrides)] }, options);
}

/**
 * A whole webhook envelope whose single `messages` change carries `count` status updates, each
 * for a different wamid — a large batch as Meta may deliver it (up to 1000 updates per POST).
 *
 * @param count how many `statuses[]` items.
 * @param status the status of every item.
 * @default status 'delivered'
 * @example
 * const payload = statusesWebhook(1000);
 * payload.entry[0].changes[0].value.statuses?.length; // 1000
 */
export function statusesWebhook(
  count: number,
  status: WabaMessageStatusName = 'delivered',
  options?: WebhookEntryOptions,
): WabaWebhookPayload<WabaMessagesValue> {
  const statuses = Array.from({ length: count }, () => messageStatus(status));
  return messagesWebhook({ statuses }, options);
}
