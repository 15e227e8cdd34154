import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { HealthIndicatorService } from '@nestjs/terminus';
import { WhatsAppWebhooksHealth } from '../delivery/delivery-health.js';
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
    private readonly delivery: WhatsAppWebhooksHealth,
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
    const { status, ...details } = await this.delivery.check(PING_TIMEOUT_MS);
    const data: Record<string, unknown> = details;
    return status === 'up' ? indicator.up(data) : indicator.down(data);
  }
}
