// Writes bench/results/latest.json (everything measured) and latest.md (the table, the method,
// the misses with their profile evidence, and the profile summaries).
import { mkdirSync, writeFileSync } from 'node:fs';
import { round } from './stats.mjs';

const medianOf = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
/** The contenders of P1's result (it also holds `perRoundRatios`). */
const contenders = (p1) => Object.entries(p1).filter(([, c]) => Array.isArray(c?.runs));
const int = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '—');
const ms = (n, d = 2) => (Number.isFinite(n) ? `${round(n, d)} ms` : '—');
const times = (n) => (Number.isFinite(n) ? `${round(n, 2)} ×` : '—');
const mark = (met) => (met === undefined ? '—' : met ? '✅ yes' : '❌ no');

/**
 * The rows of a Nest floor `F` (against bare Express `B`) and of the module `M` against it; none
 * when the floor was not measured.
 */
function floorRows(M, F, B, { id, floor, floorName, module }) {
  if (!F) return [];
  return [
    {
      id: `${id}-floor`,
      metric: `P1 — diagnostic: ${floor}`,
      value: `${int(F.medianRps)} req/s`,
      valueNumber: F.medianRps,
      baseline: B ? `${int(B.medianRps)} req/s (Express)` : undefined,
      ratio: B ? F.medianRps / B.medianRps : undefined,
    },
    {
      id: `${id}-vs-floor`,
      metric: `P1 — ${module}`,
      value: `${int(M.medianRps)} req/s`,
      baseline: `${int(F.medianRps)} req/s (${floorName})`,
      ratio: M.medianRps / F.medianRps,
    },
  ];
}

/**
 * A row of issue 12's targets: `value` ÷ `base` against `goal` (`atLeast` or at most), with by
 * how much it was missed.
 */
function targetRow({ id, metric, value, baseline, ratio, goal, atLeast = true, proposed = false }) {
  if (!Number.isFinite(ratio)) return undefined;
  const met = atLeast ? ratio >= goal : ratio <= goal;
  const need = atLeast ? goal / ratio : ratio / goal;
  return {
    id,
    metric,
    value,
    valueNumber: ratio,
    baseline,
    ratio,
    target: `${proposed ? '(proposed) ' : ''}${atLeast ? '≥' : '≤'} ${goal} ×`,
    met,
    proposed,
    missBy: met
      ? undefined
      : `${times(ratio)} instead of ${atLeast ? '≥' : '≤'} ${goal} × (${atLeast ? `needs ${times(need)} its throughput` : `${times(need)} too slow`})`,
  };
}

/** T5's judged growth of a P5 run: measured, or projected when the time budget stopped it. */
export const p5Growth = (run) => (run.delivered >= run.goal ? run.growthMB : run.projectedGrowthMB);
const signedMB = (mb) => `${mb < 0 ? '−' : '+'}${Math.abs(round(mb, 1))} MB`;
/** The judged growth of P5's control (median run), or `null` without one. */
const controlGrowth = (p5) => (p5.control ? (p5Growth(p5.control) ?? null) : null);
/** Each run's judged growth, in order: "+8.8 MB, +11.1 MB, …". */
const growths = (runs) => runs.map((r) => signedMB(p5Growth(r))).join(', ');

/** The rows of issue 12's targets T1–T5 (and the proposed T1 against the Nest-shape floor). */
export function targetRows({ p1, p2, p3, p5 }) {
  const rows = [];
  const rps = (c) => `${int(c.medianRps)} req/s`;
  const M = p1?.['module-direct'];
  const MF = p1?.['module-fastify'];
  const versus = (id, module, floor, platform, goal, floorName, proposed = false) => {
    if (!module || !floor) return;
    rows.push(
      targetRow({
        id,
        metric: `${id} small signed message, req/s: the module ÷ ${floorName}, ${platform}`,
        value: rps(module),
        baseline: `${rps(floor)} (${floorName})`,
        ratio: module.medianRps / floor.medianRps,
        goal,
        proposed,
      }),
    );
  };
  versus('T1', M, p1?.['nest-floor'], 'Express', 0.92, 'bare Nest floor');
  versus('T1-fastify', MF, p1?.['nest-floor-fastify'], 'Fastify', 0.85, 'bare Nest floor');
  versus('T1′', M, p1?.['nest-shape-floor'], 'Express', 0.85, 'Nest-shape floor', true);
  versus(
    'T1′-fastify',
    MF,
    p1?.['nest-shape-floor-fastify'],
    'Fastify',
    0.85,
    'Nest-shape floor',
    true,
  );
  if (p2) {
    rows.push(
      targetRow({
        id: 'T2',
        metric: `T2 1000-status batch (${int(p2.batchBytes / 1024)} KB), in-process: guard + pipe + delivery + dispatch ÷ HMAC + JSON.parse`,
        value: ms(p2.pipelineMs),
        baseline: `${ms(p2.baselineMs)} (HMAC + JSON.parse)`,
        ratio: p2.pipelineMs / p2.baselineMs,
        goal: 1.6,
        atLeast: false,
      }),
    );
    for (const [id, http, platform] of [
      ['T2-http', p2.http, 'Express'],
      ['T2-http-fastify', p2.httpFastify, 'Fastify'],
    ]) {
      if (!http?.floorMs) continue;
      rows.push(
        targetRow({
          id,
          metric: `${id} the same batch over HTTP, batches/s: the module (to its last listener call) ÷ the bare Nest floor (to its 200), ${platform}`,
          value: ms(http.dispatchedMs),
          baseline: `${ms(http.floorMs)} (Nest floor)`,
          ratio: http.floorMs / http.dispatchedMs,
          goal: 0.6,
        }),
      );
    }
  }
  if (p3) {
    rows.push(
      targetRow({
        id: 'T3',
        metric: `T3 ack latency p99 at ${int(p3.rate)} req/s (50 % of the module's max), paced arrivals: the module ÷ bare Express at the same rate`,
        value: ms(p3.module.paced.p99),
        baseline: `${ms(p3.express.paced.p99)} (Express)`,
        ratio: p3.module.paced.p99 / p3.express.paced.p99,
        goal: 1.2,
        atLeast: false,
      }),
    );
    if (p3.shapeFloor) {
      rows.push(
        targetRow({
          id: 'T3′',
          metric: `T3′ ack latency p99 at ${int(p3.rate)} req/s, paced arrivals: the module ÷ the Nest-shape floor at the same rate`,
          value: ms(p3.module.paced.p99),
          baseline: `${ms(p3.shapeFloor.paced.p99)} (Nest-shape floor)`,
          ratio: p3.module.paced.p99 / p3.shapeFloor.paced.p99,
          goal: 1.2,
          atLeast: false,
          proposed: true,
        }),
      );
    }
  }
  const R = p1?.['module-queue-remote'];
  if (R && M) {
    rows.push(
      targetRow({
        id: 'T4',
        metric:
          'T4 durable mode as deployed (receiver with processors: false, one worker in its own process, group commit: maxUpdatesPerJob: 10) ÷ direct mode, req/s',
        value: rps(R),
        baseline: `${rps(M)} (direct)`,
        ratio: R.medianRps / M.medianRps,
        goal: 0.7,
      }),
    );
  }
  const RA = p1?.['module-queue-receiver'];
  if (RA && M) {
    rows.push(
      targetRow({
        id: 'T4′',
        metric:
          'T4′ durable receiver (processors: false, maxUpdatesPerJob: 10) with no worker on its cores during the load ÷ direct mode, req/s',
        value: `${rps(RA)}${RA.drainedUpdatesPerS ? `; one worker alone drains ${int(RA.drainedUpdatesPerS)} updates/s` : ''}`,
        baseline: `${rps(M)} (direct)`,
        ratio: RA.medianRps / M.medianRps,
        goal: 0.7,
        proposed: true,
      }),
    );
  }
  if (p5) {
    const full = p5.delivered >= p5.goal;
    const judged = p5Growth(p5);
    const met = judged === null ? undefined : judged <= 30;
    const of = p5.runs?.length > 1 ? `, median of ${p5.runs.length} runs` : '';
    const control = controlGrowth(p5);
    rows.push({
      id: 'T5',
      metric: full
        ? `T5 RSS growth over ${int(p5.delivered)} distinct deliveries (in-process, default dedup${of})`
        : `T5 RSS growth over ${int(p5.delivered)} distinct deliveries (time budget ${p5.budgetS} s${of}), projected to ${int(p5.goal)}`,
      value: full
        ? `+${round(p5.growthMB, 1)} MB`
        : `+${round(p5.growthMB, 1)} MB (→ ${judged === null ? '?' : `+${round(judged, 1)}`} MB)`,
      valueNumber: judged,
      baseline:
        `heap ${signedMB(p5.heapGrowthMB)}` +
        (control === null
          ? ''
          : `; control (same process and bodies, baseline work only) ${signedMB(control)}`),
      target: '≤ 30 MB',
      met,
      missBy:
        met === false
          ? `+${round(judged, 1)} MB instead of ≤ 30 MB (+${round(judged - 30, 1)} MB)`
          : undefined,
    });
  }
  return rows.filter(Boolean);
}

/** The rows of every other measurement (issue 6's table, now without targets). */
export function measurementRows({ p1, p2, p3, p5 }) {
  const rows = [];
  const A = p1?.['bare-http'];
  const B = p1?.['bare-express'];
  const M = p1?.['module-direct'];
  const Q = p1?.['module-queue'];
  if (A) {
    rows.push({
      id: 'P1-A',
      metric: 'P1 req/s — baseline A: bare node:http (HMAC + JSON.parse)',
      value: `${int(A.medianRps)} req/s`,
      valueNumber: A.medianRps,
    });
  }
  if (B) {
    rows.push({
      id: 'P1-B',
      metric: 'P1 req/s — baseline B: bare Express 5 (same work)',
      value: `${int(B.medianRps)} req/s`,
      valueNumber: B.medianRps,
      baseline: A ? `${int(A.medianRps)} req/s (node:http)` : undefined,
      ratio: A ? B.medianRps / A.medianRps : undefined,
    });
  }
  if (M) {
    const ratio = B ? M.medianRps / B.medianRps : undefined;
    rows.push({
      id: 'P1',
      metric: 'P1 req/s — the module, default config, no-op listener (signed ~1 KB message)',
      value: `${int(M.medianRps)} req/s`,
      valueNumber: M.medianRps,
      baseline: B ? `${int(B.medianRps)} req/s (Express)` : undefined,
      ratio,
    });
    rows.push(
      ...floorRows(M, p1?.['nest-floor'], B, {
        id: 'P1',
        floor: 'bare Nest controller, same app setup, baseline work only (the framework floor)',
        floorName: 'Nest floor',
        module: "the module vs that Nest floor (the module's own cost)",
      }),
      ...floorRows(M, p1?.['nest-shape-floor'], B, {
        id: 'P1-shape',
        floor:
          "the Nest-shape floor: the module's route shape (two guards, body pipe, param decorator, filter, async handler) around the baseline work only",
        floorName: 'Nest-shape floor',
        module: 'the module vs the Nest-shape floor',
      }),
    );
    const MF = p1?.['module-fastify'];
    if (MF) {
      rows.push({
        id: 'P1-fastify',
        metric: 'P1 — the module on Fastify, default config (same bodies)',
        value: `${int(MF.medianRps)} req/s`,
        valueNumber: MF.medianRps,
        baseline: B ? `${int(B.medianRps)} req/s (Express)` : undefined,
        ratio: B ? MF.medianRps / B.medianRps : undefined,
      });
      rows.push({
        id: 'P1-fastify-vs-express',
        metric: 'P1 — the module on Fastify vs the module on Express',
        value: `${int(MF.medianRps)} req/s`,
        baseline: `${int(M.medianRps)} req/s (module on Express)`,
        ratio: MF.medianRps / M.medianRps,
      });
      rows.push(
        ...floorRows(MF, p1?.['nest-floor-fastify'], B, {
          id: 'P1-fastify',
          floor: 'bare Nest-on-Fastify controller, baseline work only (its floor)',
          floorName: 'Nest-on-Fastify floor',
          module: 'the module on Fastify vs that floor',
        }),
        ...floorRows(MF, p1?.['nest-shape-floor-fastify'], B, {
          id: 'P1-fastify-shape',
          floor: 'the Nest-shape floor on Fastify',
          floorName: 'Nest-shape floor on Fastify',
          module: 'the module on Fastify vs the Nest-shape floor on Fastify',
        }),
      );
    }
    if (A) {
      rows.push({
        id: 'P1-vs-A',
        metric: 'P1 — the module vs bare node:http',
        value: `${int(M.medianRps)} req/s`,
        baseline: `${int(A.medianRps)} req/s (node:http)`,
        ratio: M.medianRps / A.medianRps,
      });
    }
  }
  if (p2) {
    const ratio = p2.pipelineMs / p2.baselineMs;
    rows.push({
      id: 'P2',
      metric: `P2 1000-status batch (${int(p2.batchBytes / 1024)} KB): verify + validate + dispatch, in-process`,
      value: ms(p2.pipelineMs),
      valueNumber: p2.pipelineMs,
      baseline: `${ms(p2.baselineMs)} (HMAC + JSON.parse)`,
      ratio,
    });
    if (p2.http) {
      rows.push({
        id: 'P2-http',
        metric:
          'P2 — same batch through the whole HTTP route (loopback, keep-alive, to the last listener call)',
        value: ms(p2.http.dispatchedMs),
        baseline: `${ms(p2.baselineMs)} (HMAC + JSON.parse)`,
        ratio: p2.http.dispatchedMs / p2.baselineMs,
      });
    }
  }
  if (p3) {
    const label = `at ${int(p3.rate)} req/s (50 % of P1's module max), listener ${p3.listenerDelayMs} ms/event`;
    rows.push({
      id: 'P3-p50',
      metric: `P3 ack latency p50 — ${label}, autocannon overallRate`,
      value: ms(p3.module.autocannon.p50),
      valueNumber: p3.module.autocannon.p50,
      baseline: `${ms(p3.express.autocannon.p50)} (Express, same rate)`,
    });
    const p99 = p3.module.autocannon.p99;
    rows.push({
      id: 'P3',
      metric: `P3 ack latency p99 — ${label}, autocannon overallRate`,
      value: ms(p99),
      valueNumber: p99,
      baseline: `${ms(p3.express.autocannon.p99)} (Express, same rate)`,
      ratio: p99 / p3.express.autocannon.p99,
    });
    rows.push({
      id: 'P3-paced',
      metric: 'P3 ack latency p50 / p99 — same rate, paced open-loop arrivals (see method)',
      value: `${ms(p3.module.paced.p50)} / ${ms(p3.module.paced.p99)}`,
      valueNumber: p3.module.paced.p99,
      baseline: `${ms(p3.express.paced.p50)} / ${ms(p3.express.paced.p99)} (Express)`,
    });
    if (p3.shapeFloor) {
      rows.push({
        id: 'P3-shape',
        metric:
          'P3 — diagnostic: the Nest-shape floor at the same rate (rounds interleaved with the module and Express), p50 / p99 paced',
        value: `${ms(p3.shapeFloor.paced.p50)} / ${ms(p3.shapeFloor.paced.p99)}`,
        valueNumber: p3.shapeFloor.paced.p99,
        baseline: `${ms(p3.express.paced.p50)} / ${ms(p3.express.paced.p99)} (Express)`,
        ratio: p3.shapeFloor.paced.p99 / p3.express.paced.p99,
      });
    }
    const half = p3.expressHalf;
    if (half) {
      rows.push({
        id: 'P3-limit',
        metric: `P3 — the same target applied to bare Express at 50 % of its own max (${int(half.rate)} req/s): p99 autocannon / paced`,
        value: `${ms(half.autocannon.p99)} / ${ms(half.paced.p99)}`,
        valueNumber: half.paced.p99,
        baseline: 'the physical limit',
      });
    }
  }
  if (Q && M) {
    const ratio = Q.medianRps / M.medianRps;
    rows.push({
      id: 'P4',
      metric: 'P4 req/s — durable mode (BullMQ + dedup in Redis, processors in-process)',
      value: `${int(Q.medianRps)} req/s`,
      valueNumber: Q.medianRps,
      baseline: `${int(M.medianRps)} req/s (direct)`,
      ratio,
    });
  }
  // P5 is T5 (issue 12 kept its measurement): it is in the targets' table; here are its runs.
  if (p5?.runs?.length > 1) {
    rows.push({
      id: 'P5-runs',
      metric:
        'P5 RSS growth per run (each module run followed by its control: the same process and bodies, baseline work only)',
      value: `module ${growths(p5.runs)}`,
      baseline: p5.control?.runs ? `control ${growths(p5.control.runs)}` : undefined,
    });
  }
  return rows;
}

function table(rows, { targets = true } = {}) {
  const lines = targets
    ? [
        '| Metric | Value | Baseline (same run) | Ratio | Target | Met? |',
        '| --- | --- | --- | --- | --- | --- |',
      ]
    : ['| Metric | Value | Baseline (same run) | Ratio |', '| --- | --- | --- | --- |'];
  for (const r of rows) {
    const ratio = r.ratio === undefined ? '—' : times(r.ratio);
    const cells = [r.metric, r.value, r.baseline ?? '—', ratio];
    if (targets) cells.push(r.target ?? '—', mark(r.met));
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

const stageOf = (profile, prefix) =>
  profile?.stages?.find((s) => s.stage.trim().startsWith(prefix));
const categoryShare = (profile, names) =>
  round(
    (profile?.byCategory ?? [])
      .filter((c) => names.includes(c.category))
      .reduce((a, c) => a + c.percent, 0),
    1,
  );
const pct = (n) => (Number.isFinite(n) ? `${round(n, 1)} %` : '—');

/** Why each missed target was missed, from the profiles of the same run. */
function explanations(rows, { p1, p2, p3, p5, profiles, machine }) {
  const out = [];
  const direct = profiles?.['module-direct'];
  const batch = profiles?.['p2-batch'];
  const queue = profiles?.['module-queue'];
  const validation = (p) => {
    const pipe = stageOf(p, 'payload pipe');
    const instances = stageOf(p, 'DTO fast path: instances');
    const valid = stageOf(p, 'DTO fast path: validation');
    const validate = stageOf(p, 'validateSync');
    const plain = stageOf(p, 'plainToInstance');
    const shape = stageOf(p, 'envelope read');
    return (
      `the payload pipe takes ${pct(pipe?.percent)} of the busy CPU ` +
      `(DTO fast path: instances ${pct(instances?.percent)}, validation ${pct(valid?.percent)}; ` +
      `class-transformer \`plainToInstance\` ${pct(plain?.percent ?? 0)} and class-validator ` +
      `\`validateSync\` ${pct(validate?.percent ?? 0)}, which run only for values the fast path ` +
      `does not pass; the envelope read, \`envelope-fast-path.js\`, ${pct(shape?.percent ?? 0)} ` +
      `where V8 did not inline it into the pipe)`
    );
  };
  /** µs of one core per request more for `a` than for `b`. */
  const extraUs = (a, b) => int(1e6 / p1?.[a]?.medianRps - 1e6 / p1?.[b]?.medianRps);
  const t5 = rows.find((r) => r.id === 'T5');
  if (t5?.met && p5 && t5.valueNumber > 27) {
    out.push(
      `**T5** — met, but close to the line (${t5.value} for ≤ 30 MB; RSS readings wander by several MB between runs). Heap +${p5.heapGrowthMB} MB, flat once the store is full.`,
    );
  }
  for (const row of rows.filter((r) => r.met === false)) {
    const lines = [`**${row.id}** — ${row.missBy ?? 'missed'}.`];
    const spread = {
      T1: 'module-direct/nest-floor',
      'T1-fastify': 'module-fastify/nest-floor-fastify',
      'T1′': 'module-direct/nest-shape-floor',
      'T1′-fastify': 'module-fastify/nest-shape-floor-fastify',
    }[row.id];
    const rounds = spread && p1?.perRoundRatios?.[spread];
    if (rounds?.length > 1) {
      lines.push(
        `Per round (contenders of one round ran within a minute of each other): ${rounds.map(times).join(', ')}.`,
      );
    }
    if (row.id === 'T1′' || row.id === 'T1′-fastify') {
      lines.push(`Where the time goes: see ${row.id === 'T1′' ? 'T1' : 'T1-fastify'}.`);
    }
    if (row.id === 'T1' && direct) {
      lines.push(
        `Profile \`module-direct\` (${int(direct.rpsWhileProfiled)} req/s under the profiler): ${validation(direct)}. ` +
          `Nest + Express + body-parser self time: ${pct(categoryShare(direct, ['@nestjs/core', '@nestjs/common', '@nestjs/platform-express', 'express', 'router', 'body-parser', 'raw-body', 'type-is', 'iconv-lite', 'content-type', 'qs']))}; ` +
          `GC ${pct(categoryShare(direct, ['(garbage collector)']))}; ` +
          `dispatch ${pct(stageOf(direct, 'dispatcher')?.percent)}, delivery/dedup ${pct(stageOf(direct, 'delivery')?.percent)}, ` +
          `signature guard ${pct(stageOf(direct, 'signature guard')?.percent)} (HMAC ${pct(stageOf(direct, 'HMAC')?.percent)}, which the floor pays too). ` +
          `Per request the module spends ${extraUs('module-direct', 'nest-floor')} µs of one core more than the bare floor` +
          (p1?.['nest-shape-floor']
            ? `, of which ${extraUs('nest-shape-floor', 'nest-floor')} µs are Nest's own machinery for the route shape the design card fixes (the Nest-shape floor: ${times(p1['nest-shape-floor'].medianRps / p1['nest-floor'].medianRps)} of the bare floor) and ${extraUs('module-direct', 'nest-shape-floor')} µs the module's own work (guard, pipe, delivery, dispatch).`
            : '.'),
      );
    }
    if (row.id === 'T1-fastify' && p1?.['module-fastify']) {
      const shape = p1['nest-shape-floor-fastify'];
      const floor = p1['nest-floor-fastify'];
      lines.push(
        `Per request the module on Fastify spends ${extraUs('module-fastify', 'nest-floor-fastify')} µs of one core more than the bare Nest-on-Fastify floor (${int(1e6 / floor?.medianRps)} µs per request)` +
          (shape
            ? `; the Nest-shape floor alone reaches ${times(shape.medianRps / floor.medianRps)} of the bare floor (${extraUs('nest-shape-floor-fastify', 'nest-floor-fastify')} µs for two guards, a pipe, a param decorator, a filter and an async handler doing nothing), so with that shape${shape.medianRps / floor.medianRps < 0.85 ? ' T1 on Fastify is out of reach before the module does any work' : ` T1 on Fastify leaves ${int(1e6 / (0.85 * floor.medianRps) - 1e6 / shape.medianRps)} µs per request for the module's own work`}; the module's own work costs ${extraUs('module-fastify', 'nest-shape-floor-fastify')} µs.`
            : '.'),
      );
    }
    if (row.id === 'T2' && batch) {
      lines.push(
        `Profile \`p2-batch\` (${ms(batch.batchMsWhileProfiled)} per batch under the profiler): ${validation(batch)}; ` +
          `delivery/dedup ${pct(stageOf(batch, 'delivery')?.percent)} (planChange ${pct(stageOf(batch, 'dedup keys')?.percent)}, store claim ${pct(stageOf(batch, 'dedup store claim')?.percent)}), ` +
          `dispatch ${pct(stageOf(batch, 'dispatcher')?.percent)}, JSON.parse ${pct(categoryShare(batch, ['bench harness']))} (inlined into the harness's \`deliver\`), ` +
          `HMAC ${pct(stageOf(batch, 'HMAC')?.percent)}, GC ${pct(categoryShare(batch, ['(garbage collector)']))}. ` +
          `Per status: ${ms(p2.pipelineMs / p2.updatesPerBatch, 4)} vs ${ms(p2.baselineMs / p2.updatesPerBatch, 4)} for HMAC + JSON.parse; ≤ 1.6 × leaves ${ms((1.6 * p2.baselineMs - p2.baselineMs) / p2.updatesPerBatch, 4)} per status for the module's work, which takes ${ms((p2.pipelineMs - p2.baselineMs) / p2.updatesPerBatch, 4)}.`,
      );
    }
    if (row.id === 'T3' && p3) {
      lines.push(
        `Module p50 ${ms(p3.module.paced.p50)}, p99 ${ms(p3.module.paced.p99)}, max ${ms(p3.module.paced.max)}; bare Express at the same rate p50 ${ms(p3.express.paced.p50)}, p99 ${ms(p3.express.paced.p99)}, max ${ms(p3.express.paced.max)} (autocannon's per-connection bursts: module p99 ${ms(p3.module.autocannon.p99)}, Express ${ms(p3.express.autocannon.p99)}). ` +
          `The listener's ${p3.listenerDelayMs} ms run after the acknowledgement (listener calls ${int(p3.module.contenderStats?.listenerCalls)} for ${int(p3.module.acknowledged)} acknowledged) and are not in this latency; the per-request CPU cost of T1 is, so what shortens T1 shortens this.` +
          (p3.shapeFloor
            ? ` The Nest-shape floor (the baseline work only, through the route shape the design card fixes), loaded at the same rate in the same interleaved rounds, has p50 ${ms(p3.shapeFloor.paced.p50)} and p99 ${ms(p3.shapeFloor.paced.p99)}: ${times(p3.shapeFloor.paced.p99 / p3.express.paced.p99)} of Express's p99 before the module does any work (T3′ compares the module with it).`
            : '') +
          gcEvidence(p3),
      );
    }
    if (row.id === 'T3′') lines.push('Where the time goes: see T3.');
    if (row.id === 'T4') {
      const single = p1?.['module-queue-remote-single'];
      const direct = p1?.['module-direct'];
      lines.push(
        (single && direct
          ? `With one job per update (the default, \`maxUpdatesPerJob: 1\`), the same deployment made ${int(single.medianRps)} req/s, ${times(single.medianRps / direct.medianRps)} direct mode. `
          : '') +
          cpuAccounting(p1, machine) +
          (queue
            ? ` Profile \`module-queue\` (processors in-process, ${int(queue.rpsWhileProfiled)} req/s under the profiler): bullmq + ioredis self time ${pct(categoryShare(queue, ['bullmq', 'ioredis', 'msgpackr', 'cron-parser', 'redis-errors', 'redis-parser', 'standard-as-callback', 'denque', 'cluster-key-slot']))}; enqueue ${pct(stageOf(queue, 'enqueue')?.percent)}, worker jobs ${pct(stageOf(queue, 'queue worker')?.percent)}, payload pipe ${pct(stageOf(queue, 'payload pipe')?.percent)}, GC ${pct(categoryShare(queue, ['(garbage collector)']))}.`
            : '') +
          ` A cheaper validation shortens both modes by the same µs, which lowers this ratio: T4 is met only by cutting the queue's own cost.`,
      );
    }
    if (row.id === 'T5' && p5) {
      const first = p5.samples[0];
      const last = p5.samples.at(-1);
      const rest = (x) => round(x.rssMB - x.heapTotalMB - x.externalMB, 1);
      const heapTotal =
        first?.heapTotalMB !== undefined
          ? ` Where the RSS went, first → last reading: V8's committed heap ${first.heapTotalMB} → ${last.heapTotalMB} MB (of it the young generation ${first.newSpaceMB} → ${last.newSpaceMB} MB, committed but resident only once allocation has walked through it), external memory (the dedup store's typed arrays, buffers) ${first.externalMB} → ${last.externalMB} MB, the rest (native memory outside V8's heap: allocator arenas, code, the pages of committed heap first touched) ${rest(first)} → ${rest(last)} MB.`
          : '';
      const control = controlGrowth(p5);
      const controlLine =
        control === null
          ? ''
          : ` Its control (the same process, app and bodies, each given only the baseline work) grew ${signedMB(control)} over the same deliveries (control runs: ${growths(p5.control.runs)}): that much of the growth is the runtime's and the harness's own, and the module's path adds ${signedMB(p5Growth(p5) - control)}.`;
      lines.push(
        `Heap in use +${p5.heapGrowthMB} MB with ${int(last?.dedupKeys)} dedup keys held; ` +
          `once the store is full (from ${int(p5.steadyFrom)} deliveries) the least-squares slope is ${p5.steadyRssSlopeMBPer100k ?? '—'} MB of RSS and ${p5.steadyHeapSlopeMBPer100k ?? '—'} MB of heap per 100k deliveries.` +
          heapTotal +
          controlLine,
      );
    }
    out.push(lines.join(' '));
  }
  return out;
}

/**
 * T4's floor from the CPU every process spent per request (medians of the rounds): with the
 * worker, Redis and autocannon on the same cores, the durable contender cannot exceed
 * cores ÷ (their sum), whatever the receiver does.
 */
function cpuAccounting(p1, machine) {
  const R = p1?.['module-queue-remote']?.cpuUsPerRequest;
  const M = p1?.['module-direct'];
  const A = p1?.['module-queue-receiver']?.cpuUsPerRequest;
  if (!R?.contender || !R.worker || !M?.cpuUsPerRequest?.contender) return '';
  const cores = machine?.cores ?? 2;
  const total = (R.contender ?? 0) + (R.worker ?? 0) + (R.redis ?? 0) + (R.runner ?? 0);
  const bound = (cores * 1e6) / total;
  const budget = (cores * 1e6) / (0.7 * M.medianRps);
  const others = (R.worker ?? 0) + (R.redis ?? 0) + (R.runner ?? 0);
  return (
    `CPU per acknowledged request in that run (µs, medians of the rounds): receiver ${int(R.contender)}, worker ${int(R.worker)}, Redis ${R.redis === undefined ? '—' : int(R.redis)}, autocannon ${int(R.runner)}: ${int(total)} µs in all, so ${cores} cores cannot carry more than ${int(bound)} req/s of it. ` +
    `Direct mode: ${int(M.cpuUsPerRequest.contender)} µs in the receiver (its one JavaScript thread is the bound) and ${int(M.cpuUsPerRequest.runner)} µs in autocannon. ` +
    `0.7 × direct (${int(0.7 * M.medianRps)} req/s) would leave ${int(budget)} µs per request for every process on the ${cores} cores; the worker, Redis and autocannon alone take ${int(others)}` +
    (others + (M.cpuUsPerRequest.contender ?? 0) > budget
      ? `, which with even the direct receiver's ${int(M.cpuUsPerRequest.contender)} µs is over that budget: with the worker on the receiver's cores, T4 is out of reach on this machine before the receiver enqueues anything.`
      : '.') +
    (A?.contender
      ? ` The receiver alone (T4′, no worker on its cores) spends ${int(A.contender)} µs of CPU per request and Redis ${A.redis === undefined ? '—' : int(A.redis)}.`
      : '') +
    redisWorkEvidence(p1?.['module-queue-remote']?.redisWork, R.redis)
  );
}

/**
 * What Redis itself says it executed per job (INFO commandstats): BullMQ's scripts are most of
 * Redis's CPU, and at least two of them (the add and the completion) run for every job.
 */
function redisWorkEvidence(work, redisCpuUs) {
  if (!work?.scriptsPerRequest) return '';
  const floor = 2 * (work.scriptUsPerCall ?? 0);
  return (
    ` Redis's own count of what it executed per acknowledged request (INFO commandstats, medians of the rounds): ${work.scriptsPerRequest} BullMQ script calls (the add, the worker's fetch when it was idle, the completion) at ${work.scriptUsPerCall} µs each, ${int(work.scriptUsPerRequest)} µs of script execution, and ${work.directCommandsPerRequest} other commands (the done-marker check, the worker's blocking wait) for ${work.directCommandUsPerRequest} µs` +
    (redisCpuUs
      ? `, of the ${int(redisCpuUs)} µs of CPU Redis spent per request (the rest is its socket I/O and protocol parsing)`
      : '') +
    `. Every job needs at least the add and the completion script: ${int(floor)} µs of Redis execution per job before any I/O, which group commit shares among the updates queued together.`
  );
}

/** What the garbage collector did during the P3 runs, module vs Express, and the physical limit. */
function gcEvidence(p3) {
  const g = (s) => s?.gc;
  const describe = (gc) =>
    `${ms(gc.pauseMsPerS)} of GC pauses per second (${int(gc.minor.count)} scavenges, ${int(gc.major.count)} mark-compacts, longest pause ${ms(gc.longestMs)})`;
  const parts = [];
  if (g(p3.module) && g(p3.express)) {
    parts.push(
      ` GC during the measured runs: the module ${describe(p3.module.gc)}, Express at the same rate ${describe(p3.express.gc)}${g(p3.shapeFloor) ? `, the Nest-shape floor ${describe(p3.shapeFloor.gc)}` : ''}: ` +
        `at the same request rate the module collects its young generation ${times(p3.module.gc.minor.count / p3.module.gc.seconds / (p3.express.gc.minor.count / p3.express.gc.seconds))} as often (more garbage per request: DTO instances, events, dedup keys, and Nest's guard/pipe/handler promises), and every pause delays each request that arrives meanwhile.`,
    );
  }
  const half = p3.expressHalf;
  if (half) {
    parts.push(
      ` The target applied to the physical limit: bare Express loaded at 50 % of its own max (${int(half.rate)} req/s) has p99 ${ms(half.autocannon.p99)} (autocannon) and ${ms(half.paced.p99)} (paced)${half.paced.p99 > 5 || half.autocannon.p99 > 5 ? ': on this machine, with the load generator on the same 2 cores, no contender meets p99 ≤ 5 ms at half its capacity' : ''}.`,
    );
  }
  return parts.join('');
}

function profileSection(name, profile) {
  const lines = [`### ${name}`, ''];
  const what =
    profile.rpsWhileProfiled !== undefined
      ? `${int(profile.rpsWhileProfiled)} req/s under the profiler`
      : `${ms(profile.batchMsWhileProfiled)} per batch under the profiler`;
  lines.push(
    `Window ${ms(profile.windowMs, 0)} (busy ${ms(profile.busyMs, 0)}, idle ${ms(profile.idleMs, 0)}); ${what}. ` +
      `Percentages are of busy (non-idle) CPU. Full profile: \`${profile.file}\` (not committed).`,
    '',
    '**Top self time (function, location):**',
    '',
    '| # | Function | Location | Package | Self ms | % busy |',
    '| --- | --- | --- | --- | --- | --- |',
  );
  profile.topSelf.slice(0, 20).forEach((r, i) => {
    lines.push(
      `| ${i + 1} | \`${r.function}\` | ${r.location ? `\`${r.location}\`` : ''} | ${r.category} | ${r.ms} | ${r.percent} |`,
    );
  });
  lines.push(
    '',
    '**Self time by package:**',
    '',
    '| Package | Self ms | % busy |',
    '| --- | --- | --- |',
  );
  for (const c of profile.byCategory.slice(0, 14)) {
    lines.push(`| ${c.category} | ${c.ms} | ${c.percent} |`);
  }
  if (profile.stages?.length) {
    lines.push(
      '',
      '**Inclusive time of the request path stages** (samples with the stage anywhere on the stack):',
      '',
      '| Stage | Inclusive ms | % busy |',
      '| --- | --- | --- |',
    );
    for (const s of profile.stages) {
      lines.push(`| ${s.stage.replace(/^ {2}/, '↳ ')} | ${s.ms} | ${s.percent} |`);
    }
  }
  return lines.join('\n');
}

function markdown(data, targets, rows) {
  const { machine, config, pool, p1, p2, p3, p5, profiles, errors, wallTimeS } = data;
  const ceiling = p1?.ceiling;
  const bound = Math.max(...(p1?.perRoundRatios?.['bare-http/ceiling'] ?? [0]));
  const ceilingBound = bound >= 0.8 ? times(bound) : undefined;
  const L = [];
  L.push(
    '# Benchmark results (issues 6 and 12)',
    '',
    `Written by \`npm run bench\` on ${machine.date} in ${wallTimeS} s. Numbers are medians of ${config.runs} runs; every ratio compares measurements taken in this same run.`,
    '',
    '## Machine',
    '',
    `- CPU: ${machine.cpuModel}${machine.cpuMHz ? ` (${round(machine.cpuMHz, 0)} MHz)` : ''}, ${machine.cores} cores; ${machine.memoryGiB} GiB RAM; ${machine.platform}`,
    `- Node ${machine.node}; @nestjs/core ${machine.versions['@nestjs/core']}, express ${machine.versions.express}, class-validator ${machine.versions['class-validator']}, class-transformer ${machine.versions['class-transformer']}, bullmq ${machine.versions.bullmq}, ioredis ${machine.versions.ioredis}, Redis ${machine.versions.redis ?? '—'}, autocannon ${machine.versions.autocannon}`,
    `- Load average (1/5/15 min) at start ${machine.loadAverageAtStart.join(' / ')}, at end ${machine.loadAverageAtEnd.join(' / ')} — on a shared machine other processes compete for the 2 cores; the ratios are the numbers to read.`,
    `- Load generator ceiling (autocannon against a no-op node:http server that only drains the body, once per round): ${ceiling ? `${ceiling.runs.map((r) => int(r.rps)).join(', ')} req/s` : '—'}${ceilingBound ? ` — baseline A reached ${ceilingBound} of it in a round, so baseline A is bounded by the load generator: its figure is a lower bound, and ratios against it flatter the others` : ''}.`,
    '',
    '## Targets (issue 12)',
    '',
    table(targets),
    '',
    "Rows marked (proposed) are the closest honest targets this report proposes where the issue's cannot be met on this stack or machine, with the evidence below: T1′ measures the module against a floor that already has the route shape the design card fixes (controller → two guards → pipe → handler); T3′ measures the acknowledgement latency against that same floor at the same rate; T4′ measures the durable receiver as deployed with its workers elsewhere, and how fast one worker drains.",
    '',
    '## Other measurements',
    '',
    table(rows, { targets: false }),
    '',
  );
  const missed = explanations(targets, data);
  if (missed.length > 0) {
    L.push(
      '## Targets missed (or close): by how much, and why',
      '',
      ...missed.map((m) => `- ${m}`),
      '',
    );
  }
  L.push(
    '## Method',
    '',
    `- **Contenders**, each in its own process on 127.0.0.1 (ephemeral port), all started first and loaded in rounds (each contender once per round, ${config.runs} rounds of ${config.durationS} s after a ${config.warmupS} s warm-up each) by autocannon ${machine.versions.autocannon} from the runner process, ${config.connections} connections, no pipelining: baseline A, bare \`node:http\` (collect the raw body, HMAC-SHA256, \`timingSafeEqual\` on \`X-Hub-Signature-256\`, \`JSON.parse\`, 200); baseline B, bare Express 5 doing the same (\`express.raw\`); the module in a minimal Nest app (\`rawBody: true\`, JSON limit 5mb, logger off, default options, one no-op \`@OnWabaMessage()\` listener); the module in durable mode (\`delivery: { mode: 'queue', connection: '${config.redisUrl}', queueName: <unique> }\`, dedup in Redis, processors in the same process, no-op listener). The runner obliterates the queue and deletes its \`bull:<queueName>:waba-*\` keys (done-markers and claims) afterwards. Every process loads the build of \`dist/\` made by \`npm run bench\` (a snapshot of it, so a concurrent rebuild cannot interfere).`,
    `- **Distinct bodies**: the module drops redelivered updates, so posting one body would measure the duplicate path. ${int(pool.size)} distinct signed single-message bodies (${pool.bodyBytes} B each; a text with accents, an emoji and links, built with the package's test kit \`textMessageWebhook\`, serialised with \`serializeLikeMeta\` and signed once each with \`signWebhookBody\`, in ${pool.buildSeconds} s) are fed by autocannon's \`setupRequest\` from one cursor per contender shared by all its connections, so no body is sent twice to a contender unless the pool wraps (the baselines, which keep no state, may wrap; see latest.json \`poolWrapped\`). The baselines get the same bodies. Responses other than 200 are counted and reported.`,
    `- **P1**: 2xx responses ÷ duration. **P4**: the durable contender's P1 ÷ the direct one's. After each durable run the runner waits until the queue is drained (backlog at the end and drain time in latest.json), so its processors never run into another contender's measurement; Redis's \`INFO commandstats\` read before the run and after the drain gives what Redis executed for that run's jobs (BullMQ's script calls and their µs of execution; latest.json \`redisWork\`).`,
    `- **P2**: one process, ${p2?.measured ?? '—'} distinct 1000-status batches (after ${p2?.warmup ?? '—'} warm-up batches), each ${p2 ? int(p2.batchBytes) : '—'} B (statuses \`sent\` with pricing, conversation and \`biz_opaque_callback_data\`). *Pipeline*: the real \`WhatsAppSignatureGuard\`, \`WabaPayloadPipe\` and \`WabaDeliveryService\` instances of a Nest app built from the package (internal classes, imported from their files in the build), called in the order of the POST route after \`JSON.parse\`, until the no-op \`@OnWabaStatus()\` listener has received all 1000 events. *HTTP*: the same app listening on 127.0.0.1, posted with a keep-alive agent from the same process, to the last listener call. *Floor (T2 over HTTP)*: the bare Nest floor app (\`bench/lib/floor-app.mjs\`, Express) posted the same batches the same way, to its 200. *Baseline*: HMAC-SHA256 + \`timingSafeEqual\` + \`JSON.parse\` of the same bytes in the same process (median of 5 per batch).`,
    `- **P3**: a fresh module contender whose listener awaits ${p3?.listenerDelayMs ?? 50} ms per event, loaded at 50 % of P1's module median (${p3 ? int(p3.rate) : '—'} req/s) with autocannon \`overallRate\`, ${config.runs} × ${config.p3DurationS} s after a warm-up; every 2xx latency is recorded with sub-millisecond precision from autocannon's \`response\` events (autocannon's own histogram has 1 ms resolution: p50 ${p3 ? ms(p3.module.autocannonHistogram.p50, 0) : '—'}, p99 ${p3 ? ms(p3.module.autocannonHistogram.p99, 0) : '—'}). autocannon's rate limit is a per-connection quota per second (connections fire back-to-back, then wait for the next second), so a second measurement sends the same rate as steady open-loop arrivals (keep-alive \`node:http\` agent, latency counted from the moment each request was due, so it includes up to ~1 ms of the pacer's own timer granularity) for ${config.p3DurationS} s after each autocannon run. Baselines: bare Express and the Nest-shape floor at the same rate, same two methods and durations, their rounds interleaved with the module's (module, Express, floor, module, …), and bare Express at 50 % of its own P1 median (${config.p3BaselineDurationS} s runs; the target applied to the physical limit). Every contender reports its GC pauses (perf_hooks \`gc\` entries) over the measured runs.`,
    `- **P5**: ${config.p5Runs ?? 1} run(s), each one process with \`--expose-gc\` followed by its control (the same process, app and bodies, each delivery given only the baseline work: HMAC + \`timingSafeEqual\` + \`JSON.parse\`); T5 is the run with the median growth, every run is in the table above. Each runs the same pipeline as P2 with single-message deliveries (the test kit's message with its wamid replaced by a unique one of the same length, signed), default dedup (in memory, 100,000 keys). RSS after two full GCs at 1,000 deliveries and every 50,000; growth = last − first. When the time budget (${config.p5BudgetS} s) stops it before ${int(config.p5Deliveries)} deliveries, the growth is projected from the checkpoints after the dedup store filled (it is bounded): if the heap is flat there (least-squares slope < 0.1 MB per 100k), RSS has plateaued and the projection is the median of those RSS readings minus the first; otherwise their RSS trend is extended (projection used: ${p5?.projection ?? '—'}). Listener calls counted: ${p5 ? int(p5.listenerCalls) : '—'} of ${p5 ? int(p5.delivered) : '—'} deliveries.`,
    `- **Profiles**: the module contender run again with \`node --cpu-prof\` (direct${profiles?.['module-queue'] ? ' and durable' : ''}), ${config.profileS} s of load after a 2 s warm-up, and the P2 pipeline with \`--cpu-prof\`; samples are cut to the load window (the contender reports its monotonic clock, the profile's own) and aggregated by \`bench/lib/profile-summary.mjs\`.`,
    '',
  );
  if (p1) {
    L.push(
      '## Throughput runs (req/s)',
      '',
      '| Contender | Runs (round 1, 2, …) | Median | Non-2xx / errors | Listener calls / acknowledged |',
      '| --- | --- | --- | --- | --- |',
    );
    for (const [id, c] of contenders(p1)) {
      const calls = c.contenderStats?.listenerCalls;
      L.push(
        `| ${id}: ${c.label} | ${c.runs.map((r) => int(r.rps)).join(', ')} | ${int(c.medianRps)} | ${c.failedRequests} | ${calls === undefined ? `— (verified ${int(c.contenderStats?.verified)})` : `${int(calls)} / ${int(c.acknowledged)}`} |`,
      );
    }
    L.push(
      '',
      'Listener calls exceed the acknowledged count by the requests still in flight when autocannon stopped counting (at most one per connection per run); every request carried a distinct update, and each reached the listener exactly once.',
      '',
      '| Ratio per round | Round 1, 2, … | Median of the rounds |',
      '| --- | --- | --- |',
    );
    for (const [name, ratios] of Object.entries(p1.perRoundRatios ?? {})) {
      if (ratios)
        L.push(`| ${name} | ${ratios.map(times).join(', ')} | ${times(medianOf(ratios))} |`);
    }
    L.push('');
  }
  if (profiles) {
    L.push('## Profile', '');
    for (const [name, profile] of Object.entries(profiles))
      L.push(profileSection(name, profile), '');
  }
  if (errors.length > 0) {
    L.push('## Errors', '', ...errors.map((e) => `- \`${e.split('\n')[0]}\``), '');
  }
  return L.join('\n');
}

/** Formats like `prettier --write` would, so that the repository's format check passes. */
async function prettierFormat(text, filepath) {
  try {
    const prettier = await import('prettier');
    const options = (await prettier.resolveConfig(filepath)) ?? {};
    return await prettier.format(text, { ...options, filepath });
  } catch {
    return text;
  }
}

/** Writes latest.json and latest.md into `dir`; returns their paths. */
export async function writeReport(dir, data) {
  mkdirSync(dir, { recursive: true });
  const targets = targetRows(data);
  const rows = measurementRows(data);
  const json = {
    ...data,
    targets: targets.map(({ id, metric, value, ratio, target, met, missBy }) => ({
      id,
      metric,
      value,
      ratio,
      target,
      met,
      missBy,
    })),
    table: rows.map(({ id, metric, value, valueNumber, ratio }) => ({
      id,
      metric,
      value,
      valueNumber,
      ratio,
    })),
  };
  const jsonPath = `${dir}latest.json`;
  const mdPath = `${dir}latest.md`;
  writeFileSync(jsonPath, await prettierFormat(`${JSON.stringify(json, null, 2)}\n`, jsonPath));
  writeFileSync(mdPath, await prettierFormat(`${markdown(data, targets, rows)}\n`, mdPath));
  return [mdPath, jsonPath];
}
