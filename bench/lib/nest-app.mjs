// A minimal Nest application with the module (from dist/, as a user would import it) and one
// no-op listener, declared with Reflect.decorate since this is plain ESM.
import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { APP_SECRET, VERIFY_TOKEN } from './constants.mjs';
import { wabaPackage } from './package.mjs';
import { createPlatformApp } from './platform-app.mjs';

const { OnWabaMessage, OnWabaStatus, WhatsAppWebhooksModule } = wabaPackage;

/**
 * @param {object} options
 * @param {'express' | 'fastify'} [options.platform] the HTTP platform (default Express)
 * @param {'message' | 'status'} [options.listen] which events the no-op listener takes
 * @param {number} [options.listenerDelayMs] > 0: the listener awaits this long per event
 * @param {object} [options.moduleOptions] extra WhatsAppWebhooksModule.forRoot options
 * @returns {Promise<{ app: import('@nestjs/common').INestApplication, counters: { events: number } }>}
 */
export async function createBenchApp({
  platform = 'express',
  listen = 'message',
  listenerDelayMs = 0,
  moduleOptions,
} = {}) {
  const counters = { events: 0 };

  class BenchListener {
    onEvent() {
      counters.events++;
      if (listenerDelayMs > 0) return sleep(listenerDelayMs);
      return undefined;
    }
  }
  Reflect.decorate(
    [listen === 'status' ? OnWabaStatus() : OnWabaMessage()],
    BenchListener.prototype,
    'onEvent',
    Object.getOwnPropertyDescriptor(BenchListener.prototype, 'onEvent'),
  );
  Reflect.decorate([Injectable()], BenchListener);

  class BenchAppModule {}
  Reflect.decorate(
    [
      Module({
        imports: [
          WhatsAppWebhooksModule.forRoot({
            appSecret: APP_SECRET,
            verifyToken: VERIFY_TOKEN,
            ...moduleOptions,
          }),
        ],
        providers: [BenchListener],
      }),
    ],
    BenchAppModule,
  );

  return { app: await createPlatformApp(BenchAppModule, platform), counters };
}
