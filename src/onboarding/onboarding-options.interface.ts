import type { EnsureSubscribedOptions } from '../subscriptions/subscription.types.js';
import type { AccountUpdateValue } from '../types/account.types.js';

/**
 * An `account_update` change with `event: 'PARTNER_ADDED'`: a business customer completed
 * Embedded Signup and shared its WABA with this partner.
 */
export interface WabaPartnerAddedEvent {
  /** The customer's WABA ID (`value.waba_info.waba_id`): the WABA to subscribe to. */
  readonly wabaId: string;
  /** The customer's business portfolio ID (`value.waba_info.owner_business_id`). */
  readonly ownerBusinessId?: string;
  /** `entry[].id`: the partner's own business portfolio ID, not the customer's WABA. */
  readonly entryId: string;
  /** `entry[].time` (unix seconds). */
  readonly time?: number;
  /** The `account_update` value as received (validated). */
  readonly value: AccountUpdateValue;
  /** Name of the app whose secret verified the request, when the module has named `apps`. */
  readonly app?: string;
}

/**
 * Decides, per onboarded customer, how to subscribe: the options of `ensureSubscribed()` (an
 * override callback URL per tenant, the tenant's own access token), or `false` to leave this
 * WABA alone.
 */
export type WabaAutoSubscribeResolver = (
  event: WabaPartnerAddedEvent,
) => EnsureSubscribedOptions | false | Promise<EnsureSubscribedOptions | false>;

/**
 * Embedded Signup automation: subscribe this app to every WABA a business customer shares with
 * it, as Meta asks ("You need to individually subscribe to every WABA for which you wish to
 * receive Webhooks").
 *
 * @see https://developers.facebook.com/documentation/business-messaging/whatsapp/embedded-signup/webhooks
 */
export interface WabaOnboardingOptions {
  /**
   * `true`: on every `account_update` with `event: 'PARTNER_ADDED'`, call
   * `SubscriptionService.ensureSubscribed(waba_info.waba_id)` (subscribe when this app is not
   * subscribed yet; an existing override is kept). A function: its result is passed to
   * `ensureSubscribed()` (e.g. `{ overrideCallbackUri, verifyToken }` per tenant), `false`
   * skips the WABA.
   *
   * @example
   * onboarding: {
   *   autoSubscribe: async ({ wabaId }) => {
   *     const tenant = await tenants.byWaba(wabaId);
   *     return tenant ? { overrideCallbackUri: tenant.webhookUrl, verifyToken: tenant.verifyToken } : false;
   *   },
   * }
   */
  autoSubscribe: true | WabaAutoSubscribeResolver;
}
