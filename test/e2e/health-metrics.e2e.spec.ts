import { Controller, Get, Injectable } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import { Registry } from 'prom-client';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { WabaHealthIndicator } from '../../src/health/index.js';
import { OnWaba, WhatsAppWebhooksHealth } from '../../src/index.js';
import {
  fieldWebhook,
  postWebhook,
  serializeLikeMeta,
  signWebhookBody,
  textMessageWebhook,
} from '../../src/testing/index.js';
import { freePort, obliterateQueues, REDIS_URL, requireRedis } from '../fixtures/redis.js';
import { APP_SECRET, createTestApp, PLATFORMS, type TestApp } from '../fixtures/test-app.js';

const hasRedis = await requireRedis('health indicator in queue mode');

@Controller('health')
class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly waba: WabaHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.waba.isHealthy()]);
  }
}

@Injectable()
class ThrowingListener {
  @OnWaba('security')
  fail(): void {
    throw new Error('counted failure');
  }
}

const metricValue = async (
  registry: Registry,
  name: string,
  labels: Record<string, string> = {},
) => {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  const value = (
    metric?.values as
      { value: number; labels: Record<string, string>; metricName?: string }[] | undefined
  )?.find(
    (v) =>
      !v.metricName?.endsWith('_bucket') &&
      Object.entries(labels).every(([k, l]) => v.labels[k] === l),
  );
  return value?.value ?? 0;
};

describe.each(PLATFORMS)('metrics (prom-client, opt-in) (%s)', (platform) => {
  let t: TestApp;
  afterEach(() => t?.app.close());

  it('counts requests by outcome, changes, events and duplicates', async () => {
    const registry = new Registry();
    t = await createTestApp({ platform, options: { metrics: { registry, prefix: 'test_' } } });
    const post = (body: string, headers: Record<string, string>) =>
      fetch(`${t.url}/webhooks/whatsapp`, { method: 'POST', headers, body });
    const message = serializeLikeMeta(textMessageWebhook('counted'));
    const signed = {
      'content-type': 'application/json',
      'x-hub-signature-256': signWebhookBody(message, APP_SECRET),
    };
    expect((await post(message, signed)).status).toBe(200);
    expect((await post(message, signed)).status).toBe(200); // a redelivery
    expect(
      (await post(message, { ...signed, 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` }))
        .status,
    ).toBe(401);
    expect(
      (
        await post('{"object":"page","entry":[]}', {
          'content-type': 'application/json',
          'x-hub-signature-256': signWebhookBody('{"object":"page","entry":[]}', APP_SECRET),
        })
      ).status,
    ).toBe(400);
    expect((await post('x', { 'content-type': 'text/plain' })).status).toBe(415);
    await t.recorder.waitFor(2);

    expect(
      await metricValue(registry, 'test_webhook_requests_total', { outcome: 'accepted' }),
    ).toBe(2);
    expect(
      await metricValue(registry, 'test_webhook_requests_total', { outcome: 'rejected_signature' }),
    ).toBe(1);
    expect(
      await metricValue(registry, 'test_webhook_requests_total', { outcome: 'rejected_envelope' }),
    ).toBe(1);
    expect(
      await metricValue(registry, 'test_webhook_requests_total', {
        outcome: 'rejected_content_type',
      }),
    ).toBe(1);
    expect(
      await metricValue(registry, 'test_webhook_changes_received_total', { field: 'messages' }),
    ).toBe(2);
    expect(await metricValue(registry, 'test_webhook_duplicates_dropped_total')).toBe(1);
    expect(
      await metricValue(registry, 'test_webhook_events_emitted_total', {
        kind: 'message',
        field: 'messages',
      }),
    ).toBe(1);
    const text = await registry.metrics();
    expect(text).toMatch(/test_webhook_ack_latency_seconds_count\{outcome="accepted"\} 2/);
  });

  // On Fastify the module's metrics middleware runs in the onRequest hook, before the body is
  // parsed, so the parser's refusals are counted. On Express the app's body parser runs before
  // route middleware: a library app does not see them (the receiver mounts the middleware
  // before its parser for this reason).
  it('counts the requests the body parser refuses on Fastify, not on Express', async () => {
    const registry = new Registry();
    t = await createTestApp({ platform, options: { metrics: { registry, prefix: 'test_' } } });
    const post = (body: string, headers: Record<string, string>) =>
      fetch(`${t.url}/webhooks/whatsapp`, { method: 'POST', headers, body });
    const big = serializeLikeMeta(textMessageWebhook('z'.repeat(1100 * 1024)));
    const bigHeaders = {
      'content-type': 'application/json',
      'x-hub-signature-256': signWebhookBody(big, APP_SECRET),
    };
    expect((await post(big, bigHeaders)).status).toBe(413);
    expect((await post('<a/>', { 'content-type': 'application/xml' })).status).toBe(415);
    expect((await post('{"object":', { 'content-type': 'application/json' })).status).toBe(400);
    const count = (outcome: string) =>
      metricValue(registry, 'test_webhook_requests_total', { outcome });
    const parserCounted = platform === 'fastify' ? 1 : 0;
    expect(await count('rejected_size')).toBe(parserCounted);
    expect(await count('rejected_envelope')).toBe(parserCounted);
    expect(await count('rejected_content_type')).toBe(1);
    expect(t.recorder.events).toHaveLength(0);
  });

  it('counts listener failures by field', async () => {
    const registry = new Registry();
    t = await createTestApp({
      platform,
      options: { metrics: { registry } },
      providers: [ThrowingListener],
    });
    await postWebhook(t.app, fieldWebhook('security'), { appSecret: APP_SECRET });
    await t.recorder.waitFor(1);
    await new Promise((r) => setTimeout(r, 20));
    expect(
      await metricValue(registry, 'waba_webhook_listener_failures_total', { field: 'security' }),
    ).toBe(1);
  });

  it('registers nothing when metrics are off', async () => {
    const registry = new Registry();
    t = await createTestApp({ platform });
    await postWebhook(t.app, fieldWebhook('security'), { appSecret: APP_SECRET });
    expect(await registry.getMetricsAsJSON()).toEqual([]);
  });
});

describe.each(PLATFORMS)('WabaHealthIndicator (@nestjs/terminus) (%s)', (platform) => {
  let t: TestApp;
  afterEach(() => t?.app.close());

  it('is up in direct mode', async () => {
    t = await createTestApp({
      platform,
      imports: [TerminusModule],
      providers: [WabaHealthIndicator],
      controllers: [HealthController],
    });
    const res = await fetch(`${t.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: 'ok',
      info: { 'whatsapp-webhooks': { status: 'up', mode: 'direct' } },
    });
  });

  it.skipIf(!hasRedis)('reports Redis and the queue depth in queue mode', async () => {
    const queueName = `waba-health-${randomUUID()}`;
    t = await createTestApp({
      platform,
      imports: [TerminusModule],
      providers: [WabaHealthIndicator],
      controllers: [HealthController],
      options: {
        delivery: {
          mode: 'queue',
          connection: REDIS_URL,
          queueName,
          processors: false,
        },
      },
    });
    await postWebhook(t.app, textMessageWebhook('queued'), { appSecret: APP_SECRET });
    const res = await fetch(`${t.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      info: {
        'whatsapp-webhooks': { status: 'up', mode: 'queue', redis: 'up', queueDepth: 1, failed: 0 },
      },
    });
    await obliterateQueues([queueName]);
  });

  it('is down (503) when Redis is unreachable in queue mode', async () => {
    t = await createTestApp({
      platform,
      imports: [TerminusModule],
      providers: [WabaHealthIndicator],
      controllers: [HealthController],
      options: {
        delivery: {
          mode: 'queue',
          connection: `redis://127.0.0.1:${await freePort()}`,
          processors: false,
        },
      },
    });
    const res = await fetch(`${t.url}/health`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({
      error: { 'whatsapp-webhooks': { status: 'down', redis: 'down' } },
    });
    // The facade the indicator is built on, for applications without terminus.
    expect(await t.app.get(WhatsAppWebhooksHealth).check(200)).toMatchObject({
      status: 'down',
      mode: 'queue',
      redis: 'down',
      message: expect.any(String),
    });
  });

  it('WhatsAppWebhooksHealth is up in direct mode, without terminus', async () => {
    t = await createTestApp({ platform, listen: false });
    expect(await t.app.get(WhatsAppWebhooksHealth).check()).toEqual({
      status: 'up',
      mode: 'direct',
    });
  });
});
