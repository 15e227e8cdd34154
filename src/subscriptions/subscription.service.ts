import { HttpService } from '@nestjs/axios';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { GraphApiClient } from './graph-api.client.js';
import { GraphApiError } from './graph-api.error.js';
import type { ResolvedGraphApiOptions } from './graph-api.options.js';
import { subscriptionMessages as messages } from './subscription.messages.js';
import type {
  AccessTokenContext,
  AppSubscription,
  CallbackOverride,
  DeleteAppSubscriptionOptions,
  EnsureSubscribedOptions,
  EnsureSubscribedResult,
  GraphApiUsage,
  GraphRequestOptions,
  ListAppSubscriptionsOptions,
  PhoneNumberWebhookConfiguration,
  SubscribeAppOptions,
  SubscribedApp,
  SubscribeOptions,
} from './subscription.types.js';
import { WabaAccessTokenError } from './waba-access-token.error.js';
import { GRAPH_API_OPTIONS } from './graph-api.options.js';

/** Meta's limit on `override_callback_uri`. */
const MAX_OVERRIDE_URI_LENGTH = 200;

/** Pages followed at most by one listing call (a guard against a `paging.next` loop). */
const MAX_PAGES = 100;

/** App IDs remembered per token at most, when the `appId` option is not set. */
const MAX_CACHED_APP_IDS = 1_000;

const GRAPH_ID = /^\d+$/;

const FIELD_NAME = /^[a-z0-9_]+$/;

type Json = Record<string, unknown>;

function asRecord(value: unknown): Json | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
}

function optionalString(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  return typeof value === 'number' ? String(value) : undefined;
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function subscribedAppsPath(wabaId: string): string {
  return `/${wabaId}/subscribed_apps`;
}

/**
 * Whether Meta refused an override because the app is not subscribed to the WABA yet: error
 * #100, "(#100) Before override the current callback uri, your app must be subscribed…"
 * (protocol.md §13.3). Unless the listing already showed the app is not subscribed, the
 * message must say so, so that a #100 for another reason (a bad URI) never leads to a POST
 * without a body, which would clear the override in force.
 */
function needsSubscriptionFirst(error: unknown, knownUnsubscribed: boolean): boolean {
  if (!(error instanceof GraphApiError) || error.kind !== 'graph-error' || error.code !== 100) {
    return false;
  }
  return knownUnsubscribed || /before override|must be subscribed/i.test(error.message);
}

/**
 * Manages which WhatsApp Business Accounts send webhooks to the app, and where they send them,
 * through the Graph API: `/{WABA_ID}/subscribed_apps` (subscribe, list, unsubscribe, WABA-level
 * callback override), `webhook_configuration` of a phone number (phone-level override) and
 * `/{APP_ID}/subscriptions` (the app-level callback URL).
 *
 * Webhooks only arrive for a WABA after the app is subscribed to it, even though the App
 * Dashboard's "Test" button works without a subscription. {@link ensureSubscribed} makes sure
 * of it without ever clearing an override.
 *
 * Calls go through `@nestjs/axios`'s `HttpService` with `Authorization: Bearer <token>` (the
 * module's `accessToken`, or `{ accessToken }` per call; either may be a function that looks
 * the token up per WABA). Every failure is a {@link GraphApiError}; transient ones (5xx, 429,
 * throttling codes, network errors, timeouts) are retried with exponential backoff and full
 * jitter as configured by the module's `retry` option. Rate limits are kept per WABA: while Meta
 * throttles one, its calls wait or fail without a request, and other WABAs are unaffected.
 * Arguments are checked before any request is sent. Tokens never reach logs or errors.
 *
 * @example
 * \@Injectable()
 * export class Onboarding {
 *   constructor(private readonly subscriptions: SubscriptionService) {}
 *
 *   async onboard(wabaId: string, clientToken: string) {
 *     const { changed } = await this.subscriptions.ensureSubscribed(wabaId, {
 *       overrideCallbackUri: `https://hooks.example.com/waba/${wabaId}`,
 *       verifyToken: process.env.WHATSAPP_VERIFY_TOKEN!,
 *       accessToken: clientToken,
 *     });
 *   }
 * }
 *
 * @see https://developers.facebook.com/documentation/business-messaging/whatsapp/solution-providers/manage-webhooks
 */
@Injectable()
export class SubscriptionService {
  protected readonly logger = new Logger(SubscriptionService.name);
  private readonly graph: GraphApiClient;
  private readonly graphOptions: ResolvedGraphApiOptions;
  /** App IDs resolved through `GET /app`, by a hash of the token (never the token itself). */
  private readonly appIds = new Map<string, Promise<string>>();
  /** The last queued change of each WABA's subscription (settled: it never rejects). */
  private readonly changing = new Map<string, Promise<unknown>>();

  constructor(
    http: HttpService,
    @Inject(GRAPH_API_OPTIONS)
    options: ResolvedGraphApiOptions,
  ) {
    this.graphOptions = options;
    this.graph = new GraphApiClient(http, options, this.logger, (ms) => this.sleep(ms));
  }

  /**
   * Makes sure this app is subscribed to a WABA, with the given override if one is asked,
   * sending a POST only when something must change and never a POST that would clear an
   * override. It lists the WABA's subscribed apps (every page) and finds this app by its ID
   * (the module's `appId`, or `GET /app` with the token, once per token):
   *
   * - not subscribed → one POST, carrying `override_callback_uri` and `verify_token` when an
   *   override is asked → `changed: true`. (Should Meta answer #100, "subscribe before an
   *   override", it is subscribed with a POST without a body, then the override is POSTed —
   *   there is no override yet to lose.)
   * - subscribed, no override asked → no POST; whatever override is set is kept →
   *   `changed: false`.
   * - subscribed, another override asked (or none set yet) → exactly one POST with the override
   *   → `changed: true`.
   * - subscribed with that same override URI → no POST → `changed: false` (Meta never returns
   *   the verify token, so only the URI is compared).
   *
   * Safe to call again and again (e.g. on every `PARTNER_ADDED` webhook or at each start).
   * Concurrent calls for one WABA in this process run one after another (and so do that
   * WABA's {@link subscribe}, {@link unsubscribe} and {@link clearOverride}): the second sees
   * the first's POST and sends none. Across instances the calls stay idempotent on Meta's side.
   *
   * @returns whether a POST was sent, and this app's subscription as it now stands.
   * @throws TypeError before any request, for a WABA ID that is not numeric, an override URI
   *   that is not https or longer than 200 characters, or one of `overrideCallbackUri` /
   *   `verifyToken` without the other.
   * @throws {@link WabaAccessTokenError} before any request, when the `accessToken` function
   *   throws or gives no token for this WABA.
   * @throws {@link GraphApiError} when the Graph API refuses or cannot be reached (kind
   *   `'throttled'` when Meta throttles this WABA for longer than `retry.maxWaitMs`).
   *
   * @example
   * const { changed, subscription } = await subscriptions.ensureSubscribed(wabaId, {
   *   overrideCallbackUri: `https://hooks.example.com/waba/${wabaId}`,
   *   verifyToken: process.env.WHATSAPP_OVERRIDE_VERIFY_TOKEN!,
   * });
   */
  async ensureSubscribed(
    wabaId: string,
    options?: EnsureSubscribedOptions,
  ): Promise<EnsureSubscribedResult> {
    const id = this.graphId('wabaId', wabaId);
    const override = this.overrideOf(options);
    return this.oneAtATime(id, () => this.ensureNow(id, override, options));
  }

  private async ensureNow(
    id: string,
    override: CallbackOverride | undefined,
    options: EnsureSubscribedOptions | undefined,
  ): Promise<EnsureSubscribedResult> {
    const token = await this.tokenFor({ wabaId: id }, options);
    const appId = await this.appIdFor(token);
    const current = (await this.listSubscribedApps(id, token)).find((app) => app.id === appId);
    if (!current) {
      await this.postSubscription(id, token, override, true);
      return {
        changed: true,
        subscription: withoutUndefined({
          id: appId,
          overrideCallbackUri: override?.overrideCallbackUri,
        }),
      };
    }
    if (!override || current.overrideCallbackUri === override.overrideCallbackUri) {
      return { changed: false, subscription: current };
    }
    await this.postOverride(id, token, override);
    return {
      changed: true,
      subscription: { ...current, overrideCallbackUri: override.overrideCallbackUri },
    };
  }

  /**
   * Subscribes the app to a WABA (`POST /{WABA_ID}/subscribed_apps`), so that its webhooks
   * are delivered at all.
   *
   * - Without an override: one POST without a body. **It clears an existing WABA override**
   *   (that is how Meta removes one); use {@link ensureSubscribed} to keep it.
   * - With `overrideCallbackUri` and `verifyToken`: one POST carrying the override, which routes
   *   the WABA's webhooks of the fields that follow overrides to that URI; a subscribed WABA
   *   never receives a POST without a body first, so its current override stays in force if
   *   the call fails. Only when Meta answers #100 "your app must be subscribed" (the app is not
   *   subscribed yet) is the plain POST sent, followed by the override again. Meta runs the
   *   verification handshake against the URI with the verify token before answering.
   *
   * @throws TypeError before any request, for a WABA ID that is not numeric, an override URI
   *   that is not https or longer than 200 characters, or one of `overrideCallbackUri` /
   *   `verifyToken` without the other.
   * @throws {@link WabaAccessTokenError} before any request, when the `accessToken` function
   *   throws or gives no token for this WABA.
   * @throws {@link GraphApiError} when the Graph API refuses or cannot be reached.
   */
  async subscribe(wabaId: string, options?: SubscribeOptions): Promise<void> {
    const id = this.graphId('wabaId', wabaId);
    const override = this.overrideOf(options);
    await this.oneAtATime(id, async () => {
      const token = await this.tokenFor({ wabaId: id }, options);
      await this.postSubscription(id, token, override, false);
    });
  }

  /**
   * Lists the apps subscribed to a WABA (`GET /{WABA_ID}/subscribed_apps`, following
   * `paging.next` to the last page), each with its WABA-level override when one is set. An
   * empty list means no app receives this WABA's webhooks.
   *
   * @throws {@link GraphApiError}
   */
  async list(wabaId: string, options?: GraphRequestOptions): Promise<SubscribedApp[]> {
    const id = this.graphId('wabaId', wabaId);
    return this.listSubscribedApps(id, await this.tokenFor({ wabaId: id }, options));
  }

  /**
   * This app's subscription to a WABA (its entry of {@link list}, found by the app ID), or
   * `undefined` when the app is not subscribed — i.e. when the WABA sends it no webhooks.
   *
   * @throws {@link GraphApiError}
   */
  async getSubscription(
    wabaId: string,
    options?: GraphRequestOptions,
  ): Promise<SubscribedApp | undefined> {
    const id = this.graphId('wabaId', wabaId);
    const token = await this.tokenFor({ wabaId: id }, options);
    const appId = await this.appIdFor(token);
    return (await this.listSubscribedApps(id, token)).find((app) => app.id === appId);
  }

  /**
   * This app's ID: the module's `appId` when set (no request), otherwise the `id` of
   * `GET /app` with the token, resolved once per token and kept. An `accessToken` function is
   * asked with an empty context (`{}`).
   *
   * @throws {@link GraphApiError} when the lookup fails or its answer has no numeric `id`.
   */
  async getAppId(options?: GraphRequestOptions): Promise<string> {
    if (this.graphOptions.appId !== undefined) return this.graphOptions.appId;
    return this.appIdFor(await this.tokenFor({}, options));
  }

  /**
   * Unsubscribes the app from a WABA (`DELETE /{WABA_ID}/subscribed_apps`): no webhooks of
   * this WABA reach the app any more. To only remove an override, use {@link clearOverride}.
   *
   * @throws {@link GraphApiError}
   */
  async unsubscribe(wabaId: string, options?: GraphRequestOptions): Promise<void> {
    const id = this.graphId('wabaId', wabaId);
    await this.oneAtATime(id, async () => {
      await this.graph.request({
        method: 'DELETE',
        path: subscribedAppsPath(id),
        wabaId: id,
        token: await this.tokenFor({ wabaId: id }, options),
        expect: 'success',
      });
    });
  }

  /**
   * Removes the WABA-level callback override (`POST /{WABA_ID}/subscribed_apps` without a
   * body, which is how Meta clears it); the app stays subscribed and the WABA's webhooks go
   * back to the app's callback URL (or to phone-number overrides).
   *
   * @throws {@link GraphApiError}
   */
  async clearOverride(wabaId: string, options?: GraphRequestOptions): Promise<void> {
    const id = this.graphId('wabaId', wabaId);
    await this.oneAtATime(id, async () => {
      await this.postPlain(id, await this.tokenFor({ wabaId: id }, options));
    });
  }

  /**
   * Routes one phone number's webhooks of the fields that follow overrides to another URI
   * (`POST /{PHONE_NUMBER_ID}` with `webhook_configuration`); it takes precedence over the
   * WABA override and the app URL. Meta runs the verification handshake against the URI.
   *
   * @throws TypeError before any request, for an ID that is not numeric, an URI that is not
   *   https or longer than 200 characters, or an empty verify token.
   * @throws {@link GraphApiError}
   */
  async setPhoneNumberOverride(
    phoneNumberId: string,
    override: CallbackOverride,
    options?: GraphRequestOptions,
  ): Promise<void> {
    const id = this.graphId('phoneNumberId', phoneNumberId);
    const checked = this.overrideOf(override ?? {});
    if (!checked) throw new TypeError(messages.overrideWithoutVerifyToken());
    await this.graph.request({
      method: 'POST',
      path: `/${id}`,
      token: await this.tokenFor({ phoneNumberId: id }, options),
      secrets: [checked.verifyToken],
      json: {
        webhook_configuration: {
          override_callback_uri: checked.overrideCallbackUri,
          verify_token: checked.verifyToken,
        },
      },
      expect: 'success',
    });
  }

  /**
   * Removes a phone number's override (`POST /{PHONE_NUMBER_ID}` with an empty
   * `override_callback_uri`); its webhooks go back to the WABA override or the app URL.
   *
   * @throws {@link GraphApiError}
   */
  async clearPhoneNumberOverride(
    phoneNumberId: string,
    options?: GraphRequestOptions,
  ): Promise<void> {
    const id = this.graphId('phoneNumberId', phoneNumberId);
    await this.graph.request({
      method: 'POST',
      path: `/${id}`,
      token: await this.tokenFor({ phoneNumberId: id }, options),
      json: { webhook_configuration: { override_callback_uri: '' } },
      expect: 'success',
    });
  }

  /**
   * Reads where a phone number's webhooks go (`GET /{PHONE_NUMBER_ID}?fields=webhook_configuration`):
   * its own override, the WABA override, the app URL, and the effective one among them.
   *
   * @throws {@link GraphApiError}
   */
  async getPhoneNumberWebhookConfiguration(
    phoneNumberId: string,
    options?: GraphRequestOptions,
  ): Promise<PhoneNumberWebhookConfiguration> {
    const id = this.graphId('phoneNumberId', phoneNumberId);
    const body = asRecord(
      await this.graph.request({
        method: 'GET',
        path: `/${id}`,
        query: { fields: 'webhook_configuration' },
        token: await this.tokenFor({ phoneNumberId: id }, options),
        expect: 'object',
      }),
    );
    const config = asRecord(body?.['webhook_configuration']) ?? {};
    const phoneNumberOverrideCallbackUri = optionalString(config['phone_number']);
    const wabaOverrideCallbackUri = optionalString(config['whatsapp_business_account']);
    const appCallbackUri = optionalString(config['application']);
    return withoutUndefined({
      id: optionalString(body?.['id']) ?? id,
      phoneNumberOverrideCallbackUri,
      wabaOverrideCallbackUri,
      appCallbackUri,
      effectiveCallbackUri:
        phoneNumberOverrideCallbackUri ?? wabaOverrideCallbackUri ?? appCallbackUri,
    });
  }

  /**
   * Sets the app-level callback URL, verify token and fields of the app's
   * `whatsapp_business_account` subscription (`POST /{APP_ID}/subscriptions`). Needs an app
   * access token; Meta runs the verification handshake against the URL.
   *
   * @throws TypeError before any request, for an app ID that is not numeric, a callback URL
   *   that is not https, an empty verify token or field list, or a missing app access token.
   * @throws {@link GraphApiError}
   * @see https://developers.facebook.com/docs/graph-api/reference/app/subscriptions/
   */
  async subscribeApp(appId: string, options: SubscribeAppOptions): Promise<void> {
    const path = `/${this.graphId('appId', appId)}/subscriptions`;
    const { callbackUrl, verifyToken, fields, appAccessToken } =
      options ?? ({} as Partial<SubscribeAppOptions>);
    this.checkCallbackUri('callbackUrl', callbackUrl, Infinity);
    this.checkVerifyToken('verifyToken', verifyToken);
    this.checkFields('subscribeApp', fields);
    await this.graph.request({
      method: 'POST',
      path,
      token: this.appTokenOf('subscribeApp', appAccessToken),
      secrets: [verifyToken],
      form: {
        object: 'whatsapp_business_account',
        callback_url: callbackUrl,
        verify_token: verifyToken,
        fields: fields.join(','),
      },
      expect: 'success',
    });
  }

  /**
   * Reads the app's `whatsapp_business_account` subscription (`GET /{APP_ID}/subscriptions`,
   * other objects left out): callback URL, whether it is active, and the fields with their
   * Graph versions. Needs an app access token.
   *
   * @throws {@link GraphApiError}
   */
  async listAppSubscriptions(
    appId: string,
    options: ListAppSubscriptionsOptions,
  ): Promise<AppSubscription[]> {
    const path = `/${this.graphId('appId', appId)}/subscriptions`;
    const token = this.appTokenOf('listAppSubscriptions', options?.appAccessToken);
    const items = await this.listAll(path, token);
    return items
      .filter((item) => item['object'] === 'whatsapp_business_account')
      .map((item) =>
        withoutUndefined({
          object: 'whatsapp_business_account',
          callbackUrl: optionalString(item['callback_url']),
          active: typeof item['active'] === 'boolean' ? item['active'] : undefined,
          fields: (Array.isArray(item['fields']) ? (item['fields'] as unknown[]) : []).flatMap(
            (field) => {
              if (typeof field === 'string') return [{ name: field }];
              const record = asRecord(field);
              const name = optionalString(record?.['name']);
              return name
                ? [withoutUndefined({ name, version: optionalString(record?.['version']) })]
                : [];
            },
          ),
        }),
      );
  }

  /**
   * Deletes the app's `whatsapp_business_account` subscription, or only some of its fields
   * (`DELETE /{APP_ID}/subscriptions` with `object=whatsapp_business_account` and, when given,
   * `fields`, in the query string of a real DELETE). Without an app-level subscription no
   * webhook of any WABA reaches the app. Needs an app access token.
   *
   * @throws TypeError before any request, for an app ID that is not numeric, an empty or
   *   malformed field list, or no token at all.
   * @throws {@link GraphApiError}
   * @see https://developers.facebook.com/docs/graph-api/reference/app/subscriptions/
   *
   * @example
   * // stop receiving `calls` webhooks, keep the other fields
   * await subscriptions.deleteAppSubscription(appId, { fields: ['calls'], appAccessToken });
   */
  async deleteAppSubscription(
    appId: string,
    options?: DeleteAppSubscriptionOptions,
  ): Promise<void> {
    const path = `/${this.graphId('appId', appId)}/subscriptions`;
    const { fields, appAccessToken } = options ?? {};
    if (fields !== undefined) this.checkFields('deleteAppSubscription', fields);
    const token =
      appAccessToken !== undefined
        ? this.appTokenOf('deleteAppSubscription', appAccessToken)
        : await this.tokenFor({}, undefined);
    await this.graph.request({
      method: 'DELETE',
      path,
      query: {
        object: 'whatsapp_business_account',
        ...(fields !== undefined ? { fields: fields.join(',') } : {}),
      },
      token,
      expect: 'success',
    });
  }

  /**
   * The rate-limit usage Meta last reported for a WABA (its entries of
   * `X-Business-Use-Case-Usage`, with the `X-App-Usage` of the same answer), or `undefined`
   * before any answer reported it. `regainAccessInMs > 0` means Meta throttles the WABA: its
   * calls wait or fail with a `'throttled'` {@link GraphApiError} until then.
   */
  getUsage(wabaId: string): GraphApiUsage | undefined {
    return this.graph.getUsage(wabaId);
  }

  /**
   * The rate-limit usage (`X-Business-Use-Case-Usage`, `X-App-Usage`) reported by the most
   * recent Graph API answer that carried it, whatever its WABA, or `undefined` before any did.
   *
   * @deprecated One value for every WABA and every concurrent call: use
   *   {@link getUsage | getUsage(wabaId)}.
   */
  getLastUsage(): GraphApiUsage | undefined {
    return this.graph.getLastUsage();
  }

  /**
   * Runs `change` of one WABA's subscription after the changes of that WABA called before it
   * (in this process) have settled, so that concurrent calls — a redelivered `PARTNER_ADDED`,
   * a start-up sweep, an operator's script — never read the same "not subscribed" and both
   * POST, and the last call's override is the one that stays. Other WABAs do not wait.
   */
  private oneAtATime<T>(wabaId: string, change: () => Promise<T>): Promise<T> {
    const previous = this.changing.get(wabaId);
    const run = previous ? previous.then(change) : change();
    const forget = () => {
      if (this.changing.get(wabaId) === settled) this.changing.delete(wabaId);
    };
    const settled = run.then(forget, forget);
    this.changing.set(wabaId, settled);
    return run;
  }

  /** Waits between attempts; override it to observe or shorten backoff (e.g. in tests). */
  protected sleep(ms: number): Promise<void> {
    return delay(ms);
  }

  private async listSubscribedApps(wabaId: string, token: string): Promise<SubscribedApp[]> {
    const items = await this.listAll(subscribedAppsPath(wabaId), token, wabaId);
    return items.map((item) => {
      const app = asRecord(item['whatsapp_business_api_data']) ?? item;
      return withoutUndefined({
        id: optionalString(app['id']) ?? '',
        name: optionalString(app['name']),
        link: optionalString(app['link']),
        overrideCallbackUri: optionalString(item['override_callback_uri']),
      });
    });
  }

  /**
   * Subscribes the app, with the override if there is one, in one POST. Only when Meta asks
   * for the subscription before the override (error #100, which it answers to an app that is
   * not subscribed — so there is no override to lose) is the plain POST sent, then the
   * override again. `knownUnsubscribed`: the listing showed the app is not subscribed, so any
   * #100 is taken for that; otherwise Meta's message must say so.
   */
  private async postSubscription(
    wabaId: string,
    token: string,
    override: CallbackOverride | undefined,
    knownUnsubscribed: boolean,
  ): Promise<void> {
    if (!override) return this.postPlain(wabaId, token);
    try {
      await this.postOverride(wabaId, token, override);
    } catch (error: unknown) {
      if (!needsSubscriptionFirst(error, knownUnsubscribed)) throw error;
      this.logger.debug(
        messages.overrideNeedsSubscription(this.graph.versionedPath(subscribedAppsPath(wabaId))),
      );
      await this.postPlain(wabaId, token, override);
      await this.postOverride(wabaId, token, override);
    }
  }

  /** `POST subscribed_apps` without a body: subscribes, and clears the WABA override. */
  private async postPlain(wabaId: string, token: string, override?: CallbackOverride) {
    await this.graph.request({
      method: 'POST',
      path: subscribedAppsPath(wabaId),
      wabaId,
      token,
      secrets: [override?.verifyToken],
      expect: 'success',
    });
  }

  private async postOverride(wabaId: string, token: string, override: CallbackOverride) {
    await this.graph.request({
      method: 'POST',
      path: subscribedAppsPath(wabaId),
      wabaId,
      token,
      secrets: [override.verifyToken],
      json: {
        override_callback_uri: override.overrideCallbackUri,
        verify_token: override.verifyToken,
      },
      expect: 'success',
    });
  }

  private async listAll(path: string, token: string, wabaId?: string): Promise<Json[]> {
    const items: Json[] = [];
    const seen = new Set<string>();
    let query: Record<string, string> | undefined;
    for (let page = 1; ; page++) {
      const body = asRecord(
        await this.graph.request({ method: 'GET', path, query, wabaId, token, expect: 'data' }),
      );
      const data = (body?.['data'] ?? []) as unknown[];
      for (const item of data) {
        const record = asRecord(item);
        if (record) items.push(record);
      }
      const next = optionalString(asRecord(body?.['paging'])?.['next']);
      if (!next || data.length === 0) return items;
      query = this.queryOfNextPage(next);
      const key = new URLSearchParams(query).toString();
      if (!query || seen.has(key) || page >= MAX_PAGES) {
        if (page >= MAX_PAGES) {
          this.logger.warn(messages.pagingStopped(this.graph.versionedPath(path), page));
        }
        return items;
      }
      seen.add(key);
    }
  }

  /**
   * The query of Meta's `paging.next` URL, to be sent to the configured base URL and path:
   * the URL's host is not trusted with the token, and the `access_token` Meta copies into it
   * is dropped (the token goes in the Authorization header only).
   */
  private queryOfNextPage(next: string): Record<string, string> | undefined {
    let url: URL;
    try {
      url = new URL(next, this.graphOptions.baseUrl);
    } catch {
      return undefined;
    }
    url.searchParams.delete('access_token');
    return Object.fromEntries(url.searchParams);
  }

  private graphId(name: string, value: unknown): string {
    if (typeof value !== 'string' || !GRAPH_ID.test(value)) {
      throw new TypeError(messages.invalidId(name, value));
    }
    return value;
  }

  /**
   * The token of one call: the per-call `accessToken`, else the module's; a function is asked
   * with the call's WABA or phone number, and must give a non-empty string.
   */
  private async tokenFor(
    context: AccessTokenContext,
    options: GraphRequestOptions | undefined,
  ): Promise<string> {
    const source = options?.accessToken ?? this.graphOptions.accessToken;
    if (typeof source !== 'function') {
      if (typeof source !== 'string' || source.trim() === '') {
        throw new TypeError(messages.missingAccessToken());
      }
      return source;
    }
    let token: unknown;
    try {
      token = await source({ ...context });
    } catch (error: unknown) {
      throw new WabaAccessTokenError(context, error);
    }
    if (typeof token !== 'string' || token.trim() === '') throw new WabaAccessTokenError(context);
    return token;
  }

  /** This app's ID: the `appId` option, or `GET /app` with the token, once per token. */
  private appIdFor(token: string): Promise<string> {
    if (this.graphOptions.appId !== undefined) return Promise.resolve(this.graphOptions.appId);
    const key = createHash('sha256').update(token).digest('base64url');
    const cached = this.appIds.get(key);
    if (cached) return cached;
    const pending = this.fetchAppId(token);
    this.appIds.set(key, pending);
    // A failed lookup is not kept: the next call asks again.
    pending.catch(() => {
      if (this.appIds.get(key) === pending) this.appIds.delete(key);
    });
    for (const old of this.appIds.keys()) {
      if (this.appIds.size <= MAX_CACHED_APP_IDS) break;
      this.appIds.delete(old);
    }
    return pending;
  }

  private async fetchAppId(token: string): Promise<string> {
    const path = '/app';
    const body = asRecord(
      await this.graph.request({ method: 'GET', path, token, expect: 'object' }),
    );
    const id = optionalString(body?.['id']);
    if (id === undefined || !GRAPH_ID.test(id)) {
      throw new GraphApiError({
        kind: 'unsuccessful',
        method: 'GET',
        path: this.graph.versionedPath(path),
        reason: messages.noAppId(),
        httpStatus: 200,
        transient: false,
        attempts: 1,
      });
    }
    return id;
  }

  private appTokenOf(method: string, token: unknown): string {
    if (typeof token !== 'string' || token.trim() === '') {
      throw new TypeError(messages.missingAppAccessToken(method));
    }
    return token;
  }

  private checkFields(method: string, fields: unknown): asserts fields is readonly string[] {
    if (
      !Array.isArray(fields) ||
      fields.length === 0 ||
      fields.some((field) => typeof field !== 'string' || !FIELD_NAME.test(field))
    ) {
      throw new TypeError(messages.invalidFields(method));
    }
  }

  /** The override of `subscribe()`'s options, checked; `undefined` when there is none. */
  private overrideOf(options: Partial<CallbackOverride> | undefined): CallbackOverride | undefined {
    const { overrideCallbackUri, verifyToken } = options ?? {};
    if (overrideCallbackUri === undefined && verifyToken === undefined) return undefined;
    if (overrideCallbackUri === undefined) {
      throw new TypeError(messages.verifyTokenWithoutOverride());
    }
    if (verifyToken === undefined) throw new TypeError(messages.overrideWithoutVerifyToken());
    this.checkCallbackUri('overrideCallbackUri', overrideCallbackUri, MAX_OVERRIDE_URI_LENGTH);
    this.checkVerifyToken('verifyToken', verifyToken);
    return { overrideCallbackUri, verifyToken };
  }

  private checkVerifyToken(name: string, value: unknown): asserts value is string {
    if (typeof value !== 'string' || value === '') {
      throw new TypeError(messages.emptyVerifyToken(name));
    }
  }

  private checkCallbackUri(
    name: string,
    value: unknown,
    maxLength: number,
  ): asserts value is string {
    if (typeof value !== 'string' || value === '') {
      throw new TypeError(messages.invalidCallbackUri(name, 'must be a non-empty string'));
    }
    if (value.length > maxLength) {
      throw new TypeError(
        messages.invalidCallbackUri(
          name,
          `has ${value.length} characters; Meta accepts at most ${maxLength}`,
        ),
      );
    }
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      url = undefined;
    }
    if (!url || url.protocol !== 'https:' || /\s/.test(value)) {
      throw new TypeError(messages.invalidCallbackUri(name, 'must be an absolute https:// URL'));
    }
  }
}
