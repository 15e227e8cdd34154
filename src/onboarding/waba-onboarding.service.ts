import { type BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { WabaEventDispatcher } from '../events/waba-event.dispatcher.js';
import { SubscriptionService } from '../subscriptions/subscription.service.js';
import { GraphApiError } from '../subscriptions/graph-api.error.js';
import type { AccountUpdateValue } from '../types/account.types.js';
import type { ReceivedChange } from '../events/waba-dispatch.types.js';
import { messages } from '../whatsapp-webhooks.messages.js';
import type {
  WabaOnboardingOptions,
  WabaPartnerAddedEvent,
} from './onboarding-options.interface.js';
import { ONBOARDING_OPTIONS } from './onboarding.options.js';

/** Whether a validated change is an `account_update` with `event: 'PARTNER_ADDED'` and a WABA. */
export function isPartnerAdded(change: ReceivedChange): boolean {
  if (change.field !== 'account_update' || change.errors) return false;
  const value = change.value as Partial<AccountUpdateValue> | null;
  return value?.event === 'PARTNER_ADDED' && typeof value.waba_info?.waba_id === 'string';
}

/**
 * Embedded Signup automation (`onboarding.autoSubscribe`): subscribes this app to the WABA of
 * each `PARTNER_ADDED` webhook with `SubscriptionService.ensureSubscribed()` and tells
 * `@OnWabaOnboarded()` / `@OnWabaOnboardingFailed()` listeners. Direct mode runs it in the
 * background of the acknowledgement (the Graph retry policy retries it); queue mode runs it as
 * its own durable job in the workers.
 *
 * @internal
 */
@Injectable()
export class WabaOnboardingService implements BeforeApplicationShutdown {
  private readonly logger = new Logger('WhatsAppWebhooks');
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    @Inject(ONBOARDING_OPTIONS)
    private readonly settings: WabaOnboardingOptions | null,
    private readonly subscriptions: SubscriptionService,
    private readonly dispatcher: WabaEventDispatcher,
  ) {}

  /** Whether onboarding automation is on. */
  get enabled(): boolean {
    return this.settings !== null;
  }

  /** The onboarding event of a change, when onboarding is on and the change is `PARTNER_ADDED`. */
  eventOf(change: ReceivedChange, app?: string): WabaPartnerAddedEvent | undefined {
    if (!this.settings || !isPartnerAdded(change)) return undefined;
    const value = change.value as AccountUpdateValue;
    const info = value.waba_info!;
    return {
      wabaId: info.waba_id,
      ...(info.owner_business_id ? { ownerBusinessId: info.owner_business_id } : {}),
      entryId: change.entryId,
      ...(change.time === undefined ? {} : { time: change.time }),
      value,
      ...(app === undefined ? {} : { app }),
    };
  }

  /** Direct mode: onboards in the background; a final failure is dispatched, never thrown. */
  start(event: WabaPartnerAddedEvent): void {
    const run = this.onboard(event).then(undefined, (error: unknown) =>
      this.failed(event, error, error instanceof GraphApiError ? error.attempts : 1),
    );
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
  }

  /**
   * Subscribes (unless the resolver says `false`) and dispatches `@OnWabaOnboarded()`. Throws
   * what `ensureSubscribed()` throws, for the caller to retry or report.
   */
  async onboard(event: WabaPartnerAddedEvent): Promise<void> {
    const autoSubscribe = this.settings!.autoSubscribe;
    const options = autoSubscribe === true ? {} : await autoSubscribe(event);
    if (options === false) {
      this.logger.debug(messages.onboardingSkipped(event.wabaId));
      return;
    }
    const { changed, subscription } = await this.subscriptions.ensureSubscribed(
      event.wabaId,
      options,
    );
    this.logger.log(messages.onboarded(event.wabaId, changed));
    await this.dispatcher.dispatchOnboarded({
      wabaId: event.wabaId,
      ...(event.ownerBusinessId === undefined ? {} : { ownerBusinessId: event.ownerBusinessId }),
      entryId: event.entryId,
      changed,
      subscription,
      ...(event.app === undefined ? {} : { app: event.app }),
    });
  }

  /** Reports a WABA that could not be subscribed to, once every attempt failed. */
  async failed(event: WabaPartnerAddedEvent, error: unknown, attempts: number): Promise<void> {
    const cause = error instanceof Error ? error : new Error(String(error));
    this.logger.error(messages.onboardingFailed(event.wabaId, attempts, cause.message));
    await this.dispatcher.dispatchOnboardingFailed({
      wabaId: event.wabaId,
      entryId: event.entryId,
      error: cause,
      attempts,
      ...(event.app === undefined ? {} : { app: event.app }),
    });
  }

  /** Resolves once no background onboarding is in flight. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.settled();
  }
}
