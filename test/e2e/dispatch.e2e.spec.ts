import { Injectable } from '@nestjs/common';
import { afterEach, describe, expect, it } from 'vitest';
import {
  OnWabaMessage,
  WABA_FIELDS,
  type WabaMessageEvent,
  type WabaStatusEvent,
  type WabaSystemPayload,
} from '../../src/index.js';
import {
  batchWebhooks,
  changeWebhook,
  fieldValue,
  fieldWebhook,
  inboundMessage,
  messageStatus,
  messageWebhook,
  messagesWebhook,
  statusesWebhook,
  templateStatusWebhook,
  webhookEntry,
  webhookPayload,
} from '../../src/testing/index.js';
import {
  perFieldListener,
  perMessageTypeListener,
  perStatusListener,
} from '../fixtures/dynamic-listeners.js';
import {
  createTestApp,
  PLATFORM_VARIANTS,
  postSigned,
  type TestApp,
} from '../fixtures/test-app.js';

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

const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

/** Keeps the `system` payload of every system message, typed as the listener sees it. */
@Injectable()
class SystemMessageListener {
  readonly systems: WabaSystemPayload[] = [];
  readonly previousUserIds: (string | undefined)[] = [];

  @OnWabaMessage('system')
  onSystem({ message }: WabaMessageEvent<'system'>): void {
    this.systems.push(message.system);
    // Typed: a string (or absent), no cast needed.
    const previous: string | undefined = message.system.previous_user_id;
    this.previousUserIds.push(previous);
  }
}

/** A BSUID change with no phone number to share (fields.md §2.5, Meta's changelog 2026-08-11). */
const BSUID_CHANGE = {
  body: 'User Kerry Fisher changed their business-scoped user ID',
  type: 'user_changed_user_id',
  user_id: 'US.20736514098817453627',
  parent_user_id: 'US.ENT.20736514098817450000',
  previous_user_id: 'US.13491208655302741918',
  previous_parent_user_id: 'US.ENT.11815799212886844830',
} as const;

describe.each(PLATFORM_VARIANTS)('dispatch (%s, %s)', (platform, variant) => {
  let t: TestApp;
  afterEach(() => t?.app.close());

  const send = async (payload: unknown, expected = 200) => {
    const res = await postSigned(t.app, payload);
    expect(res.status).toBe(expected);
    return res;
  };

  it('emits each of the 30 documented fields to its own @OnWaba(field) listener, once', async () => {
    const Listener = perFieldListener(WABA_FIELDS);
    t = await createTestApp({ platform, variant, providers: [Listener] });
    const listener = t.app.get(Listener);
    for (const field of WABA_FIELDS)
      await send(fieldWebhook(field, undefined, { entryId: `waba-${field}` }));
    await t.recorder.waitFor(WABA_FIELDS.length);
    await settle();
    for (const field of WABA_FIELDS) {
      const calls = listener.calls.get(field) as {
        field: string;
        entryId: string;
        value: unknown;
      }[];
      expect(calls, field).toHaveLength(1);
      expect(calls[0]!.field).toBe(field);
      expect(calls[0]!.entryId).toBe(`waba-${field}`);
      expect(calls[0]!.value).toBeTypeOf('object');
    }
    expect(t.recorder.of('invalid')).toEqual([]);
  });

  it('accepts management fields that carry no messaging_product or metadata, with entry.time', async () => {
    t = await createTestApp({ platform, variant });
    const payload = templateStatusWebhook({ event: 'APPROVED' });
    const value = payload.entry[0]!.changes[0]!.value as unknown as Record<string, unknown>;
    expect(value).not.toHaveProperty('metadata');
    expect(value).not.toHaveProperty('messaging_product');
    await send(payload);
    await t.recorder.waitFor(1);
    const [change] = t.recorder.of('change');
    expect(change!.field).toBe('message_template_status_update');
    expect(change!.time).toBeTypeOf('number');
    // Meta sends the template id as a JSON number; listeners get a string.
    expect((change!.value as { message_template_id: unknown }).message_template_id).toBeTypeOf(
      'string',
    );
  });

  it('dispatches every entry × change of a batch (2 entries × several fields)', async () => {
    t = await createTestApp({ platform, variant });
    const payload = webhookPayload<unknown>(
      webhookEntry<unknown>(
        [
          { field: 'account_review_update', value: fieldValue('account_review_update') },
          {
            field: 'message_template_status_update',
            value: fieldValue('message_template_status_update'),
          },
          { field: 'security', value: fieldValue('security') },
        ],
        { id: 'waba-1', time: 1739321024 },
      ),
      webhookEntry<unknown>(
        [
          {
            field: 'messages',
            value: messagesWebhook({ messages: [inboundMessage('text'), inboundMessage('image')] })
              .entry[0]!.changes[0]!.value,
          },
          {
            field: 'phone_number_quality_update',
            value: fieldValue('phone_number_quality_update'),
          },
        ],
        { id: 'waba-2' },
      ),
    );
    await send(payload);
    await t.recorder.waitFor(7);
    await settle();
    expect(t.recorder.of('change').map((c) => `${c.entryId}:${c.field}`)).toEqual([
      'waba-1:account_review_update',
      'waba-1:message_template_status_update',
      'waba-1:security',
      'waba-2:messages',
      'waba-2:phone_number_quality_update',
    ]);
    expect(t.recorder.of('message').map((m) => m.message.type)).toEqual(['text', 'image']);
    expect(t.recorder.of('change')[0]!.time).toBe(1739321024);
    expect(t.recorder.of('change')[3]).not.toHaveProperty('time');
  });

  it('dispatches a 1000-status batch as 1000 status events', async () => {
    const Statuses = perStatusListener(['delivered', 'failed']);
    t = await createTestApp({ platform, variant, providers: [Statuses], bodyLimit: '5mb' });
    await send(statusesWebhook(1000, 'delivered'));
    await t.recorder.waitFor(1001);
    await settle();
    const statuses = t.recorder.of('status');
    expect(statuses).toHaveLength(1000);
    expect(new Set(statuses.map((s) => s.status.id)).size).toBe(1000);
    expect(t.app.get(Statuses).calls.get('delivered')).toHaveLength(1000);
    expect(t.app.get(Statuses).calls.get('failed')).toBeUndefined();
    expect(t.recorder.of('change')).toHaveLength(1);
  });

  it('delivers every inbound message type to @OnWabaMessage() and to @OnWabaMessage(type)', async () => {
    const PerType = perMessageTypeListener(MESSAGE_TYPES);
    t = await createTestApp({ platform, variant, providers: [PerType] });
    for (const type of MESSAGE_TYPES) await send(messageWebhook(type));
    await t.recorder.waitFor(MESSAGE_TYPES.length * 2);
    await settle();
    const messages = t.recorder.of('message');
    expect(messages.map((m) => m.message.type)).toEqual([...MESSAGE_TYPES]);
    for (const type of MESSAGE_TYPES) {
      const calls = t.app.get(PerType).calls.get(type) as WabaMessageEvent[];
      expect(calls, type).toHaveLength(1);
      expect(calls[0]!.message.type).toBe(type);
      expect(calls[0]!.metadata.phone_number_id).toBeTypeOf('string');
    }
    expect(t.recorder.of('invalid')).toEqual([]);
  });

  it('delivers a user_changed_user_id system message with previous_user_id and previous_parent_user_id', async () => {
    t = await createTestApp({ platform, variant, providers: [SystemMessageListener] });
    const payload = messageWebhook('system', {
      from: undefined,
      system: { ...BSUID_CHANGE, wa_id: undefined },
    });
    const value = payload.entry[0]!.changes[0]!.value;
    expect(value).not.toHaveProperty('contacts');
    await send(payload);
    await t.recorder.waitFor(2);
    await settle();
    expect(t.recorder.of('invalid')).toEqual([]);
    const listener = t.app.get(SystemMessageListener);
    expect(listener.systems).toHaveLength(1);
    expect({ ...listener.systems[0] }).toEqual(BSUID_CHANGE);
    expect(listener.previousUserIds).toEqual(['US.13491208655302741918']);
    const [event] = t.recorder.of('message');
    expect(event!.contact).toBeUndefined();
  });

  it.each([
    ['previous_user_id', 1349120865530274],
    ['previous_parent_user_id', { id: 'US.ENT.11815799212886844830' }],
  ])('reports a system message whose %s is not a string as invalid', async (key, bad) => {
    t = await createTestApp({ platform, variant, providers: [SystemMessageListener] });
    const payload = messageWebhook('system', { system: BSUID_CHANGE });
    const value = payload.entry[0]!.changes[0]!.value as unknown as {
      messages: { system: Record<string, unknown> }[];
    };
    value.messages[0]!.system[key] = bad;
    await send(payload);
    await t.recorder.waitFor(1);
    await settle();
    const [invalid] = t.recorder.of('invalid');
    expect(invalid!.field).toBe('messages');
    expect(invalid!.errors.join('\n')).toContain(`value.messages.0.system.${key} must be a string`);
    expect(t.recorder.of('message')).toEqual([]);
    expect(t.app.get(SystemMessageListener).systems).toEqual([]);
  });

  it('matches each message to its sender contact by wa_id or user_id', async () => {
    t = await createTestApp({ platform, variant });
    const byPhone = inboundMessage('text', { from: '16505550001' });
    const byBsuid = {
      ...inboundMessage('text'),
      from: undefined,
      from_user_id: 'US.13491208655302741918',
    };
    delete (byBsuid as { from?: string }).from;
    await send(
      messagesWebhook({
        messages: [byPhone, byBsuid as never],
        contacts: [
          { profile: { name: 'Other' }, wa_id: '16505550999' },
          { profile: { name: 'Sheena', username: 'sheena.n' }, user_id: 'US.13491208655302741918' },
          { profile: { name: 'Pat' }, wa_id: '16505550001' },
        ],
      }),
    );
    await t.recorder.waitFor(3);
    const [first, second] = t.recorder.of('message');
    expect(first!.contact?.profile?.name).toBe('Pat');
    expect(second!.contact?.profile?.name).toBe('Sheena');
  });

  it('filters @OnWabaMessage([…]) by type and @OnWabaStatus(status) by status', async () => {
    const Media = perMessageTypeListener([]);
    const PerStatus = perStatusListener(['failed', 'read']);
    t = await createTestApp({ platform, variant, providers: [Media, PerStatus] });
    await send(
      messagesWebhook({
        messages: [inboundMessage('text'), inboundMessage('image'), inboundMessage('video')],
        statuses: [messageStatus('sent'), messageStatus('failed'), messageStatus('read')],
      }),
    );
    await t.recorder.waitFor(7);
    await settle();
    const perStatus = t.app.get(PerStatus).calls;
    expect((perStatus.get('failed') as WabaStatusEvent[]).map((s) => s.status.status)).toEqual([
      'failed',
    ]);
    expect((perStatus.get('read') as WabaStatusEvent[]).map((s) => s.status.status)).toEqual([
      'read',
    ]);
    const failed = (perStatus.get('failed') as WabaStatusEvent[])[0]!;
    expect(failed.status.errors?.[0]?.code).toBe(131050);
  });

  it('passes unknown fields, enum values, message types and extra properties through', async () => {
    const Future = perFieldListener(['brand_new_field']);
    const Poll = perMessageTypeListener(['poll']);
    t = await createTestApp({ platform, variant, providers: [Future, Poll] });
    await send(
      batchWebhooks(
        changeWebhook(
          'brand_new_field',
          { anything: [1, 'two', { three: null }] },
          { entryId: 'waba-9' },
        ),
        templateStatusWebhook({
          event: 'SOME_NEW_EVENT',
          reason: 'A_NEW_REASON',
          brand_new_key: { nested: true },
        } as never),
        messageWebhook('text', { extra_future_key: 'kept' } as never),
        messagesWebhook({
          messages: [
            { ...inboundMessage('text'), type: 'poll', poll: { question: 'Q?' } } as never,
          ],
        }),
      ),
    );
    await t.recorder.waitFor(6);
    await settle();
    expect(t.recorder.of('invalid')).toEqual([]);
    const future = t.app.get(Future).calls.get('brand_new_field') as {
      value: unknown;
      entryId: string;
    }[];
    expect(future).toHaveLength(1);
    expect(future[0]!.value).toEqual({ anything: [1, 'two', { three: null }] });
    const template = t.recorder
      .of('change')
      .find((c) => c.field === 'message_template_status_update')!;
    expect(template.value).toMatchObject({
      event: 'SOME_NEW_EVENT',
      reason: 'A_NEW_REASON',
      brand_new_key: { nested: true },
    });
    expect(t.recorder.of('message')[0]!.message).toMatchObject({ extra_future_key: 'kept' });
    const poll = t.app.get(Poll).calls.get('poll') as WabaMessageEvent[];
    expect(poll[0]!.message).toMatchObject({ type: 'poll', poll: { question: 'Q?' } });
  });

  it('does not turn echoes, history, standby or calls items into message or status events', async () => {
    t = await createTestApp({ platform, variant });
    const fields = ['smb_message_echoes', 'message_echoes', 'history', 'standby', 'calls'] as const;
    for (const field of fields) await send(fieldWebhook(field));
    await t.recorder.waitFor(fields.length);
    await settle();
    expect(t.recorder.of('change').map((c) => c.field)).toEqual([...fields]);
    expect(t.recorder.of('message')).toEqual([]);
    expect(t.recorder.of('status')).toEqual([]);
  });

  it('routes a value that fails its DTO to @OnWabaInvalid only, and still emits the valid changes', async () => {
    const PerField = perFieldListener(['messages', 'security']);
    t = await createTestApp({ platform, variant, providers: [PerField] });
    const bad = messageWebhook('text');
    (bad.entry[0]!.changes[0]!.value as { messages: { id: unknown }[] }).messages[0]!.id = 12345;
    await send(batchWebhooks(bad, fieldWebhook('security')));
    await t.recorder.waitFor(2);
    await settle();
    const [invalid] = t.recorder.of('invalid');
    expect(invalid!.field).toBe('messages');
    expect(invalid!.errors.join('\n')).toMatch(/value\.messages\.0\.id must be a string/);
    expect((invalid!.value as { messages: { id: unknown }[] }).messages[0]!.id).toBe(12345);
    expect(t.app.get(PerField).calls.get('messages')).toBeUndefined();
    expect(t.app.get(PerField).calls.get('security')).toHaveLength(1);
    expect(t.recorder.of('message')).toEqual([]);
  });

  it("answers 400 and emits nothing for an invalid value with onInvalidValue: 'reject'", async () => {
    t = await createTestApp({ platform, variant, options: { onInvalidValue: 'reject' } });
    const bad = templateStatusWebhook();
    (bad.entry[0]!.changes[0]!.value as { event: unknown }).event = 42;
    const res = await send(batchWebhooks(bad, fieldWebhook('security')), 400);
    expect(res.body.message).toMatch(
      /message_template_status_update .*value\.event must be a string/,
    );
    await settle();
    expect(t.recorder.events).toEqual([]);
  });
});
