// P2: a 1000-status batch (~400 KB), in-process. Each batch is distinct (fresh wamids), so the
// deduplication claims 1000 new keys every time. Two methods, measured in this one process:
// - pipeline: JSON.parse + signature guard + payload pipe + delivery service + dispatch of all
//   1000 status events to a no-op listener (bench/inprocess/pipeline.mjs), no HTTP;
// - http: the whole POST route of a Nest app listening on 127.0.0.1, posted with keep-alive
//   (time to the 200, and to the last listener call), against the bare Nest floor of the same
//   platform (to its 200), on Express (`http`) and on Fastify (`httpFastify`);
// against the baseline: HMAC-SHA256 + timingSafeEqual + JSON.parse of the same bytes.
// BENCH_P2_PROFILE=1 measures the pipeline only (for a CPU profile) and reports the window.
import { Agent } from 'node:http';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { monotonicMicros } from '../contenders/ipc.mjs';
import { createBenchApp } from '../lib/nest-app.mjs';
import { createFloorApp } from '../lib/floor-app.mjs';
import { postSigned } from '../lib/load.mjs';
import { signed, statusBatchBody } from '../lib/payloads.mjs';
import { median } from '../lib/stats.mjs';
import { baselineWork as baseline, createPipeline } from './pipeline.mjs';

const BATCH = 1000;
const profileOnly = process.env.BENCH_P2_PROFILE === '1';
const warmup = Number(process.env.BENCH_P2_WARMUP ?? 5);
const measured = Number(process.env.BENCH_P2_BATCHES ?? (profileOnly ? 25 : 25));
const BASELINE_REPEATS = 5;

const batches = Array.from({ length: warmup + measured }, () => signed(statusBatchBody(BATCH)));
const bytes = batches[0].body.length;

function time(fn) {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

async function timeAsync(fn) {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

const pipeline = await createPipeline({ listen: 'status' });
const baselineMs = [];
const pipelineMs = [];
let windowStartUs = 0;
for (let i = 0; i < batches.length; i++) {
  if (i === warmup) windowStartUs = monotonicMicros();
  const b = batches[i];
  const base = [];
  if (!profileOnly) for (let r = 0; r < BASELINE_REPEATS; r++) base.push(time(() => baseline(b)));
  const ms = await timeAsync(() => pipeline.deliver(b, BATCH));
  if (i >= warmup) {
    pipelineMs.push(ms);
    if (!profileOnly) baselineMs.push(median(base));
  }
}
const windowEndUs = monotonicMicros();
const pipelineEvents = pipeline.counters.events;
await pipeline.app.close();

/** POSTs one signed batch to 127.0.0.1:`port` over `agent`; resolves with the status. */
const post = (signed, port, agent) =>
  new Promise((resolve, reject) => postSigned(signed, { port, agent }, resolve, reject));

/**
 * Every batch posted to `app` (listening) over one keep-alive connection; `settled(status)`
 * resolves when the batch's work is done (the 200 for the floor, the last listener call for the
 * module). Medians over the measured batches of the time to the answer and to `settled`.
 */
async function postAll(app, settled) {
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address();
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const ackMs = [];
  const doneMs = [];
  const statuses = {};
  for (let i = 0; i < batches.length; i++) {
    const start = performance.now();
    const waitFor = settled.before();
    const status = await post(batches[i], port, agent);
    const acked = performance.now();
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (status === 200) await waitFor();
    if (i >= warmup) {
      ackMs.push(acked - start);
      doneMs.push(performance.now() - start);
    }
  }
  agent.destroy();
  await app.close();
  return { ackMs: median(ackMs), doneMs: median(doneMs), statuses };
}

/**
 * Issue 12's T2 over HTTP on `platform`: the module's batch to its last listener call vs the bare
 * Nest floor's answer, same platform, same process, same batches.
 */
async function overHttp(platform) {
  const { app, counters } = await createBenchApp({ listen: 'status', platform });
  const module = await postAll(app, {
    before: () => {
      const target = counters.events + BATCH;
      return async () => {
        while (counters.events < target) await nextTurn();
      };
    },
  });
  const floor = await createFloorApp(platform);
  const bare = await postAll(floor.app, { before: () => async () => undefined });
  return {
    ackMs: module.ackMs,
    dispatchedMs: module.doneMs,
    statuses: module.statuses,
    events: counters.events,
    floorMs: bare.doneMs,
    floorStatuses: bare.statuses,
  };
}

const http = profileOnly ? undefined : await overHttp('express');
const httpFastify = profileOnly ? undefined : await overHttp('fastify');

process.send({
  result: {
    batchBytes: bytes,
    updatesPerBatch: BATCH,
    warmup,
    measured,
    baselineMs: profileOnly ? undefined : median(baselineMs),
    pipelineMs: median(pipelineMs),
    pipelineEvents,
    http,
    httpFastify,
    windowStartUs,
    windowEndUs,
  },
});
