// The module in a minimal Nest app (rawBody: true, JSON limit 5mb, logger off) with one no-op
// `@OnWabaMessage()` listener, on Express or, with BENCH_PLATFORM=fastify, on Fastify. BENCH_MODE=direct (default config: direct delivery, in-memory
// deduplication) or queue (BullMQ on BENCH_REDIS_URL, queue BENCH_QUEUE_NAME, deduplication in
// Redis, processors in this process unless BENCH_PROCESSORS=0). BENCH_LISTENER_DELAY_MS > 0 makes
// the listener await that long per event.
import { createBenchApp } from '../lib/nest-app.mjs';
import { serveContender } from './ipc.mjs';

const mode = process.env.BENCH_MODE ?? 'direct';
const platform = process.env.BENCH_PLATFORM ?? 'express';
const listenerDelayMs = Number(process.env.BENCH_LISTENER_DELAY_MS ?? 0);
const moduleOptions =
  mode === 'queue'
    ? {
        delivery: {
          mode: 'queue',
          connection: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
          queueName: process.env.BENCH_QUEUE_NAME,
          processors: process.env.BENCH_PROCESSORS !== '0',
          ...(process.env.BENCH_UPDATES_PER_JOB
            ? { maxUpdatesPerJob: Number(process.env.BENCH_UPDATES_PER_JOB) }
            : {}),
        },
      }
    : {};

await serveContender(async () => {
  const { app, counters } = await createBenchApp({ platform, listenerDelayMs, moduleOptions });
  await app.listen(0, '127.0.0.1');
  return {
    port: app.getHttpServer().address().port,
    stats: () => ({ listenerCalls: counters.events }),
    close: () => app.close(),
  };
});
