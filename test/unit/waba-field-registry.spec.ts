/**
 * The field registry (src/dto/waba-field.registry.ts) against the declarations it replaced,
 * copied here as they were: the same field names in the same order, the same `WabaField`
 * union, a `WabaFieldValueMap` identical to the former interface (type-level, checked by
 * `npm run typecheck`, which compiles test/), the same DTO per field and the same
 * messaging-type fields.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { FIELD_VALUE_DTOS } from '../../src/dto/field-value-dtos.js';
import { WABA_FIELD_REGISTRY } from '../../src/dto/waba-field.registry.js';
import type { WabaFieldValue } from '../../src/events/waba-events.types.js';
import { WABA_FIELDS, type WabaField, type WabaFieldValueMap } from '../../src/index.js';
import { isMessagingField } from '../../src/testing/builders/envelope.js';
import * as legacyPath from '../../src/types/waba-field.js';
import type {
  AccountAlertsValue,
  AccountReviewUpdateValue,
  AccountUpdateValue,
  BusinessCapabilityUpdateValue,
} from '../../src/types/account.types.js';
import type { CallsValue } from '../../src/types/calls.types.js';
import type {
  HistoryValue,
  MessageEchoesValue,
  SmbAppStateSyncValue,
  SmbMessageEchoesValue,
} from '../../src/types/coexistence.types.js';
import type { FlowsValue } from '../../src/types/flows.types.js';
import type {
  GroupLifecycleUpdateValue,
  GroupParticipantsUpdateValue,
  GroupSettingsUpdateValue,
  GroupStatusUpdateValue,
} from '../../src/types/groups.types.js';
import type { MessagingHandoversValue, StandbyValue } from '../../src/types/handover.types.js';
import type {
  AutomaticEventsValue,
  UserPreferencesValue,
} from '../../src/types/marketing.types.js';
import type { WabaMessagesValue } from '../../src/types/messages.types.js';
import type {
  PartnerSolutionsValue,
  PaymentConfigurationUpdateValue,
} from '../../src/types/partner.types.js';
import type {
  AccountSettingsUpdateValue,
  ConsumerProfileValue,
  PhoneNumberNameUpdateValue,
  PhoneNumberQualityUpdateValue,
  SecurityValue,
} from '../../src/types/phone-number.types.js';
import type {
  MessageTemplateComponentsUpdateValue,
  MessageTemplateQualityUpdateValue,
  MessageTemplateStatusUpdateValue,
  TemplateCategoryUpdateValue,
} from '../../src/types/templates.types.js';

import { AccountAlertsDto } from '../../src/dto/account-alerts.dto.js';
import { AccountReviewUpdateDto } from '../../src/dto/account-review-update.dto.js';
import { AccountSettingsUpdateDto } from '../../src/dto/account-settings-update.dto.js';
import { AccountUpdateDto } from '../../src/dto/account-update.dto.js';
import { AutomaticEventsDto } from '../../src/dto/automatic-events.dto.js';
import { BusinessCapabilityUpdateDto } from '../../src/dto/business-capability-update.dto.js';
import { CallsDto } from '../../src/dto/calls.dto.js';
import { FlowsDto } from '../../src/dto/flows.dto.js';
import { GroupLifecycleUpdateDto } from '../../src/dto/group-lifecycle-update.dto.js';
import { GroupParticipantsUpdateDto } from '../../src/dto/group-participants-update.dto.js';
import { GroupSettingsUpdateDto } from '../../src/dto/group-settings-update.dto.js';
import { GroupStatusUpdateDto } from '../../src/dto/group-status-update.dto.js';
import { HistoryDto } from '../../src/dto/history.dto.js';
import { MessageEchoesDto } from '../../src/dto/message-echoes.dto.js';
import { MessageTemplateComponentsUpdateDto } from '../../src/dto/message-template-components-update.dto.js';
import { MessageTemplateQualityUpdateDto } from '../../src/dto/message-template-quality-update.dto.js';
import { MessageTemplateStatusUpdateDto } from '../../src/dto/message-template-status-update.dto.js';
import { MessagesDto } from '../../src/dto/messages.dto.js';
import { MessagingHandoversDto } from '../../src/dto/messaging-handovers.dto.js';
import { PartnerSolutionsDto } from '../../src/dto/partner-solutions.dto.js';
import { PaymentConfigurationUpdateDto } from '../../src/dto/payment-configuration-update.dto.js';
import { PhoneNumberNameUpdateDto } from '../../src/dto/phone-number-name-update.dto.js';
import { PhoneNumberQualityUpdateDto } from '../../src/dto/phone-number-quality-update.dto.js';
import { SecurityDto } from '../../src/dto/security.dto.js';
import { SmbAppStateSyncDto } from '../../src/dto/smb-app-state-sync.dto.js';
import { SmbMessageEchoesDto } from '../../src/dto/smb-message-echoes.dto.js';
import { StandbyDto } from '../../src/dto/standby.dto.js';
import { TemplateCategoryUpdateDto } from '../../src/dto/template-category-update.dto.js';
import { UserPreferencesDto } from '../../src/dto/user-preferences.dto.js';

const LEGACY_WABA_FIELDS = [
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

type LegacyWabaField = (typeof LEGACY_WABA_FIELDS)[number];

interface LegacyWabaFieldValueMap {
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

const LEGACY_FIELD_VALUE_DTOS: Readonly<Partial<Record<WabaField, new () => object>>> = {
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

const LEGACY_MESSAGING_FIELDS = [
  'automatic_events',
  'calls',
  'group_lifecycle_update',
  'group_participants_update',
  'group_settings_update',
  'group_status_update',
  'history',
  'message_echoes',
  'messages',
  'messaging_handovers',
  'smb_app_state_sync',
  'smb_message_echoes',
  'standby',
  'user_preferences',
];

/** True only when A and B are identical to the compiler (not merely mutually assignable). */
type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Assert<T extends true> = T;

// Compile-time proofs: each line fails `npm run typecheck` if the derived type differs.
export type RegistryTypeChecks = [
  Assert<Equal<typeof WABA_FIELDS, typeof LEGACY_WABA_FIELDS>>,
  Assert<Equal<WabaField, LegacyWabaField>>,
  Assert<Equal<WabaFieldValueMap, LegacyWabaFieldValueMap>>,
  Assert<Equal<keyof WabaFieldValueMap, LegacyWabaField>>,
  Assert<
    Equal<
      { [F in WabaField]: WabaFieldValueMap[F] },
      { [F in WabaField]: LegacyWabaFieldValueMap[F] }
    >
  >,
  Assert<Equal<typeof legacyPath.WABA_FIELDS, typeof LEGACY_WABA_FIELDS>>,
  Assert<Equal<legacyPath.WabaField, LegacyWabaField>>,
  Assert<Equal<typeof FIELD_VALUE_DTOS, typeof LEGACY_FIELD_VALUE_DTOS>>,
];

describe('the field registry', () => {
  it('derives the same types as the former declarations', () => {
    expectTypeOf(WABA_FIELDS).toEqualTypeOf<typeof LEGACY_WABA_FIELDS>();
    expectTypeOf<WabaField>().toEqualTypeOf<LegacyWabaField>();
    expectTypeOf<WabaFieldValueMap>().toEqualTypeOf<LegacyWabaFieldValueMap>();
    expectTypeOf<WabaFieldValueMap['messages']>().toEqualTypeOf<WabaMessagesValue>();
    expectTypeOf<WabaFieldValue<'calls'>>().toEqualTypeOf<CallsValue>();
    expectTypeOf<WabaFieldValue<'consumer_profile'>>().toEqualTypeOf<ConsumerProfileValue>();
  });

  it('lists the 30 fields once, in the former order', () => {
    expect(WABA_FIELDS).toEqual([...LEGACY_WABA_FIELDS]);
    expect(legacyPath.WABA_FIELDS).toBe(WABA_FIELDS);
    expect(new Set(WABA_FIELDS).size).toBe(30);
    expect(WABA_FIELD_REGISTRY.map((entry) => entry.name)).toEqual(WABA_FIELDS);
  });

  it('maps each field to the same DTO class as before', () => {
    expect(Object.keys(FIELD_VALUE_DTOS)).toEqual(Object.keys(LEGACY_FIELD_VALUE_DTOS));
    for (const field of WABA_FIELDS) {
      expect(FIELD_VALUE_DTOS[field], field).toBe(LEGACY_FIELD_VALUE_DTOS[field]);
    }
    expect(Object.hasOwn(FIELD_VALUE_DTOS, 'consumer_profile')).toBe(false);
  });

  it('flags the same messaging-type fields (no entry.time) for the test kit', () => {
    expect(WABA_FIELDS.filter(isMessagingField)).toEqual(LEGACY_MESSAGING_FIELDS);
    for (const entry of WABA_FIELD_REGISTRY) {
      expect(isMessagingField(entry.name), entry.name).toBe(entry.messaging);
    }
    for (const unknown of ['tracking_events', '__proto__', 'constructor', '']) {
      expect(isMessagingField(unknown), unknown).toBe(false);
    }
  });
});
