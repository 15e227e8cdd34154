import type { OpenString } from './open-string.js';

/** Messaging-limit tiers known so far (`TIER_1K` is older, replaced by `TIER_2K`). */
export type WabaKnownMessagingLimitTier =
  | 'TIER_50'
  | 'TIER_250'
  | 'TIER_1K'
  | 'TIER_2K'
  | 'TIER_10K'
  | 'TIER_100K'
  | 'TIER_NOT_SET'
  | 'TIER_UNLIMITED';

/** Details of an account alert. */
export interface WabaAlertInfo {
  alert_severity: OpenString<'CRITICAL' | 'WARNING' | 'INFORMATIONAL'>;
  alert_status: OpenString<'ACTIVE' | 'NONE'>;
  alert_type: OpenString<
    | 'INCREASED_CAPABILITIES_ELIGIBILITY_DEFERRED'
    | 'INCREASED_CAPABILITIES_ELIGIBILITY_FAILED'
    | 'INCREASED_CAPABILITIES_ELIGIBILITY_NEED_MORE_INFO'
    | 'OBA_APPROVED'
    | 'OBA_REJECTED'
    | 'PROFILE_PICTURE_LOST'
  >;
  /** Free text. */
  alert_description: string;
}

/**
 * `value` of `account_alerts`: capability eligibility, official business account and profile
 * alerts.
 *
 * @see https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/account_alerts
 */
export interface AccountAlertsValue {
  entity_type: OpenString<'BUSINESS' | 'PHONE_NUMBER' | 'CURRENT_STATUS_ID'>;
  /** Business portfolio ID or phone number ID. */
  entity_id: string;
  alert_info: WabaAlertInfo;
}

/**
 * `value` of `account_review_update`: the WABA review decision.
 *
 * @see https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/account_review_update
 */
export interface AccountReviewUpdateValue {
  decision: OpenString<'APPROVED' | 'REJECTED' | 'PENDING' | 'DEFERRED'>;
}

/** `account_update.event` values known so far. */
export type WabaKnownAccountUpdateEvent =
  | 'ACCOUNT_DELETED'
  | 'ACCOUNT_VIOLATION'
  | 'ACCOUNT_RESTRICTION'
  | 'AD_ACCOUNT_LINKED'
  | 'AUTH_INTL_PRICE_ELIGIBILITY_UPDATE'
  | 'BUSINESS_PRIMARY_LOCATION_COUNTRY_UPDATE'
  | 'DISABLED_UPDATE'
  | 'MM_LITE_TERMS_SIGNED'
  | 'PARTNER_ADDED'
  | 'PARTNER_REMOVED'
  | 'PARTNER_APP_INSTALLED'
  | 'PARTNER_APP_UNINSTALLED'
  | 'PARTNER_CLIENT_CERTIFICATION_STATUS_UPDATE'
  | 'VOLUME_BASED_PRICING_TIER_UPDATE'
  | 'ACCOUNT_OFFBOARDED'
  | 'ACCOUNT_RECONNECTED'
  | 'VERIFIED_ACCOUNT'
  | 'BUSINESS_VERIFICATION_STATUS_UPDATE';

/** `ACCOUNT_VIOLATION` details. */
export interface WabaViolationInfo {
  violation_type: OpenString<'ADULT'>;
}

/** One restriction of an `ACCOUNT_RESTRICTION` event. */
export interface WabaRestrictionInfo {
  restriction_type: OpenString<
    | 'RESTRICTED_ADD_PHONE_NUMBER_ACTION'
    | 'RESTRICTED_BIZ_INITIATED_MESSAGING'
    | 'RESTRICTED_CUSTOMER_INITIATED_MESSAGING'
  >;
  /** Unix seconds (integer; a string is accepted too). */
  expiration?: number | string;
}

/**
 * The WABA an `account_update` is about. For partner events `entry.id` is the partner's business
 * portfolio: read the customer WABA here.
 */
export interface WabaAccountUpdateWabaInfo {
  /** The (customer) WABA ID. */
  waba_id: string;
  /** The (customer) business portfolio ID. */
  owner_business_id: string;
  /** `AD_ACCOUNT_LINKED` only. */
  ad_account_linked?: string;
  /** `PARTNER_APP_*` events. */
  partner_app_id?: string;
  /** Multi-partner solutions only. */
  solution_id?: string;
  /** Multi-partner solutions only. */
  solution_partner_business_ids?: string[];
}

/** A country exempted from the international authentication rate, and since when. */
export interface WabaAuthExceptionCountry {
  country_code: string;
  /** Unix seconds as an integer. */
  start_time: number;
}

/** `AUTH_INTL_PRICE_ELIGIBILITY_UPDATE` details. */
export interface WabaAuthInternationalRateEligibility {
  /** Unix seconds as an integer. */
  start_time: number;
  exception_countries: WabaAuthExceptionCountry[];
}

/** The known `ban_info.waba_ban_state` values. */
export type WabaKnownBanState = 'DISABLE' | 'REINSTATE' | 'SCHEDULE_FOR_DISABLE';

/** `DISABLED_UPDATE` details. */
export interface WabaBanInfo {
  /** A string in current docs, an array in older examples: both are accepted. */
  waba_ban_state: OpenString<WabaKnownBanState> | OpenString<WabaKnownBanState>[];
  /** Free text, e.g. `"April 17, 2025"`. */
  waba_ban_date: string;
}

/** `PARTNER_CLIENT_CERTIFICATION_STATUS_UPDATE` details. */
export interface WabaPartnerClientCertificationInfo {
  client_business_id: string;
  status: OpenString<'APPROVED' | 'DISCARDED' | 'FAILED' | 'PENDING' | 'REVOKED'>;
  /** Values contain spaces, e.g. `"ADDRESS NOT MATCHING"`, `"NONE"`. */
  rejection_reasons: string[];
}

/** `VOLUME_BASED_PRICING_TIER_UPDATE` details. */
export interface WabaVolumeTierInfo {
  /** Unix seconds as an integer. */
  tier_update_time: number;
  /** e.g. `UTILITY`. */
  pricing_category: string;
  /** `"min:max"`, e.g. `"25000001:50000000"`. */
  tier: string;
  /** `YYYY-MM`. */
  effective_month: string;
  /** e.g. `INDIA`. */
  region: string;
}

/** Why a coexistence business was disconnected (`PARTNER_REMOVED`). */
export interface WabaDisconnectionInfo {
  reason?: OpenString<
    | 'ACCOUNT_DISCONNECTED'
    | 'BUSINESS_DOWNGRADE'
    | 'CHANGE_NUMBER'
    | 'COMPANION_INACTIVITY'
    | 'PRIMARY_INACTIVITY'
    | 'USER_RE_REGISTERED'
  >;
  initiated_by?: OpenString<'SYSTEM' | 'USER'>;
}

/** Lock details seen on older `account_update` events. */
export interface WabaLockInfo {
  /** Unix seconds (integer or string). */
  expiration?: number | string;
}

/**
 * `value` of `account_update`: `event` plus the objects listed for that event (violations,
 * restrictions, bans, partner changes, pricing tiers, …).
 *
 * @see https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/account_update
 */
export interface AccountUpdateValue {
  event: OpenString<WabaKnownAccountUpdateEvent>;
  violation_info?: WabaViolationInfo;
  restriction_info?: WabaRestrictionInfo[];
  waba_info?: WabaAccountUpdateWabaInfo;
  auth_international_rate_eligibility?: WabaAuthInternationalRateEligibility;
  /** ISO 3166-1 alpha-2 (`BUSINESS_PRIMARY_LOCATION_COUNTRY_UPDATE`). */
  country?: string;
  ban_info?: WabaBanInfo;
  partner_client_certification_info?: WabaPartnerClientCertificationInfo;
  volume_tier_info?: WabaVolumeTierInfo;
  disconnection_info?: WabaDisconnectionInfo;
  /** Older events. */
  phone_number?: string;
  /** Older events. */
  lock_info?: WabaLockInfo;
}

/**
 * `value` of `business_capability_update`: messaging and phone-number limits of the business.
 *
 * @see https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/business_capability_update
 */
export interface BusinessCapabilityUpdateValue {
  /** Removed Feb 2026; `250`, `2000`, `10000`, `100000`, or `-1` (unlimited). */
  max_daily_conversation_per_phone?: number;
  /** A number in Meta's example, a `TIER_*` string in its table: both are accepted. */
  max_daily_conversations_per_business?: number | OpenString<WabaKnownMessagingLimitTier>;
  /** Only when the per-phone limit is 250. */
  max_phone_numbers_per_business?: number;
  /** Only when the per-phone limit is not 250. */
  max_phone_numbers_per_waba?: number;
}
