import { Injectable, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  OnWaba,
  OnWabaMessage,
  type WabaChangeEvent,
  type WabaMessageEvent,
  WhatsAppWebhooksModule,
  type WhatsAppWebhooksModuleOptions,
} from '../../src/index.js';
import { postWebhook, templateStatusWebhook, textMessageWebhook } from '../../src/testing/index.js';
import { obliterateQueues, REDIS_URL, redisAvailable } from '../fixtures/redis.js';

const hasRedis = await redisAvailable();
const APP_SECRET = 'test-secret';

/** A listener that takes its time, like one that writes to a database. */
@Injectable()
class TemplateMirror {
  readonly statuses: string[] = [];
  readonly texts: string[] = [];

  @OnWaba('message_template_status_update')
  async onTemplate(e: WabaChangeEvent<'message_template_status_update'>): Promise<void> {
    await new Promise((r) => setTimeout(r, 150));
    this.statuses.push(e.value.event);
  }

  @OnWabaMessage('text')
  async onText(e: WabaMessageEvent<'text'>): Promise<void> {
    await new Promise((r) => setTimeout(r, 150));
    this.texts.push(e.message.text.body);
  }
}

/** The README's recipe: a Testing module, `rawBody: true`, `app.init()`, then `postWebhook`. */
async function createApp(
  options: Partial<WhatsAppWebhooksModuleOptions> = {},
): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      WhatsAppWebhooksModule.forRoot({ appSecret: APP_SECRET, verifyToken: 'test', ...options }),
    ],
    providers: [TemplateMirror],
  }).compile();
  const app = moduleRef.createNestApplication({ rawBody: true, logger: false });
  await app.init();
  return app;
}

describe('the test kit waits for the listeners of the request (no sleeps)', () => {
  let app: INestApplication | undefined;
  const queues: string[] = [];
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });
  afterAll(() => obliterateQueues(queues));

  it.each(['before-listeners', 'after-listeners'] as const)(
    "acknowledge: '%s' — the listener has run when postWebhook resolves",
    async (acknowledge) => {
      app = await createApp({ acknowledge });
      const res = await postWebhook(app, templateStatusWebhook({ event: 'REJECTED' }), {
        appSecret: APP_SECRET,
      });
      expect(res.status).toBe(200);
      expect(app.get(TemplateMirror).statuses).toEqual(['REJECTED']);
    },
  );

  it('without waiting (waitForListeners: false) the default mode answers before the listener ran', async () => {
    app = await createApp();
    const res = await postWebhook(app, templateStatusWebhook({ event: 'PAUSED' }), {
      appSecret: APP_SECRET,
      waitForListeners: false,
    });
    expect(res.status).toBe(200);
    expect(app.get(TemplateMirror).statuses).toEqual([]);
  });

  it('rejects with a clear error when the listeners outlast listenerTimeoutMs', async () => {
    app = await createApp();
    await expect(
      postWebhook(app, templateStatusWebhook(), { appSecret: APP_SECRET, listenerTimeoutMs: 20 }),
    ).rejects.toThrow(/listeners did not settle within 20 ms/);
  });

  it.skipIf(!hasRedis)(
    'queue mode with the worker in the app: resolves once it delivered',
    async () => {
      const queueName = `waba-kit-${randomUUID()}`;
      queues.push(queueName);
      app = await createApp({ delivery: { mode: 'queue', connection: REDIS_URL, queueName } });
      const res = await postWebhook(app, textMessageWebhook('order #42'), {
        appSecret: APP_SECRET,
      });
      expect(res.status).toBe(200);
      expect(app.get(TemplateMirror).texts).toEqual(['order #42']);
    },
  );
});
