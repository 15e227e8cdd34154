import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { serializeLikeMeta, signWebhookBody, textMessageWebhook } from '../../src/testing/index.js';
import {
  APP_SECRET,
  createTestApp,
  DEFAULT_BODY_LIMIT,
  PLATFORM_VARIANTS,
  type TestApp,
  WEBHOOK_PATH,
} from '../fixtures/test-app.js';

const VECTOR_SECRET = 'test_app_secret';
/** protocol.md §3.4: exact bytes → Meta's header for secret `test_app_secret`. */
const VECTORS = [
  [
    '{"object":"whatsapp_business_account","entry":[]}',
    'sha256=dec6a680679a968e7e0319355b23599cbfc54502c0784668e9618baa0c633756',
  ],
  [
    '{"object": "whatsapp_business_account", "entry": []}',
    'sha256=56cbbaf4961c6cfdae48b7f116c047e5eb513d2c931baae63a2bc1afd26f803a',
  ],
  [
    '{"text":{"body":"caf\\u00e9 https:\\/\\/x.y\\/z"}}',
    'sha256=846691f756ed64340629149952fce6c21d8193a708c433f5b8409f97793534ae',
  ],
  [
    '{"text":{"body":"café https://x.y/z"}}',
    'sha256=0f904a1cef3c51e0785883c5231ba7aca195ca225d99ecaea55eb87088867089',
  ],
] as const;

describe.each(PLATFORM_VARIANTS)('POST signature and transport (%s, %s)', (platform, variant) => {
  let t: TestApp;
  afterEach(() => t?.app.close());

  // superagent would JSON-encode a Buffer: send its UTF-8 text, which is the same bytes.
  const post = (body: string | Buffer, headers: Record<string, string>) =>
    request(t.app.getHttpServer())
      .post(WEBHOOK_PATH)
      .set(headers)
      .send(Buffer.isBuffer(body) ? body.toString('utf8') : body);
  const signed = (body: string | Buffer, secret = APP_SECRET) =>
    post(body, {
      'content-type': 'application/json',
      'x-hub-signature-256': signWebhookBody(body, secret),
    });

  it('accepts the two envelope test vectors with 200 (not 201), both byte forms', async () => {
    t = await createTestApp({ platform, variant, options: { appSecret: VECTOR_SECRET } });
    for (const [body, header] of VECTORS.slice(0, 2)) {
      const res = await post(body, {
        'content-type': 'application/json',
        'x-hub-signature-256': header,
      });
      expect(res.status).toBe(200);
    }
  });

  it('verifies the escaped and unescaped unicode vectors over their own bytes only', async () => {
    t = await createTestApp({ platform, variant, options: { appSecret: VECTOR_SECRET } });
    const [, , escaped, unescaped] = VECTORS;
    // Signature valid: the request passes the guard and fails only envelope validation (400).
    for (const [body, header] of [escaped, unescaped]) {
      const res = await post(body, {
        'content-type': 'application/json',
        'x-hub-signature-256': header,
      });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/object must be equal to whatsapp_business_account/);
    }
    // Same JSON value, other bytes: each signature fails on the other body.
    for (const [body, header] of [
      [escaped[0], unescaped[1]],
      [unescaped[0], escaped[1]],
    ]) {
      const res = await post(body, {
        'content-type': 'application/json',
        'x-hub-signature-256': header,
      });
      expect(res.status).toBe(401);
    }
  });

  it('delivers a Meta-escaped unicode message, and rejects a signature computed over re-serialised JSON', async () => {
    t = await createTestApp({ platform, variant });
    const payload = textMessageWebhook('café ☕ — https://x.y/z @home <b> 100% 🎉');
    const metaBytes = serializeLikeMeta(payload);
    expect(metaBytes).toMatch(/^[\x20-\x7e]*$/);
    expect((await signed(metaBytes)).status).toBe(200);
    await t.recorder.waitFor(2);
    const [message] = t.recorder.of('message');
    expect(message!.message.type === 'text' && message!.message.text.body).toBe(
      'café ☕ — https://x.y/z @home <b> 100% 🎉',
    );

    const reserialised = JSON.stringify(JSON.parse(metaBytes));
    const res = await post(metaBytes, {
      'content-type': 'application/json',
      'x-hub-signature-256': signWebhookBody(reserialised, APP_SECRET),
    });
    expect(res.status).toBe(401);
  });

  it('accepts raw UTF-8 (unescaped) bytes signed as sent', async () => {
    t = await createTestApp({ platform, variant });
    const body = Buffer.from(JSON.stringify(textMessageWebhook('naïve façade')), 'utf8');
    expect((await signed(body)).status).toBe(200);
    await t.recorder.waitFor(2);
  });

  it.each([
    ['missing', undefined, /missing X-Hub-Signature-256/],
    ['empty', '', /malformed/],
    ['sha1 only', `sha1=${'a'.repeat(40)}`, /malformed/],
    ['too short', `sha256=${'a'.repeat(63)}`, /malformed/],
    ['not hex', `sha256=${'z'.repeat(64)}`, /malformed/],
    ['base64 instead of hex', 'sha256=' + Buffer.alloc(32, 7).toString('base64'), /malformed/],
    ['wrong', `sha256=${'0'.repeat(64)}`, /does not match/],
  ])('answers 401 and emits nothing for a %s signature', async (_label, header, message) => {
    t = await createTestApp({ platform, variant });
    const body = serializeLikeMeta(textMessageWebhook());
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (header !== undefined) headers['x-hub-signature-256'] = header;
    const res = await post(body, headers);
    expect(res.status).toBe(401);
    expect(res.body.message).toMatch(message);
    expect(res.text).not.toContain(APP_SECRET);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(t.recorder.events).toHaveLength(0);
  });

  it('answers 401 for a valid sha1 header without the sha256 one', async () => {
    t = await createTestApp({ platform, variant });
    const body = serializeLikeMeta(textMessageWebhook());
    const { createHmac } = await import('node:crypto');
    const sha1 = 'sha1=' + createHmac('sha1', APP_SECRET).update(body).digest('hex');
    const res = await post(body, { 'content-type': 'application/json', 'x-hub-signature': sha1 });
    expect(res.status).toBe(401);
  });

  it('accepts uppercase hex digits and a signature under any configured secret', async () => {
    t = await createTestApp({
      platform,
      variant,
      options: { appSecret: ['old-secret', APP_SECRET] },
    });
    const body = serializeLikeMeta(textMessageWebhook());
    const header = signWebhookBody(body, APP_SECRET);
    const upper = 'sha256=' + header.slice(7).toUpperCase();
    expect(
      (await post(body, { 'content-type': 'application/json', 'x-hub-signature-256': upper }))
        .status,
    ).toBe(200);
    expect((await signed(body, 'old-secret')).status).toBe(200);
    expect((await signed(body, 'other-secret')).status).toBe(401);
  });

  it('answers 415 to a POST that is not JSON, even when signed, and emits nothing', async () => {
    t = await createTestApp({ platform, variant });
    const body = 'object=whatsapp_business_account';
    for (const contentType of ['application/x-www-form-urlencoded', 'text/plain']) {
      const res = await post(body, {
        'content-type': contentType,
        'x-hub-signature-256': signWebhookBody(body, APP_SECRET),
      });
      expect(res.status).toBe(415);
      expect(res.body.message).toMatch(/expected Content-Type application\/json/);
    }
    // A type no parser is registered for: Fastify answers 415 itself, with its own body
    // ("Unsupported Media Type"), before the route; on Express the guard answers it.
    for (const contentType of ['application/xml', 'application/vnd.api+json']) {
      const res = await post(body, {
        'content-type': contentType,
        'x-hub-signature-256': signWebhookBody(body, APP_SECRET),
      });
      expect(res.status).toBe(415);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(t.recorder.events).toHaveLength(0);
  });

  it('accepts application/json with a charset parameter and in any letter case', async () => {
    t = await createTestApp({ platform, variant });
    const body = serializeLikeMeta(textMessageWebhook('charset'));
    for (const contentType of ['application/json; charset=utf-8', 'Application/JSON']) {
      const res = await post(body, {
        'content-type': contentType,
        'x-hub-signature-256': signWebhookBody(body, APP_SECRET),
      });
      expect(res.status).toBe(200);
    }
    await t.recorder.waitFor(2);
    expect(t.recorder.of('message')).toHaveLength(1);
  });

  it('answers 500 naming the raw-body fix of the platform when the app was created without it', async () => {
    t = await createTestApp({ platform, variant, rawBody: false });
    const res = await signed(serializeLikeMeta(textMessageWebhook()));
    expect(res.status).toBe(500);
    const message: string = res.body.message;
    expect(message).toContain('{ rawBody: true }');
    if (platform === 'fastify') {
      expect(message).toContain(
        'NestFactory.create(AppModule, new FastifyAdapter({ bodyLimit: 5 * 1024 * 1024 }), { rawBody: true })',
      );
      expect(message).toContain("never call `app.useBodyParser('json', …)`");
    } else {
      expect(message).toContain('NestFactory.create(AppModule, { rawBody: true })');
      expect(message).toContain("app.useBodyParser('json', { limit: '5mb' })");
      expect(message).not.toContain('Fastify');
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(t.recorder.events).toHaveLength(0);
  });

  it('accepts a 3 MB signed payload with the documented body limit, and answers 413 over it', async () => {
    t = await createTestApp({ platform, variant, bodyLimit: '4mb' });
    const filler = 'x'.repeat(3 * 1024 * 1024 - 2_000);
    const big = serializeLikeMeta(textMessageWebhook(filler));
    expect(Buffer.byteLength(big)).toBeGreaterThan(3 * 1024 * 1024 - 2_000);
    expect(Buffer.byteLength(big)).toBeLessThanOrEqual(3 * 1024 * 1024);
    expect((await signed(big)).status).toBe(200);
    await t.recorder.waitFor(2);
    expect(
      (t.recorder.of('message')[0]!.message as { text: { body: string } }).text.body,
    ).toHaveLength(filler.length);

    const tooBig = serializeLikeMeta(textMessageWebhook('x'.repeat(4 * 1024 * 1024 + 10)));
    expect((await signed(tooBig)).status).toBe(413);
  });

  // Express's body parser defaults to 100 kb, Fastify to 1 MiB; neither takes Meta's 3 MB.
  it(`answers 413 above the default ${DEFAULT_BODY_LIMIT[platform] / 1024} KiB limit when the app did not raise it`, async () => {
    t = await createTestApp({ platform, variant });
    const limit = DEFAULT_BODY_LIMIT[platform];
    const under = serializeLikeMeta(textMessageWebhook('y'.repeat(limit - 2_000)));
    expect((await signed(under)).status).toBe(200);
    const over = serializeLikeMeta(textMessageWebhook('y'.repeat(limit + 1)));
    expect((await signed(over)).status).toBe(413);
    await t.recorder.waitFor(2);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(t.recorder.of('message')).toHaveLength(1);
  });
});
