// Summarises a V8 .cpuprofile (as written by `node --cpu-prof`): self time aggregated by
// function + url, self time by package, and inclusive time of the frames that belong to the
// request path. Samples can be limited to a window of the process's monotonic clock
// (microseconds, the clock of `process.hrtime`), which is the profile's own clock.
//
// CLI: node bench/lib/profile-summary.mjs <file.cpuprofile> [top]
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const SPECIAL = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

/** Which package (or part of the runtime) a frame belongs to. */
export function categoryOf(url, functionName) {
  if (SPECIAL.has(functionName) && !url) return functionName;
  if (!url) return 'V8 builtins / native';
  if (url.startsWith('node:')) return 'node core';
  const path = url.replace(/^file:\/\//, '');
  const inModules = path.lastIndexOf('/node_modules/');
  if (inModules >= 0) {
    const rest = path.slice(inModules + '/node_modules/'.length);
    if (rest.startsWith('.cache/waba-bench/')) return 'nestjs-whatsapp-webhooks (dist)';
    const parts = rest.split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  if (path.includes('/dist/')) return 'nestjs-whatsapp-webhooks (dist)';
  if (path.includes('/bench/')) return 'bench harness';
  return 'other';
}

/** A short, stable location: the path from the package (or dist/) on, with the line. */
export function shortLocation(url, lineNumber) {
  if (!url) return '';
  let path = url.replace(/^file:\/\//, '');
  const cached = path.indexOf('/node_modules/.cache/waba-bench/package/');
  if (cached >= 0)
    path = `dist/${path.slice(cached + '/node_modules/.cache/waba-bench/package/'.length)}`;
  else {
    const inModules = path.lastIndexOf('/node_modules/');
    if (inModules >= 0) path = path.slice(inModules + '/node_modules/'.length);
    else {
      const dist = path.lastIndexOf('/dist/');
      const bench = path.lastIndexOf('/bench/');
      if (dist >= 0) path = path.slice(dist + 1);
      else if (bench >= 0) path = path.slice(bench + 1);
    }
  }
  return lineNumber >= 0 ? `${path}:${lineNumber + 1}` : path;
}

/** Categories whose frames count as the request path for the inclusive table. */
const PATH_CATEGORIES = new Set([
  'nestjs-whatsapp-webhooks (dist)',
  'class-validator',
  'class-transformer',
  '@nestjs/core',
  '@nestjs/common',
  '@nestjs/platform-express',
  'express',
  'body-parser',
  'raw-body',
  'router',
  'bullmq',
  'ioredis',
]);

/**
 * Stages of the request path whose inclusive time is reported: the time of every sample with a
 * matching frame anywhere on its stack (counted once per sample, so recursion does not inflate it).
 */
export const FOCUS = [
  {
    label: 'signature guard (WhatsAppSignatureGuard.canActivate)',
    fn: 'canActivate',
    file: '/webhook/whatsapp-signature.guard.js',
  },
  { label: 'HMAC (node crypto)', file: 'node:internal/crypto/' },
  {
    label: 'payload pipe (WabaPayloadPipe.transform)',
    fn: 'transform',
    file: '/webhook/waba-payload.pipe.js',
  },
  {
    // Any frame of the file: V8 often inlines readEnvelope into the pipe, not its shape checks.
    label: '  envelope read (envelope-fast-path.js: readEnvelope, its shape checks)',
    file: '/webhook/envelope-fast-path.js',
  },
  {
    label: '  DTO fast path: instances (DtoFastPath.toInstance)',
    fn: 'toInstance',
    file: '/validation/dto-fast-path.js',
  },
  {
    label: '  DTO fast path: validation (DtoFastPath.isValid)',
    fn: 'isValid',
    file: '/validation/dto-fast-path.js',
  },
  {
    label: '  plainToInstance (class-transformer, fallback)',
    fn: 'plainToInstance',
    file: 'class-transformer/',
  },
  {
    label: '  validateSync (class-validator, for errors)',
    fn: 'validateSync',
    file: 'class-validator/',
  },
  {
    label: 'delivery (WabaDeliveryService.accept)',
    fn: 'accept',
    file: '/delivery/waba-delivery.service.js',
  },
  { label: '  dedup keys (planChange)', fn: 'planChange', file: '/delivery/update-plan.js' },
  { label: '  dedup store claim', fn: 'claim', file: '-dedup.store.js' },
  { label: '  enqueue (WabaQueue.enqueue)', fn: 'enqueue', file: '/delivery/waba-queue.js' },
  {
    label: 'dispatcher (WabaEventDispatcher: dispatch, or a batch after the acknowledgement)',
    fn: ['dispatch', 'dispatchBatch', 'dispatchNow'],
    file: '/events/waba-event.dispatcher.js',
  },
  { label: 'queue worker job (WabaQueue.process)', fn: 'process', file: '/delivery/waba-queue.js' },
];

function matchesFocus(frame, focus) {
  if (focus.fn !== undefined) {
    const names = Array.isArray(focus.fn) ? focus.fn : [focus.fn];
    if (!names.includes(frame.functionName)) return false;
  }
  if (focus.file === '') return frame.url === '';
  return focus.file === undefined || frame.url.includes(focus.file);
}

/**
 * @param {object} profile parsed .cpuprofile
 * @param {{ fromUs?: number, toUs?: number, top?: number }} [options]
 */
export function summarizeProfile(profile, { fromUs, toUs, top = 20 } = {}) {
  const nodes = new Map();
  const parent = new Map();
  for (const node of profile.nodes) {
    nodes.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const keyOf = (node) => {
    const { functionName, url, lineNumber } = node.callFrame;
    const name = functionName || '(anonymous)';
    return `${name}\u0000${url}\u0000${lineNumber}`;
  };
  const self = new Map();
  const inclusive = new Map();
  const byCategory = new Map();
  const focused = FOCUS.map(() => 0);
  let total = 0;
  let idle = 0;
  let time = profile.startTime;
  const { samples, timeDeltas } = profile;
  for (let i = 0; i < samples.length; i++) {
    time += timeDeltas[i];
    // A sample's cost is the time until the next one.
    const cost = i + 1 < timeDeltas.length ? timeDeltas[i + 1] : 0;
    if (cost <= 0) continue;
    if (fromUs !== undefined && time < fromUs) continue;
    if (toUs !== undefined && time > toUs) continue;
    const leaf = nodes.get(samples[i]);
    if (!leaf) continue;
    total += cost;
    const frame = leaf.callFrame;
    if (frame.functionName === '(idle)') {
      idle += cost;
      continue;
    }
    const key = keyOf(leaf);
    self.set(key, (self.get(key) ?? 0) + cost);
    const category = categoryOf(frame.url, frame.functionName);
    byCategory.set(category, (byCategory.get(category) ?? 0) + cost);
    const seen = new Set();
    const hit = FOCUS.map(() => false);
    for (let id = leaf.id; id !== undefined; id = parent.get(id)) {
      const node = nodes.get(id);
      FOCUS.forEach((focus, f) => {
        if (!hit[f] && matchesFocus(node.callFrame, focus)) hit[f] = true;
      });
      const k = keyOf(node);
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + cost);
    }
    hit.forEach((h, f) => {
      if (h) focused[f] += cost;
    });
  }
  const busy = total - idle;
  const row = ([key, us]) => {
    const [name, url, line] = key.split('\u0000');
    return {
      function: name,
      location: shortLocation(url, Number(line)),
      category: categoryOf(url, name),
      ms: round(us / 1000),
      percent: round((100 * us) / Math.max(busy, 1)),
    };
  };
  const sorted = (map) => [...map.entries()].sort((a, b) => b[1] - a[1]);
  return {
    windowMs: round(total / 1000),
    busyMs: round(busy / 1000),
    idleMs: round(idle / 1000),
    topSelf: sorted(self).slice(0, top).map(row),
    byCategory: sorted(byCategory).map(([category, us]) => ({
      category,
      ms: round(us / 1000),
      percent: round((100 * us) / Math.max(busy, 1)),
    })),
    stages: FOCUS.map((focus, f) => ({
      stage: focus.label,
      ms: round(focused[f] / 1000),
      percent: round((100 * focused[f]) / Math.max(busy, 1)),
    })).filter((stage) => stage.ms > 0),
    topInclusive: sorted(inclusive)
      .map(row)
      .filter((r) => PATH_CATEGORIES.has(r.category))
      .slice(0, top),
  };
}

function round(value) {
  return Math.round(value * 10) / 10;
}

/** Reads and summarises a .cpuprofile file. */
export function summarizeProfileFile(path, options) {
  return summarizeProfile(JSON.parse(readFileSync(path, 'utf8')), options);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: node bench/lib/profile-summary.mjs <file.cpuprofile> [top]\n');
    process.exit(2);
  }
  const summary = summarizeProfileFile(file, { top: Number(top ?? 25) });
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
}
