import 'reflect-metadata';
import { describe, it, expect } from 'vitest';
import { plainToInstance } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';
import { FIELD_VALUE_DTOS } from '../../src/dto/field-value-dtos.js';
import { InboundMessageDto } from '../../src/dto/shared/inbound-message.dto.js';
import { MessageStatusDto } from '../../src/dto/shared/message-status.dto.js';
import { SystemPayloadDto } from '../../src/dto/shared/message-payloads.dto.js';
import { WABA_FIELDS, type WabaField } from '../../src/types/waba-field.js';
import { WABA_INBOUND_MESSAGE_TYPES } from '../../src/types/index.js';
import { FIELD_VALUE_EXAMPLES, INBOUND_MESSAGE_EXAMPLES } from '../fixtures/field-values.js';

type Json = Record<string, any>;

/** Flattens class-validator errors to `path: constraint` strings for readable assertions. */
function flatten(errors: ValidationError[], prefix = 'value'): string[] {
  return errors.flatMap((error) => {
    const path = `${prefix}.${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((message) => `${path}: ${message}`);
    return [...own, ...flatten(error.children ?? [], path)];
  });
}

/** Validates `value` exactly as the payload pipe does. */
async function check(
  field: WabaField,
  value: object,
): Promise<{ instance: Json; errors: string[] }> {
  const Dto = FIELD_VALUE_DTOS[field];
  if (!Dto) throw new Error(`no DTO for ${field}`);
  const instance = plainToInstance(Dto, structuredClone(value)) as Json;
  const errors = await validate(instance, { forbidUnknownValues: false });
  return { instance, errors: flatten(errors) };
}

/** A deep copy of a field's example, changed by `mutate`. */
function example(field: WabaField, mutate: (value: Json) => void = () => {}): Json {
  const value = structuredClone(FIELD_VALUE_EXAMPLES[field]) as Json;
  mutate(value);
  return value;
}

/** A `messages` value carrying the given messages. */
function messagesValue(...messages: object[]): Json {
  return example('messages', (v) => {
    v.messages = messages;
    delete v.statuses;
  });
}

const VALIDATED_FIELDS = WABA_FIELDS.filter((field) => field !== 'consumer_profile');

describe('FIELD_VALUE_DTOS', () => {
  it('has a DTO for every field except the raw-only consumer_profile', () => {
    expect(Object.keys(FIELD_VALUE_DTOS).sort()).toEqual([...VALIDATED_FIELDS].sort());
    expect(FIELD_VALUE_DTOS.consumer_profile).toBeUndefined();
  });

  it('has an example for every field', () => {
    expect(Object.keys(FIELD_VALUE_EXAMPLES).sort()).toEqual([...WABA_FIELDS].sort());
  });
});

describe.each(VALIDATED_FIELDS)('%s value', (field) => {
  it('validates the example with no errors', async () => {
    const { errors } = await check(field, FIELD_VALUE_EXAMPLES[field]);
    expect(errors).toEqual([]);
  });

  it('keeps unknown extra keys untouched and still validates', async () => {
    const extra = { nested: { list: [1, 'two', null] }, flag: true };
    const { instance, errors } = await check(
      field,
      example(field, (v) => {
        v.future_key = extra;
      }),
    );
    expect(errors).toEqual([]);
    expect(instance.future_key).toEqual(extra);
  });
});

describe('management fields', () => {
  const MANAGEMENT: WabaField[] = [
    'account_alerts',
    'account_review_update',
    'account_update',
    'business_capability_update',
    'flows',
    'message_template_components_update',
    'message_template_quality_update',
    'message_template_status_update',
    'partner_solutions',
    'payment_configuration_update',
    'phone_number_name_update',
    'phone_number_quality_update',
    'security',
    'template_category_update',
  ];

  it.each(MANAGEMENT)('%s validates without messaging_product / metadata', async (field) => {
    const value = example(field);
    expect(value).not.toHaveProperty('metadata');
    expect(value).not.toHaveProperty('messaging_product');
    const { errors } = await check(field, value);
    expect(errors).toEqual([]);
  });
});

describe('unknown enum values', () => {
  const CASES: [WabaField, string, (v: Json) => void][] = [
    ['messages', 'statuses[].status', (v) => (v.statuses[0].status = 'deleted_by_meta')],
    ['messages', 'pricing.category', (v) => (v.statuses[0].pricing.category = 'group_ai')],
    ['messages', 'pricing.pricing_model', (v) => (v.statuses[0].pricing.pricing_model = 'NEW')],
    ['messages', 'conversation.origin.type', (v) => (v.statuses[0].conversation.origin.type = 'x')],
    ['messages', 'user_actions[].action_type', (v) => (v.user_actions[0].action_type = 'reply')],
    [
      'messages',
      'referral.source_type',
      (v) =>
        (v.messages = [
          {
            ...INBOUND_MESSAGE_EXAMPLES.image,
            referral: {
              ...(INBOUND_MESSAGE_EXAMPLES.image.referral as Json),
              source_type: 'story',
            },
          },
        ]),
    ],
    ['message_template_status_update', 'event', (v) => (v.event = 'SOMETHING_NEW')],
    ['message_template_status_update', 'reason', (v) => (v.reason = 'BRAND_NEW_REASON')],
    ['message_template_quality_update', 'score', (v) => (v.new_quality_score = 'PURPLE')],
    ['template_category_update', 'category', (v) => (v.new_category = 'SERVICE')],
    ['account_update', 'event', (v) => (v.event = 'SOME_FUTURE_EVENT')],
    ['account_alerts', 'alert_type', (v) => (v.alert_info.alert_type = 'NEW_ALERT')],
    ['account_review_update', 'decision', (v) => (v.decision = 'ESCALATED')],
    [
      'phone_number_quality_update',
      'tier',
      (v) => (v.max_daily_conversations_per_business = 'TIER_1M'),
    ],
    ['security', 'event', (v) => (v.event = 'PIN_RESET_SUCCESS')],
    ['calls', 'event', (v) => (v.calls[0].event = 'ringing')],
    ['group_status_update', 'type', (v) => (v.groups[0].type = 'group_archived')],
    ['flows', 'event', (v) => (v.event = 'FLOW_SOMETHING')],
    ['payment_configuration_update', 'status', (v) => (v.status = 'Suspended')],
    ['partner_solutions', 'solution_status', (v) => (v.solution_status = 'ARCHIVED')],
    ['user_preferences', 'value', (v) => (v.user_preferences[0].value = 'snooze')],
    ['automatic_events', 'event_name', (v) => (v.automatic_events[0].event_name = 'AddToCart')],
    ['smb_app_state_sync', 'type', (v) => (v.state_sync[0].type = 'label')],
    ['smb_message_echoes', 'type', (v) => (v.message_echoes[0].type = 'poll_creation')],
  ];

  it.each(CASES)('%s: unknown %s passes and is kept', async (field, _label, mutate) => {
    const value = example(field, mutate);
    const { instance, errors } = await check(field, value);
    expect(errors).toEqual([]);
    expect(JSON.parse(JSON.stringify(instance))).toEqual(
      field.startsWith('message_template') || field === 'template_category_update'
        ? { ...value, message_template_id: String(value.message_template_id) }
        : value,
    );
  });
});

describe('messages: inbound message types', () => {
  it('knows the 18 message types of fields.md §2.5', () => {
    expect(WABA_INBOUND_MESSAGE_TYPES).toHaveLength(18);
    expect(Object.keys(INBOUND_MESSAGE_EXAMPLES).sort()).toEqual(
      [...WABA_INBOUND_MESSAGE_TYPES].sort(),
    );
  });

  it.each(WABA_INBOUND_MESSAGE_TYPES)(
    'validates a %s message and keeps its payload',
    async (type) => {
      const message = INBOUND_MESSAGE_EXAMPLES[type];
      const { instance, errors } = await check('messages', messagesValue(message));
      expect(errors).toEqual([]);
      expect(instance.messages[0]).toBeInstanceOf(InboundMessageDto);
      expect(JSON.parse(JSON.stringify(instance.messages[0]))).toEqual(message);
    },
  );

  it('validates an unknown type (poll) with its own payload key, kept as received', async () => {
    const poll = {
      from: '16505551234',
      id: 'wamid.POLL',
      timestamp: '1750030073',
      type: 'poll',
      poll: { question: 'Pickup or delivery?', options: [{ id: 1, name: 'Pickup' }] },
    };
    const { instance, errors } = await check('messages', messagesValue(poll));
    expect(errors).toEqual([]);
    expect(instance.messages[0].poll).toEqual(poll.poll);
  });

  it('accepts an interactive message that lost its interactive object but carries errors', async () => {
    const message = {
      from: '16505551234',
      id: 'wamid.BROKEN',
      timestamp: '1750030073',
      type: 'interactive',
      errors: [{ code: 131000, title: 'Something went wrong' }],
    };
    const { errors } = await check('messages', messagesValue(message));
    expect(errors).toEqual([]);
  });

  it('accepts a username user message without from, identified by from_user_id', async () => {
    const { from: _from, ...message } = INBOUND_MESSAGE_EXAMPLES.text;
    const { errors } = await check('messages', messagesValue(message));
    expect(errors).toEqual([]);
  });

  it('accepts every interactive reply kind and an unknown interactive type', async () => {
    const base = { from: '16505551234', timestamp: '1750030073', type: 'interactive' };
    const { errors } = await check(
      'messages',
      messagesValue(
        {
          ...base,
          id: 'wamid.I1',
          interactive: { type: 'button_reply', button_reply: { id: 'yes', title: 'Yes' } },
        },
        {
          ...base,
          id: 'wamid.I2',
          interactive: {
            type: 'list_reply',
            list_reply: { id: 'r1', title: 'Row 1', description: 'First' },
          },
        },
        {
          ...base,
          id: 'wamid.I3',
          interactive: {
            type: 'call_permission_reply',
            call_permission_reply: {
              response: 'accept',
              is_permanent: false,
              expiration_timestamp: 1750630073,
              response_source: 'user_action',
            },
          },
        },
        { ...base, id: 'wamid.I4', interactive: { type: 'poll_reply', poll_reply: { option: 2 } } },
      ),
    );
    expect(errors).toEqual([]);
  });

  it.each(['user_changed_user_id', 'user_changed_number'])(
    'types the previous and new BSUIDs of a %s system message (fields.md §2.5)',
    async (type) => {
      const system = {
        body: 'User Kerry Fisher changed from 16505551234 to 16505559999',
        type,
        user_id: 'US.20736514098817453627',
        parent_user_id: 'US.ENT.20736514098817450000',
        previous_user_id: 'US.13491208655302741918',
        previous_parent_user_id: 'US.ENT.11815799212886844830',
      };
      const { instance, errors } = await check(
        'messages',
        messagesValue({ ...INBOUND_MESSAGE_EXAMPLES.system, system }),
      );
      expect(errors).toEqual([]);
      expect(instance.messages[0].system).toBeInstanceOf(SystemPayloadDto);
      expect({ ...instance.messages[0].system }).toEqual(system);
    },
  );

  it('accepts identity.created_timestamp as a string or an integer', async () => {
    const identity = { acknowledged: true, hash: 'DF2lS5v2W6x=' };
    const { errors } = await check(
      'messages',
      messagesValue(
        {
          ...INBOUND_MESSAGE_EXAMPLES.text,
          id: 'wamid.A',
          identity: { ...identity, created_timestamp: 1750030073 },
        },
        {
          ...INBOUND_MESSAGE_EXAMPLES.text,
          id: 'wamid.B',
          identity: { ...identity, created_timestamp: '1750030073' },
        },
      ),
    );
    expect(errors).toEqual([]);
  });
});

describe('messages: statuses', () => {
  it('builds MessageStatusDto instances and keeps unknown nested keys', async () => {
    const { instance, errors } = await check(
      'messages',
      example('messages', (v) => {
        v.statuses[0].pricing.future_flag = 'x';
        v.statuses[0].new_status_key = { a: 1 };
      }),
    );
    expect(errors).toEqual([]);
    expect(instance.statuses[0]).toBeInstanceOf(MessageStatusDto);
    expect(instance.statuses[0].pricing.future_flag).toBe('x');
    expect(instance.statuses[0].new_status_key).toEqual({ a: 1 });
  });

  it('validates a batch of 1000 statuses', async () => {
    const status = (example('messages') as Json).statuses[0];
    const value = example('messages', (v) => {
      v.statuses = Array.from({ length: 1000 }, (_, i) => ({ ...status, id: `wamid.${i}` }));
      delete v.messages;
    });
    const { errors } = await check('messages', value);
    expect(errors).toEqual([]);
  });
});

describe('normalisation and inconsistent representations', () => {
  it.each([
    'message_template_status_update',
    'message_template_quality_update',
    'message_template_components_update',
    'template_category_update',
  ] as const)('%s: numeric message_template_id becomes a string', async (field) => {
    const { instance, errors } = await check(field, FIELD_VALUE_EXAMPLES[field]);
    expect(errors).toEqual([]);
    expect(instance.message_template_id).toBe('1689556908129832');
  });

  it('template status: a string message_template_id is kept and reason may be null', async () => {
    const { instance, errors } = await check(
      'message_template_status_update',
      example('message_template_status_update', (v) => {
        v.message_template_id = '1689556908129832';
        v.event = 'PENDING_DELETION';
        v.reason = null;
        delete v.rejection_info;
      }),
    );
    expect(errors).toEqual([]);
    expect(instance.message_template_id).toBe('1689556908129832');
    expect(instance.reason).toBeNull();
  });

  it('template status: disable_info and other_info validate', async () => {
    const { errors } = await check(
      'message_template_status_update',
      example('message_template_status_update', (v) => {
        v.event = 'DISABLED';
        v.reason = 'NONE';
        v.disable_info = { disable_date: 1750030073 };
        v.other_info = { title: 'SECOND_PAUSE', description: 'Paused for 6 hours.' };
      }),
    );
    expect(errors).toEqual([]);
  });

  it('template_category_update: the completed variant validates', async () => {
    const { errors } = await check(
      'template_category_update',
      example('template_category_update', (v) => {
        delete v.correct_category;
        delete v.category_update_timestamp;
        v.previous_category = 'UTILITY';
        v.new_category = 'MARKETING';
      }),
    );
    expect(errors).toEqual([]);
  });

  it.each([['DISABLE'], [['DISABLE']], [['SCHEDULE_FOR_DISABLE', 'DISABLE']]])(
    'account_update: ban_info.waba_ban_state %j is accepted',
    async (state) => {
      const { errors } = await check('account_update', {
        event: 'DISABLED_UPDATE',
        ban_info: { waba_ban_state: state, waba_ban_date: 'April 17, 2025' },
      });
      expect(errors).toEqual([]);
    },
  );

  it('account_update: every documented event object validates', async () => {
    const values: Json[] = [
      { event: 'ACCOUNT_DELETED' },
      { event: 'ACCOUNT_VIOLATION', violation_info: { violation_type: 'ADULT' } },
      {
        event: 'ACCOUNT_RESTRICTION',
        restriction_info: [
          { restriction_type: 'RESTRICTED_BIZ_INITIATED_MESSAGING', expiration: 1750630073 },
        ],
      },
      {
        event: 'AD_ACCOUNT_LINKED',
        waba_info: {
          waba_id: '102290129340398',
          ad_account_linked: '1234',
          owner_business_id: '2729063490586005',
        },
      },
      {
        event: 'AUTH_INTL_PRICE_ELIGIBILITY_UPDATE',
        auth_international_rate_eligibility: {
          start_time: 1750030073,
          exception_countries: [{ country_code: 'IN', start_time: 1750630073 }],
        },
      },
      { event: 'BUSINESS_PRIMARY_LOCATION_COUNTRY_UPDATE', country: 'BR' },
      {
        event: 'MM_LITE_TERMS_SIGNED',
        waba_info: { waba_id: '102290129340398', owner_business_id: '2729063490586005' },
      },
      {
        event: 'PARTNER_REMOVED',
        waba_info: { waba_id: '102290129340398', owner_business_id: '2729063490586005' },
        disconnection_info: { reason: 'COMPANION_INACTIVITY', initiated_by: 'SYSTEM' },
      },
      {
        event: 'PARTNER_APP_INSTALLED',
        waba_info: {
          waba_id: '102290129340398',
          owner_business_id: '2729063490586005',
          partner_app_id: '99',
        },
      },
      {
        event: 'PARTNER_CLIENT_CERTIFICATION_STATUS_UPDATE',
        partner_client_certification_info: {
          client_business_id: '2729063490586005',
          status: 'FAILED',
          rejection_reasons: ['ADDRESS NOT MATCHING'],
        },
      },
      {
        event: 'VOLUME_BASED_PRICING_TIER_UPDATE',
        volume_tier_info: {
          tier_update_time: 1750030073,
          pricing_category: 'UTILITY',
          tier: '25000001:50000000',
          effective_month: '2026-07',
          region: 'INDIA',
        },
      },
      {
        event: 'ACCOUNT_OFFBOARDED',
        phone_number: '15550783881',
        lock_info: { expiration: 1750630073 },
      },
    ];
    for (const value of values) {
      const { errors } = await check('account_update', value);
      expect(errors, value.event).toEqual([]);
    }
  });

  it.each([[2000], ['TIER_2K'], [-1]])(
    'business_capability_update: max_daily_conversations_per_business %j is accepted',
    async (limit) => {
      const { errors } = await check('business_capability_update', {
        max_daily_conversation_per_phone: 250,
        max_daily_conversations_per_business: limit,
        max_phone_numbers_per_business: 2,
      });
      expect(errors).toEqual([]);
    },
  );

  it('groups: error code is accepted as an integer or a string', async () => {
    const { errors } = await check(
      'group_lifecycle_update',
      example('group_lifecycle_update', (v) => {
        v.groups.push(
          {
            timestamp: '1750030073',
            group_id: 'g1',
            type: 'group_create',
            errors: [{ code: 131000, title: 'x' }],
          },
          {
            timestamp: '1750030073',
            group_id: 'g2',
            type: 'group_create',
            errors: [{ code: '<CODE>', title: 'x' }],
          },
        );
      }),
    );
    expect(errors).toEqual([]);
  });

  it('automatic_events: custom_data.value is accepted as a string', async () => {
    const { errors } = await check(
      'automatic_events',
      example('automatic_events', (v) => {
        v.automatic_events[0].custom_data.value = '25000';
      }),
    );
    expect(errors).toEqual([]);
  });

  it('standby may be an empty object', async () => {
    const { errors } = await check('standby', { ...example('standby'), standby: {} });
    expect(errors).toEqual([]);
  });

  it('messaging_handovers accepts a value with only some keys', async () => {
    const { errors } = await check('messaging_handovers', {
      type: 'control_taken',
      control_taken: {},
    });
    expect(errors).toEqual([]);
  });

  it('user_preferences accepts contacts without profile and a BSUID-only preference', async () => {
    const { errors } = await check(
      'user_preferences',
      example('user_preferences', (v) => {
        v.user_preferences[0] = { ...v.user_preferences[0], wa_id: undefined, user_id: 'US.1' };
        delete v.user_preferences[0].wa_id;
      }),
    );
    expect(errors).toEqual([]);
  });
});

describe('invalid values are rejected', () => {
  const CASES: [string, WabaField, Json][] = [
    [
      'messages: numeric message id',
      'messages',
      messagesValue({ ...INBOUND_MESSAGE_EXAMPLES.text, id: 42 }),
    ],
    [
      'messages: numeric message timestamp',
      'messages',
      messagesValue({ ...INBOUND_MESSAGE_EXAMPLES.text, timestamp: 1750030073 }),
    ],
    [
      'messages: message without type',
      'messages',
      messagesValue({ id: 'wamid.X', timestamp: '1750030073' }),
    ],
    [
      'messages: text message without text',
      'messages',
      messagesValue({ ...INBOUND_MESSAGE_EXAMPLES.text, text: undefined }),
    ],
    [
      'messages: text payload as a string',
      'messages',
      messagesValue({ ...INBOUND_MESSAGE_EXAMPLES.text, text: 'hi' }),
    ],
    [
      'messages: image without media id',
      'messages',
      messagesValue({
        ...INBOUND_MESSAGE_EXAMPLES.image,
        image: { mime_type: 'image/jpeg', sha256: 'x' },
      }),
    ],
    [
      'messages: location latitude as a string',
      'messages',
      messagesValue({
        ...INBOUND_MESSAGE_EXAMPLES.location,
        location: { latitude: '37.4', longitude: -122.1 },
      }),
    ],
    [
      'messages: system previous_user_id as a number',
      'messages',
      messagesValue({
        ...INBOUND_MESSAGE_EXAMPLES.system,
        system: { body: 'b', type: 'user_changed_user_id', previous_user_id: 1349120865530274 },
      }),
    ],
    [
      'messages: system previous_parent_user_id as an object',
      'messages',
      messagesValue({
        ...INBOUND_MESSAGE_EXAMPLES.system,
        system: {
          body: 'b',
          type: 'user_changed_number',
          previous_parent_user_id: { id: 'US.ENT.1' },
        },
      }),
    ],
    [
      'messages: messages is an object',
      'messages',
      example('messages', (v) => (v.messages = INBOUND_MESSAGE_EXAMPLES.text)),
    ],
    ['messages: no metadata', 'messages', example('messages', (v) => delete v.metadata)],
    [
      'messages: status without id',
      'messages',
      example('messages', (v) => delete v.statuses[0].id),
    ],
    [
      'messages: status with numeric status',
      'messages',
      example('messages', (v) => (v.statuses[0].status = 3)),
    ],
    [
      'messages: error code as a string',
      'messages',
      example('messages', (v) => (v.errors[0].code = '130472')),
    ],
    [
      'message_template_status_update: event 42',
      'message_template_status_update',
      example('message_template_status_update', (v) => (v.event = 42)),
    ],
    [
      'message_template_status_update: no template id',
      'message_template_status_update',
      example('message_template_status_update', (v) => delete v.message_template_id),
    ],
    [
      'account_alerts: flat alert fields',
      'account_alerts',
      { entity_type: 'BUSINESS', entity_id: '1', alert_severity: 'WARNING' },
    ],
    [
      'account_update: numeric waba_ban_state',
      'account_update',
      { event: 'DISABLED_UPDATE', ban_info: { waba_ban_state: 1, waba_ban_date: 'x' } },
    ],
    [
      'business_capability_update: fractional limit',
      'business_capability_update',
      { max_daily_conversations_per_business: 2.5 },
    ],
    [
      'phone_number_name_update: no decision',
      'phone_number_name_update',
      example('phone_number_name_update', (v) => delete v.decision),
    ],
    [
      'payment_configuration_update: string timestamp',
      'payment_configuration_update',
      example('payment_configuration_update', (v) => (v.created_timestamp = '1750030073')),
    ],
    [
      'group_participants_update: boolean error code',
      'group_participants_update',
      example(
        'group_participants_update',
        (v) => (v.groups[0].failed_participants[0].errors[0].code = true),
      ),
    ],
    [
      'automatic_events: boolean custom_data.value',
      'automatic_events',
      example('automatic_events', (v) => (v.automatic_events[0].custom_data.value = true)),
    ],
    [
      'history: progress as a string',
      'history',
      example('history', (v) => (v.history[0].metadata.progress = '55')),
    ],
    ['calls: call without id', 'calls', example('calls', (v) => delete v.calls[0].id)],
    ['standby: standby missing', 'standby', example('standby', (v) => delete v.standby)],
    [
      'smb_message_echoes: echo without id',
      'smb_message_echoes',
      example('smb_message_echoes', (v) => delete v.message_echoes[0].id),
    ],
  ];

  it.each(CASES)('%s', async (_label, field, value) => {
    const { errors } = await check(field, value);
    expect(errors.length).toBeGreaterThan(0);
  });
});
