import { Injectable } from '@nestjs/common';
import { Redis } from 'ioredis';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnWaba, OnWabaDeliveryFailed, type WabaDeliveryFailedEvent } from '../../src/index.js';
import {
  fieldWebhook,
  inboundMessage,
  messageStatus,
  messagesWebhook,
  postWebhook,
  templateStatusWebhook,
} from '../../src/testing/index.js';
import { REDIS_URL, requireRedis, until } from '../fixtures/redis.js';
import { APP_SECRET, createTestApp, type TestApp } from '../fixtures/test-app.js';

const hasRedis = await requireRedis('queue-mode Redis keys');

/** A database of its own, so that SCAN sees only what this test's module wrote. */
const DB = 11;
const PREFIX = '{acme}';
const QUEUE = 'waba-keys';

/** `security` changes always fail: they end in the failed set after their attempts. */
@Injectable()
class FailingSecurityListener {
  readonly deadLetters: WabaDeliveryFailedEvent[] = [];

  @OnWaba('security')
  onSecurity(): void {
    throw new Error('always fails');
  }

  @OnWabaDeliveryFailed()
  onDeadLetter(event: WabaDeliveryFailedEvent): void {
    this.deadLetters.push(event);
  }
}

async function scanAll(redis: Redis): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'COUNT', 1000);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys.sort();
}

/**
 * The README's key table (between its `redis-keys` markers) as patterns: `<prefix>`,
 * `<queueName>`, `<jobId>` and `<key>` stand for the prefix, the queue, a job id (a one-update
 * job's hex digest, or a group's number) and a dedup key.
 */
function readmeKeyPatterns(): { pattern: string; regex: RegExp }[] {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const table = /<!-- redis-keys -->([\s\S]*?)<!-- \/redis-keys -->/.exec(readme)?.[1];
  if (!table) throw new Error('README has no <!-- redis-keys --> table');
  const patterns = [...table.matchAll(/^\| `([^`]+)`/gm)].map((m) => m[1]!);
  return patterns.map((pattern) => {
    const source = pattern
      .split(/(<prefix>|<queueName>|<jobId>|<key>)/)
      .map((part) =>
        part === '<prefix>'
          ? PREFIX.replace(/[{}]/g, '\\$&')
          : part === '<queueName>'
            ? QUEUE
            : part === '<jobId>'
              ? '(?:[0-9a-f]{64}|[0-9]+)'
              : part === '<key>'
                ? '.+'
                : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
      )
      .join('');
    return { pattern, regex: new RegExp(`^${source}$`) };
  });
}

// With one job per update (the default) and with group commit, whose claims are keys too.
describe.skipIf(!hasRedis).each([1, 10])(
  `queue mode writes every Redis key under delivery.prefix (maxUpdatesPerJob %i)`,
  (maxUpdatesPerJob) => {
    const url = new URL(REDIS_URL);
    url.pathname = `/${DB}`;
    const redis = new Redis(url.toString());
    let t: TestApp | undefined;

    beforeAll(async () => {
      await redis.flushdb();
    });

    afterAll(async () => {
      await t?.app.close();
      await redis.flushdb();
      redis.disconnect();
    });

    it(`keeps BullMQ's keys and the done-markers under '${PREFIX}', as the README's table says`, async () => {
      t = await createTestApp({
        providers: [FailingSecurityListener],
        options: {
          delivery: {
            mode: 'queue',
            connection: url.toString(),
            prefix: PREFIX,
            queueName: QUEUE,
            attempts: 2,
            backoff: { type: 'fixed', delayMs: 20 },
            maxUpdatesPerJob,
          },
        },
      });
      const payloads = [
        messagesWebhook({
          messages: [inboundMessage('text'), inboundMessage('image')],
          statuses: [messageStatus('delivered')],
        }),
        templateStatusWebhook({ event: 'APPROVED' }, { time: 1_764_460_800 }),
        fieldWebhook('security', undefined, { time: 1_764_460_801 }),
      ];
      for (const payload of payloads) {
        expect((await postWebhook(t.app, payload, { appSecret: APP_SECRET })).status).toBe(200);
      }
      const listener = t.app.get(FailingSecurityListener);
      const fields = () => t!.recorder.of('change').map((c) => c.field);
      await until(
        () =>
          listener.deadLetters.length === 1 &&
          fields().filter((f) => f === 'messages').length === 3 &&
          fields().includes('message_template_status_update'),
      );

      const keys = await scanAll(redis);
      expect(keys.length).toBeGreaterThan(0);
      expect(keys.filter((key) => !key.startsWith(PREFIX))).toEqual([]);

      const patterns = readmeKeyPatterns();
      const unexplained = keys.filter((key) => !patterns.some((p) => p.regex.test(key)));
      expect(unexplained).toEqual([]);
      // One done-marker per delivered update: 2 messages + 1 status + the template change.
      const done = keys.filter((key) => key.startsWith(`${PREFIX}:${QUEUE}:waba-done:`));
      expect(done).toHaveLength(4);
      // The failed job is kept for inspection and re-drive.
      expect(keys).toContain(`${PREFIX}:${QUEUE}:${listener.deadLetters[0]!.jobId}`);
      // Group commit's claims: the four delivered updates are held by their jobs for a while.
      // The failed job's claim is let go after its last attempt (in the background).
      const owned = async () =>
        (await scanAll(redis)).filter((key) => key.startsWith(`${PREFIX}:${QUEUE}:waba-own:`));
      const expected = maxUpdatesPerJob > 1 ? 4 : 0;
      for (let i = 0; i < 50 && (await owned()).length !== expected; i++) {
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(await owned()).toHaveLength(expected);
    });
  },
);
