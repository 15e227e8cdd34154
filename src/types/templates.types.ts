import type { OpenString } from './open-string.js';

/** Template categories known so far. */
export type WabaKnownTemplateCategory = 'MARKETING' | 'UTILITY' | 'AUTHENTICATION';

/** `message_template_status_update.event` values known so far. */
export type WabaKnownTemplateStatusEvent =
  | 'APPROVED'
  | 'ARCHIVED'
  | 'UNARCHIVED'
  | 'DELETED'
  | 'DISABLED'
  | 'FLAGGED'
  | 'IN_APPEAL'
  | 'LIMIT_EXCEEDED'
  | 'LOCKED'
  | 'UNLOCKED'
  | 'PAUSED'
  | 'PENDING'
  | 'REINSTATED'
  | 'PENDING_DELETION'
  | 'REJECTED';

/** `message_template_status_update.reason` values known so far. */
export type WabaKnownTemplateRejectionReason =
  | 'ABUSIVE_CONTENT'
  | 'CATEGORY_NOT_AVAILABLE'
  | 'INCORRECT_CATEGORY'
  | 'INVALID_FORMAT'
  | 'NONE'
  | 'PROMOTIONAL'
  | 'SCAM'
  | 'TAG_CONTENT_MISMATCH';

/** Template quality scores known so far. */
export type WabaKnownTemplateQualityScore = 'GREEN' | 'YELLOW' | 'RED' | 'UNKNOWN';

/** Keys identifying the template in every template field. */
export interface WabaTemplateRef {
  /** Sent by Meta as a JSON number; normalised to a string. */
  message_template_id: string;
  message_template_name: string;
  /** e.g. `en_US`. */
  message_template_language: string;
}

/** When a template was disabled. */
export interface WabaTemplateDisableInfo {
  /** Unix seconds as an integer. */
  disable_date: number;
}

/** Pause or lock details of a template status change. */
export interface WabaTemplateOtherInfo {
  title: OpenString<
    'FIRST_PAUSE' | 'SECOND_PAUSE' | 'RATE_LIMITING_PAUSE' | 'UNPAUSE' | 'DISABLED'
  >;
  description: string;
}

/** Why an `INVALID_FORMAT` rejection happened and what to change. */
export interface WabaTemplateRejectionInfo {
  reason: string;
  recommendation: string;
}

/**
 * `value` of `message_template_status_update`: a template was approved, rejected, paused,
 * disabled, …
 *
 * @see https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/message_template_status_update
 */
export interface MessageTemplateStatusUpdateValue extends WabaTemplateRef {
  event: OpenString<WabaKnownTemplateStatusEvent>;
  /** `null` when the template is scheduled for deletion. */
  reason: OpenString<WabaKnownTemplateRejectionReason> | null;
  message_template_category?: OpenString<WabaKnownTemplateCategory>;
  /** `DISABLED` only. */
  disable_info?: WabaTemplateDisableInfo;
  /** Pause and lock events. */
  other_info?: WabaTemplateOtherInfo;
  /** `INVALID_FORMAT` rejections. */
  rejection_info?: WabaTemplateRejectionInfo;
}

/**
 * `value` of `message_template_quality_update`: a template's quality score changed.
 *
 * @see https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/message_template_quality_update
 */
export interface MessageTemplateQualityUpdateValue extends WabaTemplateRef {
  previous_quality_score: OpenString<WabaKnownTemplateQualityScore>;
  new_quality_score: OpenString<WabaKnownTemplateQualityScore>;
}

/** Template button types known so far. */
export type WabaKnownTemplateButtonType =
  | 'CATALOG'
  | 'COPY_CODE'
  | 'EXTENSION'
  | 'FLOW'
  | 'MPM'
  | 'ORDER_DETAILS'
  | 'OTP'
  | 'PHONE_NUMBER'
  | 'POSTBACK'
  | 'REMINDER'
  | 'SEND_LOCATION'
  | 'SPM'
  | 'QUICK_REPLY'
  | 'URL'
  | 'VOICE_CALL';

/** A button of an updated template. */
export interface WabaTemplateButton {
  message_template_button_type: OpenString<WabaKnownTemplateButtonType>;
  message_template_button_text: string;
  message_template_button_url?: string;
  message_template_button_phone_number?: string;
}

/**
 * `value` of `message_template_components_update`: a template's components were edited.
 *
 * @see https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/message_template_components_update
 */
export interface MessageTemplateComponentsUpdateValue extends WabaTemplateRef {
  /** Body text. */
  message_template_element: string;
  /** Only with a text header. */
  message_template_title?: string;
  /** Only with a footer. */
  message_template_footer?: string;
  message_template_buttons?: WabaTemplateButton[];
}

/**
 * `value` of `template_category_update`. Two variants, told apart by `correct_category`:
 * impending (recategorisation in 24 h: `correct_category`, `new_category` = current category,
 * `category_update_timestamp`) and completed (`previous_category`, `new_category`).
 *
 * @see https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/template_category_update
 */
export interface TemplateCategoryUpdateValue extends WabaTemplateRef {
  /** The current category on an impending change; the new one on a completed change. */
  new_category: OpenString<WabaKnownTemplateCategory>;
  /** Impending change: the category the template will get. */
  correct_category?: OpenString<WabaKnownTemplateCategory>;
  /** Impending change: unix seconds (integer) of the recategorisation. */
  category_update_timestamp?: number;
  /** Completed change: the former category. */
  previous_category?: OpenString<WabaKnownTemplateCategory>;
}
