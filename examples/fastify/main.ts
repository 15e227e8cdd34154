import 'reflect-metadata';
import { Injectable, Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  OnWabaMessage,
  WhatsAppWebhooksModule,
  type WabaMessageEvent,
} from 'nestjs-whatsapp-webhooks';

@Injectable()
class MessageListener {
  private readonly logger = new Logger(MessageListener.name);

  @OnWabaMessage() // every inbound message type
  onMessage(e: WabaMessageEvent): void {
    this.logger.log(`${e.message.type} message ${e.message.id} received`);
  }
}

@Module({
  imports: [
    WhatsAppWebhooksModule.forRoot({
      appSecret: process.env['WHATSAPP_APP_SECRET']!,
      verifyToken: process.env['WHATSAPP_VERIFY_TOKEN']!,
    }),
  ],
  providers: [MessageListener],
})
class AppModule {}

async function bootstrap(): Promise<void> {
  // Fastify: the body limit goes to the adapter (default 1 MB; Meta sends up to 3 MB). Never
  // call app.useBodyParser('json', …) on Fastify: it throws FST_ERR_CTP_INVALID_TYPE.
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule,
    new FastifyAdapter({ bodyLimit: 5 * 1024 * 1024 }),
    { rawBody: true },
  );
  app.enableShutdownHooks();
  await app.listen(Number(process.env['PORT'] ?? 3000), '127.0.0.1');
  new Logger('Bootstrap').log(`Listening on ${await app.getUrl()}/webhooks/whatsapp`);
}

void bootstrap();
