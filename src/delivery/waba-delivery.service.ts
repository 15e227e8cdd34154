import {
  Inject,
  Injectable,
  InternalServerErrorException,
  Logger,
  type OnModuleInit,
  ServiceUnavailableException,
} from '@nestjs/common';
import { WabaEventDispatcher } from '../events/waba-event.dispatcher.js';
import { WabaMetrics } from '../metrics/waba-metrics.js';
import type { ReceivedChange, ReceivedWebhook, WabaUpdate } from '../events/waba-dispatch.types.js';
import { RESOLVED_WHATSAPP_WEBHOOKS_OPTIONS } from '../whatsapp-webhooks.constants.js';
import { messages } from '../whatsapp-webhooks.messages.js';
import type { ResolvedWhatsAppWebhooksOptions } from '../whatsapp-webhooks-options.interface.js';
import { defaultDedupKey } from './dedup-key.js';
import type { WabaDedupStore } from './dedup-store.interface.js';
import { MemoryDedupStore } from './memory-dedup.store.js';
import {
  type ChangePlan,
  narrowToNew,
  planChange,
  planKeys,
  splitIntoUpdates,
} from './update-plan.js';
import { WabaQueue } from './waba-queue.js';
import { isPartnerAdded, WabaOnboardingService } from '../onboarding/waba-onboarding.service.js';

/**
 * Takes a verified, validated webhook and delivers it:
 * - direct mode: drops the updates already delivered (deduplication), then runs the listeners
 *   after the acknowledgement (or before it, with `acknowledge: 'after-listeners'`);
 * - queue mode: splits it into updates and answers only once Redis has queued all of them.
 *
 * A failure that a redelivery can fix (store or Redis unavailable) is answered 503, so Meta
 * redelivers; nothing is acknowledged unless it was delivered or safely queued.
 *
 * @internal
 */
@Injectable()
export class WabaDeliveryService implements OnModuleInit {
  private readonly logger = new Logger('WhatsAppWebhooks');
  private store?: WabaDedupStore;

  constructor(
    @Inject(RESOLVED_WHATSAPP_WEBHOOKS_OPTIONS)
    private readonly options: ResolvedWhatsAppWebhooksOptions,
    private readonly dispatcher: WabaEventDispatcher,
    private readonly queue: WabaQueue,
    private readonly metrics: WabaMetrics,
    private readonly onboarding: WabaOnboardingService,
  ) {}

  onModuleInit(): void {
    const dedup = this.options.deduplication;
    if (dedup && !this.options.queue)
      this.store = dedup.store ?? new MemoryDedupStore(dedup.maxEntries);
  }

  /** The store of direct mode (queue mode keeps its own in {@link WabaQueue}). */
  get dedupStore(): WabaDedupStore | undefined {
    return this.store;
  }

  /**
   * Resolves once the updates accepted so far have reached their listeners: the dispatches in
   * flight in direct mode; in queue mode, once this instance's worker has drained the queue.
   * For the test kit (`postWebhook` waits on it).
   */
  async settled(): Promise<void> {
    if (this.options.queue) return this.queue.drained();
    await this.dispatcher.idle();
    await this.onboarding.settled();
  }

  async accept(received: ReceivedWebhook): Promise<void> {
    if (this.metrics.enabled) this.metrics.changesReceived(received.changes.map((c) => c.field));
    const webhook = this.allowedOnly(received);
    if (this.options.queue) {
      // Job ids come from the keys even without deduplication: redeliveries make one job.
      const key = this.options.deduplication?.key ?? defaultDedupKey;
      const app = webhook.app === undefined ? {} : { app: webhook.app };
      const updates: WabaUpdate[] = webhook.changes.flatMap((change) => {
        const plan = planChange(change, key);
        const split: WabaUpdate[] = splitIntoUpdates(plan).map((update) => ({
          ...update,
          ...app,
        }));
        // PARTNER_ADDED with onboarding on: the subscription is a durable job of its own,
        // retried without re-running the listeners of the change.
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
      return;
    }
    const { fresh, claimed } = await this.deduplicate(webhook);
    if (this.options.acknowledge === 'before-listeners') {
      this.dispatcher.dispatchLater(fresh);
      this.startOnboarding(fresh);
      return;
    }
    const { calls, failures } = await this.dispatcher.dispatch(fresh, { retriedOnFailure: true });
    if (failures > 0) {
      // Meta will redeliver: let the redelivery through the deduplication.
      await this.store?.release(claimed);
      throw new InternalServerErrorException(messages.listenersFailed(failures, calls));
    }
    this.startOnboarding(fresh);
  }

  /** Direct mode: subscribes to the WABA of each `PARTNER_ADDED` change, in the background. */
  private startOnboarding(webhook: ReceivedWebhook): void {
    if (!this.options.onboarding) return;
    for (const change of webhook.changes) {
      const event = this.onboarding.eventOf(change, webhook.app);
      if (event) this.onboarding.start(event);
    }
  }

  /**
   * Drops the changes of WABAs and phone numbers outside the allow-lists: they are acknowledged
   * (a retry cannot change them) and counted, not emitted.
   */
  private allowedOnly(webhook: ReceivedWebhook): ReceivedWebhook {
    const { allowedWabaIds, allowedPhoneNumberIds } = this.options;
    if (!allowedWabaIds && !allowedPhoneNumberIds) return webhook;
    const changes = webhook.changes.filter((change) => {
      // PARTNER_ADDED's entry.id is the partner's own business portfolio, never a WABA.
      if (allowedWabaIds && !allowedWabaIds.has(change.entryId) && !isPartnerAdded(change)) {
        this.metrics.updateIgnored('waba');
        this.logger.debug(messages.notAllowed('WABA', change.entryId, change.field));
        return false;
      }
      const phone = (change.value as { metadata?: { phone_number_id?: unknown } } | null)?.metadata
        ?.phone_number_id;
      if (allowedPhoneNumberIds && typeof phone === 'string' && !allowedPhoneNumberIds.has(phone)) {
        this.metrics.updateIgnored('phone_number');
        this.logger.debug(messages.notAllowed('phone number', phone, change.field));
        return false;
      }
      return true;
    });
    return changes.length === webhook.changes.length ? webhook : { ...webhook, changes };
  }

  private async deduplicate(
    webhook: ReceivedWebhook,
  ): Promise<{ fresh: ReceivedWebhook; claimed: string[] }> {
    const dedup = this.options.deduplication;
    const store = this.store;
    if (!dedup || !store || webhook.changes.length === 0) return { fresh: webhook, claimed: [] };
    const plans: ChangePlan[] = webhook.changes.map((change) => planChange(change, dedup.key));
    const keys = plans.flatMap(planKeys);
    let results: boolean[];
    try {
      results = await store.claim(keys, dedup.ttlMs);
    } catch (error) {
      this.logger.error(messages.dedupStoreFailed(error));
      throw new ServiceUnavailableException(messages.dedupStoreFailed(error));
    }
    const claimed = keys.filter((_, i) => results[i]);
    if (claimed.length === keys.length) return { fresh: webhook, claimed };
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
