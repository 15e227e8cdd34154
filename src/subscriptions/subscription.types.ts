/**
 * Retry policy of the Graph API calls made by `SubscriptionService`. Transient failures (HTTP
 * 5xx and 429, network errors, timeouts, throttling codes such as 4, 17, 80007 and 80008, and
 * errors Meta marks `is_transient`) are retried with exponential backoff and full jitter;
 * permanent ones (190, 100, 200–299, 10, 368…) are thrown at once.
 */
export interface GraphApiRetryOptions {
  /**
   * Attempts per call, the first one included (`1` disables retries).
   *
   * @default 3
   */
  attempts?: number;

  /**
   * Backoff before retry *n* is a random delay between 0 and
   * `min(maxDelayMs, baseDelayMs × 2^(n−1))` ("full jitter").
   *
   * @default 500
   */
  baseDelayMs?: number;

  /**
   * Upper bound of one backoff delay.
   *
   * @default 10000
   */
  maxDelayMs?: number;

  /**
   * Longest wait honoured when Meta says when calls will be accepted again
   * (`estimated_time_to_regain_access` of `X-Business-Use-Case-Usage`, in minutes, or
   * `Retry-After`). A longer wait is not slept: the `GraphApiError` is thrown at once with
   * `retryAfterMs`, so the caller can schedule the call later. `0` never waits.
   *
   * @default 60000
   */
  maxWaitMs?: number;

  /**
   * How long calls for a WABA are held back after Meta answered one of them with a rate-limit
   * error (codes 4, 17, 32, 613, 80007, 80008) without saying for how long (no
   * `estimated_time_to_regain_access`, no `Retry-After`). Within that window a call for the
   * WABA waits when the rest of the window is at most `maxWaitMs`, and otherwise fails at once
   * with a `'throttled'` `GraphApiError`, without a request. `0` holds nothing back in that case
   * (a time Meta gives is always honoured).
   *
   * @default 60000
   */
  throttleWindowMs?: number;
}

/**
 * What an {@link AccessTokenResolver} is asked for: the WABA (or phone number) the call acts
 * on. Both are absent for calls that act on neither (e.g. `GET /app`, which resolves the app ID).
 */
export interface AccessTokenContext {
  /** The WABA the call acts on (`/{WABA_ID}/subscribed_apps`). */
  readonly wabaId?: string;
  /** The business phone number the call acts on (`/{PHONE_NUMBER_ID}`). */
  readonly phoneNumberId?: string;
}

/**
 * Looks up the access token of one call, e.g. the Business Integration System User token a
 * tech provider stored for each client WABA at Embedded Signup. Called before every call,
 * after its arguments were checked; it must resolve to a non-empty token. A function that
 * throws or returns an empty string fails the call with a `WabaAccessTokenError` naming
 * the WABA, and nothing is sent.
 *
 * @example
 * accessToken: async ({ wabaId }) =>
 *   wabaId ? (await tokens.findByWaba(wabaId)).token : process.env.WHATSAPP_ACCESS_TOKEN!,
 */
export type AccessTokenResolver = (context: AccessTokenContext) => string | Promise<string>;

/** Per-call options of every `SubscriptionService` method that acts on a WABA or phone number. */
export interface GraphRequestOptions {
  /**
   * Token for this call, instead of the module's `accessToken` (e.g. a tech provider's
   * Business Integration System User token of a client's WABA), or a function that looks it
   * up from the WABA. Sent as `Authorization: Bearer …`, never logged.
   */
  accessToken?: string | AccessTokenResolver;
}

/** Subscribe the app to a WABA without a callback override. */
export interface PlainSubscribeOptions extends GraphRequestOptions {
  overrideCallbackUri?: undefined;
  verifyToken?: undefined;
}

/** A WABA-level callback override: both the URI and its verify token are required. */
export interface CallbackOverride {
  /**
   * HTTPS URL (at most 200 characters) that receives this WABA's (or phone number's) webhooks
   * of the fields that follow overrides. It must already answer Meta's verification handshake
   * with `verifyToken` when the override is set.
   */
  overrideCallbackUri: string;

  /** The `hub.verify_token` Meta sends to `overrideCallbackUri` in the handshake. */
  verifyToken: string;
}

/** Subscribe the app to a WABA and route its webhooks to an override callback URI. */
export interface OverrideSubscribeOptions extends GraphRequestOptions, CallbackOverride {}

/**
 * Options of `SubscriptionService.subscribe()`: either no override, or `overrideCallbackUri`
 * together with `verifyToken` (one without the other does not type-check).
 */
export type SubscribeOptions = PlainSubscribeOptions | OverrideSubscribeOptions;

/**
 * Options of `SubscriptionService.ensureSubscribed()`: no override (whatever override the WABA
 * has is kept), or `overrideCallbackUri` together with `verifyToken` (the override to be in
 * force).
 */
export interface EnsureSubscribedOptions extends GraphRequestOptions {
  /**
   * HTTPS URL (at most 200 characters) that must receive this WABA's webhooks of the fields
   * that follow overrides; it must already answer Meta's verification handshake with
   * `verifyToken`. Requires `verifyToken`.
   */
  overrideCallbackUri?: string;
  /** The `hub.verify_token` Meta sends to `overrideCallbackUri`. Requires `overrideCallbackUri`. */
  verifyToken?: string;
}

/** What `SubscriptionService.ensureSubscribed()` found and did. */
export interface EnsureSubscribedResult {
  /** `true` when a POST was sent (the app was subscribed, or its override changed). */
  changed: boolean;
  /** This app's subscription to the WABA as it now stands. */
  subscription: SubscribedApp;
}

/** One app subscribed to a WABA, as listed by `SubscriptionService.list()`. */
export interface SubscribedApp {
  /** The app ID (`whatsapp_business_api_data.id`). */
  id: string;
  /** The app name. */
  name?: string;
  /** Link to the app. */
  link?: string;
  /** The WABA-level callback override of this app, when one is set. */
  overrideCallbackUri?: string;
}

/**
 * Where Meta routes a phone number's webhooks (`GET /{PHONE_NUMBER_ID}?fields=webhook_configuration`):
 * phone number override › WABA override › app callback URL.
 */
export interface PhoneNumberWebhookConfiguration {
  /** The phone number ID. */
  id: string;
  /** The phone-number-level override (`webhook_configuration.phone_number`), when set. */
  phoneNumberOverrideCallbackUri?: string;
  /** The WABA-level override (`webhook_configuration.whatsapp_business_account`), when set. */
  wabaOverrideCallbackUri?: string;
  /** The app's callback URL (`webhook_configuration.application`). */
  appCallbackUri?: string;
  /** The first of the three that is set: where fields that follow overrides are delivered. */
  effectiveCallbackUri?: string;
}

/** Parameters of `SubscriptionService.subscribeApp()`. */
export interface SubscribeAppOptions {
  /** The app-level callback URL (HTTPS); every field that does not follow overrides goes there. */
  callbackUrl: string;
  /** The `hub.verify_token` Meta sends to `callbackUrl` in the handshake. */
  verifyToken: string;
  /** The fields to subscribe, e.g. `['messages', 'message_template_status_update']`. */
  fields: readonly string[];
  /** An app access token (`{app-id}|{app-secret}`); sent as `Authorization: Bearer …`. */
  appAccessToken: string;
}

/** Parameters of `SubscriptionService.listAppSubscriptions()`. */
export interface ListAppSubscriptionsOptions {
  /** An app access token (`{app-id}|{app-secret}`); sent as `Authorization: Bearer …`. */
  appAccessToken: string;
}

/** Parameters of `SubscriptionService.deleteAppSubscription()`. */
export interface DeleteAppSubscriptionOptions {
  /**
   * Only these fields are removed from the app's subscription, e.g. `['calls']`; without them
   * the whole `whatsapp_business_account` subscription is deleted.
   */
  fields?: readonly string[];
  /**
   * An app access token (`{app-id}|{app-secret}`); sent as `Authorization: Bearer …`.
   *
   * @default the module's `accessToken`, which must then be an app access token
   */
  appAccessToken?: string;
}

/** The app's `whatsapp_business_account` subscription, as listed by `listAppSubscriptions()`. */
export interface AppSubscription {
  /** Always `'whatsapp_business_account'`. */
  object: string;
  /** The app-level callback URL. */
  callbackUrl?: string;
  /** Whether the subscription is active. */
  active?: boolean;
  /** Subscribed fields, each with the Graph version its payloads follow. */
  fields: { name: string; version?: string }[];
}

/**
 * One entry of the `X-Business-Use-Case-Usage` header: the usage of one use case of one
 * business object (a WABA or business ID). Percentages are of the limit; throttling may start
 * at 100.
 *
 * @see https://developers.facebook.com/docs/graph-api/overview/rate-limiting
 */
export interface BusinessUseCaseUsage {
  /** The business object ID the header keyed this entry by. */
  businessObjectId: string;
  /** Use case, e.g. `'whatsapp_business_management'`. */
  type?: string;
  /** Calls made, in percent of the limit. */
  callCount?: number;
  /** CPU time used, in percent of the limit. */
  totalCpuTime?: number;
  /** Total time used, in percent of the limit. */
  totalTime?: number;
  /** Minutes until calls are no longer throttled (Meta's `estimated_time_to_regain_access`). */
  estimatedTimeToRegainAccessMinutes?: number;
  /** Ads only. */
  adsApiAccessTier?: string;
}

/** The app-level usage of the `X-App-Usage` header, in percent of the limit. */
export interface AppUsage {
  callCount?: number;
  totalCpuTime?: number;
  totalTime?: number;
}

/** Rate-limit usage reported by a Graph API response. */
export interface GraphApiUsage {
  /** Every entry of `X-Business-Use-Case-Usage` (all keys, all array items). */
  businessUseCase: BusinessUseCaseUsage[];
  /** `X-App-Usage`, when present. */
  app?: AppUsage;
  /**
   * The longest `estimated_time_to_regain_access` over all entries, in milliseconds (`0` when
   * not throttled).
   */
  regainAccessInMs: number;
}
