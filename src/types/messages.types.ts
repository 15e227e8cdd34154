import type { OpenString } from './open-string.js';
import type { WabaContact, WabaError, WabaMessagingValueBase } from './common.types.js';

// ---------------------------------------------------------------------------------------------
// Message-level sub-objects
// ---------------------------------------------------------------------------------------------

/** A product referenced by a "Message business about this product" enquiry. */
export interface WabaReferredProduct {
  catalog_id: string;
  product_retailer_id: string;
}

/**
 * `message.context`: the message is a reply, a forward or a product enquiry.
 *
 * @see https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages
 */
export interface WabaMessageContext {
  /** Sender of the referenced message (the business display number for template replies). */
  from?: string;
  /** wamid of the referenced message; absent on plain forwards. */
  id?: string;
  forwarded?: boolean;
  /** Forwarded more than 5 times. */
  frequently_forwarded?: boolean;
  referred_product?: WabaReferredProduct;
}

/** Welcome message attached to a Click-to-WhatsApp referral. */
export interface WabaReferralWelcomeMessage {
  text: string;
}

/**
 * `message.referral`: the user came from a Click-to-WhatsApp ad or post.
 *
 * @see https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages
 */
export interface WabaReferral {
  source_url: string;
  /** Ad or post ID. */
  source_id: string;
  source_type: OpenString<'ad' | 'post'>;
  body?: string;
  headline?: string;
  media_type?: OpenString<'image' | 'video'>;
  image_url?: string;
  video_url?: string;
  thumbnail_url?: string;
  /** Ad click ID; omitted for WhatsApp Status ad placements. */
  ctwa_clid?: string;
  welcome_message?: WabaReferralWelcomeMessage;
}

/**
 * `message.identity`: sent only when the identity-change check is enabled.
 */
export interface WabaMessageIdentity {
  acknowledged: boolean;
  /** Unix seconds; Meta sends it as a JSON integer or as a string. */
  created_timestamp: number | string;
  hash: string;
}

// ---------------------------------------------------------------------------------------------
// Payloads, keyed by the message `type`
// ---------------------------------------------------------------------------------------------

/** Payload of a `text` message. */
export interface WabaTextPayload {
  body: string;
}

/**
 * Common keys of an inbound media payload. Download the file through the Graph media endpoint
 * with `id`.
 *
 * @see https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/image
 */
export interface WabaMediaPayload {
  /** Media ID for the Graph media endpoint. */
  id: string;
  /** e.g. `image/jpeg`, `audio/ogg; codecs=opus`, `image/webp`. */
  mime_type: string;
  /** SHA-256 of the file. */
  sha256: string;
  /** Direct download URL (seen in recent payloads, not on every reference page). */
  url?: string;
}

/** Payload of an `image` message. */
export interface WabaImagePayload extends WabaMediaPayload {
  caption?: string;
}

/** Payload of a `video` message. */
export interface WabaVideoPayload extends WabaMediaPayload {
  caption?: string;
}

/** Payload of an `audio` message. */
export interface WabaAudioPayload extends WabaMediaPayload {
  /** `true` for a voice note recorded in WhatsApp. */
  voice?: boolean;
}

/** Payload of a `document` message. */
export interface WabaDocumentPayload extends WabaMediaPayload {
  filename?: string;
  caption?: string;
}

/** Payload of a `sticker` message. */
export interface WabaStickerPayload extends WabaMediaPayload {
  animated?: boolean;
}

/** Payload of a `location` message. */
export interface WabaLocationPayload {
  latitude: number;
  longitude: number;
  name?: string;
  address?: string;
  url?: string;
}

/** `name` of a shared contact card. */
export interface WabaContactCardName {
  formatted_name: string;
  first_name?: string;
  last_name?: string;
  middle_name?: string;
  suffix?: string;
  prefix?: string;
}

/** A phone number of a shared contact card. */
export interface WabaContactCardPhone {
  phone?: string;
  wa_id?: string;
  type?: string;
}

/** An e-mail address of a shared contact card. */
export interface WabaContactCardEmail {
  email: string;
  type?: string;
}

/** A postal address of a shared contact card. */
export interface WabaContactCardAddress {
  street?: string;
  city?: string;
  state?: string;
  zip?: string;
  country?: string;
  country_code?: string;
  type?: OpenString<'HOME' | 'WORK'>;
}

/** Organisation of a shared contact card. */
export interface WabaContactCardOrg {
  company?: string;
  department?: string;
  title?: string;
}

/** A URL of a shared contact card. */
export interface WabaContactCardUrl {
  url: string;
  type?: string;
}

/**
 * One card of a `contacts` message. Many properties may be omitted if the user chooses not to
 * share them.
 *
 * @see https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/contacts
 */
export interface WabaContactCard {
  name: WabaContactCardName;
  phones?: WabaContactCardPhone[];
  emails?: WabaContactCardEmail[];
  addresses?: WabaContactCardAddress[];
  org?: WabaContactCardOrg;
  urls?: WabaContactCardUrl[];
  /** `YYYY-MM-DD`. */
  birthday?: string;
  /** Raw vCard text (BSUID-era contact requests). */
  vcard?: string;
}

/** The `interactive.type` values known so far. */
export type WabaKnownInteractiveType =
  'button_reply' | 'list_reply' | 'nfm_reply' | 'call_permission_reply';

/** A tap on a reply button of an interactive message. */
export interface WabaButtonReply {
  id: string;
  title: string;
}

/** A row picked from an interactive list message. */
export interface WabaListReply {
  id: string;
  title: string;
  description?: string;
}

/**
 * A native-flow reply (WhatsApp Flows completion, address message, …).
 *
 * @see https://developers.facebook.com/documentation/business-messaging/whatsapp/flows
 */
export interface WabaNfmReply {
  name: OpenString<'flow' | 'address_message'>;
  /** e.g. `"Sent"`. */
  body?: string;
  /** JSON **text** (Flows include `flow_token`); parse it yourself. */
  response_json: string;
}

/** The user's answer to a call-permission request. */
export interface WabaCallPermissionReply {
  response: OpenString<'accept' | 'reject'>;
  is_permanent?: boolean;
  /** Unix seconds. */
  expiration_timestamp?: number;
  response_source?: OpenString<'user_action' | 'automatic'>;
}

/**
 * Payload of an `interactive` message: `type` names which reply object is present.
 *
 * @see https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/interactive
 */
export interface WabaInteractivePayload {
  type: OpenString<WabaKnownInteractiveType>;
  button_reply?: WabaButtonReply;
  list_reply?: WabaListReply;
  nfm_reply?: WabaNfmReply;
  call_permission_reply?: WabaCallPermissionReply;
}

/** Payload of a `button` message: a quick-reply tap on a template (`context.id` = template wamid). */
export interface WabaButtonPayload {
  text: string;
  payload: string;
}

/** Payload of a `reaction` message. */
export interface WabaReactionPayload {
  /** wamid of the message reacted to. */
  message_id: string;
  /** Missing or empty when the reaction was removed. */
  emoji?: string;
}

/** One line of an `order` message. */
export interface WabaOrderProductItem {
  product_retailer_id: string;
  quantity: number;
  item_price: number;
  currency: string;
}

/** Payload of an `order` message (cart sent from a catalog). */
export interface WabaOrderPayload {
  catalog_id: string;
  text?: string;
  product_items: WabaOrderProductItem[];
}

/** The `system.type` values known so far. */
export type WabaKnownSystemMessageType =
  | 'user_changed_number'
  | 'customer_changed_number'
  | 'customer_identity_changed'
  | 'user_changed_user_id'
  | 'user_preference_changed';

/**
 * Payload of a `system` message (number, identity or BSUID change). System messages carry no
 * `contacts`.
 *
 * A phone number change also regenerates the user's business-scoped user ID (BSUID), so since
 * 2026-08 both `user_changed_number` and `user_changed_user_id` (a BSUID change with no phone
 * number to share) carry the previous BSUIDs beside the new ones: map `previous_user_id` to
 * `user_id` (and `previous_parent_user_id` to `parent_user_id`) to follow the user.
 *
 * @example
 * \@OnWabaMessage('system')
 * onSystem({ message }: WabaMessageEvent<'system'>) {
 *   const { type, previous_user_id, user_id } = message.system;
 *   if (type === 'user_changed_user_id' && previous_user_id && user_id) {
 *     this.users.renameBsuid(previous_user_id, user_id);
 *   }
 * }
 * @see https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/system
 * @see https://developers.facebook.com/documentation/business-messaging/whatsapp/changelog (2026-08-11)
 */
export interface WabaSystemPayload {
  body: string;
  type: OpenString<WabaKnownSystemMessageType>;
  /** New WhatsApp ID on `user_changed_number`. */
  wa_id?: string;
  /** New WhatsApp ID on the legacy `customer_changed_number`. */
  new_wa_id?: string;
  customer?: string;
  /** Identity hash on `customer_identity_changed`. */
  identity?: string;
  /** The user's BSUID after the change. */
  user_id?: string;
  /** The user's parent BSUID after the change (businesses enrolled in parent BSUIDs). */
  parent_user_id?: string;
  /** The user's BSUID before the change (`user_changed_user_id`, `user_changed_number`). */
  previous_user_id?: string;
  /** The user's parent BSUID before the change (`user_changed_user_id`, `user_changed_number`). */
  previous_parent_user_id?: string;
}

/** Payload of an `unsupported` message; the reason is in the message's `errors[]`. */
export interface WabaUnsupportedPayload {
  type?: string;
}

/**
 * The new content of an edited message: `type` plus the payload keyed by it.
 */
export interface WabaEditedMessageContent {
  type: string;
  text?: WabaTextPayload;
  [key: string]: unknown;
}

/** Payload of an `edit` message: the user (or the business app) edited an earlier message. */
export interface WabaEditPayload {
  original_message_id: string;
  message: WabaEditedMessageContent;
}

/** Payload of a `revoke` message: an earlier message was deleted for everyone. */
export interface WabaRevokePayload {
  original_message_id: string;
}

// ---------------------------------------------------------------------------------------------
// Inbound messages
// ---------------------------------------------------------------------------------------------

/**
 * Keys shared by every inbound message in `value.messages[]`.
 *
 * @see https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages
 */
export interface WabaInboundMessageBase {
  /** User phone number / wa_id; omitted for username users without recent interaction. */
  from?: string;
  /** BSUID of the sender. */
  from_user_id?: string;
  /** Parent BSUID of the sender. */
  from_parent_user_id?: string;
  /** `wamid.…`, the idempotency key. */
  id: string;
  /** Unix seconds as a string. */
  timestamp: string;
  /** Present when the message was sent in a group. */
  group_id?: string;
  context?: WabaMessageContext;
  referral?: WabaReferral;
  identity?: WabaMessageIdentity;
  /** e.g. on `unsupported` messages (code `131051`). */
  errors?: WabaError[];
}

/** A text message. */
export interface WabaTextMessage extends WabaInboundMessageBase {
  type: 'text';
  text: WabaTextPayload;
}

/** An image message. */
export interface WabaImageMessage extends WabaInboundMessageBase {
  type: 'image';
  image: WabaImagePayload;
}

/** A video message. */
export interface WabaVideoMessage extends WabaInboundMessageBase {
  type: 'video';
  video: WabaVideoPayload;
}

/** An audio message or voice note (`audio.voice`). */
export interface WabaAudioMessage extends WabaInboundMessageBase {
  type: 'audio';
  audio: WabaAudioPayload;
}

/** A document message. */
export interface WabaDocumentMessage extends WabaInboundMessageBase {
  type: 'document';
  document: WabaDocumentPayload;
}

/** A sticker message. */
export interface WabaStickerMessage extends WabaInboundMessageBase {
  type: 'sticker';
  sticker: WabaStickerPayload;
}

/** A shared location. */
export interface WabaLocationMessage extends WabaInboundMessageBase {
  type: 'location';
  location: WabaLocationPayload;
}

/** One or more shared contact cards. */
export interface WabaContactsMessage extends WabaInboundMessageBase {
  type: 'contacts';
  contacts: WabaContactCard[];
  /** Undocumented shape; marks e.g. a reply to a contact request (BSUID era). */
  origin?: unknown;
}

/**
 * A reply to an interactive message. `interactive` can be missing when the message arrives
 * with `errors[]` (code `131000`), so it is optional.
 */
export interface WabaInteractiveMessage extends WabaInboundMessageBase {
  type: 'interactive';
  interactive?: WabaInteractivePayload;
}

/** A quick-reply button tap on a template message. */
export interface WabaButtonMessage extends WabaInboundMessageBase {
  type: 'button';
  button: WabaButtonPayload;
}

/** A reaction added (or removed, when `emoji` is missing or empty). */
export interface WabaReactionMessage extends WabaInboundMessageBase {
  type: 'reaction';
  reaction: WabaReactionPayload;
}

/** A cart sent from a catalog. */
export interface WabaOrderMessage extends WabaInboundMessageBase {
  type: 'order';
  order: WabaOrderPayload;
}

/** A system notification (number, identity or BSUID change). */
export interface WabaSystemMessage extends WabaInboundMessageBase {
  type: 'system';
  system: WabaSystemPayload;
}

/** The user opened the chat for the first time (welcome-message feature); no payload. */
export interface WabaRequestWelcomeMessage extends WabaInboundMessageBase {
  type: 'request_welcome';
}

/** A message type the Cloud API cannot deliver; the reason is in `errors[]` (code `131051`). */
export interface WabaUnsupportedMessage extends WabaInboundMessageBase {
  type: 'unsupported';
  unsupported?: WabaUnsupportedPayload;
}

/** Legacy name of `unsupported`; carries `errors[]` and no payload. */
export interface WabaLegacyUnknownMessage extends WabaInboundMessageBase {
  type: 'unknown';
}

/** The user edited an earlier message. */
export interface WabaEditMessage extends WabaInboundMessageBase {
  type: 'edit';
  edit: WabaEditPayload;
}

/** The user deleted an earlier message for everyone. */
export interface WabaRevokeMessage extends WabaInboundMessageBase {
  type: 'revoke';
  revoke: WabaRevokePayload;
}

/** The inbound message types this version knows, in the order of Meta's reference. */
export const WABA_INBOUND_MESSAGE_TYPES = [
  'text',
  'image',
  'video',
  'audio',
  'document',
  'sticker',
  'location',
  'contacts',
  'interactive',
  'button',
  'reaction',
  'order',
  'system',
  'request_welcome',
  'unsupported',
  'unknown',
  'edit',
  'revoke',
] as const;

/** A message `type` this version knows. */
export type WabaInboundMessageType = (typeof WABA_INBOUND_MESSAGE_TYPES)[number];

/**
 * Stand-in for a `type` string this version does not know (e.g. `poll`). At runtime it is a
 * plain string; the type is a pattern no known literal matches, because any `string`-like member
 * (even `string & {}`) would stop `m.type === 'text'` from narrowing the union. Compare it as a
 * `string`: `(m.type as string) === 'poll'`.
 */
export type WabaUnknownMessageTypeName = `${string}\u0000`;

/**
 * A message whose `type` Meta added after this version: its payload sits under the key named by
 * `type` (`message[message.type]`). Reached in the `default` branch of a `switch (m.type)`.
 */
export interface WabaUnknownTypeMessage extends WabaInboundMessageBase {
  type: WabaUnknownMessageTypeName;
  [key: string]: unknown;
}

/** Every inbound message type this version knows. */
export type WabaKnownInboundMessage =
  | WabaTextMessage
  | WabaImageMessage
  | WabaVideoMessage
  | WabaAudioMessage
  | WabaDocumentMessage
  | WabaStickerMessage
  | WabaLocationMessage
  | WabaContactsMessage
  | WabaInteractiveMessage
  | WabaButtonMessage
  | WabaReactionMessage
  | WabaOrderMessage
  | WabaSystemMessage
  | WabaRequestWelcomeMessage
  | WabaUnsupportedMessage
  | WabaLegacyUnknownMessage
  | WabaEditMessage
  | WabaRevokeMessage;

/**
 * An inbound message in `value.messages[]`, discriminated by `type`:
 * `if (m.type === 'text') m.text.body`. Types Meta adds later arrive as
 * {@link WabaUnknownTypeMessage}.
 *
 * @see https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages
 */
export type WabaInboundMessage = WabaKnownInboundMessage | WabaUnknownTypeMessage;

// ---------------------------------------------------------------------------------------------
// Statuses
// ---------------------------------------------------------------------------------------------

/** The `statuses[].status` values known so far. */
export type WabaKnownStatus = 'sent' | 'delivered' | 'read' | 'played' | 'failed';

/** The `conversation.origin.type` values known so far (underscore spelling). */
export type WabaKnownConversationCategory =
  | 'authentication'
  | 'authentication_international'
  | 'marketing'
  | 'marketing_lite'
  | 'referral_conversion'
  | 'service'
  | 'utility';

/** The `pricing.category` values known so far (note the hyphen in `authentication-international`). */
export type WabaKnownPricingCategory =
  | 'authentication'
  | 'authentication-international'
  | 'marketing'
  | 'marketing_lite'
  | 'referral_conversion'
  | 'service'
  | 'utility';

/** Origin of a conversation. */
export interface WabaConversationOrigin {
  type: OpenString<WabaKnownConversationCategory>;
}

/**
 * `status.conversation`: omitted for v24.0+ webhooks unless the message was sent in an open
 * free-entry-point window.
 */
export interface WabaConversation {
  id: string;
  /** Unix seconds as a string; only on `sent`. */
  expiration_timestamp?: string;
  origin: WabaConversationOrigin;
}

/** `status.pricing`: sent with `sent` and one of `delivered`/`read` (never both). */
export interface WabaPricing {
  /** To be deprecated; use `type` + `category`. */
  billable?: boolean;
  /** `PMP` (per-message pricing); `CBP` only before 2025-07-01. */
  pricing_model: OpenString<'PMP' | 'CBP'>;
  type?: OpenString<'regular' | 'free_customer_service' | 'free_entry_point'>;
  category: OpenString<WabaKnownPricingCategory>;
}

/**
 * A status update for a message the business sent (`value.statuses[]`). No ordering guarantee;
 * `delivered` may be skipped.
 *
 * @see https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/status
 */
export interface WabaMessageStatus {
  /** wamid of the business's message. */
  id: string;
  /** `played` = first play of a voice message. */
  status: OpenString<WabaKnownStatus>;
  /** Unix seconds as a string. */
  timestamp: string;
  /** User phone number, or the group ID for group sends; may be omitted for username users. */
  recipient_id?: string;
  /** `group` for group sends. */
  recipient_type?: OpenString<'group'>;
  /** Participant phone number for group sends. */
  recipient_participant_id?: string;
  /** BSUID of the recipient. */
  recipient_user_id?: string;
  /** Parent BSUID of the recipient. */
  parent_recipient_user_id?: string;
  /** BSUID of a group participant. */
  recipient_participant_user_id?: string;
  /** Only with the identity-change check enabled. */
  recipient_identity_key_hash?: string;
  /** Echo of the value set when sending. */
  biz_opaque_callback_data?: string;
  conversation?: WabaConversation;
  pricing?: WabaPricing;
  /** Only on `failed`; Meta sends the reason once. */
  errors?: WabaError[];
}

// ---------------------------------------------------------------------------------------------
// User actions and the value
// ---------------------------------------------------------------------------------------------

/** Details of a marketing-message link click. */
export interface WabaMarketingMessagesLinkClickData {
  click_component: OpenString<'cta' | 'body'>;
  product_id?: string;
  click_id: string;
  tracking_token: string;
}

/**
 * A marketing-message click (`value.user_actions[]`). The data object is keyed by
 * `action_type`, so it is optional for action types added later.
 */
export interface WabaUserAction {
  action_type: OpenString<'marketing_messages_link_click'>;
  /** Unix seconds, as a string or an integer. */
  timestamp: string | number;
  marketing_messages_link_click_data?: WabaMarketingMessagesLinkClickData;
}

/**
 * `value` of the `messages` field: inbound messages, statuses of outbound messages,
 * out-of-band errors and marketing-message clicks. Accept any combination of arrays.
 *
 * @see https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages
 */
export interface WabaMessagesValue extends WabaMessagingValueBase {
  contacts?: WabaContact[];
  messages?: WabaInboundMessage[];
  statuses?: WabaMessageStatus[];
  /** System-, app- or account-level errors not tied to a message. */
  errors?: WabaError[];
  user_actions?: WabaUserAction[];
}
