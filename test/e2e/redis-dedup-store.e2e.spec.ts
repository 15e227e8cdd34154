import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisDedupStore, type RedisDedupClient } from '../../src/index.js';
import { REDIS_URL, requireRedis } from '../fixtures/redis.js';

const hasRedis = await requireRedis('RedisDedupStore');

describe.skipIf(!hasRedis)('RedisDedupStore on a real Redis', () => {
  const redis = new Redis(REDIS_URL);
  const prefix = `waba:test:dedup:${randomUUID()}:`;

  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  /** Counts the commands and pipelines the store sends through the client. */
  const counting = (client: RedisDedupClient) => {
    const calls = { set: 0, pipeline: 0 };
    const wrapped: RedisDedupClient = {
      pipeline: () => {
        calls.pipeline++;
        return client.pipeline();
      },
      mget: (keys) => client.mget(keys),
      del: (...keys) => client.del(...keys),
      ...(client.set
        ? {
            set: (key: string, value: string, px: 'PX', ttlMs: number, nx: 'NX') => {
              calls.set++;
              return client.set!(key, value, px, ttlMs, nx);
            },
          }
        : {}),
    };
    return { wrapped, calls };
  };

  it('claims a single key with one SET NX PX (no pipeline), once, with the TTL', async () => {
    const { wrapped, calls } = counting(redis);
    const store = new RedisDedupStore(wrapped, prefix);
    const key = `single:${randomUUID()}`;
    expect(await store.isClaimed([key])).toEqual([false]);
    expect(await store.claim([key], 60_000)).toEqual([true]);
    expect(await store.claim([key], 60_000)).toEqual([false]);
    expect(calls).toEqual({ set: 2, pipeline: 0 });
    expect(await store.isClaimed([key])).toEqual([true]);
    const ttl = await redis.pttl(prefix + key);
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    await store.release([key]);
    expect(await store.isClaimed([key])).toEqual([false]);
  });

  it('claims several keys in one pipeline, each exactly once', async () => {
    const { wrapped, calls } = counting(redis);
    const store = new RedisDedupStore(wrapped, prefix);
    const [a, b, c] = [1, 2, 3].map((i) => `many:${i}:${randomUUID()}`) as [string, string, string];
    expect(await store.claim([a], 60_000)).toEqual([true]);
    expect(await store.claim([a, b, c], 60_000)).toEqual([false, true, true]);
    expect(calls).toEqual({ set: 1, pipeline: 1 });
    expect(await store.isClaimed([a, b, c, 'many:unknown'])).toEqual([true, true, true, false]);
  });

  it('still works with a client that has no set() (the interface before it grew one)', async () => {
    const { set: _set, ...rest } = counting(redis).wrapped;
    const { wrapped, calls } = counting(rest);
    const store = new RedisDedupStore(wrapped, prefix);
    const key = `legacy:${randomUUID()}`;
    expect(await store.claim([key], 60_000)).toEqual([true]);
    expect(await store.claim([key], 60_000)).toEqual([false]);
    expect(calls).toEqual({ set: 0, pipeline: 2 });
  });
});
