import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { serializeLikeMeta, signWebhookBody, textMessageWebhook } from '../../src/testing/index.js';
import { REDIS_URL, requireRedis } from '../fixtures/redis.js';

const hasRedis = await requireRedis('scale-out');
const SECRET = 'scale-out-secret';
const UPDATES = Number(process.env['SCALE_OUT_UPDATES'] ?? 10_000);

interface Instance {
  child: ChildProcess;
  output: string[];
  waitFor: (pattern: RegExp, ms?: number) => Promise<string>;
}

function run(args: string[], env: Record<string, string>): Instance {
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const listeners: (() => void)[] = [];
  const onData = (chunk: Buffer) => {
    output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    listeners.forEach((l) => l());
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const waitFor = (pattern: RegExp, ms = 15_000) =>
    new Promise<string>((ok, fail) => {
      const check = () => {
        const line = output.find((l) => pattern.test(l));
        if (line) return (ok(line), true);
        return false;
      };
      if (check()) return;
      const timer = setTimeout(
        () => fail(new Error(`no line ${pattern}; got:\n${output.join('\n')}`)),
        ms,
      );
      listeners.push(() => check() && clearTimeout(timer));
    });
  return { child, output, waitFor };
}

const stop = async (instance: Instance, signal: NodeJS.Signals = 'SIGTERM') => {
  if (instance.child.exitCode !== null || instance.child.signalCode !== null) return;
  const exited = new Promise((r) => instance.child.once('exit', r));
  instance.child.kill(signal);
  await exited;
};

// With one job per update (the default) and with group commit (WHATSAPP_UPDATES_PER_JOB=10).
describe.skipIf(!hasRedis).each([1, 10])(
  'scale-out: 2 receivers + 2 workers sharing Redis (real processes), %i update(s) per job',
  (updatesPerJob) => {
    const queueName = `waba-scale-${randomUUID()}`;
    const effectsKey = `waba:test:effects:${queueName}`;
    const callsKey = `waba:test:calls:${queueName}`;
    const instances: Instance[] = [];
    const redis = new Redis(REDIS_URL);
    let ids: string[] = [];

    afterAll(async () => {
      await Promise.all(instances.map((i) => stop(i)));
      const queue = new Queue(queueName, { connection: { url: REDIS_URL } });
      await queue.obliterate({ force: true });
      await queue.close();
      await redis.del(effectsKey, callsKey);
      for (let i = 0; i < ids.length; i += 1000) {
        await redis.del(
          ...ids
            .slice(i, i + 1000)
            .map((id) => `bull:${queueName}:waba-done:messages:message:${id}`),
        );
      }
      redis.disconnect();
    });

    it(`delivers each of ${UPDATES} updates, none lost, through a worker SIGKILL and cross-receiver redeliveries`, async () => {
      const receiverEnv = {
        REDIS_URL,
        WHATSAPP_ROLE: 'receiver',
        WHATSAPP_QUEUE_NAME: queueName,
        WHATSAPP_APP_SECRET: SECRET,
        WHATSAPP_VERIFY_TOKEN: 'scale-out-token',
        NODE_ENV: 'production',
        PORT: '0',
        HOST: '127.0.0.1',
        WHATSAPP_UPDATES_PER_JOB: String(updatesPerJob),
      };
      const workerEnv = {
        REDIS_URL,
        QUEUE_NAME: queueName,
        EFFECTS_KEY: effectsKey,
        CALLS_KEY: callsKey,
        UPDATES_PER_JOB: String(updatesPerJob),
      };
      const startWorker = () => {
        const w = run([resolve('test/fixtures/scale-out-worker.mjs')], workerEnv);
        instances.push(w);
        return w;
      };
      const receivers = [
        run([resolve('dist/main.js')], receiverEnv),
        run([resolve('dist/main.js')], receiverEnv),
      ];
      instances.push(...receivers);
      const urls = await Promise.all(
        receivers.map(
          async (r) => (JSON.parse(await r.waitFor(/receiver listening/)) as { url: string }).url,
        ),
      );
      const workers = [startWorker(), startWorker()];
      await Promise.all(workers.map((w) => w.waitFor(/worker ready/)));

      // 10,000 updates, one message each; 10% are redelivered later to the other receiver.
      const bodies = Array.from({ length: UPDATES }, (_, i) =>
        serializeLikeMeta(textMessageWebhook(`update ${i}`)),
      );
      ids = bodies.map(
        (b) =>
          (JSON.parse(b) as { entry: { changes: { value: { messages: { id: string }[] } }[] }[] })
            .entry[0]!.changes[0]!.value.messages[0]!.id,
      );
      const sends: { body: string; receiver: number }[] = bodies.map((body, i) => ({
        body,
        receiver: i % 2,
      }));
      for (let i = 0; i < UPDATES; i += 10) sends.push({ body: bodies[i]!, receiver: 1 - (i % 2) });
      let non200 = 0;
      let posted = 0;
      const post = async ({ body, receiver }: { body: string; receiver: number }) => {
        // Meta redelivers anything but a 200: so does this client.
        for (;;) {
          const res = await fetch(urls[receiver]!, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'x-hub-signature-256': signWebhookBody(body, SECRET),
            },
            body,
          }).catch(() => undefined);
          if (res?.status === 200) break;
          non200++;
          await new Promise((r) => setTimeout(r, 50));
        }
        posted++;
      };
      let killed = false;
      let next = 0;
      const lanes = Array.from({ length: 32 }, async () => {
        while (next < sends.length) {
          const send = sends[next++]!;
          await post(send);
          if (!killed && posted >= sends.length * 0.4) {
            killed = true;
            await stop(workers[0]!, 'SIGKILL');
            setTimeout(() => void startWorker(), 500);
          }
        }
      });
      await Promise.all(lanes);
      expect(killed).toBe(true);

      // Wait until the queue is drained and every update has its effect.
      const queue = new Queue(queueName, { connection: { url: REDIS_URL } });
      const deadline = Date.now() + 90_000;
      for (;;) {
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        const pending = Object.values(counts).reduce((a, b) => a + b, 0);
        if (pending === 0 && (await redis.hlen(effectsKey)) >= UPDATES) break;
        if (Date.now() > deadline) {
          const failedJobs = await queue.getFailed(0, 5);
          throw new Error(
            `not drained: ${JSON.stringify(counts)}, effects ${await redis.hlen(effectsKey)}, ` +
              `failed ${failedJobs.length}: ${failedJobs.map((j) => j.failedReason).join(' | ')}`,
          );
        }
        await new Promise((r) => setTimeout(r, 250));
      }
      // Give a stalled job from the killed worker time to resurface, had one been left behind.
      await new Promise((r) => setTimeout(r, 11_000));
      const failed = await queue.getJobCountByTypes('failed');
      await queue.close();

      const effects = await redis.hgetall(effectsKey);
      const calls = await redis.hgetall(callsKey);
      const lost = ids.filter((id) => !effects[id]).length;
      const unknown = Object.keys(calls).filter((id) => !ids.includes(id)).length;
      const repeatedCalls = Object.values(calls).reduce(
        (sum, n) => sum + Math.max(0, Number(n) - 1),
        0,
      );
      console.log(
        `scale-out: ${UPDATES} updates, ${sends.length} POSTs (${sends.length - UPDATES} redelivered to the other receiver), ` +
          `${non200} non-200 answers retried, 1 worker SIGKILLed and restarted → ` +
          `side effects ${Object.keys(effects).length} (lost ${lost}, duplicated 0 by the listener's idempotency key), ` +
          `listener calls ${Object.values(calls).reduce((s, n) => s + Number(n), 0)} (repeated ${repeatedCalls}: jobs the killed worker ` +
          `had finished but not yet acknowledged), unknown ${unknown}, failed jobs ${failed}`,
      );
      expect({ lost, unknown, failed, effects: Object.keys(effects).length }).toEqual({
        lost: 0,
        unknown: 0,
        failed: 0,
        effects: UPDATES,
      });
      // Redeliveries through the other receiver never cause a second call: only the jobs in flight
      // in the SIGKILLed worker (at most its concurrency, 20, of up to updatesPerJob updates
      // each) can be called again.
      expect(repeatedCalls).toBeLessThanOrEqual(20 * updatesPerJob);
    }, 240_000);
  },
);
