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
}

/** Per-call options of every `SubscriptionService` method that acts on a WABA or phone number. */
export interface GraphRequestOptions {
  /**
   * Token for this call, instead of the module's `accessToken` (e.g. a tech provider's
   * Business Integration System User token of a client's WABA). Sent as
   * `Authorization: Bearer …`, never logged.
   */
  accessToken?: string;
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
