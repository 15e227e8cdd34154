import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { HealthIndicatorService } from '@nestjs/terminus';
import { WabaQueue } from '../delivery/waba-queue.js';
import { importOptional, OPTIONAL_PACKAGES } from '../optional-package.js';
import { messages } from '../whatsapp-webhooks.messages.js';

const PING_TIMEOUT_MS = 1000;

/**
 * A `@nestjs/terminus` health indicator for the webhook module. In direct mode it is always up;
 * in queue mode it is down when Redis does not answer (the receiver then answers 503 to Meta),
 * and reports the queue depth and the failed count.
 *
 * @example
 * \@Controller('health')
 * class HealthController {
 *   constructor(private health: HealthCheckService, private waba: WabaHealthIndicator) {}
 *   \@Get() \@HealthCheck()
 *   check() { return this.health.check([() => this.waba.isHealthy()]); }
 * }
 * // providers: [WabaHealthIndicator], imports: [TerminusModule, WhatsAppWebhooksModule.forRoot(…)]
 *
 * @throws Error at bootstrap, naming the install command, when `@nestjs/terminus` is not installed
 * (it is loaded then, not when this entry point is imported), or naming `TerminusModule` when the
 * application does not import it.
 */
@Injectable()
export class WabaHealthIndicator implements OnModuleInit {
  private health?: HealthIndicatorService;

  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly queue: WabaQueue,
  ) {}

  async onModuleInit(): Promise<void> {
    const terminus = await importOptional(
      OPTIONAL_PACKAGES.terminus,
      () => import('@nestjs/terminus'),
    );
    try {
      this.health = this.moduleRef.get(terminus.HealthIndicatorService, { strict: false });
    } catch (error) {
      throw new Error(messages.terminusModuleMissing(), { cause: error });
    }
  }

  async isHealthy<const Key extends string = 'whatsapp-webhooks'>(
    key: Key = 'whatsapp-webhooks' as Key,
  ) {
    if (!this.health) throw new Error(messages.terminusModuleMissing());
    const indicator = this.health.check(key);
    const { bullQueue, redis } = this.queue;
    if (!bullQueue || !redis) return indicator.up({ mode: 'direct' });
    try {
      if (redis.status !== 'ready') throw new Error(`Redis connection is ${redis.status}`);
      const timeout = new Promise<never>((_, reject) =>
        setTimeout(
          () => reject(new Error(`Redis did not answer PING within ${PING_TIMEOUT_MS} ms`)),
          PING_TIMEOUT_MS,
        ).unref(),
      );
      await Promise.race([redis.ping(), timeout]);
      const counts = await Promise.race([
        bullQueue.getJobCounts('waiting', 'active', 'delayed', 'failed'),
        timeout,
      ]);
      return indicator.up({
        mode: 'queue',
        redis: 'up',
        queueDepth: (counts['waiting'] ?? 0) + (counts['active'] ?? 0) + (counts['delayed'] ?? 0),
        failed: counts['failed'] ?? 0,
      });
    } catch (error) {
      return indicator.down({
        mode: 'queue',
        redis: 'down',
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }
}
