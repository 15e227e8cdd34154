import { Module } from '@nestjs/common';
import { WhatsAppWebhooksModule } from 'nestjs-whatsapp-webhooks';
import { WhatsAppListener } from './template.listener.js';

@Module({
  imports: [
    WhatsAppWebhooksModule.forRoot({
      appSecret: process.env['WHATSAPP_APP_SECRET']!,
      verifyToken: process.env['WHATSAPP_VERIFY_TOKEN']!,
    }),
  ],
  providers: [WhatsAppListener],
})
export class AppModule {}
