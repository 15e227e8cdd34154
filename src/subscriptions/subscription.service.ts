import { HttpService } from '@nestjs/axios';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { setTimeout as delay } from 'node:timers/promises';
import { RESOLVED_WHATSAPP_WEBHOOKS_OPTIONS } from '../whatsapp-webhooks.constants.js';
import type { ResolvedWhatsAppWebhooksOptions } from '../whatsapp-webhooks-options.interface.js';
import { GraphApiClient } from './graph-api.client.js';
import type { ResolvedGraphApiOptions } from './graph-api.options.js';
import { subscriptionMessages as messages } from './subscription.messages.js';
import type {
  AppSubscription,
  CallbackOverride,
  GraphApiUsage,
  GraphRequestOptions,
  ListAppSubscriptionsOptions,
  PhoneNumberWebhookConfiguration,
  SubscribeAppOptions,
  SubscribedApp,
  SubscribeOptions,
} from './subscription.types.js';

/** Meta's limit on `override_callback_uri`. */
const MAX_OVERRIDE_URI_LENGTH = 200;

/** Pages followed at most by one listing call (a guard against a `paging.next` loop). */
const MAX_PAGES = 100;

const GRAPH_ID = /^\d+$/;

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

/**
 * Manages which WhatsApp Business Accounts send webhooks to the app, and where they send them,
 * through the Graph API: `/{WABA_ID}/subscribed_apps` (subscribe, list, unsubscribe, WABA-level
 * callback override), `webhook_configuration` of a phone number (phone-level override) and
 * `/{APP_ID}/subscriptions` (the app-level callback URL).
 *
 * Webhooks only arrive for a WABA after the app is subscribed to it, even though the App
 * Dashboard's "Test" button works without a subscription.
 *
 * Calls go through `@nestjs/axios`'s `HttpService` with `Authorization: Bearer <token>` (the
 * module's `accessToken`, or `{ accessToken }` per call). Every failure is a
 * {@link GraphApiError}; transient ones (5xx, 429, throttling codes, network errors, timeouts)
 * are retried with exponential backoff and full jitter as configured by the module's `retry`
 * option. Arguments are checked before any request is sent. Tokens never reach logs or errors.
 *
 * @example
 * \@Injectable()
 * export class Onboarding {
 *   constructor(private readonly subscriptions: SubscriptionService) {}
 *
 *   async onboard(wabaId: string, clientToken: string) {
 *     await this.subscriptions.subscribe(wabaId, {
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

  constructor(
    http: HttpService,
    @Inject(RESOLVED_WHATSAPP_WEBHOOKS_OPTIONS)
    options: Pick<ResolvedWhatsAppWebhooksOptions, 'graphApi'>,
  ) {
    this.graphOptions = options.graphApi;
    this.graph = new GraphApiClient(http, options.graphApi, this.logger, (ms) => this.sleep(ms));
  }

  /**
   * Subscribes the app to a WABA (`POST /{WABA_ID}/subscribed_apps`), so that its webhooks
   * are delivered at all. With `overrideCallbackUri` and `verifyToken`, it then routes the
   * WABA's webhooks of the fields that follow overrides to that URI (a second POST, with the
   * override; Meta answers error #100 to an override while the app is not subscribed). Meta
   * runs the verification handshake against the URI with the verify token before answering.
   *
   * Subscribing without an override clears an existing WABA override (a POST without a body
   * is how Meta clears it).
   *
   * @throws TypeError before any request, for a WABA ID that is not numeric, an override URI
   *   that is not https or longer than 200 characters, or one of `overrideCallbackUri` /
   *   `verifyToken` without the other.
   * @throws {@link GraphApiError} when the Graph API refuses or cannot be reached.
   */
  async subscribe(wabaId: string, options?: SubscribeOptions): Promise<void> {
    const path = `/${this.graphId('wabaId', wabaId)}/subscribed_apps`;
    const override = this.overrideOf(options);
    const token = this.tokenOf(options);
    const secrets = [override?.verifyToken];
    await this.graph.request({ method: 'POST', path, token, secrets, expect: 'success' });
    if (!override) return;
    await this.graph.request({
      method: 'POST',
      path,
      token,
      secrets,
      json: {
        override_callback_uri: override.overrideCallbackUri,
        verify_token: override.verifyToken,
      },
      expect: 'success',
    });
  }

  /**
   * Lists the apps subscribed to a WABA (`GET /{WABA_ID}/subscribed_apps`, following
   * `paging.next`), each with its WABA-level override when one is set. An empty list means no
   * app receives this WABA's webhooks.
   *
   * @throws {@link GraphApiError}
   */
  async list(wabaId: string, options?: GraphRequestOptions): Promise<SubscribedApp[]> {
    const path = `/${this.graphId('wabaId', wabaId)}/subscribed_apps`;
    const items = await this.listAll(path, this.tokenOf(options));
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
   * Unsubscribes the app from a WABA (`DELETE /{WABA_ID}/subscribed_apps`): no webhooks of
   * this WABA reach the app any more. To only remove an override, use {@link clearOverride}.
   *
   * @throws {@link GraphApiError}
   */
  async unsubscribe(wabaId: string, options?: GraphRequestOptions): Promise<void> {
    const path = `/${this.graphId('wabaId', wabaId)}/subscribed_apps`;
    await this.graph.request({
      method: 'DELETE',
      path,
      token: this.tokenOf(options),
      expect: 'success',
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
    const path = `/${this.graphId('wabaId', wabaId)}/subscribed_apps`;
    await this.graph.request({
      method: 'POST',
      path,
      token: this.tokenOf(options),
      expect: 'success',
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
    const path = `/${this.graphId('phoneNumberId', phoneNumberId)}`;
    const checked = this.overrideOf(override ?? {});
    if (!checked) throw new TypeError(messages.overrideWithoutVerifyToken());
    await this.graph.request({
      method: 'POST',
      path,
      token: this.tokenOf(options),
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
    const path = `/${this.graphId('phoneNumberId', phoneNumberId)}`;
    await this.graph.request({
      method: 'POST',
      path,
      token: this.tokenOf(options),
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
        token: this.tokenOf(options),
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
    if (
      !Array.isArray(fields) ||
      fields.length === 0 ||
      fields.some((field) => typeof field !== 'string' || !/^[a-z0-9_]+$/.test(field))
    ) {
      throw new TypeError(messages.invalidFields());
    }
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
   * The rate-limit usage (`X-Business-Use-Case-Usage`, `X-App-Usage`) reported by the most
   * recent Graph API answer that carried it, or `undefined` before any did.
   */
  getLastUsage(): GraphApiUsage | undefined {
    return this.graph.getLastUsage();
  }

  /** Waits between attempts; override it to observe or shorten backoff (e.g. in tests). */
  protected sleep(ms: number): Promise<void> {
    return delay(ms);
  }

  private async listAll(path: string, token: string): Promise<Json[]> {
    const items: Json[] = [];
    const seen = new Set<string>();
    let query: Record<string, string> | undefined;
    for (let page = 1; ; page++) {
      const body = asRecord(
        await this.graph.request({ method: 'GET', path, query, token, expect: 'data' }),
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

  private tokenOf(options: GraphRequestOptions | undefined): string {
    const token = options?.accessToken ?? this.graphOptions.accessToken;
    if (typeof token !== 'string' || token.trim() === '') {
      throw new TypeError(messages.missingAccessToken());
    }
    return token;
  }

  private appTokenOf(method: string, token: unknown): string {
    if (typeof token !== 'string' || token.trim() === '') {
      throw new TypeError(messages.missingAppAccessToken(method));
    }
    return token;
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
