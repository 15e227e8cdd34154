import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Redis, RedisOptions } from 'ioredis';
import { importOptional, OPTIONAL_PACKAGES } from '../optional-package.js';
import type { WabaDedupStore } from './dedup-store.interface.js';
import { MemoryDedupStore } from './memory-dedup.store.js';
import { RedisDedupStore } from './redis-dedup.store.js';
import { closeRedis, doneMarkerPrefix, redisConnectionOptions } from './redis-connection.js';
import { DELIVERY_OPTIONS, type ResolvedDeliveryOptions } from './delivery.options.js';

/**
 * The one deduplication store of a module instance, for both delivery modes: the application's
 * own (`deduplication.store`), else a bounded in-memory store in direct mode, else — in queue
 * mode, where every instance must share it — a Redis store of done-markers under the queue's
 * prefix, on a connection of its own (BullMQ defines its Lua scripts on the queue's, which makes
 * every pipeline built there copy them). `undefined` when deduplication is off.
 *
 * @internal
 */
@Injectable()
export class WabaDedupStoreProvider implements OnModuleInit, OnApplicationShutdown {
  private current?: WabaDedupStore;
  private connection?: Redis;
  private ownPrefix?: string;

  constructor(
    @Inject(DELIVERY_OPTIONS)
    private readonly options: ResolvedDeliveryOptions,
  ) {}

  /** The store, once the module is initialised; `undefined` when deduplication is off. */
  get store(): WabaDedupStore | undefined {
    return this.current;
  }

  /**
   * The key prefix of the done-markers when the store is the module's own Redis store (queue
   * mode, no `deduplication.store`): they live on the queue's Redis, so a worker can read them
   * in the same script that takes a job's updates. `undefined` for any other store.
   */
  get redisDoneMarkerPrefix(): string | undefined {
    return this.ownPrefix;
  }

  async onModuleInit(): Promise<void> {
    const { deduplication: dedup, queue } = this.options;
    if (!dedup) return;
    if (dedup.store) {
      this.current = dedup.store;
      return;
    }
    if (!queue) {
      this.current = new MemoryDedupStore(dedup.maxEntries);
      return;
    }
    const { Redis } = await importOptional(OPTIONAL_PACKAGES.ioredis, () => import('ioredis'));
    const [url, base] = redisConnectionOptions(queue.connection);
    // Fail fast while Redis is down: a worker's job fails and is retried.
    const options: RedisOptions = { ...base, enableOfflineQueue: false, maxRetriesPerRequest: 1 };
    this.connection = url ? new Redis(url, options) : new Redis(options);
    this.connection.on('error', () => undefined); // reconnection is automatic
    this.ownPrefix = doneMarkerPrefix(queue.prefix, queue.queueName);
    this.current = new RedisDedupStore(this.connection, this.ownPrefix);
  }

  async onApplicationShutdown(): Promise<void> {
    await closeRedis(this.connection);
  }
}
