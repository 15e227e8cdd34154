import type { Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { WabaUpdate } from '../events/waba-dispatch.types.js';
import { isUpdateGroup, type WabaJobData, type WabaUpdateGroup } from '../delivery/update-group.js';
import { importOptional, type OptionalPackage } from '../optional-package.js';

/** Where the queue is: the options of `waba-webhooks jobs …`. */
export interface QueueLocation {
  readonly redisUrl: string;
  readonly queueName: string;
  readonly prefix: string;
}

/** One failed job, as `jobs failed` prints it. */
export interface FailedJobRow {
  readonly id: string;
  readonly field: string;
  /** The update's deduplication key. */
  readonly key: string;
  readonly entryId: string;
  readonly app?: string;
  /** Attempts made, and the attempts each update gets (`delivery.attempts`). */
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly lastError: string;
  /** ISO time of the last failure. */
  readonly failedAt: string | null;
}

/** A failure the operator must see (unreachable Redis, an unknown job id): exit 1. */
export class JobsCommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JobsCommandError';
  }
}

const CONNECT_TIMEOUT_MS = 3000;
const BULLMQ: OptionalPackage = {
  name: 'bullmq',
  neededBy: 'the jobs command',
  install: 'bullmq ioredis',
};
const IOREDIS: OptionalPackage = { ...BULLMQ, name: 'ioredis' };

/** `host:port` of a Redis URL: what may be printed (never the user or password in it). */
export function redisAddress(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname || '127.0.0.1'}:${parsed.port || '6379'}`;
  } catch {
    return '(an unparsable Redis URL)';
  }
}

/** An open queue and the connection it runs on; close it when done. */
export interface OpenQueue {
  readonly queue: Queue<WabaJobData>;
  close(): Promise<void>;
}

/**
 * Connects to the queue's Redis once, without reconnecting: an unreachable, refusing or
 * misconfigured Redis fails within a few seconds with its address and the cause.
 *
 * @throws JobsCommandError naming `host:port` and the cause (never the URL's password).
 */
export async function openQueue(location: QueueLocation): Promise<OpenQueue> {
  const [{ Queue }, { Redis }] = await Promise.all([
    importOptional(BULLMQ, () => import('bullmq')),
    importOptional(IOREDIS, () => import('ioredis')),
  ]);
  const address = redisAddress(location.redisUrl);
  let redis: Redis;
  try {
    redis = new Redis(location.redisUrl, {
      lazyConnect: true,
      connectTimeout: CONNECT_TIMEOUT_MS,
      retryStrategy: () => null,
      maxRetriesPerRequest: 1,
      // ioredis waits this long (2 s by default) for a failed socket to close before exiting.
      disconnectTimeout: 200,
    });
  } catch (error) {
    throw new JobsCommandError(`cannot use the Redis URL for ${address}: ${causeOf(error)}`);
  }
  // connect() rejects with "Connection is closed" once the retry strategy gives up; the cause
  // (ECONNREFUSED, ENOTFOUND, ETIMEDOUT, WRONGPASS…) is the last error event before that.
  let lastError: unknown;
  redis.on('error', (error: unknown) => (lastError = error));
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw new JobsCommandError(`cannot reach Redis at ${address}: ${causeOf(lastError ?? error)}`);
  }
  const queue = new Queue<WabaJobData>(location.queueName, {
    connection: redis,
    prefix: location.prefix,
  });
  queue.on('error', () => undefined);
  return {
    queue,
    async close() {
      await queue.close().catch(() => undefined);
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

function causeOf(error: unknown): string {
  const { message, code } = (error ?? {}) as { message?: unknown; code?: unknown };
  const text = typeof message === 'string' && message ? message : String(error);
  return typeof code === 'string' && !text.includes(code) ? `${code} ${text}` : text;
}

/**
 * What a row shows of a job: its update, or — for a group — the updates its attempts left
 * undelivered (their fields, the first one's key and entry, and how many more).
 */
function shownUpdate(job: Job<WabaJobData>): {
  field?: string;
  key?: string;
  entryId?: string;
  app?: string;
} {
  const data: Partial<WabaJobData> = job.data ?? {};
  if (!isUpdateGroup(data as WabaJobData)) {
    const update = data as Partial<WabaUpdate>;
    return {
      field: update.change?.field,
      key: update.key,
      entryId: update.change?.entryId,
      app: update.app,
    };
  }
  const group = data as WabaUpdateGroup;
  const settled = new Set(group.settled);
  const open = group.updates.filter((_, index) => !settled.has(index));
  const [first] = open;
  const more = open.length > 1 ? ` (+${open.length - 1} more)` : '';
  return {
    field: [...new Set(open.map((update) => update.change.field))].join(','),
    key: first && first.key + more,
    entryId: first?.change.entryId,
    app: first?.app,
  };
}

function row(job: Job<WabaJobData>): FailedJobRow {
  const data = shownUpdate(job);
  return {
    id: job.id ?? '',
    field: data.field || job.name,
    key: data.key ?? '',
    entryId: data.entryId ?? '',
    ...(data.app === undefined ? {} : { app: data.app }),
    attempts: job.attemptsMade,
    maxAttempts: job.opts.attempts ?? 1,
    lastError: job.failedReason ?? '',
    failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
  };
}

/** The jobs in the queue's failed set, the most recent failure first. */
export async function listFailedJobs(queue: Queue<WabaJobData>): Promise<FailedJobRow[]> {
  const jobs = await queue.getFailed();
  return jobs.filter((job): job is NonNullable<typeof job> => job !== undefined).map(row);
}

/**
 * Moves failed jobs back to the wait list with their attempts counters reset to zero, so that
 * each gets the full `delivery.attempts` again (BullMQ's `retry()` keeps `attemptsMade` unless
 * told otherwise, which would leave a replayed job a single attempt). Every id is checked
 * before any job is moved: one unknown id, or one not in the failed set, moves none.
 *
 * @param ids the job ids, or `'all'` for every job in the failed set.
 * @returns the jobs moved, as they were before the move.
 * @throws JobsCommandError naming the ids that are not failed jobs of this queue.
 */
export async function retryFailedJobs(
  queue: Queue<WabaJobData>,
  ids: readonly string[] | 'all',
): Promise<FailedJobRow[]> {
  let jobs: Job<WabaJobData>[];
  if (ids === 'all') {
    jobs = (await queue.getFailed()).filter(
      (job): job is NonNullable<typeof job> => job !== undefined,
    );
  } else {
    const unique = [...new Set(ids)];
    const found = await Promise.all(unique.map((id) => queue.getJob(id)));
    const states = await Promise.all(found.map((job) => job?.getState()));
    const problems = unique.flatMap((id, i) => {
      if (!found[i]) return [`${id} (no such job)`];
      return states[i] === 'failed' ? [] : [`${id} (${states[i]}, not failed)`];
    });
    if (problems.length > 0) {
      throw new JobsCommandError(
        `not failed jobs of queue "${queue.name}": ${problems.join(', ')}; no job was retried.`,
      );
    }
    jobs = found as Job<WabaJobData>[];
  }
  const rows = jobs.map(row);
  for (const job of jobs) {
    await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
  }
  return rows;
}
