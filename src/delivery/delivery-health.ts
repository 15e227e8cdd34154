import { Inject, Injectable } from '@nestjs/common';
import {
  WABA_QUEUE_HEALTH,
  type WabaDeliveryHealth,
  type WabaQueueHealthSource,
} from './delivery-health.types.js';

export type { WabaDeliveryHealth, WabaQueueHealth } from './delivery-health.types.js';
import { DELIVERY_OPTIONS, type ResolvedDeliveryOptions } from './delivery.options.js';

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
    @Inject(WABA_QUEUE_HEALTH) private readonly queue: WabaQueueHealthSource,
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
