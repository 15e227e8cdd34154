import { Inject, Injectable, Logger, ServiceUnavailableException } from '@nestjs/common';
import type { ReceivedWebhook, WabaUpdate } from '../events/waba-dispatch.types.js';
import { WabaOnboardingService } from '../onboarding/waba-onboarding.service.js';
import { messages } from '../whatsapp-webhooks.messages.js';
import { defaultDedupKey } from './dedup-key.js';
import type { WabaDeliveryStrategy } from './delivery.strategy.js';
import { planChange, splitIntoUpdates } from './update-plan.js';
import { WabaQueue } from './waba-queue.js';
import { DELIVERY_OPTIONS, type ResolvedDeliveryOptions } from './delivery.options.js';

/**
 * Queue mode: splits a webhook into updates (one per `messages`/`calls` item, one per other
 * change, one more per `PARTNER_ADDED` to onboard) and acknowledges only once Redis has queued
 * every one of them (503 otherwise, so Meta redelivers). Workers — this process's or others' —
 * deduplicate and run the listeners ({@link WabaQueue}).
 *
 * @internal
 */
@Injectable()
export class QueueDelivery implements WabaDeliveryStrategy {
  private readonly logger = new Logger('WhatsAppWebhooks');

  constructor(
    @Inject(DELIVERY_OPTIONS)
    private readonly options: ResolvedDeliveryOptions,
    private readonly queue: WabaQueue,
    private readonly onboarding: WabaOnboardingService,
  ) {}

  async accept(webhook: ReceivedWebhook): Promise<void> {
    // Job ids come from the keys even without deduplication: redeliveries make one job.
    const key = this.options.deduplication?.key ?? defaultDedupKey;
    const app = webhook.app === undefined ? {} : { app: webhook.app };
    const updates: WabaUpdate[] = webhook.changes.flatMap((change) => {
      const plan = planChange(change, key);
      const split: WabaUpdate[] = splitIntoUpdates(plan).map((update) => ({ ...update, ...app }));
      // PARTNER_ADDED with onboarding on: the subscription is a durable job of its own, retried
      // without re-running the listeners of the change.
      if (plan.restKey !== undefined && this.onboarding.eventOf(change)) {
        split.push({ key: `${plan.restKey}:onboarding`, change, task: 'onboarding', ...app });
      }
      return split;
    });
    if (updates.length === 0) return;
    try {
      await this.queue.enqueue(updates);
    } catch (error) {
      this.logger.error(messages.enqueueFailed(error));
      throw new ServiceUnavailableException(messages.enqueueFailed(error));
    }
  }

  settled(): Promise<void> {
    return this.queue.drained();
  }
}
