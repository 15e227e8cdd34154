import type { OpenString } from './open-string.js';
import type { WabaContact, WabaError, WabaMessagingValueBase } from './common.types.js';

/** SDP offer or answer of a `connect` call event (RFC 4566). */
export interface WabaCallSession {
  sdp_type: OpenString<'offer' | 'answer'>;
  sdp: string;
}

/**
 * A call event in `value.calls[]`: `connect` carries the SDP `session`, `terminate` the outcome
 * and duration.
 *
 * @see https://developers.facebook.com/documentation/business-messaging/whatsapp/calling/reference
 */
export interface WabaCall {
  /** `wacid.…`. */
  id: string;
  /** Caller phone number; may be replaced by `from_user_id` for username users. */
  from?: string;
  /** Callee phone number; may be replaced by `to_user_id` for username users. */
  to?: string;
  from_user_id?: string;
  to_user_id?: string;
  event: OpenString<'connect' | 'terminate'>;
  /** Unix seconds as a string. */
  timestamp: string;
  direction?: OpenString<'USER_INITIATED' | 'BUSINESS_INITIATED'>;
  /** `connect` only. */
  session?: WabaCallSession;
  /** `terminate` only. */
  status?: OpenString<'COMPLETED' | 'FAILED'>;
  /** Unix seconds, as a string or an integer (`terminate`). */
  start_time?: string | number;
  /** Unix seconds, as a string or an integer (`terminate`). */
  end_time?: string | number;
  /** Seconds (`terminate`). */
  duration?: number;
  biz_opaque_callback_data?: string;
  errors?: WabaError[];
  deeplink_payload?: string;
  cta_payload?: string;
}

/** Status of a business-initiated call in `value.statuses[]` of the `calls` field. */
export interface WabaCallStatus {
  /** `wacid.…`. */
  id: string;
  type: OpenString<'call'>;
  status: OpenString<'RINGING' | 'ACCEPTED' | 'REJECTED'>;
  /** Unix seconds as a string. */
  timestamp: string;
  recipient_id?: string;
  recipient_user_id?: string;
  biz_opaque_callback_data?: string;
}

/**
 * `value` of the `calls` field (WhatsApp Business Calling). Call-permission replies arrive on
 * `messages` instead.
 *
 * @see https://developers.facebook.com/documentation/business-messaging/whatsapp/calling/reference
 */
export interface CallsValue extends WabaMessagingValueBase {
  contacts?: WabaContact[];
  calls?: WabaCall[];
  statuses?: WabaCallStatus[];
  errors?: WabaError[];
}
