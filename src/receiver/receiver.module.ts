import { type DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { WabaHealthIndicator } from '../health/waba-health.indicator.js';
import { WhatsAppWebhooksModule } from '../whatsapp-webhooks.module.js';
import { ReceiverOpsController } from './receiver-ops.controller.js';
import { EventLogListener } from './event-log.listener.js';
import type { ReceiverConfig } from './receiver-config.js';
import { WorkerHealthServer } from './worker-health.server.js';

/**
 * The standalone receiver: the webhook module plus a listener that logs every event; `/health`
 * and `/metrics` on the HTTP roles, a `/health` server of its own on the worker role.
 */
@Module({})
export class ReceiverModule {
  /**
   * @param healthServer the worker role's `/health` server, already listening: closed with the
   * application.
   */
  static forRoot(config: ReceiverConfig, healthServer?: WorkerHealthServer): DynamicModule {
    return {
      module: ReceiverModule,
      imports: [
        TerminusModule.forRoot({ logger: false }),
        WhatsAppWebhooksModule.forRoot({
          metrics: config.metrics,
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
                  maxUpdatesPerJob: config.updatesPerJob,
                },
              }
            : {}),
        }),
      ],
      controllers: config.role === 'worker' ? [] : [ReceiverOpsController],
      providers: [
        EventLogListener,
        ...(config.role === 'worker' ? [] : [WabaHealthIndicator]),
        ...(healthServer ? [{ provide: WorkerHealthServer, useValue: healthServer }] : []),
      ],
    };
  }
}
