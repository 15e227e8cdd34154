import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, VARIANTS, postSigned } from '../fixtures/test-app.js';

describe.each(VARIANTS)('envelope validation (%s)', (variant) => {
  let t: TestApp;
  afterEach(() => t?.app.close());

  const signed = (body: string) => postSigned(t.app, body);

  it.each([
    ['not JSON', '{"object":', /JSON|Unexpected|Bad Request/i],
    ['an array', '[]', /must be a JSON object/],
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
      t = await createTestApp({ variant });
      const res = await signed(body);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toMatch(message);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(t.recorder.events).toHaveLength(0);
    },
  );

  it('leaves Object.prototype untouched after a __proto__ payload', async () => {
    t = await createTestApp({ variant });
    await signed(
      '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"x","value":{"__proto__":{"polluted":true}}}]}]}',
    );
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it('answers 200 to an empty batch', async () => {
    t = await createTestApp({ variant });
    const res = await signed('{"object":"whatsapp_business_account","entry":[]}');
    expect(res.status).toBe(200);
  });
});
