// Baseline B: a bare Express 5 handler doing exactly what baseline A does (raw body via
// express.raw, HMAC-SHA256 + timingSafeEqual, JSON.parse, 200). Express comes with
// @nestjs/platform-express.
import express from 'express';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { APP_SECRET, SIGNATURE_HEADER, WEBHOOK_PATH } from '../lib/constants.mjs';
import { parseSignature, serveContender } from './ipc.mjs';

let verified = 0;
const app = express();

app.post(WEBHOOK_PATH, express.raw({ type: 'application/json', limit: '5mb' }), (req, res) => {
  const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  const provided = parseSignature(req.headers[SIGNATURE_HEADER]);
  if (!provided) return res.status(401).end();
  const expected = createHmac('sha256', APP_SECRET).update(raw).digest();
  if (!timingSafeEqual(expected, provided)) return res.status(401).end();
  try {
    JSON.parse(raw.toString('utf8'));
  } catch {
    return res.status(400).end();
  }
  verified++;
  res.status(200).end();
});

await serveContender(
  () =>
    new Promise((resolve) => {
      const server = app.listen(0, '127.0.0.1', () =>
        resolve({
          port: server.address().port,
          stats: () => ({ verified }),
          close: () => new Promise((done) => server.close(() => done())),
        }),
      );
    }),
);
