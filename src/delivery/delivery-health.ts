import { Inject, Injectable } from '@nestjs/common';
import { WabaQueue } from './waba-queue.js';
import { DELIVERY_OPTIONS, type ResolvedDeliveryOptions } from './delivery.options.js';

/** Health of queue mode: Redis reachable, with the queue's depth and failed count, or not. */
export type WabaQueueHealth =
  | {
      readonly status: 'up';
      readonly mode: 'queue';
      readonly redis: 'up';
      /** Jobs waiting, active or delayed for a retry. */
      readonly queueDepth: number;
      /** Jobs that exhausted their attempts and are kept for re-drive. */
      readonly failed: number;
    }
  | {
      readonly status: 'down';
      readonly mode: 'queue';
      readonly redis: 'down';
      /** Why (Redis unreachable, no PING answer in time, …). */
      readonly message: string;
    };

/** Health of the module's delivery: always up in direct mode; in queue mode, Redis's. */
export type WabaDeliveryHealth =
  { readonly status: 'up'; readonly mode: 'direct' } | WabaQueueHealth;

/**
 * The module's delivery health, for a health endpoint or a readiness probe: in direct mode it
 * is always up; in queue mode it is down when Redis does not answer (the receiver then answers
 * 503 to Meta, which redelivers) and reports the queue depth and the failed count. The
 * `@nestjs/terminus` indicator of `nestjs-whatsapp-webhooks/health` is built on it; without
 * terminus, call it yourself.
 *
 * @example
 * \@Get('ready')
 * async ready() {
 *   const health = await this.webhooksHealth.check();
 *   if (health.status === 'down') throw new ServiceUnavailableException(health.message);
 *   return health;
 * }
 */
@Injectable()
export class WhatsAppWebhooksHealth {
  constructor(
    @Inject(DELIVERY_OPTIONS)
    private readonly options: ResolvedDeliveryOptions,
    private readonly queue: WabaQueue,
  ) {}

  /**
   * Checks the delivery now.
   *
   * @param timeoutMs longest wait for Redis (PING, then the job counts).
   * @default timeoutMs 1000
   */
  async check(timeoutMs = 1000): Promise<WabaDeliveryHealth> {
    if (!this.options.queue) return { status: 'up', mode: 'direct' };
    return (
      (await this.queue.health(timeoutMs)) ?? {
        status: 'down',
        mode: 'queue',
        redis: 'down',
        message: 'the queue is not started',
      }
    );
  }
}
