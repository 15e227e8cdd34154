// Baseline A: a bare node:http handler doing only what any webhook receiver must — collect the
// raw body, HMAC-SHA256 it, compare with X-Hub-Signature-256 in constant time, JSON.parse, 200.
// BENCH_NOOP=1 skips the HMAC and the parse: the load generator's ceiling on this machine.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { APP_SECRET, SIGNATURE_HEADER, WEBHOOK_PATH } from '../lib/constants.mjs';
import { parseSignature, serveContender } from './ipc.mjs';

const noop = process.env.BENCH_NOOP === '1';
let verified = 0;

function reply(res, status) {
  res.statusCode = status;
  res.end();
}

const server = createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== WEBHOOK_PATH) return reply(res, 404);
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    if (noop) return reply(res, 200);
    const raw = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
    const provided = parseSignature(req.headers[SIGNATURE_HEADER]);
    if (!provided) return reply(res, 401);
    const expected = createHmac('sha256', APP_SECRET).update(raw).digest();
    if (!timingSafeEqual(expected, provided)) return reply(res, 401);
    try {
      JSON.parse(raw.toString('utf8'));
    } catch {
      return reply(res, 400);
    }
    verified++;
    reply(res, 200);
  });
});

await serveContender(
  () =>
    new Promise((resolve) => {
      server.listen(0, '127.0.0.1', () =>
        resolve({
          port: server.address().port,
          stats: () => ({ verified }),
          close: () => new Promise((done) => server.close(() => done())),
        }),
      );
    }),
);
