import { afterEach, describe, expect, it } from 'vitest';
import {
  createTestApp,
  PLATFORM_VARIANTS,
  postSigned,
  type TestApp,
} from '../fixtures/test-app.js';

/** An envelope with one change of field `x` whose value is the given JSON text (level 6). */
const withValue = (value: string) =>
  `{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"x","value":${value}}]}]}`;

/** `levels` nested arrays around 1: a value that is `levels` levels deep. */
const nestedArrays = (levels: number) => '['.repeat(levels) + '1' + ']'.repeat(levels);

// Regressions found by the property-based tests in test/fuzz: each of these signed requests
// used to be answered 500 (so Meta would redeliver it for days) or accepted in a broken shape.
describe.each(PLATFORM_VARIANTS)('hostile signed input (%s, %s)', (platform, variant) => {
  let t: TestApp;
  afterEach(() => t?.app.close());

  const signed = (body: string) => postSigned(t.app, body);

  const expectNothingEmitted = async () => {
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(t.recorder.events).toHaveLength(0);
  };

  it.each([
    ['arrays, 5,000 levels', withValue(nestedArrays(5_000))],
    ['objects, 20,000 levels', withValue('{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000))],
    [
      'in an extra envelope key',
      `{"x":${nestedArrays(3_000)},"object":"whatsapp_business_account","entry":[]}`,
    ],
  ])(
    'answers 400, not 500, to JSON nested too deep for class-transformer (%s)',
    async (_label, body) => {
      t = await createTestApp({ platform, variant, bodyLimit: '1mb' });
      const res = await signed(body);
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/nested deeper than 128 levels/);
      await expectNothingEmitted();
    },
  );

  it('accepts 128 levels of nesting and refuses 129', async () => {
    t = await createTestApp({ platform, variant });
    // The envelope object is level 1 and the change's value level 6.
    expect((await signed(withValue(nestedArrays(123)))).status).toBe(200);
    await t.recorder.waitFor(1);
    expect((await signed(withValue(nestedArrays(124)))).status).toBe(400);
  });

  it.each([
    ['an object', '[{"constructor":{"a":1}}]'],
    ['a string', '{"constructor":"Object"}'],
    ['false (which class-transformer would drop silently)', '{"nested":{"constructor":false}}'],
  ])('answers 400, not 500, to a "constructor" key whose value is %s', async (_label, value) => {
    t = await createTestApp({ platform, variant });
    const res = await signed(withValue(value));
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/"constructor" keys are not allowed/);
    await expectNothingEmitted();
  });

  // Fastify's JSON parser (onConstructorPoisoning: 'error') refuses constructor.prototype first.
  it('answers 400 to a "constructor" key holding a "prototype"', async () => {
    t = await createTestApp({ platform, variant });
    const res = await signed(withValue('{"constructor":{"prototype":{"polluted":true}}}'));
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(
      platform === 'fastify' ? /Body is not valid JSON/ : /"constructor" keys are not allowed/,
    );
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
    await expectNothingEmitted();
  });

  it.each([
    [
      'an entry that is an array',
      '{"object":"whatsapp_business_account","entry":[[{"id":"1","changes":[]}]]}',
      /entry\.0 must be an object/,
    ],
    [
      'an empty array as entry',
      '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[]},[]]}',
      /entry\.1 must be an object/,
    ],
    [
      'a change that is an array',
      '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[[{"field":"x","value":1}]]}]}',
      /entry\.0\.changes\.0 must be an object/,
    ],
  ])('answers 400 to %s (nested arrays pass @ValidateNested)', async (_label, body, message) => {
    t = await createTestApp({ platform, variant });
    const res = await signed(body);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(message);
    await expectNothingEmitted();
  });

  it.each(['hasOwnProperty', 'toString', 'constructor', '__defineGetter__'])(
    'accepts and emits a change whose field is named like an Object.prototype member (%s)',
    async (field) => {
      t = await createTestApp({ platform, variant });
      const body = `{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"${field}","value":{"a":1}}]}]}`;
      expect((await signed(body)).status).toBe(200);
      await t.recorder.waitFor(1);
      expect(t.recorder.of('change').map((c) => c.field)).toEqual([field]);
    },
  );

  it("delivers a change whose field is literally '*' to '*' listeners once", async () => {
    t = await createTestApp({ platform, variant });
    const body =
      '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"*","value":{}}]}]}';
    expect((await signed(body)).status).toBe(200);
    await t.recorder.waitFor(1);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(t.recorder.of('change')).toHaveLength(1);
  });
});
