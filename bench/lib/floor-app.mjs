// The bare Nest floor: a minimal Nest app set up exactly like the module's (rawBody: true, JSON
// limit 5mb, logger off) whose controller does only the baseline work on the POST route —
// HMAC-SHA256 of req.rawBody + timingSafeEqual; the JSON is parsed by the platform, as for the
// module — and answers 200. Shared by the floor contender (P1) and the P2 floor over HTTP.
//
// `shape: true` builds the Nest-shape floor instead: the same baseline work done through the
// route shape the design card fixes for the module — two guards (the HMAC in the second), a
// body pipe, a custom param decorator, an exception filter and an async handler — each doing
// nothing else. It is what Nest's own machinery for that shape costs, with none of the module's
// work: the module ÷ this floor is the module's own cost.
import 'reflect-metadata';
import {
  Body,
  Catch,
  Controller,
  createParamDecorator,
  HttpCode,
  Injectable,
  Module,
  Post,
  Req,
  UnauthorizedException,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { parseSignature } from '../contenders/ipc.mjs';
import { APP_SECRET, SIGNATURE_HEADER, WEBHOOK_PATH } from './constants.mjs';
import { createPlatformApp } from './platform-app.mjs';

/** Throws 401 unless `req` carries a valid signature of its raw body. */
function verify(req) {
  const provided = parseSignature(req.headers[SIGNATURE_HEADER]);
  if (!provided || !Buffer.isBuffer(req.rawBody)) throw new UnauthorizedException();
  const expected = createHmac('sha256', APP_SECRET).update(req.rawBody).digest();
  if (!timingSafeEqual(expected, provided)) throw new UnauthorizedException();
}

const decorateMethod = (decorators, prototype, name) =>
  Reflect.decorate(decorators, prototype, name, Object.getOwnPropertyDescriptor(prototype, name));

/** The bare floor's module: one handler doing the baseline work. */
function bareFloor(counters) {
  class FloorController {
    receive(req) {
      verify(req);
      counters.verified++;
    }
  }
  Req()(FloorController.prototype, 'receive', 0);
  decorateMethod([Post(), HttpCode(200)], FloorController.prototype, 'receive');
  return FloorController;
}

/** The Nest-shape floor's module: the module's route shape around the same work. */
function shapeFloor(counters) {
  class FirstGuard {
    canActivate() {
      return true;
    }
  }
  Reflect.decorate([Injectable()], FirstGuard);
  const verdicts = new WeakMap();
  class SignatureGuard {
    canActivate(context) {
      const req = context.switchToHttp().getRequest();
      verify(req);
      verdicts.set(req, { secretIndex: 0 });
      return true;
    }
  }
  Reflect.decorate([Injectable()], SignatureGuard);
  class BodyPipe {
    transform(value) {
      return value;
    }
  }
  Reflect.decorate([Injectable()], BodyPipe);
  class RejectionFilter extends BaseExceptionFilter {}
  Reflect.decorate([Catch()], RejectionFilter);
  const Verdict = createParamDecorator((_data, context) =>
    verdicts.get(context.switchToHttp().getRequest()),
  );
  class FloorController {
    async receive(body, verdict) {
      if (body !== undefined && verdict !== undefined) counters.verified++;
    }
  }
  Body(BodyPipe)(FloorController.prototype, 'receive', 0);
  Verdict()(FloorController.prototype, 'receive', 1);
  decorateMethod(
    [Post(), HttpCode(200), UseGuards(FirstGuard, SignatureGuard), UseFilters(RejectionFilter)],
    FloorController.prototype,
    'receive',
  );
  return FloorController;
}

/**
 * A floor app (not listening) and the number of requests it verified.
 *
 * @param {'express' | 'fastify'} [platform]
 * @param {{ shape?: boolean }} [options] `shape`: the Nest-shape floor (see the file's head)
 */
export async function createFloorApp(platform = 'express', { shape = false } = {}) {
  const counters = { verified: 0 };
  const FloorController = shape ? shapeFloor(counters) : bareFloor(counters);
  Reflect.decorate([Controller(WEBHOOK_PATH.slice(1))], FloorController);
  class FloorModule {}
  Reflect.decorate([Module({ controllers: [FloorController] })], FloorModule);
  return { app: await createPlatformApp(FloorModule, platform), counters };
}
