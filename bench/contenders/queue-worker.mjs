// A queue worker as deployed: the module in queue mode with processors on, in its own process,
// without an HTTP server (`app.init()` only), with the same no-op `@OnWabaMessage()` listener.
// It serves the durable contender whose receivers run with `processors: false`
// (BENCH_PROCESSORS=0). BENCH_QUEUE_NAME and BENCH_REDIS_URL as for nest-module.mjs.
import { createBenchApp } from '../lib/nest-app.mjs';
import { serveContender } from './ipc.mjs';

await serveContender(async () => {
  const { app, counters } = await createBenchApp({
    moduleOptions: {
      delivery: {
        mode: 'queue',
        connection: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
        queueName: process.env.BENCH_QUEUE_NAME,
        processors: true,
        ...(process.env.BENCH_UPDATES_PER_JOB
          ? { maxUpdatesPerJob: Number(process.env.BENCH_UPDATES_PER_JOB) }
          : {}),
      },
    },
  });
  await app.init();
  return {
    port: 0, // no HTTP: the runner never loads this process
    stats: () => ({ listenerCalls: counters.events }),
    close: () => app.close(),
  };
});
