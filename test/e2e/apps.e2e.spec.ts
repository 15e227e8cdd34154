import { Injectable } from '@nestjs/common';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import {
  OnWaba,
  OnWabaMessage,
  type WabaChangeEvent,
  type WabaMessageEvent,
} from '../../src/index.js';
import {
  fieldWebhook,
  messagesWebhook,
  inboundMessage,
  postWebhook,
  textMessageWebhook,
} from '../../src/testing/index.js';
import { createTestApp, PLATFORM_VARIANTS, type TestApp } from '../fixtures/test-app.js';

@Injectable()
class ShopOnly {
  readonly messages: WabaMessageEvent[] = [];
  readonly changes: WabaChangeEvent[] = [];

  @OnWabaMessage(undefined, { app: 'shop' })
  onShopMessage(e: WabaMessageEvent): void {
    this.messages.push(e);
  }

  @OnWaba('*', { app: ['shop', 'support'] })
  onNamedChange(e: WabaChangeEvent): void {
    this.changes.push(e);
  }
}

const APPS = [
  { name: 'shop', appSecret: 'shop-secret', verifyTokens: ['shop-token', 'shop-override-token'] },
  { name: 'support', appSecret: ['support-old-secret', 'support-new-secret'] },
];

const settle = () => new Promise((r) => setTimeout(r, 40));

describe.each(PLATFORM_VARIANTS)(
  'several apps, verify tokens and allow-lists (%s, %s)',
  (platform, variant) => {
    let t: TestApp;
    afterEach(() => t?.app.close());

    it('tags each event with the app whose secret verified it, and filters listeners by app', async () => {
      t = await createTestApp({
        platform,
        variant,
        providers: [ShopOnly],
        options: { appSecret: 'plain-secret', verifyToken: 'plain-token', apps: APPS },
      });
      for (const appSecret of [
        'shop-secret',
        'support-new-secret',
        'support-old-secret',
        'plain-secret',
      ]) {
        expect(
          (await postWebhook(t.app, textMessageWebhook(appSecret), { appSecret })).status,
        ).toBe(200);
      }
      expect(
        (await postWebhook(t.app, textMessageWebhook('x'), { appSecret: 'unknown-secret' })).status,
      ).toBe(401);
      await t.recorder.waitFor(8);
      await settle();
      const byBody = Object.fromEntries(
        t.recorder
          .of('message')
          .map((m) => [(m.message as { text: { body: string } }).text.body, m.app]),
      );
      expect(byBody).toEqual({
        'shop-secret': 'shop',
        'support-new-secret': 'support',
        'support-old-secret': 'support',
        'plain-secret': undefined,
      });
      const shop = t.app.get(ShopOnly);
      expect(shop.messages.map((m) => m.app)).toEqual(['shop']);
      expect(shop.changes.map((c) => c.app)).toEqual(['shop', 'support', 'support']);
    });

    it('accepts the verify token of every app and of the plain option in the handshake', async () => {
      t = await createTestApp({
        platform,
        variant,
        options: { appSecret: 'plain-secret', verifyToken: 'plain-token', apps: APPS },
      });
      for (const token of ['plain-token', 'shop-token', 'shop-override-token']) {
        const res = await request(t.app.getHttpServer()).get('/webhooks/whatsapp').query({
          'hub.mode': 'subscribe',
          'hub.verify_token': token,
          'hub.challenge': token.length.toString(),
        });
        expect(res.status).toBe(200);
      }
    });

    it('works with named apps only', async () => {
      t = await createTestApp({
        platform,
        variant,
        options: { appSecret: undefined, verifyToken: undefined, apps: APPS },
      });
      expect(
        (await postWebhook(t.app, fieldWebhook('security'), { appSecret: 'shop-secret' })).status,
      ).toBe(200);
      await t.recorder.waitFor(1);
      expect(t.recorder.of('change')[0]!.app).toBe('shop');
    });

    it('acknowledges but does not emit updates of WABAs and phone numbers outside the allow-lists', async () => {
      t = await createTestApp({
        platform,
        variant,
        options: { allowedWabaIds: ['waba-allowed'], allowedPhoneNumberIds: ['phone-allowed'] },
      });
      const secret = { appSecret: 'test-app-secret' };
      const messages = (phone: string, waba: string) =>
        messagesWebhook(
          { messages: [inboundMessage('text')], metadata: { phone_number_id: phone } },
          { entryId: waba },
        );
      expect(
        (await postWebhook(t.app, messages('phone-allowed', 'waba-allowed'), secret)).status,
      ).toBe(200);
      expect(
        (await postWebhook(t.app, messages('phone-other', 'waba-allowed'), secret)).status,
      ).toBe(200);
      expect(
        (await postWebhook(t.app, messages('phone-allowed', 'waba-other'), secret)).status,
      ).toBe(200);
      expect(
        (
          await postWebhook(
            t.app,
            fieldWebhook('security', undefined, { entryId: 'waba-allowed' }),
            secret,
          )
        ).status,
      ).toBe(200);
      expect(
        (
          await postWebhook(
            t.app,
            fieldWebhook('security', undefined, { entryId: 'waba-other' }),
            secret,
          )
        ).status,
      ).toBe(200);
      await settle();
      expect(t.recorder.of('change').map((c) => `${c.entryId}:${c.field}`)).toEqual([
        'waba-allowed:messages',
        'waba-allowed:security',
      ]);
      expect(t.recorder.of('message')).toHaveLength(1);
    });

    it.each([
      ['no secret at all', { appSecret: undefined, apps: [] }, /option "appSecret"/],
      [
        'two apps with one name',
        { apps: [APPS[0], { ...APPS[1], name: 'shop' }] },
        /option "apps\[1\]\.name" must be a unique non-empty string/,
      ],
      [
        'an app without secret',
        { apps: [{ name: 'x', appSecret: '' }] },
        /option "apps\[0\]\.appSecret"/,
      ],
      ['an empty allow-list entry', { allowedWabaIds: [''] }, /option "allowedWabaIds"/],
    ])('fails at bootstrap for %s', async (_label, options, message) => {
      await expect(createTestApp({ platform, variant, options: options as never })).rejects.toThrow(
        message,
      );
    });
  },
);
