import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { Job, Queue, Worker } from 'bullmq';
import type { Redis, RedisOptions } from 'ioredis';
import { createHash } from 'node:crypto';
import { WabaEventDispatcher } from '../events/waba-event.dispatcher.js';
import { WabaMetrics } from '../metrics/waba-metrics.js';
import { WabaOnboardingService } from '../onboarding/waba-onboarding.service.js';
import { importOptional, OPTIONAL_PACKAGES } from '../optional-package.js';
import type { WabaUpdate } from '../events/waba-dispatch.types.js';
import type { WabaQueueHealth } from './delivery-health.types.js';
import { messages } from '../whatsapp-webhooks.messages.js';
import { WabaDedupStoreProvider } from './dedup-store.provider.js';
import { closeRedis, redisConnectionOptions } from './redis-connection.js';
import {
  DELIVERY_OPTIONS,
  type ResolvedDeliveryOptions,
  type ResolvedQueueDelivery,
} from './delivery.options.js';

const READY_TIMEOUT_MS = 3000;
const CLOSE_TIMEOUT_MS = 2000;

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** Job ids cannot contain ':' in BullMQ; a hash of the key is deterministic across instances. */
export function jobIdOf(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(messages.enqueueTimedOut(ms))), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Durable delivery on BullMQ: enqueues updates with job ids derived from their deduplication
 * keys (so redeliveries reaching any instance make one job), and — when `processors` is on —
 * runs a worker that dispatches each job to the listeners, retrying failures with backoff.
 * bullmq and ioredis are loaded only in queue mode.
 *
 * @internal
 */
@Injectable()
export class WabaQueue implements OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('WhatsAppWebhooks');
  private readonly settings?: ResolvedQueueDelivery;
  private producer?: Redis;
  private workerConnection?: Redis;
  private queue?: Queue<WabaUpdate>;
  private worker?: Worker<WabaUpdate>;

  constructor(
    @Inject(DELIVERY_OPTIONS)
    private readonly options: ResolvedDeliveryOptions,
    private readonly dispatcher: WabaEventDispatcher,
    private readonly metrics: WabaMetrics,
    private readonly onboarding: WabaOnboardingService,
    private readonly dedup: WabaDedupStoreProvider,
  ) {
    this.settings = options.queue;
  }

  /**
   * The queue's health: whether Redis answers a PING within `timeoutMs`, and the job counts.
   * `undefined` in direct mode.
   */
  async health(timeoutMs: number): Promise<WabaQueueHealth | undefined> {
    const { queue, producer } = this;
    if (!queue || !producer) return undefined;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(messages.redisPingTimeout(timeoutMs))), timeoutMs);
    });
    try {
      if (producer.status !== 'ready') throw new Error(`Redis connection is ${producer.status}`);
      await Promise.race([producer.ping(), timeout]);
      const counts = await Promise.race([
        queue.getJobCounts('waiting', 'active', 'delayed', 'failed'),
        timeout,
      ]);
      return {
        status: 'up',
        mode: 'queue',
        redis: 'up',
        queueDepth: (counts['waiting'] ?? 0) + (counts['active'] ?? 0) + (counts['delayed'] ?? 0),
        failed: counts['failed'] ?? 0,
      };
    } catch (error) {
      return {
        status: 'down',
        mode: 'queue',
        redis: 'down',
        message: error instanceof Error ? error.message : String(error),
      };
    } finally {
      clearTimeout(timer);
    }
  }

  async onModuleInit(): Promise<void> {
    const settings = this.settings;
    if (!settings) return;
    const [{ Queue, Worker }, { Redis }] = await Promise.all([
      importOptional(OPTIONAL_PACKAGES.bullmq, () => import('bullmq')),
      importOptional(OPTIONAL_PACKAGES.ioredis, () => import('ioredis')),
    ]);
    const [url, base] = redisConnectionOptions(settings.connection);
    // Producer: fail fast while Redis is down, so the request is answered 503 at once.
    const producerOptions: RedisOptions = {
      ...base,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
    };
    this.producer = url ? new Redis(url, producerOptions) : new Redis(producerOptions);
    this.producer.on('error', () => undefined); // reconnection is automatic; failures surface as 503s
    this.queue = new Queue<WabaUpdate>(settings.queueName, {
      connection: this.producer,
      prefix: settings.prefix,
    });
    this.queue.on('error', () => undefined);
    const queue = this.queue;
    this.metrics.setQueueCounts(() => queue.getJobCounts('waiting', 'active', 'delayed', 'failed'));
    await this.waitUntilReady(this.producer);
    if (!settings.processors) return;
    const workerOptions: RedisOptions = { ...base, maxRetriesPerRequest: null };
    this.workerConnection = url ? new Redis(url, workerOptions) : new Redis(workerOptions);
    this.workerConnection.on('error', () => undefined);
    this.worker = new Worker<WabaUpdate>(settings.queueName, (job) => this.process(job), {
      connection: this.workerConnection,
      prefix: settings.prefix,
      concurrency: settings.concurrency,
      lockDuration: settings.lockDurationMs,
      stalledInterval: settings.lockDurationMs,
      // After a Redis outage, resume within a second (BullMQ's default waits 15 s per failure).
      runRetryDelay: 1000,
    });
    this.worker.on('error', (error) => this.logger.warn(`Queue worker: ${error.message}`));
    this.worker.on('failed', (job, error) => this.onFailed(job, error));
  }

  /** Queues updates; resolves once Redis has confirmed every one of them. */
  async enqueue(updates: readonly WabaUpdate[]): Promise<void> {
    const { queue, settings } = this;
    if (!queue || !settings) throw new Error('WabaQueue: not in queue mode');
    const jobs = updates.map((update) => ({
      name: update.change.field,
      data: update,
      opts: {
        jobId: jobIdOf(update.key),
        attempts: settings.attempts,
        backoff: { type: settings.backoff.type, delay: settings.backoff.delayMs },
        removeOnComplete: true,
        removeOnFail: { age: Math.ceil(settings.keepFailedMs / 1000) },
      },
    }));
    // One update (the common case) with add(): addBulk builds an ioredis pipeline, which copies
    // every BullMQ script onto it (measured 30 µs per pipeline on the queue's connection).
    const [single] = jobs;
    const added: Promise<unknown> =
      jobs.length === 1 && single
        ? queue.add(single.name, single.data, single.opts)
        : queue.addBulk(jobs);
    await withTimeout(added, settings.enqueueTimeoutMs);
  }

  /**
   * Resolves once this instance's worker has nothing left to do: no job waiting, active or
   * delayed for a retry (at once when this instance runs no worker). Polls the queue's counts.
   */
  async drained(pollMs = 20): Promise<void> {
    const queue = this.queue;
    if (!queue || !this.worker) return;
    for (;;) {
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      if (Object.values(counts).every((count) => count === 0)) return;
      await delay(pollMs);
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    // Finish the jobs in progress; waiting ones stay in Redis for other workers or the next start.
    if (!this.worker) return;
    if (this.workerConnection?.status !== 'ready') {
      await Promise.race([this.worker.close(true), delay(CLOSE_TIMEOUT_MS)]);
      return;
    }
    // Let the jobs in progress finish, within a bound: a job left active is taken over by
    // another worker after lockDurationMs, so nothing is lost if the bound is reached.
    await Promise.race([this.worker.close(), delay(this.settings!.lockDurationMs)]);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue?.close();
    await Promise.all(
      [this.producer, this.workerConnection].map((connection) => closeRedis(connection)),
    );
  }

  private async process(job: Job<WabaUpdate>): Promise<'delivered' | 'duplicate'> {
    const { key, change, app, task } = job.data;
    const store = this.dedup.store;
    if (store && (await store.isClaimed([key]))[0]) {
      this.metrics.duplicatesDropped(1);
      return 'duplicate';
    }
    if (task === 'onboarding') {
      // Throws for BullMQ to retry; the last failure is reported by onFailed().
      const event = this.onboarding.eventOf(change, app);
      if (event) await this.onboarding.onboard(event);
      else this.logger.warn(messages.onboardingNotConfigured(job.id ?? jobIdOf(key)));
      await store?.claim([key], this.options.deduplication!.ttlMs);
      return 'delivered';
    }
    // A failure is retried (or, on the last attempt, reported as delivery_failed): observers see
    // the update once it was delivered.
    const { calls, failures } = await this.dispatcher.dispatch(
      { changes: [change], app },
      { retriedOnFailure: true },
    );
    if (failures > 0) {
      // BullMQ retries while attemptsMade + 1 < attempts; attemptsMade counts failed attempts.
      const attempt = job.attemptsMade + 1;
      const attempts = job.opts.attempts ?? 1;
      const jobId = job.id ?? jobIdOf(key);
      throw new Error(messages.jobListenersFailed(failures, calls, attempt, attempts, jobId));
    }
    await store?.claim([key], this.options.deduplication!.ttlMs);
    return 'delivered';
  }

  private onFailed(job: Job<WabaUpdate> | undefined, error: Error): void {
    if (!job || job.attemptsMade < (job.opts.attempts ?? 1)) return;
    const { key, change, app, task } = job.data;
    if (task === 'onboarding') {
      const event = this.onboarding.eventOf(change, app);
      if (event) void this.onboarding.failed(event, error, job.attemptsMade);
      return;
    }
    const jobId = job.id ?? jobIdOf(key);
    this.logger.error(
      messages.deliveryFailed(change.field, jobId, job.attemptsMade, error.message),
    );
    this.logger.debug(messages.deliveryFailedKey(jobId, key));
    void this.dispatcher.dispatchDeliveryFailed({
      key,
      jobId,
      queueName: job.queueName,
      attempts: job.attemptsMade,
      error: error.message,
      field: change.field,
      entryId: change.entryId,
      value: change.value,
      ...(app === undefined ? {} : { app }),
    });
  }

  private async waitUntilReady(redis: Redis): Promise<void> {
    if (redis.status === 'ready') return;
    const ready = new Promise<void>((resolve) => redis.once('ready', () => resolve()));
    const timedOut = await Promise.race([
      ready.then(() => false),
      delay(READY_TIMEOUT_MS).then(() => true),
    ]);
    if (timedOut) this.logger.warn(messages.queueNotReady(READY_TIMEOUT_MS));
  }
}
