import type { WabaField, WabaFieldValueMap } from '../../dto/waba-field.registry.js';
import { type DeepPartial, deepMerge } from './deep-merge.js';
import {
  WABA_TEST_IDS,
  type WabaWebhookPayload,
  changeWebhook,
  nextNumericId,
  nextWacid,
  nextWamid,
  nowSeconds,
  nowTimestamp,
} from './envelope.js';
import {
  type WebhookEntryOptions,
  inboundMessage,
  messagesValue,
  testMetadata,
} from './messages.js';

const TEMPLATE = () => ({
  // Meta sends the ID as a JSON number; the public type is the string the pipe normalises it to.
  message_template_id: WABA_TEST_IDS.templateId as unknown as string,
  message_template_name: WABA_TEST_IDS.templateName,
  message_template_language: 'en_US',
});

const messaging = () => ({ messaging_product: 'whatsapp' as const, metadata: testMetadata() });

const defaultContact = () => ({
  profile: { name: WABA_TEST_IDS.userName },
  wa_id: WABA_TEST_IDS.userWaId,
  user_id: WABA_TEST_IDS.userId,
});

const echo = () => ({
  from: WABA_TEST_IDS.displayPhoneNumber,
  to: WABA_TEST_IDS.userWaId,
  id: nextWamid(),
  timestamp: nowTimestamp(),
  type: 'text',
  text: { body: 'Thanks for your order! It ships tomorrow.' },
});

const group = (type: string, keys: Record<string, unknown>) => ({
  ...messaging(),
  groups: [
    {
      timestamp: nowTimestamp(),
      group_id: 'Y2FwaV9ncm91cDoxNTU1MDc4Mzg4MToxMjAzNjMwMjQ1NTU1MDcz',
      type,
      request_id: nextNumericId(),
      ...keys,
    },
  ],
});

type FieldDefaults = { [F in WabaField]: () => WabaFieldValueMap[F] };

/**
 * One realistic default `value` per field — for fields with variants, the most common one.
 * Messaging-type values carry `messaging_product` and the test phone number's `metadata`;
 * management values carry neither; IDs and timestamps are typed as Meta sends them.
 */
const FIELD_DEFAULTS: FieldDefaults = {
  account_alerts: () => ({
    entity_type: 'BUSINESS',
    entity_id: WABA_TEST_IDS.businessId,
    alert_info: {
      alert_severity: 'WARNING',
      alert_status: 'ACTIVE',
      alert_type: 'INCREASED_CAPABILITIES_ELIGIBILITY_DEFERRED',
      alert_description:
        'Your business is not yet eligible for increased messaging capabilities. We will check again soon.',
    },
  }),
  account_review_update: () => ({ decision: 'APPROVED' }),
  account_settings_update: () => ({
    phone_number_settings: {
      phone_number_id: WABA_TEST_IDS.phoneNumberId,
      calling: {
        status: 'ENABLED',
        call_icon_visibility: 'DEFAULT',
        callback_permission_status: 'ENABLED',
      },
    },
  }),
  account_update: () => ({
    event: 'ACCOUNT_VIOLATION',
    violation_info: { violation_type: 'ADULT' },
  }),
  automatic_events: () => ({
    ...messaging(),
    automatic_events: [
      {
        id: nextWamid(),
        event_name: 'LeadSubmitted',
        timestamp: nowSeconds(),
        ctwa_clid: 'test_ctwa_clid_0001',
      },
    ],
  }),
  business_capability_update: () => ({
    max_daily_conversations_per_business: 2000,
    max_phone_numbers_per_waba: 25,
  }),
  calls: () => ({
    ...messaging(),
    contacts: [defaultContact()],
    calls: [
      {
        id: nextWacid(),
        to: WABA_TEST_IDS.displayPhoneNumber,
        from: WABA_TEST_IDS.userWaId,
        event: 'connect',
        timestamp: nowTimestamp(),
        direction: 'USER_INITIATED',
        session: {
          sdp_type: 'offer',
          sdp: 'v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n',
        },
      },
    ],
  }),
  // No payload is published for this field; the default is an empty object.
  consumer_profile: () => ({}),
  flows: () => ({
    event: 'FLOW_STATUS_CHANGE',
    message: 'Flow Order feedback changed status from DRAFT to PUBLISHED',
    flow_id: '1042519843759218',
    old_status: 'DRAFT',
    new_status: 'PUBLISHED',
  }),
  group_lifecycle_update: () =>
    group('group_create', {
      subject: 'Order updates',
      description: 'Delivery news for our regular customers',
      invite_link: 'https://chat.whatsapp.com/TestInviteLinkCode0001',
      join_approval_mode: 'auto_approve',
    }),
  group_participants_update: () =>
    group('group_participants_add', {
      added_participants: [{ wa_id: WABA_TEST_IDS.userWaId, input: WABA_TEST_IDS.userWaId }],
    }),
  group_settings_update: () =>
    group('group_settings_update', {
      group_subject: { text: 'Order updates (EU)', update_successful: true },
    }),
  group_status_update: () => group('group_suspend', {}),
  history: () => ({
    ...messaging(),
    history: [
      {
        metadata: { phase: 0, chunk_order: 1, progress: 100 },
        threads: [
          {
            id: WABA_TEST_IDS.userWaId,
            messages: [
              {
                from: WABA_TEST_IDS.userWaId,
                id: nextWamid(),
                timestamp: nowTimestamp(),
                type: 'text',
                text: { body: 'Is the shop open on Sunday?' },
                history_context: { status: 'READ' },
              },
            ],
          },
        ],
      },
    ],
  }),
  message_echoes: () => ({ ...messaging(), message_echoes: [echo()] }),
  message_template_components_update: () => ({
    ...TEMPLATE(),
    message_template_element: 'Thank you for your order, {{1}}! It ships within {{2}} days.',
    message_template_title: 'Order confirmed',
    message_template_footer: 'Lucky Shrub',
    message_template_buttons: [
      {
        message_template_button_type: 'URL',
        message_template_button_text: 'Track order',
        message_template_button_url: 'https://www.example.com/orders/{{1}}',
      },
    ],
  }),
  message_template_quality_update: () => ({
    previous_quality_score: 'GREEN',
    new_quality_score: 'YELLOW',
    ...TEMPLATE(),
  }),
  message_template_status_update: () => ({
    event: 'APPROVED',
    ...TEMPLATE(),
    reason: 'NONE',
    message_template_category: 'UTILITY',
  }),
  messages: () => messagesValue({ messages: [inboundMessage('text')] }),
  messaging_handovers: () => ({
    messaging_product: 'whatsapp',
    recipient: {
      display_phone_number: WABA_TEST_IDS.displayPhoneNumber,
      phone_number_id: WABA_TEST_IDS.phoneNumberId,
    },
    sender: { phone_number: WABA_TEST_IDS.userWaId },
    timestamp: nowTimestamp(),
    type: 'control_passed',
    control_passed: {
      metadata: 'customer asked for a human agent',
      previous_owner_role: 'ai_agent',
      new_owner_role: 'escalation',
    },
  }),
  partner_solutions: () => ({
    event: 'SOLUTION_CREATED',
    solution_id: '1100294451336587',
    solution_status: 'INITIATED',
  }),
  payment_configuration_update: () => {
    const now = nowSeconds();
    return {
      configuration_name: 'razorpay-test',
      provider_name: 'razorpay',
      provider_mid: 'test_mid_0001',
      status: 'Active',
      created_timestamp: now - 86_400,
      updated_timestamp: now,
    };
  },
  phone_number_name_update: () => ({
    display_phone_number: WABA_TEST_IDS.displayPhoneNumber,
    decision: 'APPROVED',
    requested_verified_name: 'Lucky Shrub',
    rejection_reason: null,
  }),
  phone_number_quality_update: () => ({
    display_phone_number: WABA_TEST_IDS.displayPhoneNumber,
    event: 'ONBOARDING',
    max_daily_conversations_per_business: 'TIER_250',
  }),
  security: () => ({
    display_phone_number: WABA_TEST_IDS.displayPhoneNumber,
    event: 'PIN_CHANGED',
  }),
  smb_app_state_sync: () => ({
    ...messaging(),
    state_sync: [
      {
        type: 'contact',
        contact: {
          full_name: WABA_TEST_IDS.userName,
          first_name: 'Kerry',
          phone_number: WABA_TEST_IDS.userWaId,
        },
        action: 'add',
        metadata: { timestamp: nowTimestamp() },
      },
    ],
  }),
  smb_message_echoes: () => ({ ...messaging(), message_echoes: [echo()] }),
  standby: () => ({
    ...messaging(),
    standby: {
      contacts: [defaultContact()],
      messages: [inboundMessage('text', { text: { body: 'Can I talk to a person?' } })],
    },
  }),
  template_category_update: () => ({
    ...TEMPLATE(),
    previous_category: 'UTILITY',
    new_category: 'MARKETING',
  }),
  user_preferences: () => ({
    ...messaging(),
    contacts: [{ profile: { name: WABA_TEST_IDS.userName }, wa_id: WABA_TEST_IDS.userWaId }],
    user_preferences: [
      {
        wa_id: WABA_TEST_IDS.userWaId,
        detail: 'User requested to stop marketing messages',
        category: 'marketing_messages',
        value: 'stop',
        timestamp: nowSeconds(),
      },
    ],
  }),
};

/**
 * A realistic default `value` for any of the documented webhook fields, with the overrides
 * deep-merged over it (plain objects merge, arrays and primitives replace, `undefined` removes a
 * key). Management fields carry integer timestamps and `message_template_id` as a JSON number;
 * messaging fields carry `messaging_product`, the test `metadata` and string timestamps.
 *
 * Defaults for fields with variants: template status `APPROVED`, `account_update`
 * `ACCOUNT_VIOLATION`, `account_review_update` `APPROVED`, `messages` one inbound text,
 * `template_category_update` a completed recategorisation, `flows` `FLOW_STATUS_CHANGE`,
 * `calls` a user-initiated `connect`, groups `group_create` / `group_participants_add` /
 * `group_settings_update` / `group_suspend`; `consumer_profile` (undocumented) is `{}`.
 *
 * @param field the webhook field.
 * @param overrides deep-merged over the default value.
 * @example
 * const value = fieldValue('message_template_status_update', {
 *   event: 'REJECTED',
 *   reason: 'INVALID_FORMAT',
 * });
 */
export function fieldValue<F extends WabaField>(
  field: F,
  overrides?: DeepPartial<WabaFieldValueMap[F]>,
): WabaFieldValueMap[F] {
  const defaults = FIELD_DEFAULTS[field]();
  return deepMerge<WabaFieldValueMap[F]>(defaults, overrides);
}

/**
 * A whole webhook envelope with one change of the given field, its value built by
 * {@link fieldValue}. `entry.time` is now for management fields and absent for messaging
 * fields; `entry.id` is the test WABA (business portfolio for `partner_solutions`).
 *
 * @param field the webhook field.
 * @param overrides deep-merged over the field's default value.
 * @param options `entryId` and `time` of the entry.
 * @example
 * const payload = fieldWebhook('account_update', {
 *   event: 'DISABLED_UPDATE',
 *   violation_info: undefined,
 *   ban_info: { waba_ban_state: 'SCHEDULE_FOR_DISABLE', waba_ban_date: 'April 17, 2025' },
 * });
 */
export function fieldWebhook<F extends WabaField>(
  field: F,
  overrides?: DeepPartial<WabaFieldValueMap[F]>,
  options?: WebhookEntryOptions,
): WabaWebhookPayload<WabaFieldValueMap[F]> {
  return changeWebhook(field, fieldValue(field, overrides), options);
}

/**
 * A whole `message_template_status_update` envelope: template `order_confirmation` (`en_US`,
 * `UTILITY`) `APPROVED` with reason `NONE`, unless overridden.
 *
 * @example
 * const paused = templateStatusWebhook({
 *   event: 'PAUSED',
 *   other_info: { title: 'FIRST_PAUSE', description: 'Paused for 3 hours after low quality.' },
 * });
 */
export function templateStatusWebhook(
  overrides?: DeepPartial<WabaFieldValueMap['message_template_status_update']>,
  options?: WebhookEntryOptions,
): WabaWebhookPayload<WabaFieldValueMap['message_template_status_update']> {
  return fieldWebhook('message_template_status_update', overrides, options);
}
