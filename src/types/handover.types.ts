import type { OpenString } from './open-string.js';
import type { WabaContact, WabaMessagingValueBase } from './common.types.js';
import type { WabaInboundMessage, WabaMessageStatus } from './messages.types.js';
import type { WabaMessageEcho } from './coexistence.types.js';

// ---------------------------------------------------------------------------------------------
// Standby and handovers (another sender is active on the number)
// ---------------------------------------------------------------------------------------------

/**
 * The arrays nested under `value.standby`; the full key list is unconfirmed, so other keys are
 * allowed. Can be empty.
 */
export interface WabaStandbyContent {
  messages?: WabaInboundMessage[];
  statuses?: WabaMessageStatus[];
  message_echoes?: WabaMessageEcho[];
  contacts?: WabaContact[];
  [key: string]: unknown;
}

/**
 * `value` of `standby`: conversation activity while another sender (e.g. Meta Business Agent) is
 * the active handler. Prefix idempotency keys with `standby:`.
 *
 * @see https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/standby
 */
export interface StandbyValue extends WabaMessagingValueBase {
  standby: WabaStandbyContent;
}

/** The handover `type` values seen so far. */
export type WabaKnownHandoverType = 'control_passed' | 'control_taken';

/** The business phone number of a handover (replaces `metadata`). */
export interface WabaHandoverRecipient {
  display_phone_number?: string;
  phone_number_id?: string;
}

/** The consumer of a handover. */
export interface WabaHandoverSender {
  phone_number?: string;
}

/** The control object of a handover (`control_passed`, `control_taken`, …). */
export interface WabaHandoverControl {
  metadata?: string;
  previous_owner_role?: OpenString<'ai_agent' | 'escalation'>;
  new_owner_role?: OpenString<'ai_agent' | 'escalation'>;
}

/**
 * `value` of `messaging_handovers`: thread control moved between your app and another sender.
 * Thin evidence: every key is optional and other keys are allowed.
 */
export interface MessagingHandoversValue {
  messaging_product?: 'whatsapp';
  recipient?: WabaHandoverRecipient;
  sender?: WabaHandoverSender;
  /** Unix seconds, as a string (an integer is accepted too). */
  timestamp?: string | number;
  type?: OpenString<WabaKnownHandoverType>;
  control_passed?: WabaHandoverControl;
  control_taken?: WabaHandoverControl;
  [key: string]: unknown;
}
