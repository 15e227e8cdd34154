// `npm run bench` (after `npm run build`): measures the built package against the physical limit
// of this stack (issue 6) and writes bench/results/latest.md and latest.json. A benchmark, not a
// test: it never fails on a number. See bench/README.md for the method.
//
// Every contender runs in its own process on 127.0.0.1 (ephemeral port) and is loaded in turn
// by autocannon from this process. Knobs (environment): BENCH_DURATION_S (10), BENCH_RUNS (5),
// BENCH_CONNECTIONS (10), BENCH_POOL (200000), BENCH_REDIS_URL (redis://127.0.0.1:6379),
// BENCH_P5_DELIVERIES (1000000), BENCH_P5_BUDGET_S (60), BENCH_PROFILE=0 to skip profiling.
// Shorter BENCH_DURATION_S also shortens P3 and the profiles (for a quick smoke run).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Contender, runScript } from './lib/contender.mjs';
import { summarizeProfileFile } from './lib/profile-summary.mjs';
import { p5Growth, writeReport } from './lib/report.mjs';
import { median, percentile, round } from './lib/stats.mjs';

const started = performance.now();
const here = (path) => new URL(path, import.meta.url);
const repo = fileURLToPath(here('../'));
const int = (name, fallback) => {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value >= 0 && process.env[name] !== '' ? value : fallback;
};

const durationS = Math.max(1, int('BENCH_DURATION_S', 10));
const config = {
  durationS,
  runs: Math.max(1, int('BENCH_RUNS', 5)),
  warmupS: Math.min(3, durationS),
  connections: int('BENCH_CONNECTIONS', 10),
  poolSize: int('BENCH_POOL', 200_000),
  ceilingS: 3,
  p3DurationS: Math.min(6, durationS),
  p3BaselineDurationS: Math.min(4, durationS),
  p3ListenerDelayMs: 50,
  p5Deliveries: int('BENCH_P5_DELIVERIES', 1_000_000),
  p5BudgetS: int('BENCH_P5_BUDGET_S', 60),
  p5Runs: Math.max(1, int('BENCH_P5_RUNS', 3)),
  profile: process.env.BENCH_PROFILE !== '0',
  profileS: Math.min(10, durationS),
  redisUrl: process.env.BENCH_REDIS_URL || 'redis://127.0.0.1:6379',
};

/** `delivery.maxUpdatesPerJob` of the durable contenders T4 and T4′ measure (group commit). */
const GROUPED = 10;

const log = (message) =>
  process.stdout.write(`[bench ${Math.round((performance.now() - started) / 1000)}s] ${message}\n`);
const errors = [];
const live = new Set();

/**
 * Copies dist/ (just built) to a private directory and points every process at it, so that a
 * rebuild of dist/ during the run (tests, watch mode) cannot change or remove what is measured.
 */
function snapshotPackage() {
  const dist = `${repo}dist`;
  if (!existsSync(`${dist}/index.js`)) throw new Error('dist/ is missing: run `npm run bench`');
  const target = `${repo}node_modules/.cache/waba-bench/package`;
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  cpSync(dist, target, { recursive: true });
  // Outside the repository's package scope (node_modules/ ends it): say it is ESM.
  writeFileSync(`${target}/package.json`, '{ "type": "module" }\n');
  process.env.BENCH_PACKAGE_DIR = target;
  return target;
}

/** The Redis server's pid when it runs on this machine (its CPU is then counted), else undefined. */
let redisPid;
function localRedisPid(pid) {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'redis-server' ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** CPU time (user + system, seconds) a process has used so far; undefined off Linux. */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks
  } catch {
    return undefined;
  }
}

/**
 * Runs `fn` (a load run resolving with `{ ok }`) and adds the CPU every process of the
 * measurement spent per acknowledged request: the contender, its worker, Redis, this runner
 * (autocannon). µs of CPU per request, whatever the number of cores.
 */
async function withCpu(pids, fn) {
  const before = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuSeconds(pid)]));
  const run = await fn();
  const cpuUsPerRequest = {};
  for (const [k, pid] of Object.entries(pids)) {
    const after = cpuSeconds(pid);
    if (after !== undefined && before[k] !== undefined && run.ok > 0) {
      cpuUsPerRequest[k] = round(((after - before[k]) * 1e6) / run.ok, 0);
    }
  }
  return { ...run, cpuUsPerRequest };
}

/**
 * Redis's own count of the commands it ran (INFO commandstats): calls and µs of execution per
 * command name, summed over all clients. Scripts (BullMQ's) are `evalsha`; the commands a script
 * runs inside are counted again under their own names, so only `evalsha` and the commands sent
 * directly are added up. Undefined when Redis cannot be asked.
 */
function redisCommandStats() {
  try {
    const info = execFileSync('redis-cli', ['-u', config.redisUrl, 'INFO', 'commandstats'], {
      encoding: 'utf8',
      timeout: 3000,
    });
    const stats = {};
    for (const [, name, calls, usec] of info.matchAll(/^cmdstat_(\S+?):calls=(\d+),usec=(\d+)/gm)) {
      stats[name] = { calls: Number(calls), usec: Number(usec) };
    }
    return stats;
  } catch {
    return undefined;
  }
}

/**
 * What Redis executed per acknowledged request between two `redisCommandStats()` readings:
 * BullMQ's scripts (calls and µs of execution) and two commands only ever sent directly: the
 * done-marker check (MGET) and the worker's blocking wait (BZPOPMIN). (The done-marker's SET is
 * left out: the SETs BullMQ's scripts run inside are counted under the same name.)
 */
function redisWorkPerRequest(before, after, requests) {
  if (!before || !after || requests <= 0) return undefined;
  const delta = (name) => ({
    calls: (after[name]?.calls ?? 0) - (before[name]?.calls ?? 0),
    usec: (after[name]?.usec ?? 0) - (before[name]?.usec ?? 0),
  });
  const scripts = delta('evalsha');
  const direct = ['mget', 'bzpopmin'].map(delta);
  const per = (x) => round(x / requests, 2);
  return {
    scriptsPerRequest: per(scripts.calls),
    scriptUsPerRequest: per(scripts.usec),
    scriptUsPerCall: scripts.calls > 0 ? round(scripts.usec / scripts.calls, 1) : undefined,
    directCommandsPerRequest: per(direct.reduce((a, d) => a + d.calls, 0)),
    directCommandUsPerRequest: per(direct.reduce((a, d) => a + d.usec, 0)),
  };
}

function machineFacts() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? cpus()[0]?.model;
  const mhz = /^cpu MHz\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim();
  let redis;
  try {
    const info = execFileSync('redis-cli', ['-u', config.redisUrl, 'INFO', 'server'], {
      encoding: 'utf8',
      timeout: 3000,
    });
    redis = /redis_version:(\S+)/.exec(info)?.[1];
    redisPid = localRedisPid(Number(/process_id:(\d+)/.exec(info)?.[1]));
  } catch {
    redis = undefined;
  }
  const pkg = JSON.parse(readFileSync(`${repo}package.json`, 'utf8'));
  const version = (name) => {
    try {
      return JSON.parse(readFileSync(`${repo}node_modules/${name}/package.json`, 'utf8')).version;
    } catch {
      return undefined;
    }
  };
  return {
    cpuModel: model,
    cpuMHz: mhz ? Number(mhz) : undefined,
    cores: cpus().length,
    memoryGiB: round(totalmem() / 2 ** 30, 1),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    date: new Date().toISOString(),
    loadAverageAtStart: loadavg().map((l) => round(l, 2)),
    packageVersion: pkg.version,
    versions: {
      '@nestjs/core': version('@nestjs/core'),
      express: version('express'),
      fastify: version('fastify'),
      '@nestjs/platform-fastify': version('@nestjs/platform-fastify'),
      'class-validator': version('class-validator'),
      'class-transformer': version('class-transformer'),
      bullmq: version('bullmq'),
      ioredis: version('ioredis'),
      autocannon: version('autocannon'),
      redis,
    },
  };
}

async function redisAvailable() {
  const { Redis } = await import('ioredis');
  const redis = new Redis(config.redisUrl, {
    lazyConnect: true,
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

/** A BullMQ handle on a contender's queue, to watch its backlog and to remove it afterwards. */
async function queueHandle(queueName) {
  const [{ Queue }, { Redis }] = await Promise.all([import('bullmq'), import('ioredis')]);
  const connection = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  connection.on('error', () => undefined);
  const queue = new Queue(queueName, { connection });
  queue.on('error', () => undefined);
  return {
    async backlog() {
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      return Object.values(counts).reduce((a, b) => a + b, 0);
    },
    async failed() {
      return (await queue.getJobCounts('failed')).failed;
    },
    /** Waits (at most `capS`) until every queued job is processed; returns the seconds waited. */
    async drain(capS = 90) {
      const t = performance.now();
      while ((await this.backlog()) > 0 && performance.now() - t < capS * 1000) {
        await new Promise((r) => setTimeout(r, 200));
      }
      return (performance.now() - t) / 1000;
    },
    /** Obliterates the queue and deletes the module's keys of it (`bull:<queueName>:waba-*`: done-markers and claims). */
    async remove() {
      await queue.obliterate({ force: true });
      await queue.close();
      let cursor = '0';
      let deleted = 0;
      do {
        const [next, keys] = await connection.scan(
          cursor,
          'MATCH',
          `bull:${queueName}:waba-*`,
          'COUNT',
          1000,
        );
        cursor = next;
        if (keys.length > 0) deleted += await connection.unlink(...keys);
      } while (cursor !== '0');
      await connection.quit();
      return deleted;
    },
  };
}

const queueName = (tag) => `waba-bench-${tag}-${process.pid}-${Date.now().toString(36)}`;

async function startContender(spec, extra = {}) {
  const contender = await Contender.start(spec.id, here(spec.script), {
    env: { ...spec.env, ...extra.env },
    execArgv: extra.execArgv,
  });
  live.add(contender);
  return contender;
}

async function stopContender(contender) {
  await contender.stop();
  live.delete(contender);
}

function describeRun(run) {
  const bad = run.non2xx + run.errors + run.timeouts;
  return `${Math.round(run.rps).toLocaleString('en-US')} req/s${bad ? ` (${bad} failed: ${JSON.stringify(run.statusCodes)}, errors ${run.errors})` : ''}`;
}

const stripLatencies = ({ latencies: _latencies, ...rest }) => rest;

// ---------------------------------------------------------------------------------------------

async function measureThroughput(load, pool, withRedis) {
  const { BodyCursor, runLoad } = load;
  const specs = [
    {
      id: 'ceiling',
      label: 'load generator ceiling: no-op node:http server (drains the body, answers 200)',
      script: 'contenders/bare-http.mjs',
      env: { BENCH_NOOP: '1' },
      durationS: config.ceilingS,
    },
    { id: 'bare-http', label: 'baseline A: bare node:http', script: 'contenders/bare-http.mjs' },
    {
      id: 'bare-express',
      label: 'baseline B: bare Express 5',
      script: 'contenders/bare-express.mjs',
    },
    {
      id: 'nest-floor',
      label: 'diagnostic: bare Nest controller, same setup as the module, baseline work only',
      script: 'contenders/nest-floor.mjs',
    },
    {
      id: 'nest-shape-floor',
      label:
        "diagnostic: the Nest-shape floor, the module's route shape (two guards, body pipe, param decorator, filter, async handler) around the baseline work only",
      script: 'contenders/nest-floor.mjs',
      env: { BENCH_FLOOR_SHAPE: '1' },
    },
    {
      id: 'module-direct',
      label: 'module, default config (direct, in-memory dedup)',
      script: 'contenders/nest-module.mjs',
      env: { BENCH_MODE: 'direct' },
    },
    {
      id: 'nest-floor-fastify',
      label:
        'diagnostic: bare Nest-on-Fastify controller (raw body + HMAC, JSON parsed by the platform), no module',
      script: 'contenders/nest-floor.mjs',
      env: { BENCH_PLATFORM: 'fastify' },
    },
    {
      id: 'nest-shape-floor-fastify',
      label: 'diagnostic: the Nest-shape floor on Fastify',
      script: 'contenders/nest-floor.mjs',
      env: { BENCH_FLOOR_SHAPE: '1', BENCH_PLATFORM: 'fastify' },
    },
    {
      id: 'module-fastify',
      label: 'module on Fastify, default config (direct, in-memory dedup)',
      script: 'contenders/nest-module.mjs',
      env: { BENCH_MODE: 'direct', BENCH_PLATFORM: 'fastify' },
    },
  ];
  if (withRedis) {
    const name = queueName('p1');
    specs.push({
      id: 'module-queue',
      label: 'module, durable (BullMQ queue, dedup in Redis, processors in-process)',
      script: 'contenders/nest-module.mjs',
      env: { BENCH_MODE: 'queue', BENCH_QUEUE_NAME: name, BENCH_REDIS_URL: config.redisUrl },
      queueName: name,
    });
    // As deployed: receivers with processors off, the worker in a process of its own; with
    // group commit (T4), and with one job per update (the default, a diagnostic).
    for (const [id, updatesPerJob, label] of [
      ['module-queue-remote', GROUPED, `maxUpdatesPerJob: ${GROUPED}`],
      ['module-queue-remote-single', 1, 'one job per update (the default)'],
    ]) {
      const remote = queueName(`p1-${id}`);
      const env = { BENCH_QUEUE_NAME: remote, BENCH_REDIS_URL: config.redisUrl };
      if (updatesPerJob > 1) env.BENCH_UPDATES_PER_JOB = String(updatesPerJob);
      specs.push({
        id,
        label: `module, durable, receiver with processors: false and one worker in its own process, ${label}`,
        script: 'contenders/nest-module.mjs',
        env: { ...env, BENCH_MODE: 'queue', BENCH_PROCESSORS: '0' },
        queueName: remote,
        worker: { id: `${id}-worker`, script: 'contenders/queue-worker.mjs', env },
      });
    }
    // The same receiver with no worker running during the load (as deployed with workers on
    // other machines): its own capacity. A worker started after each run drains the backlog,
    // alone on the machine: the capacity of one worker process.
    const alone = queueName('p1-receiver');
    const aloneEnv = {
      BENCH_QUEUE_NAME: alone,
      BENCH_REDIS_URL: config.redisUrl,
      BENCH_UPDATES_PER_JOB: String(GROUPED),
    };
    specs.push({
      id: 'module-queue-receiver',
      label: `module, durable, receiver with processors: false alone during the load (a worker started after each run drains its jobs), maxUpdatesPerJob: ${GROUPED}`,
      script: 'contenders/nest-module.mjs',
      env: { ...aloneEnv, BENCH_MODE: 'queue', BENCH_PROCESSORS: '0' },
      queueName: alone,
      drainWorker: {
        id: 'module-queue-drainer',
        script: 'contenders/queue-worker.mjs',
        env: aloneEnv,
      },
    });
  }
  const entries = [];
  const workers = [];
  try {
    for (const spec of specs) {
      const worker = spec.worker ? await startContender(spec.worker) : undefined;
      if (worker) workers.push(worker);
      const contender = await startContender(spec);
      const entry = {
        spec,
        contender,
        cursor: new BodyCursor(pool),
        runs: [],
        queue: spec.queueName ? await queueHandle(spec.queueName) : undefined,
        drains: [],
        warmupOk: 0,
        worker,
      };
      entries.push(entry);
    }
    const loadOnce = async (entry, durationS) => {
      const pids = { contender: entry.contender.child.pid, runner: process.pid };
      if (entry.worker) pids.worker = entry.worker.child.pid;
      if (redisPid && entry.queue) pids.redis = redisPid;
      const commandsBefore = entry.queue ? redisCommandStats() : undefined;
      const run = await withCpu(pids, () =>
        runLoad({
          port: entry.contender.port,
          cursor: entry.cursor,
          durationS,
          connections: config.connections,
        }),
      );
      if (entry.queue) {
        const backlog = await entry.queue.backlog();
        const drainer = entry.spec.drainWorker
          ? await startContender(entry.spec.drainWorker)
          : undefined;
        const drainS = await entry.queue.drain();
        if (drainer) await stopContender(drainer);
        // Every job of this run has been processed: what Redis executed for them.
        const redisWork = redisWorkPerRequest(commandsBefore, redisCommandStats(), run.ok);
        if (redisWork) run.redisWork = redisWork;
        entry.drains.push({
          backlogAtEnd: backlog,
          drainS: round(drainS, 1),
          ...(drainer && drainS > 0 ? { drainedUpdatesPerS: round(run.ok / drainS, 0) } : {}),
        });
      }
      return run;
    };
    for (const entry of entries) {
      const run = await loadOnce(entry, Math.min(config.warmupS, entry.spec.durationS ?? Infinity));
      entry.warmupOk = run.ok;
      log(`P1 warm-up ${entry.spec.id}: ${describeRun(run)}`);
    }
    // Rounds: every contender once per round, so that drift on a shared machine hits all alike.
    for (let round_ = 1; round_ <= config.runs; round_++) {
      for (const entry of entries) {
        const run = await loadOnce(entry, entry.spec.durationS ?? config.durationS);
        entry.runs.push(stripLatencies(run));
        const drain = entry.drains.at(-1);
        log(
          `P1 round ${round_}/${config.runs} ${entry.spec.id}: ${describeRun(run)}` +
            (drain ? ` (backlog ${drain.backlogAtEnd}, drained in ${drain.drainS}s)` : ''),
        );
      }
    }
    const result = {};
    for (const entry of entries) {
      const stats = await entry.contender.stats();
      // A remote worker made the listener calls: count them there.
      if (entry.worker) stats.listenerCalls = (await entry.worker.stats()).listenerCalls;
      const acknowledged = entry.warmupOk + entry.runs.reduce((a, r) => a + r.ok, 0);
      const cpuKeys = [...new Set(entry.runs.flatMap((r) => Object.keys(r.cpuUsPerRequest ?? {})))];
      const drained = entry.drains.map((d) => d.drainedUpdatesPerS).filter(Number.isFinite);
      result[entry.spec.id] = {
        label: entry.spec.label,
        medianRps: median(entry.runs.map((r) => r.rps)),
        cpuUsPerRequest: Object.fromEntries(
          cpuKeys.map((k) => [k, median(entry.runs.map((r) => r.cpuUsPerRequest?.[k] ?? NaN))]),
        ),
        ...(drained.length > 0 ? { drainedUpdatesPerS: median(drained) } : {}),
        ...(entry.runs.some((r) => r.redisWork)
          ? {
              redisWork: Object.fromEntries(
                Object.keys(entry.runs.find((r) => r.redisWork).redisWork).map((k) => [
                  k,
                  median(entry.runs.map((r) => r.redisWork?.[k] ?? NaN)),
                ]),
              ),
            }
          : {}),
        runs: entry.runs,
        acknowledged,
        bodiesSent: entry.cursor.next,
        poolWrapped: entry.cursor.wrapped,
        contenderStats: stats,
        failedRequests: entry.runs.reduce((a, r) => a + r.non2xx + r.errors + r.timeouts, 0),
        ...(entry.queue
          ? { drains: entry.drains, failedJobs: await entry.queue.failed() }
          : undefined),
      };
    }
    // The same ratios per round (contenders of one round ran within a minute of each other).
    const perRound = (a, b) =>
      result[a] && result[b]
        ? result[a].runs.map((run, i) => round(run.rps / result[b].runs[i].rps, 3))
        : undefined;
    result.perRoundRatios = {
      'module-direct/bare-express': perRound('module-direct', 'bare-express'),
      'module-queue/module-direct': perRound('module-queue', 'module-direct'),
      'module-queue-remote/module-direct': perRound('module-queue-remote', 'module-direct'),
      'module-queue-remote-single/module-direct': perRound(
        'module-queue-remote-single',
        'module-direct',
      ),
      'module-queue-receiver/module-direct': perRound('module-queue-receiver', 'module-direct'),
      'nest-floor/bare-express': perRound('nest-floor', 'bare-express'),
      'module-direct/nest-floor': perRound('module-direct', 'nest-floor'),
      'module-fastify/bare-express': perRound('module-fastify', 'bare-express'),
      'module-fastify/module-direct': perRound('module-fastify', 'module-direct'),
      'module-fastify/nest-floor-fastify': perRound('module-fastify', 'nest-floor-fastify'),
      'nest-shape-floor/nest-floor': perRound('nest-shape-floor', 'nest-floor'),
      'module-direct/nest-shape-floor': perRound('module-direct', 'nest-shape-floor'),
      'nest-shape-floor-fastify/nest-floor-fastify': perRound(
        'nest-shape-floor-fastify',
        'nest-floor-fastify',
      ),
      'module-fastify/nest-shape-floor-fastify': perRound(
        'module-fastify',
        'nest-shape-floor-fastify',
      ),
      'nest-floor-fastify/bare-express': perRound('nest-floor-fastify', 'bare-express'),
      'bare-express/bare-http': perRound('bare-express', 'bare-http'),
      'bare-http/ceiling': perRound('bare-http', 'ceiling'),
    };
    return result;
  } finally {
    for (const worker of workers) {
      await stopContender(worker).catch((e) => errors.push(`stop ${worker.name}: ${e}`));
    }
    for (const entry of entries) {
      await stopContender(entry.contender).catch((e) => errors.push(`stop ${entry.spec.id}: ${e}`));
      if (entry.queue) {
        await entry.queue
          .remove()
          .then((n) => log(`removed queue ${entry.spec.queueName} and ${n} dedup keys`))
          .catch((e) => errors.push(`cleanup ${entry.spec.queueName}: ${e}`));
      }
    }
  }
}

/**
 * GC pauses of a contender, summed over the windows in which it was loaded (each window between
 * two `stats()` reads, which reset the contender's longest pause).
 */
class GcTally {
  kinds = {};
  seconds = 0;
  longestMs = 0;

  add(before = {}, after = {}, seconds) {
    this.seconds += seconds;
    for (const [kind, t] of Object.entries(after)) {
      const b = before[kind] ?? { count: 0, totalMs: 0 };
      const k = (this.kinds[kind] ??= { count: 0, totalMs: 0 });
      k.count += t.count - b.count;
      k.totalMs += t.totalMs - b.totalMs;
      this.longestMs = Math.max(this.longestMs, t.maxMs); // since the previous read: `before`
    }
  }

  summary() {
    const kinds = Object.fromEntries(
      Object.entries(this.kinds).map(([kind, k]) => [
        kind,
        { count: k.count, totalMs: round(k.totalMs, 1) },
      ]),
    );
    const pauseMs = Object.values(this.kinds).reduce((a, k) => a + k.totalMs, 0);
    return {
      seconds: round(this.seconds, 1),
      pauseMs: round(pauseMs, 1),
      pauseMsPerS: round(pauseMs / this.seconds, 2),
      longestMs: round(this.longestMs, 2),
      minor: kinds.minor ?? { count: 0, totalMs: 0 },
      major: kinds.major ?? { count: 0, totalMs: 0 },
      kinds,
    };
  }
}

/**
 * P3: acknowledgement latency at `rate` (50 % of the module's P1 median) of the module (with a
 * slow listener), bare Express and the Nest-shape floor, their rounds interleaved so that drift
 * on a shared machine hits all alike; then bare Express at 50 % of its own max.
 */
async function measureLatency(load, pool, maxRps, expressMax) {
  const { BodyCursor, runLoad, runPaced } = load;
  const rate = Math.max(1, Math.round(maxRps / 2));
  const latencyOf = (runs) => ({
    p50: median(runs.map((r) => percentile(r.latencies, 50))),
    p99: median(runs.map((r) => percentile(r.latencies, 99))),
    max: Math.max(...runs.map((r) => percentile(r.latencies, 100))),
  });
  const open = async (spec, rate_) => {
    const contender = await startContender(spec);
    const cursor = new BodyCursor(pool);
    const common = { port: contender.port, cursor, connections: config.connections };
    const warm = await runLoad({ ...common, overallRate: rate_, durationS: config.warmupS });
    return {
      spec,
      rate: rate_,
      contender,
      cursor,
      common,
      warm,
      gc: new GcTally(),
      runs: [],
      pacedRuns: [],
    };
  };
  // One round: autocannon at the rate, then the same rate as paced arrivals.
  const round_ = async (entry, durationS) => {
    const { contender, cursor, common } = entry;
    const before = (await contender.stats()).gc;
    const from = performance.now();
    entry.runs.push(
      await runLoad({ ...common, overallRate: entry.rate, durationS, recordLatencies: true }),
    );
    entry.pacedRuns.push(
      await runPaced({ port: contender.port, cursor, rate: entry.rate, durationS }),
    );
    entry.gc.add(before, (await contender.stats()).gc, (performance.now() - from) / 1000);
  };
  const summarize = async (entry) => {
    // Let the last listeners (50 ms each) finish before counting them.
    await new Promise((r) => setTimeout(r, 500));
    const stats = await entry.contender.stats();
    const { runs, pacedRuns } = entry;
    const summary = {
      rate: entry.rate,
      gc: entry.gc.summary(),
      autocannon: latencyOf(runs),
      autocannonHistogram: {
        p50: median(runs.map((r) => r.latencyMs.p50)),
        p99: median(runs.map((r) => r.latencyMs.p99)),
      },
      achievedRps: median(runs.map((r) => r.rps)),
      failedRequests: runs.reduce((a, r) => a + r.non2xx + r.errors + r.timeouts, 0),
      paced: {
        ...latencyOf(pacedRuns),
        achievedRps: median(pacedRuns.map((r) => r.rps)),
        errors: pacedRuns.reduce((a, r) => a + r.errors, 0),
        runs: pacedRuns.map(stripLatencies),
      },
      runs: runs.map(stripLatencies),
      contenderStats: stats,
      acknowledged: [entry.warm, ...runs, ...pacedRuns].reduce((a, r) => a + r.ok, 0),
    };
    log(
      `P3 ${entry.spec.id} at ${entry.rate} req/s (GC pauses ${round(summary.gc.pauseMsPerS, 1)} ms/s, ` +
        `${summary.gc.major.count} major, longest ${round(summary.gc.longestMs, 1)} ms): autocannon p50 ${round(summary.autocannon.p50, 2)} ms, ` +
        `p99 ${round(summary.autocannon.p99, 2)} ms; paced p50 ${round(summary.paced.p50, 2)} ms, ` +
        `p99 ${round(summary.paced.p99, 2)} ms`,
    );
    return summary;
  };
  const measure = async (specs, durationS, rate_) => {
    const entries = [];
    try {
      for (const spec of specs) entries.push(await open(spec, rate_));
      for (let i = 0; i < config.runs; i++)
        for (const entry of entries) await round_(entry, durationS);
      const summaries = [];
      for (const entry of entries) summaries.push(await summarize(entry));
      return summaries;
    } finally {
      for (const entry of entries) await stopContender(entry.contender);
    }
  };
  const [module, express, shapeFloor] = await measure(
    [
      {
        id: 'module-direct-slow-listener',
        script: 'contenders/nest-module.mjs',
        env: { BENCH_MODE: 'direct', BENCH_LISTENER_DELAY_MS: String(config.p3ListenerDelayMs) },
      },
      { id: 'bare-express', script: 'contenders/bare-express.mjs' },
      {
        id: 'nest-shape-floor',
        script: 'contenders/nest-floor.mjs',
        env: { BENCH_FLOOR_SHAPE: '1' },
      },
    ],
    config.p3DurationS,
    rate,
  );
  // The same target applied to the physical limit: Express at 50 % of its own max rate.
  const [expressHalf] = expressMax
    ? await measure(
        [{ id: 'bare-express', script: 'contenders/bare-express.mjs' }],
        config.p3BaselineDurationS,
        Math.max(1, Math.round(expressMax / 2)),
      )
    : [];
  return {
    rate,
    listenerDelayMs: config.p3ListenerDelayMs,
    module,
    express,
    shapeFloor,
    expressHalf,
  };
}

async function measureBatch() {
  log('P2: 1000-status batches, in-process');
  const result = await runScript(here('inprocess/p2-batch.mjs'));
  log(
    `P2: pipeline ${round(result.pipelineMs, 2)} ms, via HTTP ${round(result.http?.dispatchedMs, 2)} ms, ` +
      `HMAC + JSON.parse ${round(result.baselineMs, 2)} ms`,
  );
  return result;
}

/** The run whose judged growth is the median (the upper one of an even count). */
function medianRun(results) {
  const sorted = [...results].sort((a, b) => (p5Growth(a) ?? Infinity) - (p5Growth(b) ?? Infinity));
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * P5, `config.p5Runs` times, each module run followed by its control (the same process and
 * bodies with only the baseline work): RSS readings of one process wander by several MB with the
 * allocator and the collector's timing, so T5 is the median run, and every run is reported.
 */
async function measureMemory() {
  const runs = [];
  const controls = [];
  for (let r = 0; r < config.p5Runs; r++) {
    for (const control of [false, true]) {
      const what = control ? 'control (baseline work only)' : 'module';
      log(
        `P5 ${r + 1}/${config.p5Runs} ${what}: up to ${config.p5Deliveries.toLocaleString('en-US')} deliveries in-process`,
      );
      const result = await runScript(here('inprocess/p5-rss.mjs'), {
        execArgv: ['--expose-gc'],
        env: {
          BENCH_P5_DELIVERIES: String(config.p5Deliveries),
          BENCH_P5_BUDGET_S: String(config.p5BudgetS),
          BENCH_P5_CONTROL: control ? '1' : '0',
        },
      });
      log(
        `P5 ${what}: ${result.delivered.toLocaleString('en-US')} deliveries, RSS +${result.growthMB} MB ` +
          `(heap +${result.heapGrowthMB} MB)`,
      );
      (control ? controls : runs).push(result);
    }
  }
  const brief = ({ samples, ...rest }) => ({ ...rest, first: samples[0], last: samples.at(-1) });
  return {
    ...medianRun(runs),
    runs: runs.map(brief),
    control: { ...brief(medianRun(controls)), runs: controls.map(brief) },
  };
}

async function profileAll(load, pool, withRedis) {
  const { BodyCursor, runLoad } = load;
  const dir = fileURLToPath(here('results/profiles/'));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const profiles = {};
  const underLoad = async (id, env, cleanup) => {
    const file = `${id}.cpuprofile`;
    const contender = await startContender(
      { id, script: 'contenders/nest-module.mjs', env },
      { execArgv: ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-name', file] },
    );
    let run;
    let window;
    try {
      const cursor = new BodyCursor(pool);
      const common = { port: contender.port, cursor, connections: config.connections };
      await runLoad({ ...common, durationS: 2 });
      const fromUs = await contender.mark();
      run = await runLoad({ ...common, durationS: config.profileS });
      window = { fromUs, toUs: await contender.mark() };
    } finally {
      await stopContender(contender);
      await cleanup?.();
    }
    profiles[id] = {
      file: `bench/results/profiles/${file}`,
      rpsWhileProfiled: run.rps,
      ...summarizeProfileFile(`${dir}${file}`, { ...window, top: 25 }),
    };
    log(`profiled ${id} (${Math.round(run.rps)} req/s under the profiler)`);
  };
  await underLoad('module-direct', { BENCH_MODE: 'direct' });
  if (withRedis) {
    const name = queueName('profile');
    const handle = await queueHandle(name);
    await underLoad(
      'module-queue',
      { BENCH_MODE: 'queue', BENCH_QUEUE_NAME: name, BENCH_REDIS_URL: config.redisUrl },
      async () => {
        await handle.remove();
      },
    );
  }
  const file = 'p2-batch.cpuprofile';
  const batch = await runScript(here('inprocess/p2-batch.mjs'), {
    execArgv: ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-name', file],
    env: { BENCH_P2_PROFILE: '1' },
  });
  profiles['p2-batch'] = {
    file: `bench/results/profiles/${file}`,
    batchMsWhileProfiled: batch.pipelineMs,
    ...summarizeProfileFile(`${dir}${file}`, {
      fromUs: batch.windowStartUs,
      toUs: batch.windowEndUs,
      top: 25,
    }),
  };
  log('profiled the P2 batch path');
  return profiles;
}

// ---------------------------------------------------------------------------------------------

async function phase(name, fn) {
  try {
    return await fn();
  } catch (error) {
    const message = `${name}: ${error?.stack ?? error}`;
    errors.push(message);
    log(`FAILED ${message}`);
    return undefined;
  }
}

async function main() {
  const packageDir = snapshotPackage();
  log(`measuring the build in dist/ (snapshot: ${packageDir.slice(repo.length)})`);
  const machine = machineFacts();
  const [{ signedSingleMessages }, load] = await Promise.all([
    import('./lib/payloads.mjs'),
    import('./lib/load.mjs'),
  ]);
  const withRedis = await redisAvailable();
  if (!withRedis) {
    errors.push(`no Redis at ${config.redisUrl}: durable mode (P4) not measured`);
    log(errors.at(-1));
  }
  log(`signing ${config.poolSize.toLocaleString('en-US')} distinct single-message bodies`);
  const t = performance.now();
  const pool = signedSingleMessages(config.poolSize);
  const poolInfo = {
    size: pool.length,
    bodyBytes: pool[0].body.length,
    buildSeconds: round((performance.now() - t) / 1000, 1),
  };

  const p1 = await phase('P1/P4', () => measureThroughput(load, pool, withRedis));
  const maxRps = p1?.['module-direct']?.medianRps;
  const p3 = maxRps
    ? await phase('P3', () => measureLatency(load, pool, maxRps, p1?.['bare-express']?.medianRps))
    : undefined;
  const p2 = await phase('P2', () => measureBatch());
  const p5 = await phase('P5', () => measureMemory());
  const profiles = config.profile
    ? await phase('profiles', () => profileAll(load, pool, withRedis))
    : undefined;

  machine.loadAverageAtEnd = loadavg().map((l) => round(l, 2));
  const wallTimeS = round((performance.now() - started) / 1000, 0);
  const files = await writeReport(fileURLToPath(here('results/')), {
    machine,
    config,
    pool: poolInfo,
    p1,
    p2,
    p3,
    p5,
    profiles,
    errors,
    wallTimeS,
  });
  log(`wrote ${files.map((f) => f.slice(repo.length)).join(' and ')} in ${wallTimeS}s`);
  if (errors.length > 0) process.exitCode = 1;
}

const stopAll = async () => {
  for (const contender of live) await contender.stop().catch(() => undefined);
};
process.on('SIGINT', () => void stopAll().then(() => process.exit(130)));

if (process.argv.includes('--report-only')) {
  // Rewrites latest.md from latest.json (after a change to the report's wording), measuring nothing.
  const dir = fileURLToPath(here('results/'));
  const {
    table: _table,
    targets: _targets,
    ...data
  } = JSON.parse(readFileSync(`${dir}latest.json`, 'utf8'));
  await writeReport(dir, data);
  log('rewrote bench/results/latest.md and latest.json from latest.json');
} else {
  try {
    await main();
  } finally {
    await stopAll();
  }
}
