import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';

async function bootstrap(): Promise<void> {
  // rawBody: the signature is verified over the exact bytes Meta sent.
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { rawBody: true });
  app.useBodyParser('json', { limit: '5mb' }); // Meta's payloads reach 3 MB (Express: 100 kB)
  app.enableShutdownHooks(); // on SIGTERM, acknowledged updates still reach their listeners
  await app.listen(Number(process.env['PORT'] ?? 3000));
  new Logger('Bootstrap').log(`Listening on ${await app.getUrl()}/webhooks/whatsapp`);
}

void bootstrap();
