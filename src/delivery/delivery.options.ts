import { invalidOption, oneOf, optionalIdSet, positiveInteger } from '../options/option-checks.js';
import { defaultDedupKey, type WabaDedupKeyFunction } from './dedup-key.js';
import type { WabaDedupStore } from './dedup-store.interface.js';
import type {
  WabaDeduplicationOptions,
  WabaDeliveryOptions,
  WabaQueueDeliveryOptions,
} from './delivery-options.interface.js';
import { DEFAULT_MEMORY_DEDUP_ENTRIES } from './memory-dedup.store.js';

/** Resolved deduplication settings. */
export interface ResolvedDeduplication {
  readonly store?: WabaDedupStore;
  readonly ttlMs: number;
  readonly maxEntries: number;
  readonly key: WabaDedupKeyFunction;
}

/** Resolved queue settings. */
export type ResolvedQueueDelivery = Required<Omit<WabaQueueDeliveryOptions, 'backoff'>> & {
  readonly backoff: { type: 'exponential' | 'fixed'; delayMs: number };
};

/** The delivery slice of the options: acknowledgement, allow-lists, deduplication, queue. */
export interface ResolvedDeliveryOptions {
  readonly acknowledge: 'before-listeners' | 'after-listeners';
  readonly allowedWabaIds?: ReadonlySet<string>;
  readonly allowedPhoneNumberIds?: ReadonlySet<string>;
  /** `undefined` when deduplication is off. */
  readonly deduplication?: ResolvedDeduplication;
  /** `undefined` in direct mode. */
  readonly queue?: ResolvedQueueDelivery;
}

/** Injection token of {@link ResolvedDeliveryOptions}. @internal */
export const DELIVERY_OPTIONS = Symbol('WABA_DELIVERY_OPTIONS');

/** The module options the delivery slice is resolved from. */
interface DeliveryOptionsInput {
  readonly acknowledge?: 'before-listeners' | 'after-listeners';
  readonly allowedWabaIds?: readonly string[];
  readonly allowedPhoneNumberIds?: readonly string[];
  readonly deduplication?: boolean | WabaDeduplicationOptions;
  readonly delivery?: WabaDeliveryOptions;
}

const SEVEN_DAYS_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * A queue name or key prefix: a non-empty string. BullMQ refuses a queue name with ':' (the
 * separator of its keys); a prefix may hold one, and a `{hash tag}` for Redis Cluster.
 */
function redisName(name: string, value: unknown, fallback: string, colonAllowed: boolean): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value.length === 0 || (!colonAllowed && value.includes(':'))) {
    throw invalidOption(
      name,
      `must be a non-empty string${colonAllowed ? '' : " without ':'"}, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function resolveQueue(delivery: WabaDeliveryOptions): ResolvedQueueDelivery | undefined {
  oneOf('delivery.mode', delivery.mode, ['direct', 'queue'], 'direct');
  if (delivery.mode !== 'queue') return undefined;
  const { connection } = delivery;
  if (!connection || (typeof connection !== 'string' && typeof connection !== 'object')) {
    throw invalidOption(
      'delivery.connection',
      "is required in queue mode: a 'redis://' URL or ioredis options",
    );
  }
  const backoff = delivery.backoff ?? { type: 'exponential', delayMs: 1000 };
  return {
    mode: 'queue',
    connection,
    queueName: redisName('delivery.queueName', delivery.queueName, 'waba-webhooks', false),
    prefix: redisName('delivery.prefix', delivery.prefix, 'bull', true),
    attempts: positiveInteger('delivery.attempts', delivery.attempts, 5),
    backoff: {
      type: oneOf('delivery.backoff.type', backoff.type, ['exponential', 'fixed'], 'exponential'),
      delayMs: positiveInteger('delivery.backoff.delayMs', backoff.delayMs, 1000),
    },
    processors: delivery.processors ?? true,
    concurrency: positiveInteger('delivery.concurrency', delivery.concurrency, 10),
    maxUpdatesPerJob: positiveInteger('delivery.maxUpdatesPerJob', delivery.maxUpdatesPerJob, 1),
    enqueueTimeoutMs: positiveInteger('delivery.enqueueTimeoutMs', delivery.enqueueTimeoutMs, 5000),
    keepFailedMs: positiveInteger('delivery.keepFailedMs', delivery.keepFailedMs, SEVEN_DAYS_MS),
    lockDurationMs: positiveInteger('delivery.lockDurationMs', delivery.lockDurationMs, 30_000),
  };
}

function resolveDeduplication(
  option: boolean | WabaDeduplicationOptions | undefined,
): ResolvedDeduplication | undefined {
  const dedup = option ?? true;
  if (dedup === false) return undefined;
  const settings = dedup === true ? {} : dedup;
  return {
    ...(settings.store ? { store: settings.store } : {}),
    ttlMs: positiveInteger('deduplication.ttlMs', settings.ttlMs, SEVEN_DAYS_MS),
    maxEntries: positiveInteger(
      'deduplication.maxEntries',
      settings.maxEntries,
      DEFAULT_MEMORY_DEDUP_ENTRIES,
    ),
    key: settings.key ?? defaultDedupKey,
  };
}

/** Applies the delivery defaults and checks them. @internal */
export function resolveDeliveryOptions(options: DeliveryOptionsInput): ResolvedDeliveryOptions {
  const queue = resolveQueue(options.delivery ?? { mode: 'direct' });
  const deduplication = resolveDeduplication(options.deduplication);
  const allowedWabaIds = optionalIdSet('allowedWabaIds', options.allowedWabaIds);
  const allowedPhoneNumberIds = optionalIdSet(
    'allowedPhoneNumberIds',
    options.allowedPhoneNumberIds,
  );
  return Object.freeze({
    acknowledge: oneOf(
      'acknowledge',
      options.acknowledge,
      ['before-listeners', 'after-listeners'],
      'before-listeners',
    ),
    ...(allowedWabaIds ? { allowedWabaIds } : {}),
    ...(allowedPhoneNumberIds ? { allowedPhoneNumberIds } : {}),
    ...(deduplication ? { deduplication } : {}),
    ...(queue ? { queue } : {}),
  });
}
