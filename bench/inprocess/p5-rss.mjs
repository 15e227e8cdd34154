// P5: RSS growth over many distinct single-message deliveries, in-process, default
// deduplication (in memory, 100,000 keys), through the real guard, pipe, delivery service and
// dispatcher (bench/inprocess/pipeline.mjs). Run with --expose-gc: every checkpoint is taken
// after two full collections, so it shows what is retained, not garbage waiting for a GC.
//
// Each body is the test kit's single-message webhook with its wamid replaced by a unique one of
// the same length, then signed (building every body with the builders would cost more than the
// delivery itself). BENCH_P5_DELIVERIES (default 1,000,000) is the goal; BENCH_P5_BUDGET_S
// (default 60; 0 = none) stops early at a checkpoint, and the result says how far it got.
//
// BENCH_P5_CONTROL=1 is the control: the same app is built (the same code loaded, the same store
// allocated) and the same bodies are made and signed, but each one only gets the baseline work
// (HMAC + timingSafeEqual + JSON.parse) instead of the module's path. What the control's RSS
// grows by is the runtime's and the harness's own (JIT code, young-generation pages touched,
// allocator arenas); the module's run minus the control's is what the module's path adds.
import { getHeapSpaceStatistics } from 'node:v8';
import { monotonicMicros } from '../contenders/ipc.mjs';
import { signed, singleMessageBody } from '../lib/payloads.mjs';
import { baselineWork, createPipeline } from './pipeline.mjs';

const goal = Number(process.env.BENCH_P5_DELIVERIES ?? 1_000_000);
const control = process.env.BENCH_P5_CONTROL === '1';
const budgetS = Number(process.env.BENCH_P5_BUDGET_S ?? 60);
const WARMUP = 1000;
const CHECKPOINT = 50_000;

if (typeof globalThis.gc !== 'function') throw new Error('p5-rss: run with --expose-gc');

const template = singleMessageBody();
const wamid = JSON.parse(template).entry[0].changes[0].value.messages[0].id;
const [head, tail] = template.split(wamid);
if (tail === undefined || template.split(wamid).length !== 2) {
  throw new Error('p5-rss: the template must contain its wamid exactly once');
}
const prefix = 'wamid.HBgLBENCH';
const width = wamid.length - prefix.length;
const bodyFor = (i) => signed(head + prefix + String(i).padStart(width, '0') + tail);

function sample(label, delivered, startedAt, dedupSize) {
  globalThis.gc();
  globalThis.gc();
  const m = process.memoryUsage();
  const space = (name) => getHeapSpaceStatistics().find((s) => s.space_name === name)?.space_size;
  const mb = (bytes) => Math.round((bytes / 2 ** 20) * 10) / 10;
  return {
    label,
    delivered,
    seconds: Math.round((performance.now() - startedAt) / 100) / 10,
    rssMB: Math.round((m.rss / 2 ** 20) * 10) / 10,
    heapUsedMB: Math.round((m.heapUsed / 2 ** 20) * 10) / 10,
    // What V8 has committed (RSS holds it even when it is free), and of it the young generation.
    heapTotalMB: mb(m.heapTotal),
    newSpaceMB: mb(space('new_space') ?? 0),
    externalMB: Math.round(((m.external + m.arrayBuffers) / 2 ** 20) * 10) / 10,
    dedupKeys: dedupSize,
  };
}

const pipeline = await createPipeline({ listen: 'message' });
const store = pipeline.dedupStore;
const dedupSize = () => (control ? null : typeof store?.size === 'number' ? store.size : null);
let controlCalls = 0;
const deliver = control
  ? async (delivery) => {
      baselineWork(delivery);
      controlCalls++;
    }
  : pipeline.deliver;

const startedAt = performance.now();
let delivered = 0;
for (; delivered < WARMUP; delivered++) await deliver(bodyFor(delivered), 1);
const samples = [sample('after warm-up', delivered, startedAt, dedupSize())];
const startUs = monotonicMicros();
let stoppedEarly = false;
while (delivered < goal) {
  const end = Math.min(goal, delivered + CHECKPOINT - (delivered % CHECKPOINT));
  for (; delivered < end; delivered++) await deliver(bodyFor(delivered), 1);
  samples.push(sample('checkpoint', delivered, startedAt, dedupSize()));
  if (budgetS > 0 && (performance.now() - startedAt) / 1000 > budgetS && delivered < goal) {
    stoppedEarly = true;
    break;
  }
}
const elapsedS = (performance.now() - startedAt) / 1000;
const events = control ? controlCalls : pipeline.counters.events;
await pipeline.app.close();

const first = samples[0];
const last = samples.at(-1);
// Steady state: the checkpoints after the one where the store first held as many keys as it
// ever will (it is bounded; its tables may still grow a little right after), or the second half
// of the run for a store that does not report its size. Slopes are least-squares fits, so one
// noisy RSS reading does not decide the projection.
const maxKeys = Math.max(...samples.map((s) => s.dedupKeys ?? 0));
const fullAt = samples.findIndex((s) => maxKeys > 0 && s.dedupKeys === maxKeys);
const steady =
  fullAt >= 0
    ? samples.slice(fullAt + 1)
    : samples.filter((s) => s.delivered >= last.delivered / 2);
const slope = (key) => {
  if (steady.length < 3) return undefined;
  const mx = steady.reduce((a, s) => a + s.delivered, 0) / steady.length;
  const my = steady.reduce((a, s) => a + s[key], 0) / steady.length;
  let num = 0;
  let den = 0;
  for (const s of steady) {
    num += (s.delivered - mx) * (s[key] - my);
    den += (s.delivered - mx) ** 2;
  }
  return den > 0 ? num / den : undefined;
};
const rssSlope = slope('rssMB');
const heapSlope = slope('heapUsedMB');
const growthMB = last.rssMB - first.rssMB;
const per100k = (v) => (v === undefined ? null : Math.round(v * 100_000 * 100) / 100);
// When the heap no longer grows (< 0.1 MB per 100k), RSS has reached its plateau and only
// wanders by a few MB with the allocator: the projection is the median steady RSS. Otherwise the
// RSS trend is extended to the goal.
const plateau = heapSlope !== undefined && Math.abs(heapSlope * 100_000) < 0.1;
const medianOf = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
let projected = null;
if (delivered >= goal) projected = growthMB;
else if (plateau) projected = medianOf(steady.map((s) => s.rssMB)) - first.rssMB;
else if (rssSlope !== undefined) projected = growthMB + Math.max(0, rssSlope) * (goal - delivered);

process.send({
  result: {
    control,
    goal,
    delivered,
    stoppedEarly,
    budgetS,
    elapsedS: Math.round(elapsedS * 10) / 10,
    microsPerDelivery: Math.round(((monotonicMicros() - startUs) / (delivered - WARMUP)) * 10) / 10,
    listenerCalls: events,
    growthMB: Math.round(growthMB * 10) / 10,
    heapGrowthMB: Math.round((last.heapUsedMB - first.heapUsedMB) * 10) / 10,
    steadyFrom: steady[0]?.delivered ?? null,
    steadyRssSlopeMBPer100k: per100k(rssSlope),
    steadyHeapSlopeMBPer100k: per100k(heapSlope),
    projection: delivered >= goal ? 'measured' : plateau ? 'plateau' : 'trend',
    projectedGrowthMB: projected === null ? null : Math.round(projected * 10) / 10,
    samples,
  },
});
