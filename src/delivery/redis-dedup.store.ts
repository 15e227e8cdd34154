import type { WabaDedupStore } from './dedup-store.interface.js';

/** The few ioredis commands the store uses (an ioredis `Redis` or `Cluster` instance fits). */
export interface RedisDedupClient {
  pipeline(): {
    set(key: string, value: string, px: 'PX', ttlMs: number, nx: 'NX'): unknown;
    exec(): Promise<[error: Error | null, reply: unknown][] | null>;
  };
  mget(keys: string[]): Promise<(string | null)[]>;
  del(...keys: string[]): Promise<number>;
}

/**
 * A store shared by every instance: one Redis key per update, written with `SET NX PX` (atomic:
 * of two instances claiming the same key at once, exactly one wins), pipelined per request.
 */
export class RedisDedupStore implements WabaDedupStore {
  constructor(
    private readonly redis: RedisDedupClient,
    private readonly prefix = 'waba:dedup:',
  ) {}

  async claim(keys: readonly string[], ttlMs: number): Promise<boolean[]> {
    if (keys.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const key of keys) pipeline.set(this.prefix + key, '1', 'PX', ttlMs, 'NX');
    const results = await pipeline.exec();
    return results!.map(([error, reply]) => {
      if (error) throw error;
      return reply === 'OK';
    });
  }

  async isClaimed(keys: readonly string[]): Promise<boolean[]> {
    if (keys.length === 0) return [];
    const values = await this.redis.mget(keys.map((key) => this.prefix + key));
    return values.map((value) => value !== null);
  }

  async release(keys: readonly string[]): Promise<void> {
    if (keys.length > 0) await this.redis.del(...keys.map((key) => this.prefix + key));
  }
}
