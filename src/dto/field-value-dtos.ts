import type { WabaField } from '../types/waba-field.js';
import { AccountAlertsDto } from './account-alerts.dto.js';
import { AccountReviewUpdateDto } from './account-review-update.dto.js';
import { AccountSettingsUpdateDto } from './account-settings-update.dto.js';
import { AccountUpdateDto } from './account-update.dto.js';
import { AutomaticEventsDto } from './automatic-events.dto.js';
import { BusinessCapabilityUpdateDto } from './business-capability-update.dto.js';
import { CallsDto } from './calls.dto.js';
import { FlowsDto } from './flows.dto.js';
import { GroupLifecycleUpdateDto } from './group-lifecycle-update.dto.js';
import { GroupParticipantsUpdateDto } from './group-participants-update.dto.js';
import { GroupSettingsUpdateDto } from './group-settings-update.dto.js';
import { GroupStatusUpdateDto } from './group-status-update.dto.js';
import { HistoryDto } from './history.dto.js';
import { MessageEchoesDto } from './message-echoes.dto.js';
import { MessageTemplateComponentsUpdateDto } from './message-template-components-update.dto.js';
import { MessageTemplateQualityUpdateDto } from './message-template-quality-update.dto.js';
import { MessageTemplateStatusUpdateDto } from './message-template-status-update.dto.js';
import { MessagesDto } from './messages.dto.js';
import { MessagingHandoversDto } from './messaging-handovers.dto.js';
import { PartnerSolutionsDto } from './partner-solutions.dto.js';
import { PaymentConfigurationUpdateDto } from './payment-configuration-update.dto.js';
import { PhoneNumberNameUpdateDto } from './phone-number-name-update.dto.js';
import { PhoneNumberQualityUpdateDto } from './phone-number-quality-update.dto.js';
import { SecurityDto } from './security.dto.js';
import { SmbAppStateSyncDto } from './smb-app-state-sync.dto.js';
import { SmbMessageEchoesDto } from './smb-message-echoes.dto.js';
import { StandbyDto } from './standby.dto.js';
import { TemplateCategoryUpdateDto } from './template-category-update.dto.js';
import { UserPreferencesDto } from './user-preferences.dto.js';

/**
 * The DTO that validates `entry[].changes[].value` of each field. A field without an entry
 * (`consumer_profile`, and any field Meta adds later) is delivered raw, unvalidated.
 */
export const FIELD_VALUE_DTOS: Readonly<Partial<Record<WabaField, new () => object>>> = {
  account_alerts: AccountAlertsDto,
  account_review_update: AccountReviewUpdateDto,
  account_settings_update: AccountSettingsUpdateDto,
  account_update: AccountUpdateDto,
  automatic_events: AutomaticEventsDto,
  business_capability_update: BusinessCapabilityUpdateDto,
  calls: CallsDto,
  flows: FlowsDto,
  group_lifecycle_update: GroupLifecycleUpdateDto,
  group_participants_update: GroupParticipantsUpdateDto,
  group_settings_update: GroupSettingsUpdateDto,
  group_status_update: GroupStatusUpdateDto,
  history: HistoryDto,
  message_echoes: MessageEchoesDto,
  message_template_components_update: MessageTemplateComponentsUpdateDto,
  message_template_quality_update: MessageTemplateQualityUpdateDto,
  message_template_status_update: MessageTemplateStatusUpdateDto,
  messages: MessagesDto,
  messaging_handovers: MessagingHandoversDto,
  partner_solutions: PartnerSolutionsDto,
  payment_configuration_update: PaymentConfigurationUpdateDto,
  phone_number_name_update: PhoneNumberNameUpdateDto,
  phone_number_quality_update: PhoneNumberQualityUpdateDto,
  security: SecurityDto,
  smb_app_state_sync: SmbAppStateSyncDto,
  smb_message_echoes: SmbMessageEchoesDto,
  standby: StandbyDto,
  template_category_update: TemplateCategoryUpdateDto,
  user_preferences: UserPreferencesDto,
};
