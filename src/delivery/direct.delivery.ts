import {
  Inject,
  Injectable,
  InternalServerErrorException,
  Logger,
  ServiceUnavailableException,
} from '@nestjs/common';
import type { ReceivedChange, ReceivedWebhook } from '../events/waba-dispatch.types.js';
import { WabaEventDispatcher } from '../events/waba-event.dispatcher.js';
import { WabaMetrics } from '../metrics/waba-metrics.js';
import { WabaOnboardingService } from '../onboarding/waba-onboarding.service.js';
import { messages } from '../whatsapp-webhooks.messages.js';
import { WabaDedupStoreProvider } from './dedup-store.provider.js';
import type { WabaDeliveryStrategy } from './delivery.strategy.js';
import { type ChangePlan, narrowToNew, planChange, pushPlanKeys } from './update-plan.js';
import { DELIVERY_OPTIONS, type ResolvedDeliveryOptions } from './delivery.options.js';

/**
 * Direct mode: drops the updates already delivered (deduplication), then runs the listeners
 * after the acknowledgement (or before it, with `acknowledge: 'after-listeners'`, answering 500
 * when one failed and releasing the keys so that Meta's redelivery goes through). A store that
 * fails is answered 503, so Meta redelivers.
 *
 * @internal
 */
@Injectable()
export class DirectDelivery implements WabaDeliveryStrategy {
  private readonly logger = new Logger('WhatsAppWebhooks');

  constructor(
    @Inject(DELIVERY_OPTIONS)
    private readonly options: ResolvedDeliveryOptions,
    private readonly dispatcher: WabaEventDispatcher,
    private readonly dedup: WabaDedupStoreProvider,
    private readonly metrics: WabaMetrics,
    private readonly onboarding: WabaOnboardingService,
  ) {}

  async accept(webhook: ReceivedWebhook): Promise<void> {
    const { fresh, claimed } = await this.deduplicate(webhook);
    if (this.options.acknowledge === 'before-listeners') {
      this.dispatcher.dispatchLater(fresh);
      this.startOnboarding(fresh);
      return;
    }
    const { calls, failures } = await this.dispatcher.dispatch(fresh, { retriedOnFailure: true });
    if (failures > 0) {
      // Meta will redeliver: let the redelivery through the deduplication.
      await this.dedup.store?.release(claimed);
      throw new InternalServerErrorException(messages.listenersFailed(failures, calls));
    }
    this.startOnboarding(fresh);
  }

  async settled(): Promise<void> {
    await this.dispatcher.idle();
    await this.onboarding.settled();
  }

  /** Subscribes to the WABA of each `PARTNER_ADDED` change, in the background. */
  private startOnboarding(webhook: ReceivedWebhook): void {
    if (!this.onboarding.enabled) return;
    for (const change of webhook.changes) {
      const event = this.onboarding.eventOf(change, webhook.app);
      if (event) this.onboarding.start(event);
    }
  }

  private async deduplicate(
    webhook: ReceivedWebhook,
  ): Promise<{ fresh: ReceivedWebhook; claimed: string[] }> {
    const dedup = this.options.deduplication;
    const store = this.dedup.store;
    if (!dedup || !store || webhook.changes.length === 0) return { fresh: webhook, claimed: [] };
    const plans: ChangePlan[] = [];
    const keys: string[] = [];
    for (const change of webhook.changes) {
      const plan = planChange(change, dedup.key);
      plans.push(plan);
      pushPlanKeys(plan, keys);
    }
    let results: boolean[];
    try {
      const claim = store.claim(keys, dedup.ttlMs);
      // The memory store answers at once: no promise to wait for.
      results = Array.isArray(claim) ? claim : await claim;
    } catch (error) {
      this.logger.error(messages.dedupStoreFailed(error));
      throw new ServiceUnavailableException(messages.dedupStoreFailed(error));
    }
    if (results.every(Boolean)) return { fresh: webhook, claimed: keys };
    const claimed = keys.filter((_, i) => results[i]);
    this.logger.debug(messages.duplicatesDropped(keys.length - claimed.length, keys.length));
    this.metrics.duplicatesDropped(keys.length - claimed.length);
    // Each claimed key admits its first occurrence only (a payload may repeat an item).
    const admit = new Set(claimed);
    const isNew = (k: string) => admit.delete(k);
    const changes = plans
      .map((plan) => narrowToNew(plan, isNew))
      .filter((c): c is ReceivedChange => !!c);
    return { fresh: { ...webhook, changes }, claimed };
  }
}
