import { ConsoleLogger, type INestApplication, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { ReceiverConfig } from './receiver-config.js';
import { ReceiverModule } from './receiver.module.js';

/**
 * Creates the receiver application, not yet listening: raw body kept for the signature, JSON
 * limit raised above Meta's 3 MB maximum, structured JSON logs, shutdown hooks on.
 */
export async function createReceiver(
  config: ReceiverConfig,
  logger = new ConsoleLogger({ json: true, colors: false }),
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ReceiverModule.forRoot(config), {
    rawBody: true,
    logger,
  });
  app.useBodyParser('json', { limit: config.bodyLimit });
  app.enableShutdownHooks();
  return app;
}

/** A worker-only instance: the module's queue worker and the listeners, no HTTP server. */
export async function createWorker(
  config: ReceiverConfig,
  logger = new ConsoleLogger({ json: true, colors: false }),
): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(ReceiverModule.forRoot(config), {
    logger,
  });
  app.enableShutdownHooks();
  return app;
}
