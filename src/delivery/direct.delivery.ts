import {
  Inject,
  Injectable,
  InternalServerErrorException,
  Logger,
  ServiceUnavailableException,
} from '@nestjs/common';
import type { ReceivedChange, ReceivedWebhook } from '../events/waba-dispatch.types.js';
import { WabaEventDispatcher } from '../events/waba-event.dispatcher.js';
import { isThenable } from '../is-thenable.js';
import { WabaMetrics } from '../metrics/waba-metrics.js';
import { WabaOnboardingService } from '../onboarding/waba-onboarding.service.js';
import { messages } from '../whatsapp-webhooks.messages.js';
import { WabaDedupStoreProvider } from './dedup-store.provider.js';
import type { WabaDeliveryStrategy } from './delivery.strategy.js';
import { type ChangePlan, narrowToNew, planChange, pushPlanKeys } from './update-plan.js';
import { DELIVERY_OPTIONS, type ResolvedDeliveryOptions } from './delivery.options.js';

/** A webhook narrowed to its new updates, and the keys claimed for them. */
interface Deduplicated {
  readonly fresh: ReceivedWebhook;
  readonly claimed: readonly string[];
}

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

  /**
   * Synchronous when the store answers synchronously (the memory store) and the listeners run
   * after the acknowledgement: no promise is made on the way to the 200.
   */
  accept(webhook: ReceivedWebhook): Promise<void> | void {
    const deduplicated = this.deduplicate(webhook);
    return isThenable(deduplicated)
      ? deduplicated.then((d) => this.deliver(d))
      : this.deliver(deduplicated);
  }

  private deliver({ fresh, claimed }: Deduplicated): Promise<void> | void {
    if (this.options.acknowledge === 'before-listeners') {
      this.dispatcher.dispatchLater(fresh);
      this.startOnboarding(fresh);
      return;
    }
    return this.deliverBeforeAcknowledging(fresh, claimed);
  }

  private async deliverBeforeAcknowledging(
    fresh: ReceivedWebhook,
    claimed: readonly string[],
  ): Promise<void> {
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

  /** The webhook narrowed to its new updates, and the keys claimed for them. */
  private deduplicate(webhook: ReceivedWebhook): Deduplicated | Promise<Deduplicated> {
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
    let claim: boolean[] | Promise<boolean[]>;
    try {
      claim = store.claim(keys, dedup.ttlMs);
    } catch (error) {
      throw this.storeFailed(error);
    }
    // The memory store answers at once: no promise to wait for.
    return Array.isArray(claim)
      ? this.narrow(webhook, plans, keys, claim)
      : claim.then(
          (results) => this.narrow(webhook, plans, keys, results),
          (error: unknown) => {
            throw this.storeFailed(error);
          },
        );
  }

  private storeFailed(error: unknown): ServiceUnavailableException {
    this.logger.error(messages.dedupStoreFailed(error));
    return new ServiceUnavailableException(messages.dedupStoreFailed(error));
  }

  private narrow(
    webhook: ReceivedWebhook,
    plans: readonly ChangePlan[],
    keys: string[],
    results: readonly boolean[],
  ): Deduplicated {
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
