// Diagnostic contender, not one of issue 6's four: a minimal Nest app set up exactly like the
// module's (rawBody: true, JSON limit 5mb, logger off) whose controller does only baseline
// work on the POST route — HMAC-SHA256 of req.rawBody + timingSafeEqual; the JSON is parsed by
// Nest's body parser, as for the module — and answers 200. It is the floor the framework sets
// under the module: the module's own cost is the difference. BENCH_PLATFORM=fastify: the same
// on Fastify (raw body kept by Nest's Fastify JSON parser, which parses the JSON too).
import 'reflect-metadata';
import { Controller, HttpCode, Module, Post, Req, UnauthorizedException } from '@nestjs/common';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { APP_SECRET, SIGNATURE_HEADER, WEBHOOK_PATH } from '../lib/constants.mjs';
import { createPlatformApp } from '../lib/platform-app.mjs';
import { parseSignature, serveContender } from './ipc.mjs';

let verified = 0;

class FloorController {
  receive(req) {
    const provided = parseSignature(req.headers[SIGNATURE_HEADER]);
    if (!provided || !Buffer.isBuffer(req.rawBody)) throw new UnauthorizedException();
    const expected = createHmac('sha256', APP_SECRET).update(req.rawBody).digest();
    if (!timingSafeEqual(expected, provided)) throw new UnauthorizedException();
    verified++;
  }
}
Req()(FloorController.prototype, 'receive', 0);
Reflect.decorate(
  [Post(), HttpCode(200)],
  FloorController.prototype,
  'receive',
  Object.getOwnPropertyDescriptor(FloorController.prototype, 'receive'),
);
Reflect.decorate([Controller(WEBHOOK_PATH.slice(1))], FloorController);

class FloorModule {}
Reflect.decorate([Module({ controllers: [FloorController] })], FloorModule);

await serveContender(async () => {
  const app = await createPlatformApp(FloorModule, process.env.BENCH_PLATFORM ?? 'express');
  await app.listen(0, '127.0.0.1');
  return {
    port: app.getHttpServer().address().port,
    stats: () => ({ verified }),
    close: () => app.close(),
  };
});
