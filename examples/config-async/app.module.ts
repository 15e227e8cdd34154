import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { WhatsAppWebhooksModule } from 'nestjs-whatsapp-webhooks';
import { AccountListener } from './account.listener.js';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true }), // reads .env and the environment
    WhatsAppWebhooksModule.forRootAsync({
      path: 'whatsapp/webhook', // the route is fixed when the module is defined: top level
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({
        // Several secrets: rotation, or several Meta apps posting to one endpoint.
        appSecret: config.getOrThrow<string>('WHATSAPP_APP_SECRET').split(','),
        verifyToken: config.getOrThrow<string>('WHATSAPP_VERIFY_TOKEN'),
        accessToken: config.get<string>('WHATSAPP_ACCESS_TOKEN'), // for SubscriptionService
        acknowledge: 'after-listeners', // 500 (Meta redelivers) when a listener fails
      }),
    }),
  ],
  providers: [AccountListener],
})
export class AppModule {}
