/**
 * Shapes shared by several WABA webhook fields: the phone-number metadata of messaging fields,
 * the error object and the contact object.
 *
 * @see https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages
 */

/**
 * The business phone number a messaging-type change belongs to (`value.metadata`).
 * Management fields (templates, account, …) carry no metadata.
 */
export interface WabaMetadata {
  /** The business display phone number, digits only (e.g. `15550783881`). */
  display_phone_number: string;
  /** Graph ID of the business phone number; use it to reply. */
  phone_number_id: string;
}

/**
 * Error object shared by value-level `errors[]`, message-level `errors[]` and status-level
 * `errors[]`; on status errors `message` repeats `title`.
 *
 * @see https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes
 */
export interface WabaError {
  /** Numeric error code, e.g. `131051` (unsupported message type). */
  code: number;
  title: string;
  message?: string;
  error_data?: WabaErrorData;
  /** Link to Meta's error-code page. */
  href?: string;
}

/** Extra detail attached to a {@link WabaError}. */
export interface WabaErrorData {
  details: string;
}

/** The `profile` of a {@link WabaContact}. */
export interface WabaContactProfile {
  name?: string;
  /** Present only for users who enabled WhatsApp usernames (BSUID era). */
  username?: string;
}

/**
 * A WhatsApp user in `value.contacts[]`. Match a message to its contact by `wa_id` **or**
 * `user_id`; never assume `contacts[0]`.
 *
 * @see https://developers.facebook.com/documentation/business-messaging/whatsapp/business-scoped-user-ids
 */
export interface WabaContact {
  /** Can be absent (e.g. on `user_preferences`). */
  profile?: WabaContactProfile;
  /** The user's WhatsApp ID; may differ from the phone number and is omitted for some username users. */
  wa_id?: string;
  /** Business-scoped user ID (BSUID), e.g. `US.13491208655302741918`. */
  user_id?: string;
  /** Parent BSUID shared across linked portfolios, e.g. `US.ENT.11815799212886844830`. */
  parent_user_id?: string;
  /** Only when the identity-change check is enabled. */
  identity_key_hash?: string;
}

/**
 * The two keys every messaging-type field value starts with. Management fields carry neither.
 */
export interface WabaMessagingValueBase {
  messaging_product: 'whatsapp';
  metadata: WabaMetadata;
}
