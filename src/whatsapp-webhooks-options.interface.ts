import type {
  WabaDeduplicationOptions,
  WabaDeliveryOptions,
} from './delivery/delivery-options.interface.js';
import type { ResolvedDeliveryOptions } from './delivery/delivery.options.js';
import type { ResolvedMetricsOptions, WabaMetricsOptions } from './metrics/metrics.options.js';
import type {
  ResolvedSignatureOptions,
  ResolvedValidationOptions,
  WabaAppConfig,
} from './webhook/webhook.options.js';
import type { ResolvedGraphApiOptions } from './subscriptions/graph-api.options.js';
import type {
  AccessTokenResolver,
  GraphApiRetryOptions,
} from './subscriptions/subscription.types.js';
import type { ResolvedMtlsOptions, WhatsAppMtlsOptions } from './mtls/mtls-options.interface.js';
import type { WabaOnboardingOptions } from './onboarding/onboarding-options.interface.js';
import type { Type } from '@nestjs/common';
import type { WhatsAppMtlsGuard } from './mtls/whatsapp-mtls.guard.js';
import type { WhatsAppSignatureGuard } from './webhook/whatsapp-signature.guard.js';

/**
 * Options of {@link WhatsAppWebhooksModule}: pass them to `forRoot()` or return them from the
 * `useFactory` of `forRootAsync()`.
 */
export interface WhatsAppWebhooksModuleOptions {
  /**
   * The App Secret (App Dashboard › App settings › Basic) used to verify
   * `X-Hub-Signature-256`. Several secrets (rotation, several Meta apps posting to one receiver):
   * a request passes if any of them matches. Required unless `apps` is given.
   */
  appSecret?: string | readonly string[];

  /**
   * The verify token Meta sends in the GET handshake (`hub.verify_token`). Several tokens are
   * accepted (the app token plus every callback override's own token). Required unless `apps`
   * gives verify tokens.
   */
  verifyToken?: string | readonly string[];

  /**
   * Several Meta apps posting to one receiver, by name: each event carries the name of the app
   * whose secret verified the request (`event.app`), and listeners can filter on it
   * (`@OnWaba('messages', { app: 'shop' })`). Combines with `appSecret` (whose events carry no
   * app name).
   */
  apps?: readonly WabaAppConfig[];

  /**
   * Only these WABA IDs (`entry[].id`) are emitted; updates of others are acknowledged (so Meta
   * does not retry them for days), counted and logged at debug level, but not emitted.
   */
  allowedWabaIds?: readonly string[];

  /** Only updates of these business phone numbers (`value.metadata.phone_number_id`) are emitted. */
  allowedPhoneNumberIds?: readonly string[];

  /**
   * What to do with a change of a known field whose `value` fails its DTO:
   * - `'emit'` (default): acknowledge the request, log a warning and emit the change to
   *   `@OnWabaInvalid()` listeners only. Meta would redeliver a rejected request for days, and a
   *   retry cannot fix a payload.
   * - `'reject'`: answer 400 and emit nothing from that request.
   *
   * @default 'emit'
   */
  onInvalidValue?: 'emit' | 'reject';

  /**
   * When listeners run relative to the 200 acknowledgement:
   * - `'before-listeners'` (default): answer 200 as soon as the request is verified and
   *   validated, then run listeners. A failing listener is logged, never turned into an error
   *   response. Meta asks for fast answers and redelivers slow ones.
   * - `'after-listeners'`: await every listener, answer 500 if any failed so that Meta redelivers
   *   the whole request (listeners must then be idempotent).
   *
   * @default 'before-listeners'
   */
  acknowledge?: 'before-listeners' | 'after-listeners';

  /**
   * Deduplication of redelivered updates, on by default (in memory; in Redis in queue mode):
   * an update reaches listeners once. `false` turns it off.
   *
   * @default true
   */
  deduplication?: boolean | WabaDeduplicationOptions;

  /**
   * Where listeners run. `{ mode: 'queue', connection }` makes delivery durable on BullMQ/Redis.
   *
   * @default { mode: 'direct' }
   */
  delivery?: WabaDeliveryOptions;

  /**
   * Prometheus metrics (prom-client, an optional peer dependency): requests by outcome,
   * answer-time histogram, changes received, duplicates dropped, events emitted per field,
   * listener failures, queue depth. `true` registers them in prom-client's default registry.
   *
   * @default false
   */
  metrics?: boolean | WabaMetricsOptions;

  /**
   * Default access token of `SubscriptionService`'s Graph API calls: a System User token with
   * `whatsapp_business_management` (sent as `Authorization: Bearer …`, never logged), or a
   * function that looks the token up for the WABA a call acts on — e.g. each client's Business
   * Integration System User token, for a tech provider. A function that throws or gives an
   * empty string fails the call with a `WabaAccessTokenError` naming the WABA, before any
   * request. Every method also takes `{ accessToken }` per call. Not needed to receive webhooks.
   *
   * @example
   * accessToken: ({ wabaId }) => clientTokens.get(wabaId!) ?? process.env.WHATSAPP_ACCESS_TOKEN!,
   */
  accessToken?: string | AccessTokenResolver;

  /**
   * This Meta app's ID (App Dashboard › App settings › Basic), digits only: how
   * `SubscriptionService.ensureSubscribed()` finds the app among a WABA's subscribed apps. When
   * it is not set, the service asks the Graph API once per token (`GET /app`) and keeps the
   * answer.
   */
  appId?: string;

  /**
   * Graph API version of `SubscriptionService`'s calls, like `'v27.0'`.
   *
   * @default 'v27.0'
   * @see https://developers.facebook.com/docs/graph-api/changelog
   */
  graphApiVersion?: string;

  /**
   * Origin of the Graph API; point it at a proxy or a local stand-in in tests.
   *
   * @default 'https://graph.facebook.com'
   */
  graphApiBaseUrl?: string;

  /**
   * Timeout of one Graph API request, in milliseconds; a timeout is a transient
   * `GraphApiError` and is retried.
   *
   * @default 10000
   */
  requestTimeoutMs?: number;

  /**
   * Retries of transient Graph API failures.
   *
   * @default { attempts: 3, baseDelayMs: 500, maxDelayMs: 10000, maxWaitMs: 60000 }
   */
  retry?: GraphApiRetryOptions;

  /**
   * Require Meta's client certificate (mTLS) on webhook POSTs, checked before the signature:
   * `{ mode: 'tls' }` when Node terminates TLS (`httpsOptions` with `requestCert: true` and
   * Meta's CA), or `{ mode: 'proxy-header', header, trustedProxies }` when a proxy verifies the
   * certificate and forwards its subject. Both take `expectedCn`
   * (default `'client.webhooks.fbclientcerts.com'`). mTLS complements the signature check, never
   * replaces it. Unset: no mTLS check.
   *
   * @see https://developers.facebook.com/docs/graph-api/webhooks/getting-started#mtls-for-webhooks
   */
  mtls?: WhatsAppMtlsOptions;

  /**
   * Embedded Signup automation for tech providers: `{ autoSubscribe: true }` subscribes this app
   * to the WABA of every `account_update` webhook with `event: 'PARTNER_ADDED'` (a customer
   * finished Embedded Signup), with `SubscriptionService.ensureSubscribed()`, and tells
   * `@OnWabaOnboarded()` / `@OnWabaOnboardingFailed()` listeners. A function instead of `true`
   * chooses the options per WABA (an override URL per tenant) or skips it (`false`). Needs an
   * `accessToken` that can manage the customers' WABAs.
   */
  onboarding?: WabaOnboardingOptions;
}

/**
 * Options that shape the module's routes, so they are read when the module is defined: pass
 * them beside the other options in `forRoot()`, and at the top level of `forRootAsync()` (not
 * from the factory).
 */
export interface WhatsAppWebhooksModuleExtras {
  /**
   * Route of the webhook endpoint; GET (handshake) and POST (notifications) both live here.
   *
   * @default 'webhooks/whatsapp'
   */
  path?: string;

  /**
   * A subclass of `WhatsAppSignatureGuard` to put in front of the POST route instead of the
   * module's own (e.g. to count or report rejections, or to add a check). It is instantiated in
   * the module's scope: its constructor can inject the module's options and global providers.
   *
   * @example
   * \@Injectable()
   * class CountingSignatureGuard extends WhatsAppSignatureGuard {
   *   override canActivate(context: ExecutionContext): boolean {
   *     try { return super.canActivate(context); }
   *     catch (error) { rejections.inc(); throw error; }
   *   }
   * }
   * WhatsAppWebhooksModule.forRoot({ appSecret, verifyToken, signatureGuard: CountingSignatureGuard });
   */
  signatureGuard?: Type<WhatsAppSignatureGuard>;

  /** A subclass of `WhatsAppMtlsGuard` to use instead of the module's own (see `signatureGuard`). */
  mtlsGuard?: Type<WhatsAppMtlsGuard>;
}

/** The options after defaults were applied and values checked: one slice per concern. */
export interface ResolvedWhatsAppWebhooksOptions {
  readonly signature: ResolvedSignatureOptions;
  readonly validation: ResolvedValidationOptions;
  readonly delivery: ResolvedDeliveryOptions;
  /** `null` when onboarding automation is off. */
  readonly onboarding: WabaOnboardingOptions | null;
  /** Graph API settings of `SubscriptionService`. */
  readonly graphApi: ResolvedGraphApiOptions;
  /** `null` when mTLS is off. */
  readonly mtls: ResolvedMtlsOptions | null;
  /** `null` when metrics are off. */
  readonly metrics: ResolvedMetricsOptions | null;
}

export type { WabaAppConfig } from './webhook/webhook.options.js';
export type { WabaMetricsOptions, WabaMetricsRegistry } from './metrics/metrics.options.js';
