import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { messages } from '../whatsapp-webhooks.messages.js';
import { DELIVERY_OPTIONS, type ResolvedDeliveryOptions } from './delivery.options.js';

/**
 * How long after bootstrap the check looks: `enableShutdownHooks()` is often called after
 * `await app.listen()`, which is what bootstraps the application.
 */
export const SHUTDOWN_HOOKS_CHECK_DELAY_MS = 2000;

/**
 * Warns once, at bootstrap, when the application runs work that SIGTERM would cut short and
 * nothing listens to SIGTERM, i.e. `app.enableShutdownHooks()` was not called: in direct mode
 * with `acknowledge: 'before-listeners'` (updates Meta already has its 200 for would never reach
 * their listeners) and in queue mode with processors (jobs in progress would wait out their lock
 * and run again). Nest gives a provider no way to ask whether shutdown hooks are on, so it
 * counts the process's SIGTERM listeners a moment after bootstrap; with `NODE_ENV=test` it does
 * not look, since tests stop their applications with `app.close()`.
 *
 * @internal
 */
@Injectable()
export class ShutdownHooksCheck implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('WhatsAppWebhooks');
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(DELIVERY_OPTIONS)
    private readonly options: ResolvedDeliveryOptions,
  ) {}

  onApplicationBootstrap(): void {
    const atRisk = this.workAtRisk();
    if (!atRisk || process.env['NODE_ENV'] === 'test') return;
    this.timer = setTimeout(() => {
      if (process.listenerCount('SIGTERM') === 0)
        this.logger.warn(messages.shutdownHooksOff(atRisk));
    }, SHUTDOWN_HOOKS_CHECK_DELAY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearTimeout(this.timer);
  }

  private workAtRisk(): 'listeners' | 'jobs' | undefined {
    const { queue, acknowledge } = this.options;
    if (queue) return queue.processors ? 'jobs' : undefined;
    return acknowledge === 'before-listeners' ? 'listeners' : undefined;
  }
}
