import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { jobIdOf } from '../../src/delivery/waba-queue.js';
import { OnWabaMessage, type WabaMessageEvent } from '../../src/index.js';
import { postWebhook, textMessageWebhook } from '../../src/testing/index.js';
import { freePort, obliterateQueues, REDIS_URL, requireRedis } from '../fixtures/redis.js';
import { runCli } from '../fixtures/cli-process.js';
import { APP_SECRET, createTestApp, type TestApp } from '../fixtures/test-app.js';

const hasRedis = await requireRedis('waba-webhooks jobs');

/** Fails every message while `failing` is set; counts the calls per message text. */
@Injectable()
class FailingListener {
  static failing = true;
  readonly calls = new Map<string, number>();
  readonly delivered: string[] = [];

  @OnWabaMessage('text')
  onText(e: WabaMessageEvent<'text'>): void {
    const body = e.message.text.body;
    this.calls.set(body, (this.calls.get(body) ?? 0) + 1);
    if (FailingListener.failing) throw new Error(`listener refuses "${body}"`);
    this.delivered.push(body);
  }
}

/** Polls an asynchronous condition every 25 ms; rejects after `ms`. */
async function eventually(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

interface FailedSetup {
  t: TestApp;
  queue: Queue;
  queueName: string;
  listener: FailingListener;
  /** Job id of each posted text, in the order posted. */
  ids: string[];
  wamids: string[];
}

describe.skipIf(!hasRedis)('waba-webhooks jobs (dist/cli/waba-webhooks.js, real Redis)', () => {
  const apps: TestApp[] = [];
  const queues: Queue[] = [];
  const queueNames: string[] = [];

  afterEach(async () => {
    await Promise.all(apps.splice(0).map((a) => a.app.close()));
    await Promise.all(queues.splice(0).map((q) => q.close()));
  });
  afterAll(async () => {
    await obliterateQueues(queueNames);
  });

  /** A queue-mode app whose listener always fails, and one failed job per text posted. */
  async function failedJobs(texts: string[], attempts = 2): Promise<FailedSetup> {
    FailingListener.failing = true;
    const queueName = `waba-cli-${randomUUID()}`;
    queueNames.push(queueName);
    const t = await createTestApp({
      providers: [FailingListener],
      options: {
        delivery: {
          mode: 'queue',
          connection: REDIS_URL,
          queueName,
          attempts,
          backoff: { type: 'fixed', delayMs: 20 },
        },
      },
    });
    apps.push(t);
    const queue = new Queue(queueName, { connection: { url: REDIS_URL } });
    queues.push(queue);
    const wamids: string[] = [];
    for (const text of texts) {
      const payload = textMessageWebhook(text);
      wamids.push(payload.entry[0]!.changes[0]!.value.messages![0]!.id);
      expect((await postWebhook(t.app, payload, { appSecret: APP_SECRET })).status).toBe(200);
    }
    await eventually(async () => (await queue.getFailedCount()) === texts.length);
    const ids = wamids.map((wamid) => jobIdOf(`messages:message:${wamid}`));
    return { t, queue, queueName, listener: t.app.get(FailingListener), ids, wamids };
  }

  const at = (s: FailedSetup) => ['--redis-url', REDIS_URL, '--queue-name', s.queueName];

  it('lists the failed jobs as a table and as JSON: id, field, key, attempts, last error, failed at', async () => {
    const before = Date.now();
    const s = await failedJobs(['first', 'second']);

    const json = await runCli(['jobs', 'failed', ...at(s), '--json']);
    expect(json).toMatchObject({ code: 0, stderr: '' });
    const rows = JSON.parse(json.stdout) as Record<string, unknown>[];
    expect(rows.map((r) => r['id']).sort()).toEqual([...s.ids].sort());
    for (const [i, id] of s.ids.entries()) {
      const row = rows.find((r) => r['id'] === id)!;
      expect(row).toMatchObject({
        field: 'messages',
        key: `messages:message:${s.wamids[i]}`,
        entryId: '102290129340398',
        attempts: 2,
        maxAttempts: 2,
      });
      // The last attempt's error says it was the final one, and how to replay it.
      // (1 of 3 calls: the test app's recording listener succeeds on the message and its change.)
      expect(row['lastError']).toBe(
        '1 of 3 listener call(s) failed on the final attempt (2 of 2); the update is not ' +
          'retried again and stays in the failed set: replay it with ' +
          `"waba-webhooks jobs retry ${id}"`,
      );
      const failedAt = Date.parse(String(row['failedAt']));
      expect(failedAt).toBeGreaterThanOrEqual(before - 1000);
      expect(failedAt).toBeLessThanOrEqual(Date.now());
    }
    // The first attempt's error (BullMQ keeps one per attempt) announced the retry.
    const job = await s.queue.getJob(s.ids[0]!);
    expect(job!.stacktrace?.[0]).toContain(
      '1 of 3 listener call(s) failed on attempt 1 of 2; the update will be retried after the ' +
        'backoff (retry 1 of 1)',
    );

    // The table, with the Redis URL and queue name from the environment.
    const text = await runCli(['jobs', 'failed'], {
      REDIS_URL,
      WHATSAPP_QUEUE_NAME: s.queueName,
    });
    expect(text).toMatchObject({ code: 0, stderr: '' });
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID +FIELD +KEY +ATTEMPTS +LAST ERROR +FAILED AT$/);
    expect(lines[1]).toMatch(/^-+( +-+){5}$/);
    expect(lines).toHaveLength(4);
    for (const [i, id] of s.ids.entries()) {
      expect(lines.slice(2).find((l) => l.startsWith(id))).toMatch(
        new RegExp(
          `^${id} +messages +messages:message:${s.wamids[i]!.replace(/[.]/g, '\\.')} +2/2 +` +
            `1 of 3 listener call\\(s\\) failed on the final attempt.*… +\\d{4}-\\d\\d-\\d\\dT`,
        ),
      );
    }
  });

  it('says so when there is no failed job', async () => {
    const queueName = `waba-cli-${randomUUID()}`;
    queueNames.push(queueName);
    const run = await runCli([
      'jobs',
      'failed',
      '--redis-url',
      REDIS_URL,
      '--queue-name',
      queueName,
    ]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(
      /^No failed jobs in queue "waba-cli-[0-9a-f-]+" \(prefix "bull"\)\.\n$/,
    );
  });

  it('retries a job with its full attempts again, leaving the others failed; --all retries the rest', async () => {
    const s = await failedJobs(['retry me', 'leave me']);
    const [retried, left] = s.ids as [string, string];
    expect(s.listener.calls.get('retry me')).toBe(2);

    const run = await runCli(['jobs', 'retry', retried, ...at(s)]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain('Queued 1 failed job(s) again, each with its full attempts:');
    expect(run.stdout).toContain(`${retried}  messages  messages:message:${s.wamids[0]}`);
    // Still failing: two more attempts (not one), then back in the failed set with 2 of 2.
    await eventually(async () => (await s.queue.getFailedCount()) === 2);
    await eventually(async () => (await s.queue.getJob(retried))?.attemptsMade === 2);
    expect(s.listener.calls.get('retry me')).toBe(4);
    expect(s.listener.calls.get('leave me')).toBe(2);
    expect(await (await s.queue.getJob(left))!.getState()).toBe('failed');

    // Fixed: replay everything.
    FailingListener.failing = false;
    const all = await runCli(['jobs', 'retry', '--all', '--json', ...at(s)]);
    expect(all).toMatchObject({ code: 0, stderr: '' });
    expect((JSON.parse(all.stdout) as { retried: string[] }).retried.sort()).toEqual(
      [...s.ids].sort(),
    );
    await eventually(async () => s.listener.delivered.length === 2);
    expect(s.listener.delivered.sort()).toEqual(['leave me', 'retry me']);
    expect(await s.queue.getFailedCount()).toBe(0);
    const none = await runCli(['jobs', 'retry', '--all', ...at(s)]);
    expect(none.stdout).toMatch(/nothing to retry/);
  });

  it('exits 1 naming an unknown id, and retries none of the ids given', async () => {
    const s = await failedJobs(['stay failed']);
    const [known] = s.ids as [string];
    const unknown = 'f'.repeat(64);
    const run = await runCli(['jobs', 'retry', known, unknown, ...at(s)]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `waba-webhooks: not failed jobs of queue "${s.queueName}": ${unknown} (no such job); ` +
        'no job was retried.\n',
    );
    const job = await s.queue.getJob(known);
    expect(await job!.getState()).toBe('failed');
    expect(job!.attemptsMade).toBe(2);
    expect(await s.queue.getFailedCount()).toBe(1);
    expect(s.listener.calls.get('stay failed')).toBe(2);

    const json = await runCli(['jobs', 'retry', unknown, '--json', ...at(s)]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({
      error: {
        message: `not failed jobs of queue "${s.queueName}": ${unknown} (no such job); no job was retried.`,
      },
    });
  });

  it('exits 1 within seconds when Redis is unreachable, naming host:port and the cause, never the password', async () => {
    const port = await freePort();
    const url = `redis://waba:pa55-w0rd-secret@127.0.0.1:${port}/0`;
    for (const args of [
      ['jobs', 'failed', '--redis-url', url],
      ['jobs', 'retry', '--all', '--redis-url', url],
      ['jobs', 'retry', 'abc', '--json', '--redis-url', url],
    ]) {
      const run = await runCli(args);
      expect(run.code).toBe(1);
      expect(run.ms).toBeLessThan(5000);
      const output = run.stdout + run.stderr;
      expect(output).toContain(`cannot reach Redis at 127.0.0.1:${port}: connect ECONNREFUSED`);
      expect(output).not.toContain('pa55-w0rd-secret');
    }
    // The URL from the environment is treated alike.
    const env = await runCli(['jobs', 'failed'], { REDIS_URL: url });
    expect(env.code).toBe(1);
    expect(env.stderr).toMatch(new RegExp(`127\\.0\\.0\\.1:${port}.*ECONNREFUSED`));
    expect(env.stderr).not.toContain('pa55-w0rd-secret');
  });

  it('exits 2 without a Redis URL, or with neither ids nor --all (or both)', async () => {
    const noRedis = await runCli(['jobs', 'failed']);
    expect(noRedis).toMatchObject({
      code: 2,
      stderr: 'waba-webhooks: no Redis: pass --redis-url or set REDIS_URL.\n',
    });
    const noIds = await runCli(['jobs', 'retry', '--redis-url', REDIS_URL]);
    expect(noIds.code).toBe(2);
    expect(noIds.stderr).toMatch(/pass the ids of the jobs to retry, or --all/);
    const both = await runCli(['jobs', 'retry', 'abc', '--all', '--redis-url', REDIS_URL]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/pass job ids or --all, not both/);
  });
});
