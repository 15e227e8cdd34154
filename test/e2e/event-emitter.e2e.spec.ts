import { Injectable } from '@nestjs/common';
import { EventEmitterModule, OnEvent } from '@nestjs/event-emitter';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  OnWaba,
  WABA_DELIVERY_FAILED_EVENT,
  WABA_INVALID_EVENT,
  type WabaDeliveryFailedEvent,
  type WabaMessageEvent,
  wabaEventName,
  wabaMessageEventName,
  wabaStatusEventName,
} from '../../src/index.js';
import {
  batchWebhooks,
  changeWebhook,
  fieldWebhook,
  inboundMessage,
  messageStatus,
  messagesWebhook,
  postWebhook,
  serializeLikeMeta,
  templateStatusWebhook,
} from '../../src/testing/index.js';
import { obliterateQueues, REDIS_URL, redisAvailable, until } from '../fixtures/redis.js';
import {
  APP_SECRET,
  CapturingLogger,
  createTestApp,
  postSigned,
  type TestApp,
  type TestAppOptions,
  VARIANTS,
} from '../fixtures/test-app.js';

const hasRedis = await redisAvailable();

/** Records what reaches `@OnEvent()` observers, by event name. */
@Injectable()
class Observers {
  readonly seen: { name: string; event: unknown }[] = [];

  names(): string[] {
    return this.seen.map((s) => s.name);
  }

  @OnEvent(wabaEventName('messages'))
  onMessages(event: unknown): void {
    this.seen.push({ name: 'waba.messages', event });
  }

  @OnEvent(wabaEventName('message_template_status_update'))
  onTemplate(event: unknown): void {
    this.seen.push({ name: 'waba.message_template_status_update', event });
  }

  @OnEvent(wabaMessageEventName('text'))
  onText(event: unknown): void {
    this.seen.push({ name: 'waba.message.text', event });
  }

  @OnEvent(wabaMessageEventName('image'))
  onImage(event: unknown): void {
    this.seen.push({ name: 'waba.message.image', event });
  }

  @OnEvent(wabaStatusEventName('read'))
  onRead(event: unknown): void {
    this.seen.push({ name: 'waba.status.read', event });
  }

  @OnEvent(wabaStatusEventName('failed'))
  async onFailed(event: unknown): Promise<void> {
    await Promise.resolve();
    this.seen.push({ name: 'waba.status.failed', event });
  }

  @OnEvent(WABA_INVALID_EVENT)
  onInvalid(event: unknown): void {
    this.seen.push({ name: 'waba.invalid', event });
  }

  @OnEvent(WABA_DELIVERY_FAILED_EVENT)
  onDeliveryFailed(event: unknown): void {
    this.seen.push({ name: 'waba.delivery_failed', event });
  }
}

/** `wildcard: true` observers. */
@Injectable()
class WildcardObservers {
  readonly seen: { name: string; event: unknown }[] = [];

  @OnEvent('waba.message.*')
  onAnyMessage(event: WabaMessageEvent): void {
    this.seen.push({ name: `waba.message.${event.message.type}`, event });
  }

  @OnEvent('waba.status.*')
  onAnyStatus(event: unknown): void {
    this.seen.push({ name: 'waba.status.*', event });
  }

  @OnEvent('waba.*')
  onAnyChange(event: unknown): void {
    this.seen.push({ name: 'waba.*', event });
  }
}

/** Observers that fail, with and without `suppressErrors`. */
@Injectable()
class FailingObservers {
  @OnEvent(wabaEventName('security'), { suppressErrors: false })
  throws(): void {
    throw new Error('observer throws');
  }

  @OnEvent(wabaEventName('security'), { suppressErrors: false })
  async rejects(): Promise<void> {
    await Promise.resolve();
    throw new Error('observer rejects');
  }

  @OnEvent(wabaEventName('security'))
  throwsSuppressed(): void {
    throw new Error('observer throws, suppressed by the emitter');
  }

  readonly healthy: unknown[] = [];

  @OnEvent(wabaEventName('security'))
  records(event: unknown): void {
    this.healthy.push(event);
  }
}

/** An `@OnWaba('security')` listener that fails its first `failures` calls. */
@Injectable()
class FlakySecurityListener {
  static failures = 1;
  calls = 0;

  @OnWaba('security')
  onSecurity(): void {
    this.calls++;
    if (this.calls <= FlakySecurityListener.failures) throw new Error(`call ${this.calls} fails`);
  }
}

/** A batch with two messages, two statuses, a template change and an invalid template change. */
function mixedBatch() {
  return batchWebhooks(
    messagesWebhook({
      messages: [inboundMessage('text'), inboundMessage('image')],
      statuses: [messageStatus('read'), messageStatus('failed')],
    }),
    templateStatusWebhook({ event: 'APPROVED' }, { time: 1_764_460_800 }),
    changeWebhook('message_template_status_update', { event: 42 }, { time: 1_764_460_801 }),
  );
}

describe.each(VARIANTS)('publishing on @nestjs/event-emitter (%s)', (variant) => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.app.close();
    t = undefined;
  });

  const start = (
    opts: TestAppOptions = {},
    emitter: Parameters<typeof EventEmitterModule.forRoot>[0] = {},
  ) =>
    createTestApp({
      variant,
      ...opts,
      imports: [EventEmitterModule.forRoot(emitter), ...(opts.imports ?? [])],
    });

  it('emits each name once per event, with the object the decorators receive', async () => {
    t = await start({ providers: [Observers], options: { acknowledge: 'after-listeners' } });
    expect((await postSigned(t.app, mixedBatch())).status).toBe(200);
    const observers = t.app.get(Observers);
    expect(observers.names().sort()).toEqual(
      [
        'waba.invalid',
        'waba.message.image',
        'waba.message.text',
        'waba.message_template_status_update',
        'waba.messages',
        'waba.status.failed',
        'waba.status.read',
      ].sort(),
    );
    const sameObject = (name: string, recorded: unknown) =>
      expect(observers.seen.find((s) => s.name === name)!.event).toBe(recorded);
    const { recorder } = t;
    sameObject(
      'waba.messages',
      recorder.of('change').find((c) => c.field === 'messages'),
    );
    sameObject(
      'waba.message_template_status_update',
      recorder.of('change').find((c) => c.field === 'message_template_status_update'),
    );
    sameObject(
      'waba.message.text',
      recorder.of('message').find((m) => m.message.type === 'text'),
    );
    sameObject(
      'waba.message.image',
      recorder.of('message').find((m) => m.message.type === 'image'),
    );
    sameObject(
      'waba.status.read',
      recorder.of('status').find((s) => s.status.status === 'read'),
    );
    sameObject(
      'waba.status.failed',
      recorder.of('status').find((s) => s.status.status === 'failed'),
    );
    sameObject('waba.invalid', recorder.of('invalid')[0]);
  });

  it("works with the host's wildcard: true ('waba.message.*', 'waba.status.*', 'waba.*')", async () => {
    t = await start(
      { providers: [Observers, WildcardObservers], options: { acknowledge: 'after-listeners' } },
      { wildcard: true },
    );
    expect((await postSigned(t.app, mixedBatch())).status).toBe(200);
    const wildcard = t.app.get(WildcardObservers);
    const names = wildcard.seen.map((s) => s.name).sort();
    expect(names).toEqual(
      [
        'waba.*', // waba.messages
        'waba.*', // waba.message_template_status_update
        'waba.*', // waba.invalid
        'waba.message.image',
        'waba.message.text',
        'waba.status.*',
        'waba.status.*',
      ].sort(),
    );
    // Exact names still fire once each beside the wildcards.
    expect(t.app.get(Observers).seen).toHaveLength(7);
  });

  it('does not emit a dropped redelivery again', async () => {
    t = await start({ providers: [Observers] });
    const body = serializeLikeMeta(mixedBatch());
    for (let i = 0; i < 3; i++) expect((await postSigned(t.app, body)).status).toBe(200);
    const observers = t.app.get(Observers);
    await until(() => observers.seen.length >= 7);
    await new Promise((r) => setTimeout(r, 100));
    expect(observers.seen).toHaveLength(7);
  });

  it('a throwing or rejecting observer changes neither the 200 nor the @OnWaba listeners, and is logged with its event name', async () => {
    const logger = new CapturingLogger();
    t = await start({
      providers: [FailingObservers],
      options: { acknowledge: 'after-listeners' },
      logger,
    });
    const res = await postSigned(
      t.app,
      fieldWebhook('security', undefined, { time: 1_764_460_800 }),
    );
    expect(res.status).toBe(200);
    expect(t.recorder.of('change').map((c) => c.field)).toEqual(['security']);
    // The observer that does not fail still gets the event, the very object listeners got.
    expect(t.app.get(FailingObservers).healthy).toEqual([t.recorder.of('change')[0]]);
    expect(t.app.get(FailingObservers).healthy[0]).toBe(t.recorder.of('change')[0]);
    const errors = logger.lines.filter((l) => l.level === 'error').map((l) => l.message);
    // EventEmitter2 settles an emit on its first rejection: one line per failed emit.
    expect(errors).toContainEqual(
      expect.stringMatching(
        /^@OnEvent\('waba\.security'\) observer failed: observer (throws|rejects) /,
      ),
    );
    // With the emitter's default suppressErrors, @nestjs/event-emitter logs the error itself.
    expect(errors).toContain('observer throws, suppressed by the emitter');
  });

  it('after a listener failure (500), observers see the event once, on the redelivery that succeeds', async () => {
    FlakySecurityListener.failures = 1;
    t = await start({
      providers: [Observers, FlakySecurityListener],
      options: { acknowledge: 'after-listeners' },
    });
    const observers = t.app.get(Observers);
    const body = serializeLikeMeta(
      batchWebhooks(
        fieldWebhook('security', undefined, { time: 1_764_460_800 }),
        templateStatusWebhook({ event: 'PAUSED' }, { time: 1_764_460_800 }),
      ),
    );
    expect((await postSigned(t.app, body)).status).toBe(500);
    expect(observers.seen).toEqual([]);
    expect((await postSigned(t.app, body)).status).toBe(200);
    expect((await postSigned(t.app, body)).status).toBe(200);
    expect(observers.names()).toEqual(['waba.message_template_status_update']);
    expect(t.app.get(FlakySecurityListener).calls).toBe(2);
  });

  it('without EventEmitterModule, @OnEvent methods receive nothing and delivery is as before', async () => {
    t = await createTestApp({ variant, providers: [Observers] });
    expect((await postSigned(t.app, mixedBatch())).status).toBe(200);
    await t.recorder.waitFor(6);
    await new Promise((r) => setTimeout(r, 50));
    expect(t.app.get(Observers).seen).toEqual([]);
    expect(t.recorder.of('message')).toHaveLength(2);
  });
});

describe.skipIf(!hasRedis)('publishing on @nestjs/event-emitter in queue mode', () => {
  const apps: TestApp[] = [];
  const queueNames: string[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((a) => a.app.close()));
  });
  afterAll(async () => {
    await obliterateQueues(queueNames);
  });

  const start = async (
    queueName: string,
    processors: boolean,
    providers: TestAppOptions['providers'],
  ) => {
    const app = await createTestApp({
      providers,
      imports: [EventEmitterModule.forRoot()],
      options: {
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

  it('observers fire in the worker, once per delivered update; a failing one is retried first, an exhausted one is waba.delivery_failed', async () => {
    const queueName = `waba-emitter-${randomUUID()}`;
    queueNames.push(queueName);
    FlakySecurityListener.failures = 1;
    const receiver = await start(queueName, false, [Observers]);
    const worker = await start(queueName, true, [
      Observers,
      FlakySecurityListener,
      FailingObservers,
    ]);
    const payload = batchWebhooks(
      messagesWebhook({ messages: [inboundMessage('text')], statuses: [messageStatus('read')] }),
      fieldWebhook('security', undefined, { time: 1_764_460_800 }),
    );
    expect((await postWebhook(receiver.app, payload, { appSecret: APP_SECRET })).status).toBe(200);
    const observers = worker.app.get(Observers);
    const flaky = worker.app.get(FlakySecurityListener);
    // messages: one job per item (the text message, the status): waba.messages twice.
    await until(() => observers.seen.length === 4 && flaky.calls === 2);
    expect(observers.names().sort()).toEqual(
      ['waba.message.text', 'waba.messages', 'waba.messages', 'waba.status.read'].sort(),
    );
    // Failing observers of waba.security did not make the delivered job run again.
    await until(() => worker.app.get(FailingObservers).healthy.length === 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(flaky.calls).toBe(2);
    expect(receiver.app.get(Observers).seen).toEqual([]);
    const text = observers.seen.find((s) => s.name === 'waba.message.text')!.event;
    expect(text).toBe(worker.recorder.of('message')[0]);

    // An update whose listener always fails: no waba.security, one waba.delivery_failed.
    FlakySecurityListener.failures = Number.POSITIVE_INFINITY;
    const again = fieldWebhook('security', undefined, { time: 1_764_460_900 });
    expect((await postWebhook(receiver.app, again, { appSecret: APP_SECRET })).status).toBe(200);
    await until(() => observers.names().includes('waba.delivery_failed'));
    const failed = observers.seen.find((s) => s.name === 'waba.delivery_failed')!
      .event as WabaDeliveryFailedEvent;
    expect(failed).toMatchObject({ field: 'security', attempts: 2, queueName });
    expect(observers.names().filter((n) => n === 'waba.security')).toEqual([]);
  });
});
