import type { OpenString } from './open-string.js';
import type { WabaKnownMessagingLimitTier } from './account.types.js';

/**
 * `value` of `phone_number_name_update`: the display-name review decision.
 *
 * @see https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/phone_number_name_update
 */
export interface PhoneNumberNameUpdateValue {
  display_phone_number: string;
  decision: OpenString<'APPROVED' | 'DEFERRED' | 'PENDING' | 'REJECTED'>;
  requested_verified_name: string;
  /** `null` when accepted (older payloads: `NONE`). */
  rejection_reason: OpenString<
    | 'NAME_EMPLOYEE_ISSUE'
    | 'NAME_ENDCLIENT_NOTRELATED'
    | 'NAME_FORMAT_UNACCEPTABLE'
    | 'NAME_INDIVIDUAL_ISSUE'
    | 'NAME_NOT_CONSISTENT'
    | 'UNKNOWN'
    | 'NONE'
  > | null;
}

/**
 * `value` of `phone_number_quality_update`: onboarding, throughput and messaging-limit changes.
 *
 * @see https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/phone_number_quality_update
 */
export interface PhoneNumberQualityUpdateValue {
  display_phone_number: string;
  event: OpenString<
    'ONBOARDING' | 'THROUGHPUT_UPGRADE' | 'UPGRADE' | 'DOWNGRADE' | 'FLAGGED' | 'UNFLAGGED'
  >;
  /** Only for messaging-limit changes. */
  old_limit?: OpenString<WabaKnownMessagingLimitTier>;
  /** Removed Feb 2026; replaced by `max_daily_conversations_per_business`. */
  current_limit?: OpenString<WabaKnownMessagingLimitTier>;
  max_daily_conversations_per_business?: OpenString<WabaKnownMessagingLimitTier>;
}

/**
 * `value` of `security`: two-step verification PIN changes.
 *
 * @see https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/security
 */
export interface SecurityValue {
  display_phone_number: string;
  /** Meta spells it `PIN_REQUEST_SUCCESS`; some third-party code uses `PIN_RESET_SUCCESS`. */
  event: OpenString<'PIN_CHANGED' | 'PIN_RESET_REQUEST' | 'PIN_REQUEST_SUCCESS'>;
  /** Meta Business Suite user ID; only on PIN reset requests. */
  requester?: string;
}

/** Weekly opening hours of the calling settings. */
export interface WabaCallHoursWeekly {
  day_of_week?: string;
  open_time?: string;
  close_time?: string;
}

/** A holiday closure of the calling settings. */
export interface WabaCallHoursHoliday {
  date?: string;
  start_time?: string;
  end_time?: string;
}

/** Business hours of the calling settings. */
export interface WabaCallHours {
  status?: string;
  timezone_id?: string;
  weekly_operating_hours?: WabaCallHoursWeekly[];
  holiday_schedule?: WabaCallHoursHoliday[];
}

/** A SIP server of the calling settings. */
export interface WabaSipServer {
  hostname?: string;
  [key: string]: unknown;
}

/** SIP settings of the calling settings. */
export interface WabaSipSettings {
  status?: string;
  servers?: WabaSipServer[];
}

/** Calling settings of a phone number (mirrors the Calling settings API). */
export interface WabaCallingSettings {
  status?: string;
  call_icon_visibility?: string;
  callback_permission_status?: string;
  call_hours?: WabaCallHours;
  sip?: WabaSipSettings;
}

/** The phone-number settings that changed. */
export interface WabaPhoneNumberSettings {
  phone_number_id?: string;
  calling?: WabaCallingSettings;
  [key: string]: unknown;
}

/**
 * `value` of `account_settings_update`: phone-number settings changes (e.g. calling). No public
 * reference: partial typing, other keys allowed.
 */
export interface AccountSettingsUpdateValue {
  phone_number_settings?: WabaPhoneNumberSettings;
  [key: string]: unknown;
}

/**
 * `value` of `consumer_profile`: named in Meta's override-capable field list, no payload
 * published. Delivered raw.
 */
export type ConsumerProfileValue = Record<string, unknown>;
