import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ReceivedWebhook } from '../events/waba-dispatch.types.js';
import { WabaMetrics } from '../metrics/waba-metrics.js';
import { isPartnerAdded } from '../onboarding/waba-onboarding.service.js';
import { messages } from '../whatsapp-webhooks.messages.js';
import { WABA_DELIVERY_STRATEGY, type WabaDeliveryStrategy } from './delivery.strategy.js';
import { DELIVERY_OPTIONS, type ResolvedDeliveryOptions } from './delivery.options.js';

/**
 * The delivery step of the POST route: counts what arrived, drops what the allow-lists exclude
 * (acknowledged — a retry cannot change them — counted, not emitted), and hands the rest to the
 * delivery strategy chosen at bootstrap (direct or queue). Nothing is acknowledged unless it was
 * delivered or safely queued.
 *
 * @internal
 */
@Injectable()
export class WabaDeliveryService {
  private readonly logger = new Logger('WhatsAppWebhooks');

  constructor(
    @Inject(DELIVERY_OPTIONS)
    private readonly options: ResolvedDeliveryOptions,
    @Inject(WABA_DELIVERY_STRATEGY) private readonly strategy: WabaDeliveryStrategy,
    private readonly metrics: WabaMetrics,
  ) {}

  /**
   * Resolves once the updates accepted so far have reached their listeners: the dispatches in
   * flight in direct mode; in queue mode, once this instance's worker has drained the queue.
   * For the test kit (`postWebhook` waits on it).
   */
  settled(): Promise<void> {
    return this.strategy.settled();
  }

  /** See {@link WabaDeliveryStrategy.accept}: synchronous when the strategy is. */
  accept(received: ReceivedWebhook): Promise<void> | void {
    if (this.metrics.enabled) this.metrics.changesReceived(received.changes.map((c) => c.field));
    return this.strategy.accept(this.allowedOnly(received));
  }

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
}
