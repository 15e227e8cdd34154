import type { OpenString } from './open-string.js';
import type { WabaError, WabaMessagingValueBase } from './common.types.js';
import type {
  WabaEditPayload,
  WabaInboundMessage,
  WabaRevokePayload,
  WabaTextPayload,
} from './messages.types.js';

// ---------------------------------------------------------------------------------------------
// Message echoes
// ---------------------------------------------------------------------------------------------

/** The echo `type` values Meta documents; any other message type may appear. */
export type WabaKnownEchoType = 'text' | 'image' | 'video' | 'document' | 'revoke' | 'edit';

/** A media payload of an echoed message; which keys appear depends on how it was sent. */
export interface WabaEchoMediaPayload {
  id?: string;
  mime_type?: string;
  sha256?: string;
  caption?: string;
  filename?: string;
  url?: string;
}

/**
 * A message the business sent from another client on the same number (WhatsApp Business app,
 * linked device, or another sender such as Meta Business Agent). The payload sits under the key
 * named by `type`, with the same shapes as the send API, so unknown payload keys are allowed.
 *
 * @see https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/smb_message_echoes
 */
export interface WabaMessageEcho {
  /** Business display phone number. */
  from: string;
  /** User phone number; may be replaced by a BSUID key for username users. */
  to?: string;
  to_user_id?: string;
  /** wamid. */
  id: string;
  /** Unix seconds; documented as an integer but shown as a string, so both are accepted. */
  timestamp: string | number;
  type: OpenString<WabaKnownEchoType>;
  text?: WabaTextPayload;
  image?: WabaEchoMediaPayload;
  video?: WabaEchoMediaPayload;
  audio?: WabaEchoMediaPayload;
  document?: WabaEchoMediaPayload;
  sticker?: WabaEchoMediaPayload;
  edit?: WabaEditPayload;
  revoke?: WabaRevokePayload;
  [key: string]: unknown;
}

/**
 * `value` of `smb_message_echoes`: messages a coexistence business sent from the WhatsApp
 * Business app or a linked device, including edits and deletions.
 *
 * @see https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/smb_message_echoes
 */
export interface SmbMessageEchoesValue extends WabaMessagingValueBase {
  message_echoes: WabaMessageEcho[];
}

/**
 * `value` of `message_echoes`: outbound messages sent by another sender on the number (e.g. Meta
 * Business Agent). Thin evidence: assumed to match `smb_message_echoes`.
 */
export interface MessageEchoesValue extends WabaMessagingValueBase {
  message_echoes: WabaMessageEcho[];
  [key: string]: unknown;
}

// ---------------------------------------------------------------------------------------------
// App state sync
// ---------------------------------------------------------------------------------------------

/** A WhatsApp Business app contact; names are omitted on `remove`. */
export interface WabaStateSyncContact {
  full_name?: string;
  first_name?: string;
  phone_number: string;
}

/** Metadata of a state-sync item. */
export interface WabaStateSyncMetadata {
  /** Unix seconds; documented as an integer but shown quoted, so both are accepted. */
  timestamp: string | number;
}

/**
 * One item of `value.state_sync[]`. The object named by `type` (`contact`) is optional so that
 * item types added later still fit.
 */
export interface WabaStateSyncItem {
  type: OpenString<'contact'>;
  contact?: WabaStateSyncContact;
  /** `add` covers both added and edited contacts. */
  action: OpenString<'add' | 'remove'>;
  metadata: WabaStateSyncMetadata;
}

/**
 * `value` of `smb_app_state_sync`: WhatsApp Business app contact book changes of a coexistence
 * business.
 *
 * @see https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/smb_app_state_sync
 */
export interface SmbAppStateSyncValue extends WabaMessagingValueBase {
  state_sync: WabaStateSyncItem[];
}

// ---------------------------------------------------------------------------------------------
// History
// ---------------------------------------------------------------------------------------------

/** Progress of a history sync. */
export interface WabaHistoryMetadata {
  /** 0–2. */
  phase: number;
  chunk_order: number;
  /** 0–100; 100 = done. */
  progress: number;
}

/** Delivery state of a synced message (values not enumerated by Meta). */
export interface WabaHistoryContext {
  status: string;
}

/**
 * A synced message: an inbound-message shape plus `to` and `history_context`. History-only
 * types (`media_placeholder`, `poll_creation`, …) arrive as unknown-type messages.
 */
export type WabaHistoryMessage = WabaInboundMessage & {
  to?: string;
  history_context: WabaHistoryContext;
};

/** One chat of a history chunk; `id` is the user's number. */
export interface WabaHistoryThread {
  id: string;
  messages: WabaHistoryMessage[];
}

/** One chunk of `value.history[]`. */
export interface WabaHistoryChunk {
  metadata: WabaHistoryMetadata;
  threads?: WabaHistoryThread[];
  /** e.g. the business declined to share its history. */
  errors?: WabaError[];
}

/**
 * `value` of `history`: chat-history sync during coexistence onboarding; payloads can be large.
 *
 * @see https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/history
 */
export interface HistoryValue extends WabaMessagingValueBase {
  history: WabaHistoryChunk[];
}
