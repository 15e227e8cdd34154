import { describe, expect, it } from 'vitest';
import { WABA_FIELDS } from '../../src/types/waba-field.js';
import {
  WABA_TEST_IDS,
  batchWebhooks,
  changeWebhook,
  deepMerge,
  fieldValue,
  fieldWebhook,
  inboundMessage,
  messageStatus,
  messageWebhook,
  messagesValue,
  messagesWebhook,
  serializeLikeMeta,
  signWebhookBody,
  statusWebhook,
  statusesWebhook,
  templateStatusWebhook,
  textMessageWebhook,
  webhookEntry,
  webhookPayload,
} from '../../src/testing/index.js';

const MESSAGING_FIELDS = [
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

const MESSAGE_TYPES = [
  'text',
  'image',
  'video',
  'audio',
  'document',
  'sticker',
  'location',
  'contacts',
  'interactive',
  'button',
  'reaction',
  'order',
  'system',
  'request_welcome',
  'unsupported',
  'unknown',
  'edit',
  'revoke',
] as const;

/** Message types whose payload sits under a key named like the type. */
const PAYLOAD_KEYS: Record<(typeof MESSAGE_TYPES)[number], string | undefined> = {
  text: 'text',
  image: 'image',
  video: 'video',
  audio: 'audio',
  document: 'document',
  sticker: 'sticker',
  location: 'location',
  contacts: 'contacts',
  interactive: 'interactive',
  button: 'button',
  reaction: 'reaction',
  order: 'order',
  system: 'system',
  request_welcome: undefined,
  unsupported: undefined,
  unknown: undefined,
  edit: 'edit',
  revoke: 'revoke',
};

type Json = Record<string, any>;
const json = (value: unknown): Json => value as Json;
const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('envelope builders', () => {
  it('wraps a management change with the WABA id and an integer time of now', () => {
    const before = nowSeconds();
    const payload = changeWebhook('account_review_update', { decision: 'APPROVED' });

    expect(payload.object).toBe('whatsapp_business_account');
    expect(payload.entry).toHaveLength(1);
    const [entry] = payload.entry;
    expect(entry!.id).toBe('102290129340398');
    expect(Number.isInteger(entry!.time)).toBe(true);
    expect(entry!.time).toBeGreaterThanOrEqual(before);
    expect(entry!.time).toBeLessThanOrEqual(nowSeconds());
    expect(entry!.changes).toEqual([
      { field: 'account_review_update', value: { decision: 'APPROVED' } },
    ]);
  });

  it('omits entry.time on messaging fields', () => {
    const payload = changeWebhook('messages', messagesValue());
    expect(payload.entry[0]).not.toHaveProperty('time');
    expect(Object.keys(payload.entry[0]!)).toEqual(['id', 'changes']);
  });

  it('honours entryId and time options on any field', () => {
    const payload = changeWebhook('messages', {}, { entryId: '999', time: 1739321024 });
    expect(payload.entry[0]).toEqual({
      id: '999',
      time: 1739321024,
      changes: [{ field: 'messages', value: {} }],
    });
  });

  it('gives time to unknown fields and uses the business portfolio for partner_solutions', () => {
    expect(changeWebhook('some_future_field', {}).entry[0]!.time).toBeTypeOf('number');
    expect(fieldWebhook('partner_solutions').entry[0]!.id).toBe(WABA_TEST_IDS.businessId);
  });

  it('builds entries and payloads by hand', () => {
    const entry = webhookEntry([{ field: 'security', value: { event: 'PIN_CHANGED' } }], {
      time: 1,
    });
    expect(entry).toEqual({
      id: WABA_TEST_IDS.wabaId,
      time: 1,
      changes: [{ field: 'security', value: { event: 'PIN_CHANGED' } }],
    });
    expect(webhookEntry([], { id: '42' })).toEqual({ id: '42', changes: [] });
    expect(webhookPayload(entry, entry)).toEqual({
      object: 'whatsapp_business_account',
      entry: [entry, entry],
    });
  });

  it('batches the entries of several payloads into one envelope', () => {
    const text = textMessageWebhook('one');
    const status = statusWebhook('read');
    const template = templateStatusWebhook();
    const batch = batchWebhooks(text, status, template);

    expect(batch.object).toBe('whatsapp_business_account');
    expect(batch.entry).toEqual([...text.entry, ...status.entry, ...template.entry]);
    expect(batch.entry.map((e) => e.changes[0]!.field)).toEqual([
      'messages',
      'messages',
      'message_template_status_update',
    ]);
  });
});

describe('deepMerge', () => {
  it('merges plain objects recursively and replaces arrays, primitives and null', () => {
    const defaults = { a: { b: 1, c: [1, 2], d: 'x' }, e: 'keep', f: { g: 1 } };
    const merged = deepMerge<Json>(defaults, { a: { c: [3], d: 'y' }, f: null });
    expect(merged).toEqual({ a: { b: 1, c: [3], d: 'y' }, e: 'keep', f: null });
  });

  it('removes keys explicitly set to undefined and adds new keys', () => {
    expect(deepMerge<Json>({ a: 1, b: { c: 2, d: 3 } }, { b: { c: undefined }, z: 9 })).toEqual({
      a: 1,
      b: { d: 3 },
      z: 9,
    });
  });

  it('mutates neither input and shares no objects with the defaults', () => {
    const defaults = { a: { b: [1] } };
    const overrides = { a: { c: 2 } };
    const merged = deepMerge<Json>(defaults, overrides);
    merged.a.b.push(2);
    expect(defaults).toEqual({ a: { b: [1] } });
    expect(overrides).toEqual({ a: { c: 2 } });
    expect(deepMerge(defaults)).not.toBe(defaults);
  });

  it('applies to builder overrides', () => {
    const message = json(
      inboundMessage('interactive', {
        interactive: {
          type: 'list_reply',
          button_reply: undefined,
          list_reply: { id: 'row_1', title: 'Size M' },
        },
      }),
    );
    expect(message.interactive).toEqual({
      type: 'list_reply',
      list_reply: { id: 'row_1', title: 'Size M' },
    });
    expect(message.context.from).toBe(WABA_TEST_IDS.displayPhoneNumber);

    const status = json(messageStatus('sent', { pricing: { category: 'marketing' } }));
    expect(status.pricing).toEqual({
      billable: true,
      pricing_model: 'PMP',
      type: 'regular',
      category: 'marketing',
    });

    const order = json(
      inboundMessage('order', {
        order: {
          product_items: [
            { product_retailer_id: 'A', quantity: 1, item_price: 1, currency: 'EUR' },
          ],
        },
      }),
    );
    expect(order.order.product_items).toEqual([
      { product_retailer_id: 'A', quantity: 1, item_price: 1, currency: 'EUR' },
    ]);
    expect(order.order.catalog_id).toBe(WABA_TEST_IDS.catalogId);
  });
});

describe('unique ids', () => {
  it('gives every message and status its own wamid', () => {
    const ids = [
      ...MESSAGE_TYPES.map((type) => json(inboundMessage(type)).id),
      ...['sent', 'delivered', 'read', 'failed'].map((s) => json(messageStatus(s)).id),
      json(textMessageWebhook()).entry[0].changes[0].value.messages[0].id,
      json(textMessageWebhook()).entry[0].changes[0].value.messages[0].id,
    ];
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^wamid\.HBgL[A-Za-z0-9+/=]+$/);
  });

  it('gives every media object its own id and sha256', () => {
    const a = json(inboundMessage('image')).image;
    const b = json(inboundMessage('image')).image;
    expect(a.id).not.toBe(b.id);
    expect(a.sha256).not.toBe(b.sha256);
    expect(a.id).toMatch(/^\d+$/);
  });
});

describe('Meta-style serialisation', () => {
  it('escapes non-ASCII and slashes and stays pure ASCII', () => {
    const body = serializeLikeMeta(textMessageWebhook('café /'));
    expect(body).toContain(String.raw`caf\u00e9 \/`);
    expect(body).toMatch(/^[ -~]*$/); // printable ASCII only
    expect(json(JSON.parse(body)).entry[0].changes[0].value.messages[0].text.body).toBe('café /');
  });
});

describe('signWebhookBody (protocol.md §3.4 test vectors)', () => {
  const secret = 'test_app_secret';
  it.each([
    [
      '{"object":"whatsapp_business_account","entry":[]}',
      'sha256=dec6a680679a968e7e0319355b23599cbfc54502c0784668e9618baa0c633756',
    ],
    [
      '{"object": "whatsapp_business_account", "entry": []}',
      'sha256=56cbbaf4961c6cfdae48b7f116c047e5eb513d2c931baae63a2bc1afd26f803a',
    ],
    [
      String.raw`{"text":{"body":"caf\u00e9 https:\/\/x.y\/z"}}`,
      'sha256=846691f756ed64340629149952fce6c21d8193a708c433f5b8409f97793534ae',
    ],
    [
      '{"text":{"body":"café https://x.y/z"}}',
      'sha256=0f904a1cef3c51e0785883c5231ba7aca195ca225d99ecaea55eb87088867089',
    ],
  ])('signs %s', (body, expected) => {
    expect(signWebhookBody(body, secret)).toBe(expected);
    expect(signWebhookBody(Buffer.from(body, 'utf8'), secret)).toBe(expected);
  });

  it('signs serializeLikeMeta output like the escaped vector', () => {
    expect(
      signWebhookBody(serializeLikeMeta({ text: { body: 'café https://x.y/z' } }), secret),
    ).toBe('sha256=846691f756ed64340629149952fce6c21d8193a708c433f5b8409f97793534ae');
  });
});

describe('field builders', () => {
  it('covers all 30 fields', () => {
    expect(WABA_FIELDS).toHaveLength(30);
  });

  it.each(WABA_FIELDS.map((field) => [field]))('builds %s', (field) => {
    const value = json(fieldValue(field));
    expect(value).toBeTypeOf('object');
    expect(JSON.parse(JSON.stringify(value))).toEqual(value);

    const payload = fieldWebhook(field);
    expect(payload.object).toBe('whatsapp_business_account');
    const [entry] = payload.entry;
    expect(entry!.changes).toHaveLength(1);
    expect(entry!.changes[0]!.field).toBe(field);

    const isMessaging = MESSAGING_FIELDS.includes(field);
    expect('time' in entry!).toBe(!isMessaging);
    if (isMessaging && field !== 'messaging_handovers') {
      expect(value.messaging_product).toBe('whatsapp');
      expect(value.metadata).toEqual({
        display_phone_number: '15550783881',
        phone_number_id: '106540352242922',
      });
    }
    if (!isMessaging) {
      expect(value).not.toHaveProperty('messaging_product');
      expect(value).not.toHaveProperty('metadata');
    }
  });

  it('types ids and timestamps as Meta does', () => {
    const template = json(fieldValue('message_template_status_update'));
    expect(template).toEqual({
      event: 'APPROVED',
      message_template_id: WABA_TEST_IDS.templateId,
      message_template_name: 'order_confirmation',
      message_template_language: 'en_US',
      reason: 'NONE',
      message_template_category: 'UTILITY',
    });
    expect(template.message_template_id).toBeTypeOf('number');
    expect(serializeLikeMeta(templateStatusWebhook())).toContain(
      `"message_template_id":${WABA_TEST_IDS.templateId}`,
    );

    expect(json(fieldValue('calls')).calls[0].timestamp).toMatch(/^\d+$/);
    expect(json(fieldValue('group_lifecycle_update')).groups[0].timestamp).toMatch(/^\d+$/);
    expect(json(fieldValue('user_preferences')).user_preferences[0].timestamp).toBeTypeOf('number');
    expect(json(fieldValue('automatic_events')).automatic_events[0].timestamp).toBeTypeOf('number');
    expect(json(fieldValue('payment_configuration_update')).updated_timestamp).toBeTypeOf('number');
    expect(json(fieldValue('account_update'))).toEqual({
      event: 'ACCOUNT_VIOLATION',
      violation_info: { violation_type: 'ADULT' },
    });
  });

  it('deep-merges field overrides', () => {
    const value = json(
      fieldValue('account_alerts', { alert_info: { alert_severity: 'CRITICAL' } }),
    );
    expect(value.alert_info.alert_severity).toBe('CRITICAL');
    expect(value.alert_info.alert_type).toBe('INCREASED_CAPABILITIES_ELIGIBILITY_DEFERRED');

    const rejected = json(templateStatusWebhook({ event: 'REJECTED', reason: 'INVALID_FORMAT' }));
    expect(rejected.entry[0].changes[0].value).toMatchObject({
      event: 'REJECTED',
      reason: 'INVALID_FORMAT',
      message_template_name: 'order_confirmation',
    });
  });

  it('builds the messages field as one inbound text with its contact', () => {
    const value = json(fieldValue('messages'));
    expect(value.messages).toHaveLength(1);
    expect(value.messages[0].type).toBe('text');
    expect(value.contacts).toEqual([
      {
        profile: { name: WABA_TEST_IDS.userName },
        wa_id: WABA_TEST_IDS.userWaId,
        user_id: WABA_TEST_IDS.userId,
      },
    ]);
  });
});

describe('inbound message builders', () => {
  it.each(MESSAGE_TYPES.map((type) => [type]))('builds a %s message', (type) => {
    const message = json(inboundMessage(type));
    expect(message.type).toBe(type);
    expect(message.id).toMatch(/^wamid\./);
    expect(message.timestamp).toMatch(/^\d+$/);
    expect(message.from).toBe(WABA_TEST_IDS.userWaId);
    expect(JSON.parse(JSON.stringify(message))).toEqual(message);
    const key = PAYLOAD_KEYS[type];
    if (key !== undefined) expect(message[key]).toBeDefined();

    const payload = json(messageWebhook(type));
    expect(payload.entry[0].changes[0].field).toBe('messages');
    expect(payload.entry[0].changes[0].value.messages[0].type).toBe(type);
    expect(payload.entry[0]).not.toHaveProperty('time');
  });

  it('builds the documented variants', () => {
    expect(json(inboundMessage('audio')).audio).toMatchObject({
      mime_type: 'audio/ogg; codecs=opus',
      voice: true,
    });
    expect(json(inboundMessage('interactive')).interactive.type).toBe('button_reply');
    expect(json(inboundMessage('system')).system.type).toBe('user_changed_number');
    for (const type of ['unsupported', 'unknown'] as const) {
      expect(json(inboundMessage(type)).errors[0].code).toBe(131051);
    }
    expect(json(inboundMessage('request_welcome'))).not.toHaveProperty('request_welcome');
    expect(json(inboundMessage('contacts')).contacts[0].name.formatted_name).toBeTypeOf('string');
    expect(json(inboundMessage('edit')).edit.original_message_id).toMatch(/^wamid\./);
  });

  it('wraps a text body with textMessageWebhook', () => {
    const payload = json(textMessageWebhook());
    expect(payload.entry[0].changes[0].value.messages[0].text).toEqual({ body: 'Hello' });
    const custom = json(textMessageWebhook('Hi', { from: '447700900123' }));
    expect(custom.entry[0].changes[0].value.messages[0]).toMatchObject({
      from: '447700900123',
      text: { body: 'Hi' },
    });
  });
});

describe('contacts matching', () => {
  it('adds one contact per distinct sender, matched by wa_id or user_id', () => {
    const value = json(
      messagesValue({
        messages: [
          inboundMessage('text'),
          inboundMessage('image'),
          inboundMessage('text', { from: '447700900123' }),
          inboundMessage('text', { from: undefined }),
          inboundMessage('text', { from: undefined, from_user_id: 'DE.77' }),
        ],
      }),
    );
    expect(value.contacts).toEqual([
      {
        profile: { name: WABA_TEST_IDS.userName },
        wa_id: WABA_TEST_IDS.userWaId,
        user_id: WABA_TEST_IDS.userId,
      },
      { profile: { name: 'Test User' }, wa_id: '447700900123' },
      { profile: { name: WABA_TEST_IDS.userName }, user_id: WABA_TEST_IDS.userId },
      { profile: { name: 'Test User' }, user_id: 'DE.77' },
    ]);
    for (const message of value.messages) {
      const match = value.contacts.filter(
        (c: Json) =>
          (message.from !== undefined && c.wa_id === message.from) ||
          (message.from_user_id !== undefined && c.user_id === message.from_user_id),
      );
      expect(match.length).toBeGreaterThan(0);
    }
  });

  it('adds no contact for system messages and keeps explicit contacts', () => {
    expect(messagesValue({ messages: [inboundMessage('system')] })).not.toHaveProperty('contacts');
    const contacts = [{ wa_id: '1' }];
    expect(json(messagesValue({ messages: [inboundMessage('text')], contacts })).contacts).toEqual(
      contacts,
    );
    expect(
      json(messagesValue({ messages: [inboundMessage('text')], contacts: [] })).contacts,
    ).toEqual([]);
  });

  it('uses the default metadata unless overridden', () => {
    expect(json(messagesValue()).metadata).toEqual({
      display_phone_number: '15550783881',
      phone_number_id: '106540352242922',
    });
    expect(json(messagesValue({ metadata: { phone_number_id: '7' } })).metadata).toEqual({
      display_phone_number: '15550783881',
      phone_number_id: '7',
    });
  });

  it('passes messages, statuses and errors through messagesWebhook', () => {
    const errors = [{ code: 131000, title: 'Something went wrong' }];
    const payload = json(messagesWebhook({ messages: [inboundMessage('reaction')], errors }));
    const value = payload.entry[0].changes[0].value;
    expect(Object.keys(value)).toEqual([
      'messaging_product',
      'metadata',
      'contacts',
      'messages',
      'errors',
    ]);
    expect(value.errors).toEqual(errors);
  });
});

describe('status builders', () => {
  it('puts pricing on sent and delivered, errors on failed, neither on read', () => {
    const sent = json(messageStatus('sent'));
    expect(sent).toMatchObject({ status: 'sent', recipient_id: WABA_TEST_IDS.userWaId });
    expect(sent.pricing).toMatchObject({ pricing_model: 'PMP', category: 'utility' });
    expect(sent).not.toHaveProperty('conversation');
    expect(sent.timestamp).toMatch(/^\d+$/);

    expect(json(messageStatus('delivered')).pricing).toBeDefined();

    const read = json(messageStatus('read'));
    expect(read).not.toHaveProperty('pricing');
    expect(read).not.toHaveProperty('conversation');
    expect(read).not.toHaveProperty('errors');

    const failed = json(messageStatus('failed'));
    expect(failed.errors).toHaveLength(1);
    expect(failed.errors[0]).toMatchObject({ code: 131050 });
    expect(failed.errors[0].message).toBe(failed.errors[0].title);
    expect(failed).not.toHaveProperty('pricing');

    expect(json(messageStatus('played'))).not.toHaveProperty('pricing');
    expect(json(messageStatus('sent', { pricing: undefined }))).not.toHaveProperty('pricing');
  });

  it('adds contacts for BSUID-era statuses but not for failed ones', () => {
    expect(json(statusWebhook('read')).entry[0].changes[0].value.contacts).toEqual([
      {
        profile: { name: WABA_TEST_IDS.userName },
        wa_id: WABA_TEST_IDS.userWaId,
        user_id: WABA_TEST_IDS.userId,
      },
    ]);
    const failed = json(statusWebhook('failed')).entry[0].changes[0].value;
    expect(failed).not.toHaveProperty('contacts');
    expect(failed.statuses[0].status).toBe('failed');
  });

  it('builds 1000 distinct statuses in one change', () => {
    const payload = json(statusesWebhook(1000));
    expect(payload.entry).toHaveLength(1);
    expect(payload.entry[0].changes).toHaveLength(1);
    const value = payload.entry[0].changes[0].value;
    expect(value.statuses).toHaveLength(1000);
    expect(new Set(value.statuses.map((s: Json) => s.id)).size).toBe(1000);
    expect(value.statuses.every((s: Json) => s.status === 'delivered')).toBe(true);
    expect(value.contacts).toHaveLength(1);
    expect(json(statusesWebhook(3, 'read')).entry[0].changes[0].value.statuses[2].status).toBe(
      'read',
    );
  });
});
