import type { WabaDedupKeyFunction } from './dedup-key.js';
import type { WabaDedupStore } from './dedup-store.interface.js';

/**
 * ioredis connection options (`host`, `port`, `password`, `tls`, `db`, …), typed loosely so that
 * applications without ioredis installed still compile against this package.
 */
export type WabaRedisOptions = Record<string, unknown>;

/** How redelivered updates are recognised (Meta delivers at least once, for up to 7 days). */
export interface WabaDeduplicationOptions {
  /**
   * Where keys are remembered. Default: a bounded in-memory store in direct mode; a Redis store on
   * the queue's connection in queue mode (shared by every instance).
   */
  store?: WabaDedupStore;
  /**
   * How long a key is remembered. Meta retries for up to 7 days.
   *
   * @default 604_800_000 (7 days)
   */
  ttlMs?: number;
  /**
   * Bound of the default in-memory store: past it the oldest keys are evicted.
   *
   * @default 100_000
   */
  maxEntries?: number;
  /** Derives an update's key; the default follows protocol.md §7.2 (wamid, status id + status, …). */
  key?: WabaDedupKeyFunction;
}

/** Listeners run in the receiving process (default). */
export interface WabaDirectDeliveryOptions {
  mode: 'direct';
}

/**
 * Durable delivery: the receiver answers 200 only once Redis has confirmed the update is queued
 * (503 otherwise, so Meta redelivers); workers — in this process or others — run the listeners,
 * retrying failures with backoff.
 */
export interface WabaQueueDeliveryOptions {
  mode: 'queue';
  /** Redis to use: a `redis://` URL or ioredis options. */
  connection: string | WabaRedisOptions;
  /** The BullMQ queue's name (no `:`). @default 'waba-webhooks' */
  queueName?: string;
  /**
   * Prefix of every Redis key the module writes in queue mode: BullMQ's
   * (`<prefix>:<queueName>:wait`, `…:<jobId>`, …) and the done-markers of delivered updates
   * (`<prefix>:<queueName>:waba-done:<dedup key>`). On Redis Cluster use a hash tag, e.g.
   * `'{waba}'`, so that all of a queue's keys share one slot.
   *
   * @default 'bull'
   */
  prefix?: string;
  /**
   * Attempts per update before it stays in the failed set and `@OnWabaDeliveryFailed()` fires.
   *
   * @default 5
   */
  attempts?: number;
  /** Delay before retry `n` is `delayMs × 2^(n-1)` (exponential) or `delayMs` (fixed). @default { type: 'exponential', delayMs: 1000 } */
  backoff?: { type: 'exponential' | 'fixed'; delayMs: number };
  /** Run workers in this instance (`false`: receive and enqueue only). @default true */
  processors?: boolean;
  /**
   * Jobs processed at once per worker (a job holds one update, or a group of up to
   * `maxUpdatesPerJob`, whose updates run at once). @default 10
   */
  concurrency?: number;
  /**
   * Group commit: queue together, as jobs of up to this many updates, the updates that reach
   * delivery in one event-loop turn (or, while two enqueues are in flight, until one settles) —
   * under load, many requests; or one webhook of many items. One Redis round trip and one job's
   * worth of BullMQ work for the lot raise what a receiver, Redis and a worker sustain (see the
   * README's benchmarks). Deduplication and retries stay per update: a worker takes each update
   * of a group with a claim in Redis, so redeliveries queued in two jobs are delivered once, and
   * a retry runs only the updates that failed. `1` queues one job per update. Set the same value
   * on receivers and workers: a worker with it above 1 also claims one-update jobs.
   *
   * Workers of versions before 0.2 cannot read group jobs: in a rolling deploy, raise this only
   * once every instance that runs processors has been upgraded.
   *
   * @default 1
   */
  maxUpdatesPerJob?: number;
  /** Longest wait for Redis to confirm an enqueue before answering 503. @default 5000 */
  enqueueTimeoutMs?: number;
  /**
   * How long a worker holds a job before another may take it over: after a worker crash its jobs
   * are picked up again within about this time.
   *
   * @default 30_000
   */
  lockDurationMs?: number;
  /** How long failed jobs are kept for inspection and re-drive. @default 604_800_000 (7 days) */
  keepFailedMs?: number;
}

/** Where listeners run: in the receiving process, or behind a durable BullMQ queue. */
export type WabaDeliveryOptions = WabaDirectDeliveryOptions | WabaQueueDeliveryOptions;
