// P2: a 1000-status batch (~400 KB), in-process. Each batch is distinct (fresh wamids), so the
// deduplication claims 1000 new keys every time. Two methods, measured in this one process:
// - pipeline: JSON.parse + signature guard + payload pipe + delivery service + dispatch of all
//   1000 status events to a no-op listener (bench/inprocess/pipeline.mjs), no HTTP;
// - http: the whole POST route of a Nest app listening on 127.0.0.1, posted with keep-alive
//   (time to the 200, and to the last listener call);
// against the baseline: HMAC-SHA256 + timingSafeEqual + JSON.parse of the same bytes.
// BENCH_P2_PROFILE=1 measures the pipeline only (for a CPU profile) and reports the window.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Agent, request } from 'node:http';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { monotonicMicros } from '../contenders/ipc.mjs';
import { APP_SECRET, SIGNATURE_HEADER, WEBHOOK_PATH } from '../lib/constants.mjs';
import { createBenchApp } from '../lib/nest-app.mjs';
import { createFloorApp } from '../lib/floor-app.mjs';
import { signed, statusBatchBody } from '../lib/payloads.mjs';
import { median } from '../lib/stats.mjs';
import { createPipeline } from './pipeline.mjs';

const BATCH = 1000;
const profileOnly = process.env.BENCH_P2_PROFILE === '1';
const warmup = Number(process.env.BENCH_P2_WARMUP ?? 5);
const measured = Number(process.env.BENCH_P2_BATCHES ?? (profileOnly ? 25 : 25));
const BASELINE_REPEATS = 5;

const batches = Array.from({ length: warmup + measured }, () => signed(statusBatchBody(BATCH)));
const bytes = batches[0].body.length;

function baseline({ body, signature }) {
  const provided = Buffer.from(signature.slice('sha256='.length), 'hex');
  const expected = createHmac('sha256', APP_SECRET).update(body).digest();
  if (!timingSafeEqual(expected, provided)) throw new Error('baseline: bad signature');
  return JSON.parse(body.toString('utf8'));
}

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

let http;
if (!profileOnly) {
  const { app, counters } = await createBenchApp({ listen: 'status' });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address();
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const post = ({ body, signature }, toPort = port, viaAgent = agent) =>
    new Promise((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: toPort,
          path: WEBHOOK_PATH,
          method: 'POST',
          agent: viaAgent,
          headers: {
            'content-type': 'application/json',
            'content-length': body.length,
            [SIGNATURE_HEADER]: signature,
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const ackMs = [];
  const dispatchedMs = [];
  const statuses = {};
  for (let i = 0; i < batches.length; i++) {
    const target = counters.events + BATCH;
    const start = performance.now();
    const status = await post(batches[i]);
    const acked = performance.now();
    statuses[status] = (statuses[status] ?? 0) + 1;
    while (counters.events < target && status === 200) await nextTurn();
    if (i >= warmup) {
      ackMs.push(acked - start);
      dispatchedMs.push(performance.now() - start);
    }
  }
  agent.destroy();
  await app.close();
  // The bare Nest floor with the same batches over HTTP (issue 12's T2 over HTTP: the module's
  // batch to its last listener call vs the floor's answer, same platform, same process).
  const floor = await createFloorApp('express');
  await floor.app.listen(0, '127.0.0.1');
  const floorAgent = new Agent({ keepAlive: true, maxSockets: 1 });
  const floorMs = [];
  const floorStatuses = {};
  for (let i = 0; i < batches.length; i++) {
    const start = performance.now();
    const status = await post(batches[i], floor.app.getHttpServer().address().port, floorAgent);
    floorStatuses[status] = (floorStatuses[status] ?? 0) + 1;
    if (i >= warmup) floorMs.push(performance.now() - start);
  }
  floorAgent.destroy();
  await floor.app.close();
  http = {
    ackMs: median(ackMs),
    dispatchedMs: median(dispatchedMs),
    statuses,
    events: counters.events,
    floorMs: median(floorMs),
    floorStatuses,
  };
}

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
    windowStartUs,
    windowEndUs,
  },
});
