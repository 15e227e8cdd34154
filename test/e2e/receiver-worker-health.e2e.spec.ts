import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWorker } from '../../src/receiver/create-receiver.js';
import { JsonLogger } from '../../src/receiver/json-logger.js';
import { readReceiverConfig } from '../../src/receiver/receiver-config.js';
import { WorkerHealthServer } from '../../src/receiver/worker-health.server.js';
import {
  isWorkerStarted,
  type Running,
  startReceiver,
  stopReceiver,
} from '../fixtures/receiver-process.js';
import { freePort, obliterateQueues, REDIS_URL, requireRedis } from '../fixtures/redis.js';

const QUEUE = `worker-health-${randomUUID()}`;
const worker = (env: Record<string, string>) =>
  startReceiver({
    WHATSAPP_ROLE: 'worker',
    WHATSAPP_APP_SECRET: 'worker-health-secret',
    WHATSAPP_VERIFY_TOKEN: 't',
    WHATSAPP_QUEUE_NAME: QUEUE,
    NODE_ENV: 'production',
    ...env,
  });

/** The `/health` URL a worker logged at startup. */
async function healthUrl(running: Running): Promise<string> {
  return String((await running.waitForLine(isWorkerStarted))['health']);
}

/** Whether a TCP connection to `url`'s port is refused. */
async function refused(url: string): Promise<boolean> {
  return fetch(url).then(
    () => false,
    (error: { cause?: { code?: string } }) => error.cause?.code === 'ECONNREFUSED',
  );
}

// Spawned processes start slowly while other suites load both cores: generous timeouts.
describe('receiver worker role: GET /health on HEALTH_PORT', { timeout: 60_000 }, () => {
  let redis = false;
  let running: Running | undefined;
  beforeAll(async () => {
    redis = await requireRedis('receiver worker health');
  });
  afterEach(async () => {
    await stopReceiver(running);
    running = undefined;
  });
  afterAll(async () => {
    if (redis) await obliterateQueues([QUEUE]);
  });

  it('answers 200 with the queue health while Redis answers, 404 elsewhere, and stops on SIGTERM', async ({
    skip,
  }) => {
    if (!redis) skip();
    running = worker({ REDIS_URL });
    const url = await healthUrl(running);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/health$/);

    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({
      status: 'up',
      mode: 'queue',
      redis: 'up',
      queueDepth: 0,
      failed: 0,
    });
    expect((await fetch(`${url}?probe=liveness`)).status).toBe(200);

    const origin = new URL(url).origin;
    for (const [method, path] of [
      ['GET', '/'],
      ['GET', '/metrics'],
      ['GET', '/webhooks/whatsapp'],
      ['POST', '/health'],
    ] as const) {
      expect((await fetch(`${origin}${path}`, { method })).status, `${method} ${path}`).toBe(404);
    }

    await stopReceiver(running);
    expect(await refused(url)).toBe(true);
  });

  it('starts with its Redis unreachable and answers 503 with the reason', async () => {
    // A free port with nothing listening: every connection is refused.
    running = worker({ REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
    const url = await healthUrl(running);

    const res = await fetch(url);
    expect(res.status).toBe(503);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 'down', mode: 'queue', redis: 'down' });
    expect(body['message']).toEqual(expect.any(String));
    expect(body['message']).not.toBe('');
  });

  it('exits 1 naming HEALTH_PORT when that port is taken', async () => {
    const port = await freePort();
    const taken = await new Promise<Server>((resolve) => {
      const server = createServer().listen(port, '127.0.0.1', () => resolve(server));
    });
    try {
      running = worker({
        REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
        HEALTH_PORT: String(port),
      });
      const code = await new Promise<number | null>((r) => running!.child.once('exit', r));
      expect(code).toBe(1);
      const error = running.lines.find((l) => l['level'] === 'error');
      expect(error?.['msg']).toBe(
        `HEALTH_PORT: cannot listen on 127.0.0.1:${port} (EADDRINUSE); set HEALTH_PORT to a free port, or 0 for any.`,
      );
      expect(running.lines.some(isWorkerStarted)).toBe(false);
    } finally {
      await new Promise((r) => taken.close(r));
    }
  });

  it('closes its health server with the application (createWorker, app.close())', async ({
    skip,
  }) => {
    if (!redis) skip();
    const config = readReceiverConfig({
      WHATSAPP_ROLE: 'worker',
      WHATSAPP_APP_SECRET: 's',
      WHATSAPP_VERIFY_TOKEN: 't',
      WHATSAPP_QUEUE_NAME: QUEUE,
      REDIS_URL,
      HEALTH_PORT: '0',
      HOST: '127.0.0.1',
    });
    const app = await createWorker(config, new JsonLogger('error'));
    const url = app.get(WorkerHealthServer).url!;
    try {
      // The probe's connection stays open (keep-alive): closing must not wait for it.
      expect((await fetch(url)).status).toBe(200);
    } finally {
      await app.close();
    }
    expect(await refused(url)).toBe(true);
  });
});
