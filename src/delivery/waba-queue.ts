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
  groupUpdates,
  isUpdateGroup,
  MARK_DELIVERED_SCRIPT,
  ownerPrefix,
  RELEASE_UPDATES_SCRIPT,
  TAKE_UPDATES_SCRIPT,
  TAKE_VERDICT,
  UPDATE_GROUP_JOB_NAME,
  type WabaJobData,
  type WabaUpdateGroup,
} from './update-group.js';
import {
  DELIVERY_OPTIONS,
  type ResolvedDeliveryOptions,
  type ResolvedQueueDelivery,
} from './delivery.options.js';

const READY_TIMEOUT_MS = 3000;
const CLOSE_TIMEOUT_MS = 2000;

/** Longest life of a group's claim on an update, whatever the retry settings. */
const MAX_OWNER_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * With groups, how many enqueues may be in flight at once. A batch is queued at the end of the
 * event-loop turn its first update arrived in (so it holds every request of that turn), unless
 * this many are in flight: then it waits for the first of them to settle, gathering the requests
 * that arrive meanwhile. Two keep Redis busy while the next batch fills (measured: one in flight,
 * or a 1 ms linger, left the receiver idle waiting and made durable mode 10-15 % slower).
 */
const MAX_ENQUEUES_IN_FLIGHT = 2;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** Job ids cannot contain ':' in BullMQ; a hash of the key is deterministic across instances. */
export function jobIdOf(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** The scripts {@link WabaQueue} defines on its producer connection for groups. */
interface UpdateOwnerCommands {
  wabaTakeUpdates(count: number, ...keysThenArgs: (string | number)[]): Promise<number[]>;
  wabaMarkDelivered(count: number, ...keysThenArgs: (string | number)[]): Promise<number>;
  wabaReleaseUpdates(count: number, ...keysThenArgs: string[]): Promise<number>;
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
 * With `maxUpdatesPerJob` above 1 (group commit), the updates accepted in one event-loop turn
 * (or, while two enqueues are in flight, until one settles) are queued together, as jobs of up
 * to that many updates: one Redis round trip, and one job's worth of BullMQ script work, for
 * many updates. A worker takes each update of a group with a
 * claim naming the job (`waba-own:` keys), so that two groups holding the same update deliver
 * it once; a retry runs only the updates the earlier attempts left undelivered.
 *
 * @internal
 */
@Injectable()
export class WabaQueue implements OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('WhatsAppWebhooks');
  private readonly settings?: ResolvedQueueDelivery;
  /** BullMQ's retry and retention options, the same for every job. */
  private readonly jobOptions?: {
    attempts: number;
    backoff: { type: 'fixed' | 'exponential'; delay: number };
    removeOnComplete: true;
    removeOnFail: { age: number };
  };
  /**
   * How long a group's claim on an update lasts: as long as its job may still be retried
   * (every attempt's lock and every backoff), so that a redelivery in another group waits for
   * it. The claim is let go after the last attempt fails.
   */
  private readonly ownerTtlMs: number = 0;
  /** Where the claims of groups on their updates are kept (`<prefix>:<queue>:waba-own:`). */
  private readonly ownerKeyPrefix: string = '';
  private producer?: Redis;
  private workerConnection?: Redis;
  private queue?: Queue<WabaJobData>;
  private worker?: Worker<WabaJobData>;
  private owners?: UpdateOwnerCommands;
  /** Updates waiting to be queued together by the next enqueue (groups only). */
  private pending?: { readonly updates: WabaUpdate[]; readonly queued: Promise<void> };
  /** The enqueues in flight, each settling when it does (groups only). */
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    @Inject(DELIVERY_OPTIONS)
    private readonly options: ResolvedDeliveryOptions,
    private readonly dispatcher: WabaEventDispatcher,
    private readonly metrics: WabaMetrics,
    private readonly onboarding: WabaOnboardingService,
    private readonly dedup: WabaDedupStoreProvider,
  ) {
    const settings = (this.settings = options.queue);
    if (!settings) return;
    const { attempts, backoff, lockDurationMs } = settings;
    this.jobOptions = {
      attempts,
      backoff: { type: backoff.type, delay: backoff.delayMs },
      removeOnComplete: true,
      removeOnFail: { age: Math.ceil(settings.keepFailedMs / 1000) },
    };
    const backoffs =
      backoff.type === 'fixed'
        ? backoff.delayMs * (attempts - 1)
        : backoff.delayMs * (2 ** (attempts - 1) - 1);
    this.ownerTtlMs = Math.min(backoffs + attempts * lockDurationMs, MAX_OWNER_TTL_MS);
    this.ownerKeyPrefix = ownerPrefix(settings.prefix, settings.queueName);
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
    this.producer.defineCommand('wabaTakeUpdates', { lua: TAKE_UPDATES_SCRIPT });
    this.producer.defineCommand('wabaMarkDelivered', { lua: MARK_DELIVERED_SCRIPT });
    this.producer.defineCommand('wabaReleaseUpdates', { lua: RELEASE_UPDATES_SCRIPT });
    this.owners = this.producer as unknown as UpdateOwnerCommands;
    this.queue = new Queue<WabaJobData>(settings.queueName, {
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
    this.worker = new Worker<WabaJobData>(settings.queueName, (job) => this.process(job), {
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
  enqueue(updates: readonly WabaUpdate[]): Promise<void> {
    const { queue, settings } = this;
    if (!queue || !settings) return Promise.reject(new Error('WabaQueue: not in queue mode'));
    if (settings.maxUpdatesPerJob === 1) return this.add(updates);
    // Group commit: the updates that reach delivery in one event-loop turn — or, when
    // MAX_ENQUEUES_IN_FLIGHT enqueues are in flight, until the first of them settles — join
    // one enqueue, and share its outcome.
    let pending = this.pending;
    if (!pending) {
      const batch: WabaUpdate[] = [];
      const inFlight = this.inFlight;
      const turn = inFlight.size < MAX_ENQUEUES_IN_FLIGHT ? nextTurn() : Promise.race(inFlight);
      // The enqueue timeout counts from the batch's first request, the wait included.
      const waited = turn.then(() => {
        this.pending = undefined;
        const added = this.add(batch);
        const settled: Promise<void> = added.then(
          () => void inFlight.delete(settled),
          () => void inFlight.delete(settled),
        );
        inFlight.add(settled);
        return added;
      });
      const queued = withTimeout(waited, settings.enqueueTimeoutMs);
      pending = this.pending = { updates: batch, queued };
    }
    pending.updates.push(...updates);
    return pending.queued;
  }

  private async add(updates: readonly WabaUpdate[]): Promise<void> {
    const queue = this.queue!;
    const { maxUpdatesPerJob, enqueueTimeoutMs } = this.settings!;
    const options = this.jobOptions!;
    const jobs = (maxUpdatesPerJob === 1 ? updates : groupUpdates(updates, maxUpdatesPerJob)).map(
      (job) =>
        Array.isArray(job)
          ? { name: UPDATE_GROUP_JOB_NAME, data: { updates: job }, opts: options }
          : { name: job.change.field, data: job, opts: { ...options, jobId: jobIdOf(job.key) } },
    );
    // One job (the common case) with add(): addBulk builds an ioredis pipeline, which copies
    // every BullMQ script onto it (measured 30 µs per pipeline on the queue's connection).
    const [single] = jobs;
    const added: Promise<unknown> =
      jobs.length === 1 && single
        ? queue.add(single.name, single.data, single.opts)
        : queue.addBulk(jobs);
    await withTimeout(added, enqueueTimeoutMs);
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

  private process(job: Job<WabaJobData>): Promise<'delivered' | 'duplicate'> {
    return isUpdateGroup(job.data)
      ? this.processGroup(job as Job<WabaUpdateGroup>)
      : this.processUpdate(job as Job<WabaUpdate>);
  }

  private async processUpdate(job: Job<WabaUpdate>): Promise<'delivered' | 'duplicate'> {
    const { key, change, app, task } = job.data;
    // Where groups are queued, a group may hold this update too: take it like a group does.
    const take = task !== 'onboarding' && this.settings!.maxUpdatesPerJob > 1;
    const [open] = await this.openUpdates([key], job.id ?? jobIdOf(key), take);
    if (!open) {
      this.metrics.duplicatesDropped(1);
      return 'duplicate';
    }
    if (task === 'onboarding') {
      // Throws for BullMQ to retry; the last failure is reported by onFailed().
      const event = this.onboarding.eventOf(change, app);
      if (event) await this.onboarding.onboard(event);
      else this.logger.warn(messages.onboardingNotConfigured(job.id ?? jobIdOf(key)));
      await this.markDelivered([key], take);
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
    await this.markDelivered([key], take);
    return 'delivered';
  }

  /**
   * A group: skips the updates an earlier attempt settled, those already delivered (done-markers)
   * and those another job holds; runs the listeners of the rest at once. When some fail, records
   * which were settled in the job, so that BullMQ's retry runs only the others.
   */
  private async processGroup(job: Job<WabaUpdateGroup>): Promise<'delivered'> {
    const { updates, settled = [] } = job.data;
    const jobId = job.id!;
    const done = new Set(settled);
    const keysOf = (indexes: readonly number[]) => indexes.map((index) => updates[index]!.key);
    const unsettled = updates.flatMap((_, index) => (done.has(index) ? [] : [index]));
    const verdicts = unsettled.length > 0 ? await this.openUpdates(keysOf(unsettled), jobId) : [];
    const open: number[] = [];
    for (const [n, index] of unsettled.entries()) {
      if (verdicts[n]) open.push(index);
      else done.add(index); // delivered already, or another job holds it
    }
    if (open.length < unsettled.length) {
      this.metrics.duplicatesDropped(unsettled.length - open.length);
    }
    const results = await Promise.all(
      open.map((index) => {
        const { change, app } = updates[index]!;
        return this.dispatcher.dispatch({ changes: [change], app }, { retriedOnFailure: true });
      }),
    );
    const delivered = open.filter((_, n) => results[n]!.failures === 0);
    await this.markDelivered(keysOf(delivered), true);
    if (delivered.length === open.length) return 'delivered';
    for (const index of delivered) done.add(index);
    await job.updateData({ updates, settled: [...done] });
    const failed = results.filter((result) => result.failures > 0);
    throw new Error(
      messages.groupListenersFailed(
        failed.length,
        updates.length,
        failed.reduce((sum, result) => sum + result.failures, 0),
        failed.reduce((sum, result) => sum + result.calls, 0),
        job.attemptsMade + 1,
        job.opts.attempts ?? 1,
        jobId,
      ),
    );
  }

  /**
   * The done-markers' prefix when a job's deduplication runs in this class's scripts on the
   * producer connection: a job that takes its updates (groups, and one-update jobs where groups
   * are queued), with the module's own Redis store. Its check, its take and its done-markers then
   * go through one connection, so a job never runs its listeners while the connection that must
   * record them is down (it would deliver them again on its retry).
   */
  private scriptedMarkers(take: boolean): string | undefined {
    return take ? this.dedup.redisDoneMarkerPrefix : undefined;
  }

  /**
   * For each of a job's updates, whether the job is to deliver it now: not when its done-marker
   * is set (delivered already), nor — when `take` — when another job holds it; `take` takes each
   * other one for this job. With the module's own Redis store, the check and the take are one
   * script (one round trip); with another store, its check and then the take.
   */
  private async openUpdates(
    keys: readonly string[],
    jobId: string,
    take = true,
  ): Promise<boolean[]> {
    const donePrefix = this.scriptedMarkers(take);
    if (donePrefix !== undefined) return this.takeUpdates(keys, jobId, donePrefix);
    const store = this.dedup.store;
    const open = store
      ? (await store.isClaimed(keys)).map((claimed) => !claimed)
      : keys.map(() => true);
    if (!take) return open;
    const rest = keys.filter((_, n) => open[n]);
    if (rest.length === 0) return open;
    const held = await this.takeUpdates(rest, jobId);
    let next = 0;
    return open.map((isOpen) => isOpen && held[next++]!);
  }

  /** Records delivered updates in the store (done-markers), where {@link openUpdates} checks. */
  private async markDelivered(keys: readonly string[], take: boolean): Promise<void> {
    const store = this.dedup.store;
    if (!store || keys.length === 0) return;
    const ttlMs = this.options.deduplication!.ttlMs;
    const donePrefix = this.scriptedMarkers(take);
    if (donePrefix === undefined) {
      await store.claim(keys, ttlMs);
      return;
    }
    const markers = keys.map((key) => donePrefix + key);
    await this.owners!.wabaMarkDelivered(markers.length, ...markers, ttlMs);
  }

  /**
   * Takes each update for this job unless another job holds it — or, given the done-markers'
   * prefix, its done-marker is set — and tells which this job holds.
   */
  private async takeUpdates(
    keys: readonly string[],
    jobId: string,
    donePrefix?: string,
  ): Promise<boolean[]> {
    const owners = keys.map((key) => this.ownerKeyPrefix + key);
    const done = donePrefix === undefined ? [] : keys.map((key) => donePrefix + key);
    const verdicts = await this.owners!.wabaTakeUpdates(
      owners.length + done.length,
      ...owners,
      ...done,
      jobId,
      this.ownerTtlMs,
      owners.length,
    );
    return verdicts.map((verdict) => verdict === TAKE_VERDICT.held);
  }

  /** Lets go of the updates this job holds (after its last attempt), in the background. */
  private releaseUpdates(keys: readonly string[], jobId: string): void {
    if (keys.length === 0) return;
    const owners = keys.map((key) => this.ownerKeyPrefix + key);
    this.owners!.wabaReleaseUpdates(owners.length, ...owners, jobId).catch(() => undefined);
  }

  private onFailed(job: Job<WabaJobData> | undefined, error: Error): void {
    if (!job || job.attemptsMade < (job.opts.attempts ?? 1)) return;
    if (isUpdateGroup(job.data)) {
      this.onGroupFailed(job as Job<WabaUpdateGroup>, error);
      return;
    }
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
    if (this.settings!.maxUpdatesPerJob > 1) this.releaseUpdates([key], jobId);
    this.reportFailed(job.data, job, jobId, error);
  }

  /**
   * A group after its last attempt: one error line for the job, one `delivery_failed` per
   * update it left undelivered, and their claims let go (so that a later redelivery, or a
   * replay of the job, goes through).
   */
  private onGroupFailed(job: Job<WabaUpdateGroup>, error: Error): void {
    const { updates, settled = [] } = job.data;
    const done = new Set(settled);
    const failed = updates.filter((_, index) => !done.has(index));
    const jobId = job.id!;
    const fields = [...new Set(failed.map((update) => update.change.field))];
    this.logger.error(
      messages.groupDeliveryFailed(failed.length, fields, jobId, job.attemptsMade, error.message),
    );
    this.releaseUpdates(
      failed.map((update) => update.key),
      jobId,
    );
    for (const update of failed) this.reportFailed(update, job, jobId, error);
  }

  private reportFailed(update: WabaUpdate, job: Job<WabaJobData>, jobId: string, error: Error) {
    const { key, change, app } = update;
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
