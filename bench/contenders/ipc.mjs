// The contract between the runner and a contender process (forked with an IPC channel):
// the contender sends `{ ready: port }` once listening on 127.0.0.1; the runner may then send
// `{ cmd: 'stats' }` (answered `{ stats }`), `{ cmd: 'mark' }` (answered `{ mark }`, the
// process's monotonic clock in microseconds, the clock of its CPU profile) and `{ cmd: 'stop' }`
// (the contender closes and exits 0, so that `--cpu-prof` writes its profile). Stats carry the
// process's RSS and its garbage-collection pauses (perf_hooks 'gc' entries).
import { constants as perf, PerformanceObserver } from 'node:perf_hooks';

const GC_KINDS = {
  [perf.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [perf.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [perf.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [perf.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

/** GC pauses by kind: count and total ms since start; longest ms since the previous read. */
function observeGc() {
  const totals = {};
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = GC_KINDS[entry.detail?.kind] ?? 'other';
      const t = (totals[kind] ??= { count: 0, totalMs: 0, maxMs: 0 });
      t.count++;
      t.totalMs += entry.duration;
      t.maxMs = Math.max(t.maxMs, entry.duration);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return () => {
    const snapshot = structuredClone(totals);
    for (const t of Object.values(totals)) t.maxMs = 0;
    return snapshot;
  };
}

/**
 * @param {() => Promise<{ port: number, stats: () => object | Promise<object>, close: () => Promise<void> }>} start
 */
export async function serveContender(start) {
  const gc = observeGc();
  const contender = await start();
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await contender.close();
    process.exit(0);
  };
  process.on('message', (message) => {
    if (message?.cmd === 'stats') {
      Promise.resolve(contender.stats()).then((stats) =>
        process.send({ stats: { ...stats, rssBytes: process.memoryUsage.rss(), gc: gc() } }),
      );
    } else if (message?.cmd === 'mark') {
      process.send({ mark: monotonicMicros() });
    } else if (message?.cmd === 'stop') {
      void stop();
    }
  });
  // The runner went away: do not linger.
  process.on('disconnect', () => void stop());
  process.send({ ready: contender.port });
}

/** Parses `X-Hub-Signature-256` the way both baselines do: `sha256=` + 64 hex digits. */
export function parseSignature(header) {
  if (typeof header !== 'string' || header.length !== 71 || !header.startsWith('sha256=')) {
    return undefined;
  }
  const digest = Buffer.from(header.slice(7), 'hex');
  return digest.length === 32 ? digest : undefined;
}

/** The monotonic clock of V8's CPU profiles (and of `process.hrtime`), in microseconds. */
export function monotonicMicros() {
  return Number(process.hrtime.bigint() / 1000n);
}
