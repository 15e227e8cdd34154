import { Injectable } from '@nestjs/common';
import { EventEmitterModule, OnEvent } from '@nestjs/event-emitter';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  GraphApiError,
  OnWaba,
  OnWabaOnboarded,
  OnWabaOnboardingFailed,
  WABA_ONBOARDED_EVENT,
  WABA_ONBOARDING_FAILED_EVENT,
  type WabaChangeEvent,
  type WabaOnboardedEvent,
  type WabaOnboardingFailedEvent,
  type WabaPartnerAddedEvent,
  type WhatsAppWebhooksModuleOptions,
} from '../../src/index.js';
import { changeWebhook, postWebhook } from '../../src/testing/index.js';
import { FakeGraphApi, graphError, subscribedApp } from '../fixtures/fake-graph-api.js';
import { obliterateQueues, REDIS_URL, redisAvailable, until } from '../fixtures/redis.js';
import {
  APP_SECRET,
  CapturingLogger,
  createTestApp,
  type TestApp,
  VARIANTS,
} from '../fixtures/test-app.js';

const hasRedis = await redisAvailable();

const TOKEN = 'EAAG-partner-system-user-token-SECRET-0001';
const TENANT_TOKEN = 'EAAG-tenant-bisu-token-SECRET-0002';
const APP = '670843887433847';
const VERSION = 'v27.0';
// Seed 000's "Onboarded business customer" example: the partner's business, the customer's WABA.
const PARTNER_BUSINESS = '35602282435505';
const CUSTOMER_WABA = '495709166956424';
const CUSTOMER_BUSINESS = '942647313864044';
const SUBSCRIBED_APPS = `/${VERSION}/${CUSTOMER_WABA}/subscribed_apps`;
const SEED_PAYLOAD = readFileSync(
  new URL('../fixtures/seeds/000-onboarded-business-customer.json', import.meta.url),
  'utf8',
);

@Injectable()
class OnboardingListener {
  readonly onboarded: WabaOnboardedEvent[] = [];
  readonly failed: WabaOnboardingFailedEvent[] = [];
  readonly accountUpdates: WabaChangeEvent<'account_update'>[] = [];
  readonly observed: { name: string; event: unknown }[] = [];

  @OnWabaOnboarded()
  onOnboarded(e: WabaOnboardedEvent): void {
    this.onboarded.push(e);
  }

  @OnWabaOnboardingFailed()
  onFailed(e: WabaOnboardingFailedEvent): void {
    this.failed.push(e);
  }

  @OnWaba('account_update')
  onAccountUpdate(e: WabaChangeEvent<'account_update'>): void {
    this.accountUpdates.push(e);
  }

  @OnEvent(WABA_ONBOARDED_EVENT)
  @OnEvent(WABA_ONBOARDING_FAILED_EVENT)
  observe(event: WabaOnboardedEvent | WabaOnboardingFailedEvent): void {
    this.observed.push({ name: 'wabaId' in event ? 'seen' : 'other', event });
  }
}

function partnerAdded(wabaId = CUSTOMER_WABA, time = 1_731_617_831) {
  return changeWebhook(
    'account_update',
    {
      event: 'PARTNER_ADDED',
      waba_info: { waba_id: wabaId, owner_business_id: CUSTOMER_BUSINESS },
    },
    { entryId: PARTNER_BUSINESS, time },
  );
}

describe.each(VARIANTS)('Embedded Signup onboarding (%s)', (variant) => {
  let graph: FakeGraphApi;
  let t: TestApp | undefined;
  beforeEach(async () => {
    graph = await FakeGraphApi.start();
  });
  afterEach(async () => {
    await t?.app.close();
    t = undefined;
    await graph.close();
  });

  const start = async (
    options: Partial<WhatsAppWebhooksModuleOptions>,
    logger = new CapturingLogger(),
  ) => {
    t = await createTestApp({
      variant,
      logger,
      providers: [OnboardingListener],
      imports: [EventEmitterModule.forRoot()],
      options: {
        accessToken: TOKEN,
        appId: APP,
        graphApiBaseUrl: graph.url,
        retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 5 },
        onboarding: { autoSubscribe: true },
        ...options,
      },
    });
    return t.app.get(OnboardingListener);
  };

  it("seed 000's PARTNER_ADDED → list + subscribe of the customer's WABA, @OnWabaOnboarded, even with an allowedWabaIds without the partner's id", async () => {
    graph
      .on('GET', SUBSCRIBED_APPS, { body: { data: [subscribedApp('111222333444555')] } })
      .on('POST', SUBSCRIBED_APPS, { body: { success: true } });
    const listener = await start({ allowedWabaIds: ['102290129340398'] });
    const res = await postWebhook(t!.app, SEED_PAYLOAD, { appSecret: APP_SECRET });
    expect(res.status).toBe(200);
    expect(graph.requests.map((r) => [r.method, r.path, r.body])).toEqual([
      ['GET', SUBSCRIBED_APPS, ''],
      ['POST', SUBSCRIBED_APPS, ''],
    ]);
    for (const request of graph.requests) {
      expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
    }
    expect(listener.onboarded).toEqual([
      {
        wabaId: CUSTOMER_WABA,
        ownerBusinessId: CUSTOMER_BUSINESS,
        entryId: PARTNER_BUSINESS,
        changed: true,
        subscription: { id: APP },
      },
    ]);
    expect(listener.failed).toEqual([]);
    // The change itself reaches listeners too: allowedWabaIds never drops PARTNER_ADDED.
    expect(listener.accountUpdates.map((e) => e.entryId)).toEqual([PARTNER_BUSINESS]);
    // And @nestjs/event-emitter observers get the same event object.
    expect(listener.observed.map((o) => o.event)).toEqual([listener.onboarded[0]]);
    expect(listener.observed[0]!.event).toBe(listener.onboarded[0]);
  });

  it('an app already subscribed: no POST, changed false; a redelivery onboards nothing again', async () => {
    graph.on('GET', SUBSCRIBED_APPS, {
      body: { data: [subscribedApp(APP, 'https://kept.example.com/hook')] },
    });
    const listener = await start({});
    const payload = partnerAdded();
    expect((await postWebhook(t!.app, payload, { appSecret: APP_SECRET })).status).toBe(200);
    expect((await postWebhook(t!.app, payload, { appSecret: APP_SECRET })).status).toBe(200);
    expect(graph.requestsTo('POST', SUBSCRIBED_APPS)).toEqual([]);
    expect(graph.requestsTo('GET', SUBSCRIBED_APPS)).toHaveLength(1);
    expect(listener.onboarded).toMatchObject([
      {
        wabaId: CUSTOMER_WABA,
        changed: false,
        subscription: { id: APP, overrideCallbackUri: 'https://kept.example.com/hook' },
      },
    ]);
  });

  it('the function form: an override and a token per tenant; false skips the WABA', async () => {
    graph
      .on('GET', SUBSCRIBED_APPS, { body: { data: [] } })
      .on('POST', SUBSCRIBED_APPS, { body: { success: true } });
    const seen: WabaPartnerAddedEvent[] = [];
    const listener = await start({
      onboarding: {
        autoSubscribe: async (event) => {
          seen.push(event);
          if (event.wabaId !== CUSTOMER_WABA) return false;
          return {
            overrideCallbackUri: `https://tenant-a.example.com/waba/${event.wabaId}`,
            verifyToken: 'tenant-a-verify',
            accessToken: TENANT_TOKEN,
          };
        },
      },
    });
    const res = await postWebhook(t!.app, partnerAdded(), { appSecret: APP_SECRET });
    expect(res.status).toBe(200);
    const skipped = partnerAdded('495709166956999', 1_731_617_900);
    expect((await postWebhook(t!.app, skipped, { appSecret: APP_SECRET })).status).toBe(200);
    expect(seen.map((e) => [e.wabaId, e.ownerBusinessId, e.entryId, e.time])).toEqual([
      [CUSTOMER_WABA, CUSTOMER_BUSINESS, PARTNER_BUSINESS, 1_731_617_831],
      ['495709166956999', CUSTOMER_BUSINESS, PARTNER_BUSINESS, 1_731_617_900],
    ]);
    const posts = graph.requestsTo('POST', SUBSCRIBED_APPS);
    expect(posts).toHaveLength(1);
    expect(JSON.parse(posts[0]!.body)).toEqual({
      override_callback_uri: `https://tenant-a.example.com/waba/${CUSTOMER_WABA}`,
      verify_token: 'tenant-a-verify',
    });
    for (const request of graph.requests) {
      expect(request.headers.authorization).toBe(`Bearer ${TENANT_TOKEN}`);
    }
    expect(graph.requests.some((r) => r.path.includes('495709166956999'))).toBe(false);
    expect(listener.onboarded.map((e) => e.wabaId)).toEqual([CUSTOMER_WABA]);
  });

  it('a Graph API that keeps failing: 200 to Meta, @OnWabaOnboardingFailed with the WABA and no token', async () => {
    graph.on('GET', SUBSCRIBED_APPS, {
      status: 500,
      body: graphError(2, 'An unexpected error has occurred.', { is_transient: true }),
    });
    const logger = new CapturingLogger();
    const listener = await start({}, logger);
    const res = await postWebhook(t!.app, partnerAdded(), { appSecret: APP_SECRET });
    expect(res.status).toBe(200);
    expect(listener.onboarded).toEqual([]);
    expect(listener.failed).toHaveLength(1);
    const [failed] = listener.failed;
    expect(failed).toMatchObject({ wabaId: CUSTOMER_WABA, entryId: PARTNER_BUSINESS, attempts: 2 });
    expect(failed!.error).toBeInstanceOf(GraphApiError);
    expect(failed!.error).toMatchObject({ code: 2, fbtraceId: 'trace-2' });
    expect(graph.requestsTo('GET', SUBSCRIBED_APPS)).toHaveLength(2);
    const everything = `${failed!.error.message} ${JSON.stringify(failed)} ${logger.text()}`;
    expect(everything).not.toContain(TOKEN);
    expect(everything).not.toContain('SECRET');
    expect(logger.text()).toContain(
      `subscribing to WABA ${CUSTOMER_WABA} failed after 2 attempt(s)`,
    );
  });

  it('without the onboarding option nothing is subscribed', async () => {
    const listener = await start({ onboarding: undefined });
    expect((await postWebhook(t!.app, partnerAdded(), { appSecret: APP_SECRET })).status).toBe(200);
    expect(graph.requests).toEqual([]);
    expect(listener.accountUpdates).toHaveLength(1);
  });

  it('refuses a bad onboarding option at bootstrap, naming it', async () => {
    await expect(start({ onboarding: { autoSubscribe: 'yes' as never } })).rejects.toThrow(
      /option "onboarding.autoSubscribe" must be true or a function/,
    );
  });
});

describe.skipIf(!hasRedis)('Embedded Signup onboarding in queue mode (real Redis)', () => {
  let graph: FakeGraphApi;
  const apps: TestApp[] = [];
  const queues: string[] = [];
  beforeEach(async () => {
    graph = await FakeGraphApi.start();
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((a) => a.app.close()));
    await graph.close();
  });
  afterAll(() => obliterateQueues(queues));

  const start = async (queueName: string, processors: boolean) => {
    const app = await createTestApp({
      providers: [OnboardingListener],
      options: {
        accessToken: TOKEN,
        appId: APP,
        graphApiBaseUrl: graph.url,
        retry: { attempts: 1, baseDelayMs: 1 },
        onboarding: { autoSubscribe: true },
        delivery: {
          mode: 'queue',
          connection: REDIS_URL,
          queueName,
          processors,
          attempts: 2,
          backoff: { type: 'fixed', delayMs: 20 },
        },
      },
    });
    apps.push(app);
    return app;
  };

  it('the worker subscribes (a durable job of its own), and reports the final failure after the job attempts', async () => {
    const queueName = `waba-onboarding-${randomUUID()}`;
    queues.push(queueName);
    graph
      .on('GET', SUBSCRIBED_APPS, { body: { data: [] } })
      .on('POST', SUBSCRIBED_APPS, { body: { success: true } });
    const receiver = await start(queueName, false);
    const worker = await start(queueName, true);
    expect(
      (await postWebhook(receiver.app, partnerAdded(), { appSecret: APP_SECRET })).status,
    ).toBe(200);
    const listener = worker.app.get(OnboardingListener);
    await until(() => listener.onboarded.length === 1 && listener.accountUpdates.length === 1);
    expect(listener.onboarded[0]).toMatchObject({ wabaId: CUSTOMER_WABA, changed: true });
    expect(receiver.app.get(OnboardingListener).onboarded).toEqual([]);
    expect(graph.requests.map((r) => r.method)).toEqual(['GET', 'POST']);

    // Another customer whose WABA the Graph API refuses: two job attempts, then the event.
    const failing = '495709166956555';
    graph.on('GET', `/${VERSION}/${failing}/subscribed_apps`, {
      status: 500,
      body: graphError(1, 'An unknown error occurred', { is_transient: true }),
    });
    const res = await postWebhook(receiver.app, partnerAdded(failing, 1_731_618_000), {
      appSecret: APP_SECRET,
    });
    expect(res.status).toBe(200);
    await until(() => listener.failed.length === 1);
    expect(listener.failed[0]).toMatchObject({
      wabaId: failing,
      attempts: 2,
      entryId: PARTNER_BUSINESS,
    });
    expect(graph.requestsTo('GET', `/${VERSION}/${failing}/subscribed_apps`)).toHaveLength(2);
    expect(listener.onboarded).toHaveLength(1);
  });
});
