import { HttpModule } from '@nestjs/axios';
import {
  type DynamicModule,
  Inject,
  type MiddlewareConsumer,
  Module,
  type NestModule,
  type Type,
} from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { WabaDeliveryService } from './delivery/waba-delivery.service.js';
import { WabaQueue } from './delivery/waba-queue.js';
import { WabaDedupStoreProvider } from './delivery/dedup-store.provider.js';
import { WhatsAppWebhooksHealth } from './delivery/delivery-health.js';
import { WABA_QUEUE_HEALTH } from './delivery/delivery-health.types.js';
import { DirectDelivery } from './delivery/direct.delivery.js';
import { QueueDelivery } from './delivery/queue.delivery.js';
import { WABA_DELIVERY_STRATEGY, type WabaDeliveryStrategy } from './delivery/delivery.strategy.js';
import { ShutdownHooksCheck } from './delivery/shutdown-hooks.check.js';
import { WabaEventDispatcher } from './events/waba-event.dispatcher.js';
import { WabaEventPublisher } from './events/waba-event.publisher.js';
import { WabaListenerExplorer } from './events/waba-listener.explorer.js';
import { WabaMetrics } from './metrics/waba-metrics.js';
import { WabaOnboardingService } from './onboarding/waba-onboarding.service.js';
import { WabaMetricsMiddleware } from './metrics/waba-metrics.middleware.js';
import { SubscriptionService } from './subscriptions/subscription.service.js';
import { WabaPayloadPipe } from './webhook/waba-payload.pipe.js';
import { payloadValidatorProvider } from './validation/payload-validator.provider.js';
import { WabaRejectionLog } from './webhook/rejection-log.js';
import { createWhatsAppWebhookController } from './webhook/whatsapp-webhook.controller.js';
import { WhatsAppSignatureGuard } from './webhook/whatsapp-signature.guard.js';
import { WhatsAppMtlsGuard } from './mtls/whatsapp-mtls.guard.js';
import { DELIVERY_OPTIONS, type ResolvedDeliveryOptions } from './delivery/delivery.options.js';
import { METRICS_OPTIONS, type ResolvedMetricsOptions } from './metrics/metrics.options.js';
import { MTLS_OPTIONS } from './mtls/mtls.options.js';
import { ONBOARDING_OPTIONS } from './onboarding/onboarding.options.js';
import { GRAPH_API_OPTIONS } from './subscriptions/graph-api.options.js';
import { SIGNATURE_OPTIONS, VALIDATION_OPTIONS } from './webhook/webhook.options.js';
import {
  DEFAULT_WEBHOOK_PATH,
  RESOLVED_WHATSAPP_WEBHOOKS_OPTIONS,
  WEBHOOK_PATH,
} from './whatsapp-webhooks.constants.js';
import {
  ASYNC_OPTIONS_TYPE,
  ConfigurableModuleClass,
  OPTIONS_TYPE,
  WHATSAPP_WEBHOOKS_MODULE_OPTIONS,
} from './whatsapp-webhooks.module-definition.js';
import { resolveWhatsAppWebhooksOptions } from './whatsapp-webhooks.options.js';
import type {
  ResolvedWhatsAppWebhooksOptions,
  WhatsAppWebhooksModuleExtras,
  WhatsAppWebhooksModuleOptions,
} from './whatsapp-webhooks-options.interface.js';
import { messages } from './whatsapp-webhooks.messages.js';

/**
 * Receives WhatsApp Business Account webhooks: answers Meta's verification handshake, verifies
 * `X-Hub-Signature-256` over the raw request bytes, validates the payload and publishes typed
 * events to `@OnWaba()`, `@OnWabaMessage()`, `@OnWabaStatus()` and `@OnWabaInvalid()` methods
 * of any provider.
 *
 * The application must be created with `rawBody: true`.
 *
 * @example
 * \@Module({
 *   imports: [
 *     WhatsAppWebhooksModule.forRoot({
 *       appSecret: process.env.WHATSAPP_APP_SECRET!,
 *       verifyToken: process.env.WHATSAPP_VERIFY_TOKEN!,
 *     }),
 *   ],
 * })
 * export class AppModule {}
 *
 * const app = await NestFactory.create(AppModule, { rawBody: true });
 * app.useBodyParser('json', { limit: '5mb' }); // Meta's payloads reach 3 MB
 * app.enableShutdownHooks(); // SIGTERM: acknowledged updates still reach their listeners
 */
@Module({})
export class WhatsAppWebhooksModule extends ConfigurableModuleClass implements NestModule {
  constructor(
    @Inject(WEBHOOK_PATH) private readonly path: string,
    @Inject(METRICS_OPTIONS) private readonly metrics: ResolvedMetricsOptions | null,
  ) {
    super();
  }

  /**
   * Applies the request metrics middleware to the webhook route when metrics are on (when they
   * are off, no middleware layer is added to the route).
   */
  configure(consumer: MiddlewareConsumer): void {
    if (this.metrics) consumer.apply(WabaMetricsMiddleware).forRoutes(this.path);
  }

  /** Configures the module with static options. */
  static override forRoot(options: typeof OPTIONS_TYPE): DynamicModule {
    return withWebhookEndpoint(super.forRoot(options), options);
  }

  /**
   * Configures the module with options from a factory (e.g. `ConfigService`). `path` is read
   * when the module is defined, so it goes at the top level, not in the factory's result.
   *
   * @example
   * WhatsAppWebhooksModule.forRootAsync({
   *   imports: [ConfigModule],
   *   inject: [ConfigService],
   *   useFactory: (config: ConfigService) => ({
   *     appSecret: config.getOrThrow('WHATSAPP_APP_SECRET'),
   *     verifyToken: config.getOrThrow('WHATSAPP_VERIFY_TOKEN'),
   *   }),
   * });
   */
  static override forRootAsync(options: typeof ASYNC_OPTIONS_TYPE): DynamicModule {
    return withWebhookEndpoint(super.forRootAsync(options), options);
  }
}

/** A guard class given in the extras, checked to extend the module's own. */
function guardOf<T>(name: string, given: Type<T> | undefined, base: Type<T>): Type<T> {
  if (given === undefined) return base;
  if (typeof given !== 'function' || !(given === base || given.prototype instanceof base)) {
    throw new Error(messages.invalidOption(name, `must be a class extending ${base.name}`));
  }
  return given;
}

/** The token of each concern's slice of the resolved options. */
const OPTION_SLICES: readonly (readonly [symbol, keyof ResolvedWhatsAppWebhooksOptions])[] = [
  [SIGNATURE_OPTIONS, 'signature'],
  [VALIDATION_OPTIONS, 'validation'],
  [DELIVERY_OPTIONS, 'delivery'],
  [ONBOARDING_OPTIONS, 'onboarding'],
  [GRAPH_API_OPTIONS, 'graphApi'],
  [MTLS_OPTIONS, 'mtls'],
  [METRICS_OPTIONS, 'metrics'],
];

function withWebhookEndpoint(
  definition: DynamicModule,
  extras: WhatsAppWebhooksModuleExtras,
): DynamicModule {
  const path = extras.path ?? DEFAULT_WEBHOOK_PATH;
  const guards = {
    mtls: guardOf('mtlsGuard', extras.mtlsGuard, WhatsAppMtlsGuard),
    signature: guardOf('signatureGuard', extras.signatureGuard, WhatsAppSignatureGuard),
  };
  return {
    ...definition,
    // A private axios instance: the application's axios defaults and interceptors never see
    // SubscriptionService's Authorization header.
    imports: [...(definition.imports ?? []), DiscoveryModule, HttpModule.register({})],
    controllers: [createWhatsAppWebhookController(path, guards)],
    providers: [
      ...(definition.providers ?? []),
      {
        provide: RESOLVED_WHATSAPP_WEBHOOKS_OPTIONS,
        inject: [WHATSAPP_WEBHOOKS_MODULE_OPTIONS],
        useFactory: (options: WhatsAppWebhooksModuleOptions) =>
          resolveWhatsAppWebhooksOptions(options),
      },
      // One resolved slice per concern, each behind its folder's own token.
      ...OPTION_SLICES.map(([token, slice]) => ({
        provide: token,
        inject: [RESOLVED_WHATSAPP_WEBHOOKS_OPTIONS],
        useFactory: (options: ResolvedWhatsAppWebhooksOptions) => options[slice],
      })),
      WhatsAppMtlsGuard,
      WhatsAppSignatureGuard,
      WabaRejectionLog,
      payloadValidatorProvider,
      WabaPayloadPipe,
      WabaEventPublisher,
      WabaEventDispatcher,
      WabaListenerExplorer,
      WabaOnboardingService,
      WabaQueue,
      { provide: WABA_QUEUE_HEALTH, useExisting: WabaQueue },
      WabaDedupStoreProvider,
      DirectDelivery,
      QueueDelivery,
      {
        // Chosen once, from the resolved options.
        provide: WABA_DELIVERY_STRATEGY,
        inject: [DELIVERY_OPTIONS, DirectDelivery, QueueDelivery],
        useFactory: (
          options: ResolvedDeliveryOptions,
          direct: DirectDelivery,
          queue: QueueDelivery,
        ): WabaDeliveryStrategy => (options.queue ? queue : direct),
      },
      WabaDeliveryService,
      WhatsAppWebhooksHealth,
      ShutdownHooksCheck,
      WabaMetrics,
      { provide: WEBHOOK_PATH, useValue: path },
      SubscriptionService,
    ],
    exports: [
      ...(definition.exports ?? []),
      WHATSAPP_WEBHOOKS_MODULE_OPTIONS,
      SubscriptionService,
      WhatsAppWebhooksHealth,
      WabaMetrics,
    ],
  };
}
