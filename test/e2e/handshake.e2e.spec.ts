import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createTestApp,
  PLATFORM_VARIANTS,
  type TestApp,
  VERIFY_TOKEN,
  WEBHOOK_PATH,
} from '../fixtures/test-app.js';

describe.each(PLATFORM_VARIANTS)('GET handshake (%s, %s)', (platform, variant) => {
  let t: TestApp;
  afterEach(() => t?.app.close());

  const handshake = (query: Record<string, string>) =>
    request(t.app.getHttpServer()).get(WEBHOOK_PATH).query(query);

  it('echoes hub.challenge exactly, as text/plain, when mode and token match', async () => {
    t = await createTestApp({ platform, variant });
    const res = await handshake({
      'hub.mode': 'subscribe',
      'hub.verify_token': VERIFY_TOKEN,
      'hub.challenge': '0012345678901234567890',
    });
    expect(res.status).toBe(200);
    expect(res.text).toBe('0012345678901234567890');
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(t.recorder.events).toHaveLength(0);
  });

  it.each([
    [
      'a wrong token',
      { 'hub.mode': 'subscribe', 'hub.verify_token': 'nope', 'hub.challenge': '1' },
    ],
    [
      'a token that is a prefix',
      {
        'hub.mode': 'subscribe',
        'hub.verify_token': VERIFY_TOKEN.slice(0, -1),
        'hub.challenge': '1',
      },
    ],
    [
      'a wrong mode',
      { 'hub.mode': 'unsubscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '1' },
    ],
    ['no mode', { 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '1' }],
    ['no token', { 'hub.mode': 'subscribe', 'hub.challenge': '1' }],
    ['no challenge', { 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN }],
  ])('answers 403 for %s', async (_label, query) => {
    t = await createTestApp({ platform, variant });
    const res = await handshake(query);
    expect(res.status).toBe(403);
    expect(res.text).not.toContain(VERIFY_TOKEN);
  });

  it('needs no signature on GET, and accepts any of several verify tokens', async () => {
    t = await createTestApp({
      platform,
      variant,
      options: { verifyToken: ['app-token', 'override-token'] },
    });
    for (const token of ['app-token', 'override-token']) {
      const res = await handshake({
        'hub.mode': 'subscribe',
        'hub.verify_token': token,
        'hub.challenge': 'c',
      });
      expect(res.status).toBe(200);
      expect(res.text).toBe('c');
    }
  });

  // An Express app with `set('query parser', 'extended')` nests hub[mode]=… into `hub.mode`;
  // Fastify's querystring parser has no such setting and keeps `hub[mode]` as a flat key, which
  // is not Meta's `hub.mode` (Meta never sends the bracket form).
  it(`${platform === 'express' ? 'accepts' : 'refuses (403)'} the bracket shape hub[mode]=…`, async () => {
    t = await createTestApp({ platform, variant });
    if (platform === 'express') {
      (t.app as NestExpressApplication).set('query parser', 'extended');
    }
    const res = await request(t.app.getHttpServer()).get(
      `${WEBHOOK_PATH}?hub[mode]=subscribe&hub[verify_token]=${VERIFY_TOKEN}&hub[challenge]=42`,
    );
    expect(res.status).toBe(platform === 'express' ? 200 : 403);
    if (platform === 'express') expect(res.text).toBe('42');
  });

  it('serves the handshake on a custom path', async () => {
    t = await createTestApp({ platform, variant, options: { path: 'hooks/meta/wa' } });
    const ok = await request(t.app.getHttpServer())
      .get('/hooks/meta/wa')
      .query({ 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': 'x' });
    expect(ok.status).toBe(200);
    expect(
      (
        await handshake({
          'hub.mode': 'subscribe',
          'hub.verify_token': VERIFY_TOKEN,
          'hub.challenge': 'x',
        })
      ).status,
    ).toBe(404);
  });
});
