import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { OnWabaStatus, type WabaQueueDeliveryOptions } from '../../src/index.js';
import {
  batchWebhooks,
  fieldWebhook,
  inboundMessage,
  messageStatus,
  messagesWebhook,
  postWebhook,
  serializeLikeMeta,
  templateStatusWebhook,
  textMessageWebhook,
} from '../../src/testing/index.js';
import { FailingMessageListener } from '../fixtures/failing-message.listener.js';
import {
  OwnRedis,
  freePort,
  obliterateQueues,
  REDIS_URL,
  requireRedis,
  until,
} from '../fixtures/redis.js';
import { APP_SECRET, CapturingLogger, createTestApp, type TestApp } from '../fixtures/test-app.js';

const hasRedis = await requireRedis('queue delivery');

/** A status listener that always fails. */
@Injectable()
class AlwaysFailingStatusListener {
  @OnWabaStatus()
  onStatus(): void {
    throw new Error('always fails');
  }
}

// Every behaviour holds with one job per update (the default) and with group commit.
describe.skipIf(!hasRedis).each([1, 10])(
  'queue delivery on BullMQ/Redis, maxUpdatesPerJob %i',
  (maxUpdatesPerJob) => {
    const apps: TestApp[] = [];
    const queueNames: string[] = [];
    const start = async (
      delivery: Partial<WabaQueueDeliveryOptions>,
      providers: never[] = [],
      logger?: CapturingLogger,
    ) => {
      const queueName = delivery.queueName ?? `waba-test-${randomUUID()}`;
      if (!queueNames.includes(queueName)) queueNames.push(queueName);
      const app = await createTestApp({
        providers,
        bodyLimit: '5mb',
        ...(logger ? { logger } : {}),
        options: {
          delivery: {
            mode: 'queue',
            connection: REDIS_URL,
            queueName,
            backoff: { type: 'fixed', delayMs: 20 },
            maxUpdatesPerJob,
            ...delivery,
          },
        },
      });
      apps.push(app);
      return app;
    };

    afterEach(async () => {
      await Promise.all(apps.splice(0).map((a) => a.app.close()));
    });

    afterAll(async () => {
      await obliterateQueues(queueNames);
      const redis = new Redis(REDIS_URL);
      for (const name of queueNames) {
        const keys = await redis.keys(`bull:${name}:waba-done:*`);
        if (keys.length) await redis.del(...keys);
      }
      redis.disconnect();
    });

    it('answers 200 once queued, and a worker delivers every item to the listeners', async () => {
      const t = await start({});
      const payload = messagesWebhook({
        messages: [inboundMessage('text'), inboundMessage('image')],
        statuses: [messageStatus('delivered')],
      });
      expect((await postWebhook(t.app, payload, { appSecret: APP_SECRET })).status).toBe(200);
      await until(
        () => t.recorder.of('message').length === 2 && t.recorder.of('status').length === 1,
      );
      expect(
        t.recorder
          .of('message')
          .map((m) => m.message.type)
          .sort(),
      ).toEqual(['image', 'text']);
      // In queue mode a messages change is split into one update (job) per item.
      expect(t.recorder.of('change')).toHaveLength(3);
    });

    it('makes one delivery of redeliveries reaching different receivers', async () => {
      const queueName = `waba-test-${randomUUID()}`;
      const receiverA = await start({ queueName, processors: false });
      const receiverB = await start({ queueName, processors: false });
      const worker = await start({ queueName, processors: true });
      const body = serializeLikeMeta(
        messagesWebhook({ messages: [inboundMessage('text'), inboundMessage('text')] }),
      );
      for (const target of [receiverA, receiverB, receiverA]) {
        expect((await postWebhook(target.app, body, { appSecret: APP_SECRET })).status).toBe(200);
      }
      await until(() => worker.recorder.of('message').length >= 2);
      await new Promise((r) => setTimeout(r, 300));
      // Re-delivered after the first delivery completed: the done-marker stops it.
      expect((await postWebhook(receiverB.app, body, { appSecret: APP_SECRET })).status).toBe(200);
      await new Promise((r) => setTimeout(r, 300));
      expect(worker.recorder.of('message')).toHaveLength(2);
      expect(receiverA.recorder.events).toHaveLength(0);
      expect(receiverB.recorder.events).toHaveLength(0);
    });

    it('delivers a state that comes back (APPROVED → PAUSED → APPROVED) three times, and its redeliveries never', async () => {
      const t = await start({});
      const approved = templateStatusWebhook({ event: 'APPROVED' }, { time: 1_764_460_800 });
      const paused = templateStatusWebhook({ event: 'PAUSED' }, { time: 1_764_471_600 });
      const approvedAgain = templateStatusWebhook({ event: 'APPROVED' }, { time: 1_764_482_400 });
      const events = () =>
        t.recorder.of('change').map((c) => `${(c.value as { event: string }).event}@${c.time}`);
      for (const payload of [approved, paused, approvedAgain]) {
        expect((await postWebhook(t.app, payload, { appSecret: APP_SECRET })).status).toBe(200);
      }
      await until(() => events().length === 3);
      expect(events().sort()).toEqual([
        'APPROVED@1764460800',
        'APPROVED@1764482400',
        'PAUSED@1764471600',
      ]);
      // Meta's redeliveries once those were delivered: the same bytes, and the same entry batched
      // with a new update. Only the new update is delivered.
      const quality = fieldWebhook('phone_number_quality_update', undefined, {
        time: 1_764_490_000,
      });
      const redeliveries = [serializeLikeMeta(paused), batchWebhooks(quality, approvedAgain)];
      for (const payload of redeliveries) {
        expect((await postWebhook(t.app, payload, { appSecret: APP_SECRET })).status).toBe(200);
      }
      await until(() => t.recorder.of('change').length === 4);
      await new Promise((r) => setTimeout(r, 300));
      expect(t.recorder.of('change').map((c) => c.field)).toEqual([
        ...Array<string>(3).fill('message_template_status_update'),
        'phone_number_quality_update',
      ]);
    });

    it('retries a failing listener with backoff and delivers once it succeeds', async () => {
      FailingMessageListener.failuresFor = () => 2;
      const t = await start({ attempts: 5 }, [FailingMessageListener as never]);
      const message = inboundMessage('text');
      await postWebhook(t.app, messagesWebhook({ messages: [message] }), { appSecret: APP_SECRET });
      const listener = t.app.get(FailingMessageListener);
      await until(() => listener.delivered.length === 1);
      expect(listener.attempts.get(message.id)).toBe(3);
      expect(listener.deadLetters).toEqual([]);
    });

    it('keeps an update that always fails in the failed set and fires @OnWabaDeliveryFailed()', async () => {
      FailingMessageListener.failuresFor = () => Number.POSITIVE_INFINITY;
      const queueName = `waba-test-${randomUUID()}`;
      const t = await start({ queueName, attempts: 3 }, [FailingMessageListener as never]);
      const message = inboundMessage('text');
      await postWebhook(t.app, messagesWebhook({ messages: [message] }), { appSecret: APP_SECRET });
      const listener = t.app.get(FailingMessageListener);
      await until(() => listener.deadLetters.length === 1);
      const [dead] = listener.deadLetters;
      expect(dead).toMatchObject({
        key: `messages:message:${message.id}`,
        attempts: 3,
        field: 'messages',
        queueName,
      });
      expect(dead!.error).toMatch(/1 of \d+ listener call\(s\) failed/);
      const queue = new Queue(queueName, { connection: { url: REDIS_URL } });
      const failed = await queue.getFailed();
      await queue.close();
      expect(failed).toHaveLength(1);
      expect(failed[0]!.id).toBe(dead!.jobId);
      expect(failed[0]!.failedReason).toMatch(/listener call\(s\) failed/);
      expect(listener.attempts.get(message.id)).toBe(3);
    });

    it('logs an exhausted group-status update by field and job id, never its key (which holds the participant number)', async () => {
      const queueName = `waba-test-${randomUUID()}`;
      const logger = new CapturingLogger();
      const participant = '16505550123';
      const t = await start(
        { queueName, attempts: 1 },
        [AlwaysFailingStatusListener as never],
        logger,
      );
      const status = messageStatus('read', { recipient_participant_id: participant });
      await postWebhook(t.app, messagesWebhook({ statuses: [status] }), {
        appSecret: APP_SECRET,
        waitForListeners: false,
      });
      await until(() => logger.lines.some((l) => l.message.includes('update failed after')));
      const failed = logger.lines.find((l) => l.message.includes('update failed after'))!;
      expect(failed.level).toBe('error');
      expect(failed.message).toMatch(
        /^A "messages" update failed after 1 attempt\(s\) .* job [0-9a-f]{64}/,
      );
      const aboveDebug = logger.lines.filter((l) => l.level !== 'debug' && l.level !== 'verbose');
      expect(aboveDebug.map((l) => l.message).join('\n')).not.toContain(participant);
      // The key is there for whoever turns debug on.
      expect(logger.lines.some((l) => l.level === 'debug' && l.message.includes(participant))).toBe(
        true,
      );
    });

    it('answers 503 at once when Redis is unreachable', async () => {
      const port = await freePort();
      const t = await start({ connection: `redis://127.0.0.1:${port}`, enqueueTimeoutMs: 2000 });
      const started = Date.now();
      const res = await postWebhook(t.app, textMessageWebhook('lost?'), { appSecret: APP_SECRET });
      expect(res.status).toBe(503);
      expect(Date.now() - started).toBeLessThan(2500);
      expect(res.body).toMatch(/Meta redelivers/);
    });

    it(
      'answers 503 while Redis is down, and loses nothing once it is back',
      { timeout: 90_000 },
      async () => {
        const redis = new OwnRedis(await freePort());
        await redis.start();
        try {
          // A job active when Redis died stays active until its lock expires and the stalled-job
          // check hands it to a worker again: a short lock keeps that wait short here.
          const t = await start({
            connection: redis.url,
            enqueueTimeoutMs: 1000,
            lockDurationMs: 2000,
          });
          const payloads = Array.from({ length: 30 }, (_, i) => textMessageWebhook(`update ${i}`));
          const pending: unknown[] = [];
          for (const [i, payload] of payloads.entries()) {
            if (i === 10) await redis.kill();
            if (i === 20) await redis.start();
            const res = await postWebhook(t.app, payload, { appSecret: APP_SECRET });
            if (i < 10) expect(res.status).toBe(200);
            if (i >= 10 && i < 20) expect(res.status).toBe(503);
            if (res.status !== 200) pending.push(payload);
          }
          // Meta's redeliveries of what was refused (from the restart on, they go through).
          for (const payload of pending) {
            let status = 0;
            for (let tries = 0; tries < 50 && status !== 200; tries++) {
              status = (await postWebhook(t.app, payload, { appSecret: APP_SECRET })).status;
              if (status !== 200) await new Promise((r) => setTimeout(r, 100));
            }
            expect(status).toBe(200);
          }
          await until(() => t.recorder.of('message').length === 30, 60_000);
          const bodies = t.recorder
            .of('message')
            .map((m) => (m.message as { text: { body: string } }).text.body);
          expect(new Set(bodies).size).toBe(30);
        } finally {
          await redis.kill();
        }
      },
    );
  },
);
