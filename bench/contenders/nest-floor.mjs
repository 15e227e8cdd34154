// Diagnostic contender, not one of issue 6's four: the bare Nest floor (bench/lib/floor-app.mjs),
// the framework's cost under the module: the module's own cost is the difference.
// BENCH_PLATFORM=fastify: the same on Fastify (raw body kept by Nest's Fastify JSON parser, which
// parses the JSON too). BENCH_FLOOR_SHAPE=1: the Nest-shape floor (the module's route shape —
// two guards, a body pipe, a param decorator, a filter, an async handler — around the same work).
import { createFloorApp } from '../lib/floor-app.mjs';
import { serveContender } from './ipc.mjs';

await serveContender(async () => {
  const { app, counters } = await createFloorApp(process.env.BENCH_PLATFORM ?? 'express', {
    shape: process.env.BENCH_FLOOR_SHAPE === '1',
  });
  await app.listen(0, '127.0.0.1');
  return {
    port: app.getHttpServer().address().port,
    stats: () => ({ verified: counters.verified }),
    close: () => app.close(),
  };
});
