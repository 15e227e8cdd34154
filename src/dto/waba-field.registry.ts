import type {
  AccountAlertsValue,
  AccountReviewUpdateValue,
  AccountSettingsUpdateValue,
  AccountUpdateValue,
  AutomaticEventsValue,
  BusinessCapabilityUpdateValue,
  CallsValue,
  ConsumerProfileValue,
  FlowsValue,
  GroupLifecycleUpdateValue,
  GroupParticipantsUpdateValue,
  GroupSettingsUpdateValue,
  GroupStatusUpdateValue,
  HistoryValue,
  MessageEchoesValue,
  MessageTemplateComponentsUpdateValue,
  MessageTemplateQualityUpdateValue,
  MessageTemplateStatusUpdateValue,
  MessagingHandoversValue,
  PartnerSolutionsValue,
  PaymentConfigurationUpdateValue,
  PhoneNumberNameUpdateValue,
  PhoneNumberQualityUpdateValue,
  SecurityValue,
  SmbAppStateSyncValue,
  SmbMessageEchoesValue,
  StandbyValue,
  TemplateCategoryUpdateValue,
  UserPreferencesValue,
  WabaMessagesValue,
} from '../types/index.js';
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

declare const VALUE_TYPE: unique symbol;

/** Carries a field's value type for the compiler only; at run time it is an empty object. */
export interface FieldValueType<T> {
  readonly [VALUE_TYPE]?: T;
}

const NO_VALUE: FieldValueType<never> = Object.freeze({});

/** Names the type of a field's `value` in {@link WABA_FIELD_REGISTRY}. */
function valueType<T>(): FieldValueType<T> {
  return NO_VALUE;
}

/** One webhook field as the registry describes it. */
export interface WabaFieldSpec {
  /** `entry[].changes[].field`. */
  readonly name: string;
  /** The DTO the payload pipe validates `value` with; none: the value is delivered raw. */
  readonly dto: (new () => object) | undefined;
  /**
   * A messaging-type field: `value` carries `messaging_product` (and, but for
   * `messaging_handovers`, `metadata`) and Meta omits `entry[].time` (fields.md §1, `entry.time`).
   */
  readonly messaging: boolean;
  /** The type of `value` (`WabaFieldValueMap[name]`). */
  readonly value: FieldValueType<unknown>;
}

/**
 * Every WhatsApp Business Account webhook field, once: its name, the DTO that validates its
 * value, whether it is messaging-type, and its value type. The field union, `WABA_FIELDS`,
 * `WabaFieldValueMap`, the payload pipe's DTO map and the test kit's field builders all derive
 * from this list, in this order.
 *
 * @see https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/overview
 */
export const WABA_FIELD_REGISTRY = [
  {
    name: 'account_alerts',
    dto: AccountAlertsDto,
    messaging: false,
    value: valueType<AccountAlertsValue>(),
  },
  {
    name: 'account_review_update',
    dto: AccountReviewUpdateDto,
    messaging: false,
    value: valueType<AccountReviewUpdateValue>(),
  },
  {
    name: 'account_settings_update',
    dto: AccountSettingsUpdateDto,
    messaging: false,
    value: valueType<AccountSettingsUpdateValue>(),
  },
  {
    name: 'account_update',
    dto: AccountUpdateDto,
    messaging: false,
    value: valueType<AccountUpdateValue>(),
  },
  {
    name: 'automatic_events',
    dto: AutomaticEventsDto,
    messaging: true,
    value: valueType<AutomaticEventsValue>(),
  },
  {
    name: 'business_capability_update',
    dto: BusinessCapabilityUpdateDto,
    messaging: false,
    value: valueType<BusinessCapabilityUpdateValue>(),
  },
  { name: 'calls', dto: CallsDto, messaging: true, value: valueType<CallsValue>() },
  // Undocumented beyond its name: delivered raw, with an entry time like management fields.
  {
    name: 'consumer_profile',
    dto: undefined,
    messaging: false,
    value: valueType<ConsumerProfileValue>(),
  },
  { name: 'flows', dto: FlowsDto, messaging: false, value: valueType<FlowsValue>() },
  {
    name: 'group_lifecycle_update',
    dto: GroupLifecycleUpdateDto,
    messaging: true,
    value: valueType<GroupLifecycleUpdateValue>(),
  },
  {
    name: 'group_participants_update',
    dto: GroupParticipantsUpdateDto,
    messaging: true,
    value: valueType<GroupParticipantsUpdateValue>(),
  },
  {
    name: 'group_settings_update',
    dto: GroupSettingsUpdateDto,
    messaging: true,
    value: valueType<GroupSettingsUpdateValue>(),
  },
  {
    name: 'group_status_update',
    dto: GroupStatusUpdateDto,
    messaging: true,
    value: valueType<GroupStatusUpdateValue>(),
  },
  { name: 'history', dto: HistoryDto, messaging: true, value: valueType<HistoryValue>() },
  {
    name: 'message_echoes',
    dto: MessageEchoesDto,
    messaging: true,
    value: valueType<MessageEchoesValue>(),
  },
  {
    name: 'message_template_components_update',
    dto: MessageTemplateComponentsUpdateDto,
    messaging: false,
    value: valueType<MessageTemplateComponentsUpdateValue>(),
  },
  {
    name: 'message_template_quality_update',
    dto: MessageTemplateQualityUpdateDto,
    messaging: false,
    value: valueType<MessageTemplateQualityUpdateValue>(),
  },
  {
    name: 'message_template_status_update',
    dto: MessageTemplateStatusUpdateDto,
    messaging: false,
    value: valueType<MessageTemplateStatusUpdateValue>(),
  },
  { name: 'messages', dto: MessagesDto, messaging: true, value: valueType<WabaMessagesValue>() },
  {
    name: 'messaging_handovers',
    dto: MessagingHandoversDto,
    messaging: true,
    value: valueType<MessagingHandoversValue>(),
  },
  {
    name: 'partner_solutions',
    dto: PartnerSolutionsDto,
    messaging: false,
    value: valueType<PartnerSolutionsValue>(),
  },
  {
    name: 'payment_configuration_update',
    dto: PaymentConfigurationUpdateDto,
    messaging: false,
    value: valueType<PaymentConfigurationUpdateValue>(),
  },
  {
    name: 'phone_number_name_update',
    dto: PhoneNumberNameUpdateDto,
    messaging: false,
    value: valueType<PhoneNumberNameUpdateValue>(),
  },
  {
    name: 'phone_number_quality_update',
    dto: PhoneNumberQualityUpdateDto,
    messaging: false,
    value: valueType<PhoneNumberQualityUpdateValue>(),
  },
  { name: 'security', dto: SecurityDto, messaging: false, value: valueType<SecurityValue>() },
  {
    name: 'smb_app_state_sync',
    dto: SmbAppStateSyncDto,
    messaging: true,
    value: valueType<SmbAppStateSyncValue>(),
  },
  {
    name: 'smb_message_echoes',
    dto: SmbMessageEchoesDto,
    messaging: true,
    value: valueType<SmbMessageEchoesValue>(),
  },
  { name: 'standby', dto: StandbyDto, messaging: true, value: valueType<StandbyValue>() },
  {
    name: 'template_category_update',
    dto: TemplateCategoryUpdateDto,
    messaging: false,
    value: valueType<TemplateCategoryUpdateValue>(),
  },
  {
    name: 'user_preferences',
    dto: UserPreferencesDto,
    messaging: true,
    value: valueType<UserPreferencesValue>(),
  },
] as const satisfies readonly WabaFieldSpec[];

type Registry = typeof WABA_FIELD_REGISTRY;

/** The tuple of the entries' names, in order (a homomorphic mapped type keeps it a tuple). */
type NamesOf<Entries extends readonly WabaFieldSpec[]> = {
  readonly [I in keyof Entries]: Entries[I]['name'];
};

/** One entry of {@link WABA_FIELD_REGISTRY}, with its literal types. */
export type WabaFieldEntry = Registry[number];

/**
 * Every WhatsApp Business Account webhook field documented so far: the twelve of Meta's
 * original WABA field list plus the newer messaging, calling, groups and coexistence fields.
 *
 * @see https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/overview
 */
export const WABA_FIELDS = WABA_FIELD_REGISTRY.map(
  (entry) => entry.name,
) as unknown as NamesOf<Registry>;

/** The name of a documented WABA webhook field (`entry[].changes[].field`). */
export type WabaField = (typeof WABA_FIELDS)[number];

type FieldValues = {
  [E in WabaFieldEntry as E['name']]: E['value'] extends FieldValueType<infer V> ? V : never;
};

/**
 * The type of `entry[].changes[].value` for each WABA field, one key per entry of
 * `WABA_FIELDS`.
 *
 * @example
 * function onChange<F extends WabaField>(field: F, value: WabaFieldValueMap[F]) {}
 */
export interface WabaFieldValueMap extends FieldValues {}
