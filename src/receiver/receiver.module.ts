import { type DynamicModule, Module } from '@nestjs/common';
import { WhatsAppWebhooksModule } from '../whatsapp-webhooks.module.js';
import { EventLogListener } from './event-log.listener.js';
import type { ReceiverConfig } from './receiver-config.js';

/** The standalone receiver: the webhook module plus a listener that logs every event. */
@Module({})
export class ReceiverModule {
  static forRoot(config: ReceiverConfig): DynamicModule {
    return {
      module: ReceiverModule,
      imports: [
        WhatsAppWebhooksModule.forRoot({
          appSecret: config.appSecrets,
          verifyToken: config.verifyTokens,
          path: config.path,
          ...(config.redisUrl
            ? {
                delivery: {
                  mode: 'queue' as const,
                  connection: config.redisUrl,
                  processors: config.role !== 'receiver',
                  ...(config.queueName ? { queueName: config.queueName } : {}),
                },
              }
            : {}),
        }),
      ],
      providers: [EventLogListener],
    };
  }
}
