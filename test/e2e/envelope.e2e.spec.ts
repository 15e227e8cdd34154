import { afterEach, describe, expect, it } from 'vitest';
import {
  batchWebhooks,
  fieldWebhook,
  inboundMessage,
  messagesWebhook,
  serializeLikeMeta,
  templateStatusWebhook,
} from '../../src/testing/index.js';
import {
  createTestApp,
  PLATFORM_VARIANTS,
  postSigned,
  type TestApp,
} from '../fixtures/test-app.js';

/** A valid envelope (one template status change) as Meta serialises it. */
const VALID = () => serializeLikeMeta(templateStatusWebhook());

/** An envelope with one change of field `x` whose value is the given JSON text (level 6). */
const withValue = (value: string) =>
  `{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"x","value":${value}}]}]}`;

const nestedArrays = (levels: number) => '['.repeat(levels) + '1' + ']'.repeat(levels);

describe.each(PLATFORM_VARIANTS)('envelope validation (%s, %s)', (platform, variant) => {
  let t: TestApp;
  afterEach(() => t?.app.close());

  const signed = (body: string) => postSigned(t.app, body);

  it.each([
    ['not JSON', '{"object":', /JSON|Unexpected|Bad Request/i],
    ['an empty array', '[]', /the body is an empty array: it must hold at least one envelope/],
    ['a JSON string', '"whatsapp_business_account"', /JSON|Unexpected|Bad Request/i],
    [
      'another object',
      '{"object":"page","entry":[]}',
      /object must be equal to whatsapp_business_account/,
    ],
    ['no object', '{"entry":[]}', /object must be equal/],
    [
      'entry not an array',
      '{"object":"whatsapp_business_account","entry":{}}',
      /entry must be an array/,
    ],
    ['entry item not an object', '{"object":"whatsapp_business_account","entry":[1]}', /entry\.0/],
    [
      'entry without id',
      '{"object":"whatsapp_business_account","entry":[{"changes":[]}]}',
      /entry\.0\.id must be a string/,
    ],
    [
      'changes missing',
      '{"object":"whatsapp_business_account","entry":[{"id":"1"}]}',
      /entry\.0\.changes must be an array/,
    ],
    [
      'change without field',
      '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"value":{}}]}]}',
      /entry\.0\.changes\.0\.field must be a string/,
    ],
    [
      'change without value',
      '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages"}]}]}',
      /changes\.0\.value should not be/,
    ],
    [
      'time not an integer',
      '{"object":"whatsapp_business_account","entry":[{"id":"1","time":"soon","changes":[]}]}',
      /entry\.0\.time must be an integer/,
    ],
  ])(
    'answers 400 to a signed body that is %s, and emits nothing',
    async (_label, body, message) => {
      t = await createTestApp({ platform, variant });
      const res = await signed(body);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toMatch(message);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(t.recorder.events).toHaveLength(0);
    },
  );

  // On Express the pipe refuses the key; on Fastify its JSON parser does, before the route.
  it('answers 400 to a __proto__ payload, emits nothing and leaves Object.prototype untouched', async () => {
    t = await createTestApp({ platform, variant });
    const res = await signed(
      '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"x","value":{"__proto__":{"polluted":true}}}]}]}',
    );
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(
      platform === 'fastify' ? /Body is not valid JSON/ : /"__proto__" keys are not allowed/,
    );
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(t.recorder.events).toHaveLength(0);
  });

  // Meta's "Webhooks for WhatsApp Business Accounts" page prints its example payload as an array
  // holding one envelope (test/fixtures/seeds/002-example-webhook-payload.json).
  describe('a body that is an array of envelopes', () => {
    it.each([
      ['a number', () => `[${VALID()},1]`, /\[1\] must be a JSON object/],
      ['null', () => `[${VALID()},null]`, /\[1\] must be a JSON object/],
      ['an array of envelopes', () => `[${VALID()},[${VALID()}]]`, /\[1\] must be a JSON object/],
      [
        'another object',
        () => `[${VALID()},{"object":"page","entry":[]}]`,
        /\[1\]\.object must be equal to whatsapp_business_account/,
      ],
      [
        'an envelope whose entry is not an array',
        () => `[${VALID()},{"object":"whatsapp_business_account","entry":{}}]`,
        /\[1\]\.entry must be an array/,
      ],
      [
        'an envelope whose entry has no id',
        () => `[${VALID()},{"object":"whatsapp_business_account","entry":[{"changes":[]}]}]`,
        /\[1\]\.entry\.0\.id must be a string/,
      ],
      [
        'an envelope whose change has no value',
        () =>
          `[${VALID()},{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"security"}]}]}]`,
        /\[1\]\.entry\.0\.changes\.0\.value should not be/,
      ],
      [
        'an envelope whose entry is an array',
        () => `[${VALID()},{"object":"whatsapp_business_account","entry":[[]]}]`,
        /\[1\]\.entry\.0 must be an object/,
      ],
      [
        'an envelope with a "constructor" key',
        () => `[${VALID()},${withValue('{"constructor":{"a":1}}')}]`,
        /\[1\]: "constructor" keys are not allowed/,
      ],
      [
        'an envelope with a "__proto__" key',
        () => `[${VALID()},${withValue('{"__proto__":{"polluted":true}}')}]`,
        // Fastify's JSON parser (onProtoPoisoning: 'error') refuses the body before the route.
        platform === 'fastify'
          ? /Body is not valid JSON/
          : /\[1\]: "__proto__" keys are not allowed/,
      ],
      [
        'an invalid first item',
        () => `[{"object":"whatsapp_business_account"},${VALID()}]`,
        /\[0\]\.entry must be an array/,
      ],
    ])(
      'answers 400 to [valid, %s], names the item, and emits nothing',
      async (_label, body, message) => {
        t = await createTestApp({ platform, variant });
        const res = await signed(body());
        expect(res.status).toBe(400);
        expect(res.body.message).toMatch(message);
        await new Promise((resolve) => setTimeout(resolve, 20));
        expect(t.recorder.events).toHaveLength(0);
        expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
      },
    );

    it('answers 200 to two envelopes and dispatches every change of both, in order', async () => {
      t = await createTestApp({ platform, variant });
      const first = batchWebhooks(templateStatusWebhook(), fieldWebhook('security'));
      const second = batchWebhooks(
        messagesWebhook({ messages: [inboundMessage('text'), inboundMessage('image')] }),
        fieldWebhook('account_update', {}, { entryId: 'waba-2' }),
      );
      const res = await signed(`[${serializeLikeMeta(first)},${serializeLikeMeta(second)}]`);
      expect(res.status).toBe(200);
      await t.recorder.waitFor(6);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(t.recorder.of('invalid')).toEqual([]);
      expect(t.recorder.of('change').map((c) => `${c.entryId}:${c.field}`)).toEqual([
        `${first.entry[0]!.id}:message_template_status_update`,
        `${first.entry[1]!.id}:security`,
        `${second.entry[0]!.id}:messages`,
        'waba-2:account_update',
      ]);
      expect(t.recorder.of('message').map((m) => m.message.type)).toEqual(['text', 'image']);
    });

    it('delivers the same array posted twice once (deduplicated as usual)', async () => {
      t = await createTestApp({ platform, variant });
      const body = `[${VALID()},${serializeLikeMeta(
        messagesWebhook({ messages: [inboundMessage('text')] }),
      )}]`;
      expect((await signed(body)).status).toBe(200);
      await t.recorder.waitFor(3);
      expect((await signed(body)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 60));
      expect(t.recorder.of('change').map((c) => c.field)).toEqual([
        'message_template_status_update',
        'messages',
      ]);
      expect(t.recorder.of('message')).toHaveLength(1);
    });

    it('counts nesting from each envelope: 128 levels pass inside an array, 129 do not', async () => {
      t = await createTestApp({ platform, variant });
      // The array is level 1, the envelope level 2, the change's value level 7.
      expect((await signed(`[${withValue(nestedArrays(123))}]`)).status).toBe(200);
      await t.recorder.waitFor(1);
      const res = await signed(`[${VALID()},${withValue(nestedArrays(124))}]`);
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/\[1\]: the JSON must not be nested deeper than 128 levels/);
    });
  });

  it('answers 200 to an empty batch', async () => {
    t = await createTestApp({ platform, variant });
    const res = await signed('{"object":"whatsapp_business_account","entry":[]}');
    expect(res.status).toBe(200);
  });
});
