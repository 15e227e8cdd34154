import { Injectable } from '@nestjs/common';
import { afterEach, describe, expect, it } from 'vitest';
import {
  InjectWhatsAppWebhooksOptions,
  type WhatsAppWebhooksModuleOptions,
} from '../../src/index.js';
import { postWebhook, textMessageWebhook } from '../../src/testing/index.js';
import { APP_SECRET, createTestApp, type TestApp, VARIANTS } from '../fixtures/test-app.js';

/** An application provider that reads the options the module was given. */
@Injectable()
class WebhookSettings {
  constructor(@InjectWhatsAppWebhooksOptions() readonly options: WhatsAppWebhooksModuleOptions) {}
}

describe.each(VARIANTS)('module options (%s)', (variant) => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.app.close();
    t = undefined;
  });

  it.each([
    ['an empty appSecret', { appSecret: '' }, /option "appSecret" must be a non-empty string/],
    [
      'an empty appSecret list',
      { appSecret: [] },
      /option "appSecret" must be a non-empty string or a non-empty array/,
    ],
    ['a missing verifyToken', { verifyToken: undefined }, /option "verifyToken"/],
    [
      'an unknown acknowledge mode',
      { acknowledge: 'sometimes' },
      /option "acknowledge" must be one of 'before-listeners', 'after-listeners'/,
    ],
    [
      'an unknown onInvalidValue',
      { onInvalidValue: 'drop' },
      /option "onInvalidValue" must be one of 'emit', 'reject'/,
    ],
  ])('fails at bootstrap with one actionable message for %s', async (_label, options, message) => {
    await expect(createTestApp({ variant, options: options as never })).rejects.toThrow(message);
  });

  it('serves the POST route on the configured path and posts through the test kit helper', async () => {
    t = await createTestApp({ variant, options: { path: '/custom/wa-hook/' }, listen: false });
    const res = await postWebhook(t.app, textMessageWebhook('hello'), {
      appSecret: APP_SECRET,
      path: 'custom/wa-hook',
    });
    expect(res.status).toBe(200);
    await t.recorder.waitFor(2);
    const wrongPath = await postWebhook(t.app, textMessageWebhook('hello'), {
      appSecret: APP_SECRET,
    });
    expect(wrongPath.status).toBe(404);
  });

  it('InjectWhatsAppWebhooksOptions() gives an application provider the options as given', async () => {
    t = await createTestApp({
      variant,
      options: { onInvalidValue: 'reject', allowedWabaIds: ['102290129340398'] },
      providers: [WebhookSettings],
      listen: false,
    });
    const { options } = t.app.get(WebhookSettings);
    expect(options).toMatchObject({
      appSecret: APP_SECRET,
      onInvalidValue: 'reject',
      allowedWabaIds: ['102290129340398'],
    });
    expect(options).not.toHaveProperty('path');
  });
});
