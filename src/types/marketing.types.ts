import type { OpenString } from './open-string.js';
import type { WabaContact, WabaMessagingValueBase } from './common.types.js';

/**
 * A user's marketing-message preference change (`value.user_preferences[]`). Triggers only on
 * stop/resume, not on "Interested / Not interested" feedback.
 *
 * @see https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/user_preferences
 */
export interface WabaUserPreference {
  /** The user's WhatsApp ID; may be omitted for username users (then read `user_id`). */
  wa_id?: string;
  /** BSUID of the user. */
  user_id?: string;
  parent_user_id?: string;
  /** e.g. "User requested to stop marketing messages". */
  detail: string;
  category: OpenString<'marketing_messages'>;
  value: OpenString<'stop' | 'resume'>;
  /** Unix seconds as an integer. */
  timestamp: number;
}

/**
 * `value` of `user_preferences`: users stopping or resuming marketing messages.
 *
 * @see https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/user_preferences
 */
export interface UserPreferencesValue extends WabaMessagingValueBase {
  /** Contacts here may lack `profile`. */
  contacts: WabaContact[];
  user_preferences: WabaUserPreference[];
}

/** Purchase details of an automatic `Purchase` event. */
export interface WabaAutomaticEventCustomData {
  currency: string;
  /** Price × 1000; documented as a string but sent as a number, so both are accepted. */
  value: number | string;
}

/**
 * A lead or purchase detected in a Click-to-WhatsApp chat (`value.automatic_events[]`).
 *
 * @see https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/automatic_events
 */
export interface WabaAutomaticEvent {
  /** wamid of the message that triggered the event. */
  id: string;
  event_name: OpenString<'LeadSubmitted' | 'Purchase'>;
  /** Unix seconds as an integer. */
  timestamp: number;
  /** Omitted for WhatsApp Status ad placements. */
  ctwa_clid?: string;
  /** `Purchase` only. */
  custom_data?: WabaAutomaticEventCustomData;
}

/**
 * `value` of `automatic_events`: lead and purchase events detected in Click-to-WhatsApp chats
 * (opt-in).
 *
 * @see https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/automatic_events
 */
export interface AutomaticEventsValue extends WabaMessagingValueBase {
  automatic_events: WabaAutomaticEvent[];
}
