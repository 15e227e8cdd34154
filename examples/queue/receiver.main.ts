import 'reflect-metadata';
import { Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { WhatsAppWebhooksModule } from 'nestjs-whatsapp-webhooks';
import { whatsappOptions } from './whatsapp-options.js';

/** An HTTP receiver: answers 200 once Redis has the update (503 otherwise: Meta redelivers). */
@Module({ imports: [WhatsAppWebhooksModule.forRoot(whatsappOptions(false))] })
class ReceiverModule {}

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(ReceiverModule, { rawBody: true });
  app.useBodyParser('json', { limit: '5mb' });
  app.enableShutdownHooks();
  await app.listen(Number(process.env['PORT'] ?? 3000));
  new Logger('Receiver').log(`Listening on ${await app.getUrl()}/webhooks/whatsapp`);
}

void bootstrap();
