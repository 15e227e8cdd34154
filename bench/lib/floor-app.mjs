// The bare Nest floor: a minimal Nest app set up exactly like the module's (rawBody: true, JSON
// limit 5mb, logger off) whose controller does only the baseline work on the POST route —
// HMAC-SHA256 of req.rawBody + timingSafeEqual; the JSON is parsed by the platform, as for the
// module — and answers 200. Shared by the floor contender (P1) and the P2 floor over HTTP.
import 'reflect-metadata';
import { Controller, HttpCode, Module, Post, Req, UnauthorizedException } from '@nestjs/common';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { parseSignature } from '../contenders/ipc.mjs';
import { APP_SECRET, SIGNATURE_HEADER, WEBHOOK_PATH } from './constants.mjs';
import { createPlatformApp } from './platform-app.mjs';

/** A floor app (not listening) and the number of requests it verified. */
export async function createFloorApp(platform = 'express') {
  const counters = { verified: 0 };
  class FloorController {
    receive(req) {
      const provided = parseSignature(req.headers[SIGNATURE_HEADER]);
      if (!provided || !Buffer.isBuffer(req.rawBody)) throw new UnauthorizedException();
      const expected = createHmac('sha256', APP_SECRET).update(req.rawBody).digest();
      if (!timingSafeEqual(expected, provided)) throw new UnauthorizedException();
      counters.verified++;
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
  return { app: await createPlatformApp(FloorModule, platform), counters };
}
