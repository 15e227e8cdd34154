import type { WabaField } from './waba-field.js';
import type {
  AccountAlertsValue,
  AccountReviewUpdateValue,
  AccountUpdateValue,
  BusinessCapabilityUpdateValue,
} from './account.types.js';
import type { CallsValue } from './calls.types.js';
import type {
  HistoryValue,
  MessageEchoesValue,
  SmbAppStateSyncValue,
  SmbMessageEchoesValue,
} from './coexistence.types.js';
import type { FlowsValue } from './flows.types.js';
import type {
  GroupLifecycleUpdateValue,
  GroupParticipantsUpdateValue,
  GroupSettingsUpdateValue,
  GroupStatusUpdateValue,
} from './groups.types.js';
import type { MessagingHandoversValue, StandbyValue } from './handover.types.js';
import type { AutomaticEventsValue, UserPreferencesValue } from './marketing.types.js';
import type { WabaMessagesValue } from './messages.types.js';
import type { PartnerSolutionsValue, PaymentConfigurationUpdateValue } from './partner.types.js';
import type {
  AccountSettingsUpdateValue,
  ConsumerProfileValue,
  PhoneNumberNameUpdateValue,
  PhoneNumberQualityUpdateValue,
  SecurityValue,
} from './phone-number.types.js';
import type {
  MessageTemplateComponentsUpdateValue,
  MessageTemplateQualityUpdateValue,
  MessageTemplateStatusUpdateValue,
  TemplateCategoryUpdateValue,
} from './templates.types.js';

/**
 * The type of `entry[].changes[].value` for each WABA field, one key per entry of
 * `WABA_FIELDS`.
 *
 * @example
 * function onChange<F extends WabaField>(field: F, value: WabaFieldValueMap[F]) {}
 */
export interface WabaFieldValueMap {
  account_alerts: AccountAlertsValue;
  account_review_update: AccountReviewUpdateValue;
  account_settings_update: AccountSettingsUpdateValue;
  account_update: AccountUpdateValue;
  automatic_events: AutomaticEventsValue;
  business_capability_update: BusinessCapabilityUpdateValue;
  calls: CallsValue;
  consumer_profile: ConsumerProfileValue;
  flows: FlowsValue;
  group_lifecycle_update: GroupLifecycleUpdateValue;
  group_participants_update: GroupParticipantsUpdateValue;
  group_settings_update: GroupSettingsUpdateValue;
  group_status_update: GroupStatusUpdateValue;
  history: HistoryValue;
  message_echoes: MessageEchoesValue;
  message_template_components_update: MessageTemplateComponentsUpdateValue;
  message_template_quality_update: MessageTemplateQualityUpdateValue;
  message_template_status_update: MessageTemplateStatusUpdateValue;
  messages: WabaMessagesValue;
  messaging_handovers: MessagingHandoversValue;
  partner_solutions: PartnerSolutionsValue;
  payment_configuration_update: PaymentConfigurationUpdateValue;
  phone_number_name_update: PhoneNumberNameUpdateValue;
  phone_number_quality_update: PhoneNumberQualityUpdateValue;
  security: SecurityValue;
  smb_app_state_sync: SmbAppStateSyncValue;
  smb_message_echoes: SmbMessageEchoesValue;
  standby: StandbyValue;
  template_category_update: TemplateCategoryUpdateValue;
  user_preferences: UserPreferencesValue;
}

// Compile-time check: the map has exactly the keys of WABA_FIELDS (fails to compile otherwise).
type _Equals<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type _Assert<T extends true> = T;
type _WabaFieldValueMapIsComplete = _Assert<_Equals<keyof WabaFieldValueMap, WabaField>>;
