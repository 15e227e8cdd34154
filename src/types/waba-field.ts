/**
 * Every WhatsApp Business Account webhook field documented so far: the twelve of Meta's
 * original WABA field list plus the newer messaging, calling, groups and coexistence fields.
 *
 * @see https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/overview
 */
export const WABA_FIELDS = [
  'account_alerts',
  'account_review_update',
  'account_settings_update',
  'account_update',
  'automatic_events',
  'business_capability_update',
  'calls',
  'consumer_profile',
  'flows',
  'group_lifecycle_update',
  'group_participants_update',
  'group_settings_update',
  'group_status_update',
  'history',
  'message_echoes',
  'message_template_components_update',
  'message_template_quality_update',
  'message_template_status_update',
  'messages',
  'messaging_handovers',
  'partner_solutions',
  'payment_configuration_update',
  'phone_number_name_update',
  'phone_number_quality_update',
  'security',
  'smb_app_state_sync',
  'smb_message_echoes',
  'standby',
  'template_category_update',
  'user_preferences',
] as const;

/** The name of a documented WABA webhook field (`entry[].changes[].field`). */
export type WabaField = (typeof WABA_FIELDS)[number];

/**
 * An enum value Meta documents today, or any other string: Meta extends these enums without
 * notice, so an unknown value must type-check and validate.
 */
export type OpenString<Known extends string> = Known | (string & {});
