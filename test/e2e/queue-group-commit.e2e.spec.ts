import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  RedisDedupStore,
  type WabaDeduplicationOptions,
  type WabaQueueDeliveryOptions,
} from '../../src/index.js';
import { listFailedJobs } from '../../src/cli/failed-jobs.js';
import { WabaQueue } from '../../src/delivery/waba-queue.js';
import type { WabaJobData } from '../../src/delivery/update-group.js';
import type { WabaUpdate } from '../../src/events/waba-dispatch.types.js';
import {
  inboundMessage,
  messagesWebhook,
  postWebhook,
  serializeLikeMeta,
} from '../../src/testing/index.js';
import { FailingMessageListener } from '../fixtures/failing-message.listener.js';
import { obliterateQueues, REDIS_URL, requireRedis, until } from '../fixtures/redis.js';
import { APP_SECRET, CapturingLogger, createTestApp, type TestApp } from '../fixtures/test-app.js';

const hasRedis = await requireRedis('group commit');

const textMessages = (n: number) => Array.from({ length: n }, () => inboundMessage('text'));
/** Both deduplication settings, for `it.each(…)('… (deduplication %s)')`. */
const DEDUPLICATION_ON_OFF: [string, boolean][] = [
  ['on', true],
  ['off', false],
];
/**
 * The application's own store, on a connection and under a prefix of its own: the worker checks
 * it, then takes (with the module's store, one script does both).
 */
const appStoreRedis = new Redis(REDIS_URL);
const APP_STORE_PREFIX = `waba-group-app-store:${randomUUID()}:`;
const appStore: WabaDeduplicationOptions = {
  store: new RedisDedupStore(appStoreRedis, APP_STORE_PREFIX),
};
/** Every store a worker may check: the module's own, none, and the application's. */
const DEDUPLICATION_STORES: [string, boolean | WabaDeduplicationOptions][] = [
  ...DEDUPLICATION_ON_OFF,
  ["on, the application's store", appStore],
];
/** The ids of the messages an app's listeners received, sorted. */
const deliveredIds = (t: TestApp) =>
  t.recorder
    .of('message')
    .map((m) => m.message.id)
    .sort();
const idsOf = (messages: { id: string }[]) => messages.map((m) => m.id).sort();

describe.skipIf(!hasRedis)('group commit (delivery.maxUpdatesPerJob)', () => {
  const apps: TestApp[] = [];
  const queueNames: string[] = [];
  const redis = new Redis(REDIS_URL);
  const newQueueName = () => {
    const name = `waba-group-${randomUUID()}`;
    queueNames.push(name);
    return name;
  };
  const start = async (
    delivery: Partial<WabaQueueDeliveryOptions> & { queueName: string },
    extra: {
      providers?: never[];
      deduplication?: boolean | WabaDeduplicationOptions;
      logger?: CapturingLogger;
    } = {},
  ) => {
    const app = await createTestApp({
      providers: extra.providers ?? [],
      bodyLimit: '5mb',
      ...(extra.logger ? { logger: extra.logger } : {}),
      options: {
        ...(extra.deduplication === undefined ? {} : { deduplication: extra.deduplication }),
        delivery: {
          mode: 'queue',
          connection: REDIS_URL,
          backoff: { type: 'fixed', delayMs: 20 },
          maxUpdatesPerJob: 10,
          ...delivery,
        },
      },
    });
    apps.push(app);
    return app;
  };
  const waitingJobs = async (queueName: string) => {
    const queue = new Queue<WabaJobData>(queueName, { connection: { url: REDIS_URL } });
    try {
      return await queue.getWaiting();
    } finally {
      await queue.close();
    }
  };
  const groupSizes = (jobs: { data: WabaJobData }[]) =>
    jobs.map((job) => ('updates' in job.data ? job.data.updates.length : 1)).sort((a, b) => a - b);

  afterEach(async () => {
    await Promise.all(apps.splice(0).map((a) => a.app.close()));
    FailingMessageListener.failuresFor = () => 0;
  });

  afterAll(async () => {
    await obliterateQueues(queueNames);
    for (const name of queueNames) {
      const keys = await redis.keys(`bull:${name}:waba-*`);
      if (keys.length) await redis.del(...keys);
    }
    const appStoreKeys = await redis.keys(`${APP_STORE_PREFIX}*`);
    if (appStoreKeys.length) await redis.del(...appStoreKeys);
    redis.disconnect();
    appStoreRedis.disconnect();
  });

  it('queues a webhook of 25 messages as jobs of at most 10, and a worker delivers each once', async () => {
    const queueName = newQueueName();
    const receiver = await start({ queueName, processors: false });
    const messages = textMessages(25);
    const res = await postWebhook(receiver.app, messagesWebhook({ messages }), {
      appSecret: APP_SECRET,
    });
    expect(res.status).toBe(200);
    const jobs = await waitingJobs(queueName);
    expect(groupSizes(jobs)).toEqual([5, 10, 10]);
    expect(jobs.every((job) => job.name === 'waba-updates')).toBe(true);

    const worker = await start({ queueName, processors: true });
    await until(() => worker.recorder.of('message').length === 25);
    await new Promise((r) => setTimeout(r, 200));
    expect(deliveredIds(worker)).toEqual(idsOf(messages));
    // Each update of a group was taken by the job that delivered it, for a bounded time.
    const owner = `bull:${queueName}:waba-own:messages:message:${messages[0]!.id}`;
    expect(await redis.get(owner)).toMatch(/^\d+$/);
    expect(await redis.pttl(owner)).toBeGreaterThan(0);
  });

  it('joins the updates of requests that reach delivery in the same event-loop turn', async () => {
    const queueName = newQueueName();
    const receiver = await start({ queueName, processors: false });
    const queue = receiver.app.get(WabaQueue);
    const update = (id: string): WabaUpdate => ({
      key: `messages:message:${id}`,
      change: { field: 'messages', entryId: '102290129340398', value: { id } },
    });
    // Two requests' enqueues in one turn (and a redelivery among them) make one job; the next
    // turn's make another.
    await Promise.all([
      queue.enqueue([update('a'), update('b')]),
      queue.enqueue([update('c'), update('a')]),
    ]);
    await queue.enqueue([update('d')]);
    const jobs = await waitingJobs(queueName);
    expect(groupSizes(jobs)).toEqual([1, 3]);
    const single = jobs.find((job) => !('updates' in job.data))!;
    // A group of one is a one-update job, as before group commit: any worker version reads it.
    expect(single.name).toBe('messages');
    expect(single.id).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each(DEDUPLICATION_STORES)(
    'delivers once an update that two groups hold, processed at once (deduplication %s)',
    async (_, deduplication) => {
      const queueName = newQueueName();
      const receiver = await start({ queueName, processors: false }, { deduplication });
      const body = serializeLikeMeta(messagesWebhook({ messages: textMessages(3) }));
      // Meta's redelivery while the first copy waits: two groups with the same three updates.
      for (let i = 0; i < 2; i++) {
        expect((await postWebhook(receiver.app, body, { appSecret: APP_SECRET })).status).toBe(200);
      }
      expect(groupSizes(await waitingJobs(queueName))).toEqual([3, 3]);
      const worker = await start({ queueName, concurrency: 10 }, { deduplication });
      await until(() => worker.recorder.of('message').length >= 3);
      await worker.app.get(WabaQueue).drained();
      await new Promise((r) => setTimeout(r, 200));
      expect(worker.recorder.of('message')).toHaveLength(3);
    },
  );

  it.each(DEDUPLICATION_STORES.filter(([, deduplication]) => deduplication !== false))(
    'skips, without taking it, an update of a group that an earlier job delivered, once its claim expired (deduplication %s)',
    async (_, deduplication) => {
      const queueName = newQueueName();
      const t = await start({ queueName }, { deduplication });
      const [first, second] = textMessages(2);
      await postWebhook(t.app, messagesWebhook({ messages: [first!] }), { appSecret: APP_SECRET });
      await until(() => t.recorder.of('message').length === 1);
      await t.app.get(WabaQueue).drained();
      const owner = `bull:${queueName}:waba-own:messages:message:${first!.id}`;
      // The one-update job's claim (its id: a digest of the key), as if it had expired: only
      // the done-marker is left to tell that the update was delivered.
      expect(await redis.get(owner)).toMatch(/^[0-9a-f]{64}$/);
      await redis.del(owner);
      // Meta redelivers it batched with a new message: one group of two.
      await postWebhook(t.app, messagesWebhook({ messages: [first!, second!] }), {
        appSecret: APP_SECRET,
      });
      await until(() => t.recorder.of('message').length >= 2);
      await t.app.get(WabaQueue).drained();
      await new Promise((r) => setTimeout(r, 200));
      expect(deliveredIds(t)).toEqual(idsOf([first!, second!]));
      expect(await redis.exists(owner)).toBe(0);
    },
  );

  it('delivers once an update that a one-update job and a group both hold (deduplication off)', async () => {
    const queueName = newQueueName();
    const receiver = await start({ queueName, processors: false }, { deduplication: false });
    const [first, second] = textMessages(2);
    // Alone it is a one-update job; redelivered batched with a new message, part of a group.
    for (const messages of [[first!], [first!, second!]]) {
      const res = await postWebhook(receiver.app, messagesWebhook({ messages }), {
        appSecret: APP_SECRET,
      });
      expect(res.status).toBe(200);
    }
    expect(groupSizes(await waitingJobs(queueName))).toEqual([1, 2]);
    const worker = await start({ queueName }, { deduplication: false });
    await until(() => worker.recorder.of('message').length >= 2);
    await worker.app.get(WabaQueue).drained();
    await new Promise((r) => setTimeout(r, 200));
    expect(deliveredIds(worker)).toEqual(idsOf([first!, second!]));
  });

  it.each(DEDUPLICATION_STORES)(
    'retries only the updates of a group whose listeners failed (deduplication %s)',
    async (_, deduplication) => {
      const queueName = newQueueName();
      const messages = textMessages(3);
      const failing = new Map([[messages[1]!.id, 2]]);
      FailingMessageListener.failuresFor = (id) => failing.get(id) ?? 0;
      const t = await start(
        { queueName, attempts: 5 },
        { providers: [FailingMessageListener as never], deduplication },
      );
      await postWebhook(t.app, messagesWebhook({ messages }), { appSecret: APP_SECRET });
      const listener = t.app.get(FailingMessageListener);
      await until(() => listener.delivered.length === 3);
      expect([...listener.attempts.values()].sort()).toEqual([1, 1, 3]);
      expect(listener.attempts.get(messages[1]!.id)).toBe(3);
      expect(listener.deadLetters).toEqual([]);
    },
  );

  it('after the last attempt reports each undelivered update of a group, logs the job once, and lets go of its claim', async () => {
    const queueName = newQueueName();
    const messages = textMessages(3);
    const alwaysFailing = new Set([messages[0]!.id, messages[2]!.id]);
    FailingMessageListener.failuresFor = (id) =>
      alwaysFailing.has(id) ? Number.POSITIVE_INFINITY : 0;
    const logger = new CapturingLogger();
    const t = await start(
      { queueName, attempts: 2 },
      { providers: [FailingMessageListener as never], logger },
    );
    await postWebhook(t.app, messagesWebhook({ messages }), {
      appSecret: APP_SECRET,
      waitForListeners: false,
    });
    const listener = t.app.get(FailingMessageListener);
    await until(() => listener.deadLetters.length === 2);
    expect(listener.delivered).toEqual([messages[1]!.id]);
    expect(listener.attempts.get(messages[1]!.id)).toBe(1);
    const dead = listener.deadLetters.map((d) => d.key).sort();
    expect(dead).toEqual(
      [messages[0]!.id, messages[2]!.id].map((id) => `messages:message:${id}`).sort(),
    );
    const [first] = listener.deadLetters;
    expect(first).toMatchObject({ attempts: 2, field: 'messages', queueName });
    expect(first!.error).toMatch(/2 of 3 update\(s\) of the group .*final attempt \(2 of 2\)/);

    const queue = new Queue<WabaJobData>(queueName, { connection: { url: REDIS_URL } });
    const failed = await listFailedJobs(queue);
    await queue.close();
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ id: first!.jobId, field: 'messages', attempts: 2 });
    expect(failed[0]!.key).toMatch(/^messages:message:\S+ \(\+1 more\)$/);

    const errors = logger.lines.filter((l) => l.level === 'error' && l.message.includes('group'));
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/^2 update\(s\) \("messages"\) of a group failed after 2/);
    const owner = (id: string) => `bull:${queueName}:waba-own:messages:message:${id}`;
    for (let i = 0; i < 50 && (await redis.exists(owner(messages[0]!.id))); i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await redis.exists(owner(messages[0]!.id), owner(messages[2]!.id))).toBe(0);
    expect(await redis.get(owner(messages[1]!.id))).toBe(first!.jobId);
  });

  it.each([
    ['one-update jobs (an older receiver)', 1, 10],
    ['groups (a newer receiver)', 10, 1],
  ])(
    'in a rolling deploy, a worker reads %s whatever its own setting',
    async (_, receiverMax, workerMax) => {
      const queueName = newQueueName();
      const receiver = await start({ queueName, processors: false, maxUpdatesPerJob: receiverMax });
      const worker = await start({ queueName, maxUpdatesPerJob: workerMax });
      const messages = textMessages(4);
      await postWebhook(receiver.app, messagesWebhook({ messages }), { appSecret: APP_SECRET });
      await until(() => worker.recorder.of('message').length === 4);
      expect(deliveredIds(worker)).toEqual(idsOf(messages));
    },
  );

  it('refuses a maxUpdatesPerJob that is not a positive integer', async () => {
    await expect(start({ queueName: newQueueName(), maxUpdatesPerJob: 0 })).rejects.toThrow(
      /delivery\.maxUpdatesPerJob.*positive integer/,
    );
  });
});
