import { beforeEach, describe, expect, it } from 'vitest';
import {
  type AccessTokenContext,
  GraphApiError,
  SubscriptionService,
  WabaAccessTokenError,
} from '../../src/index.js';
import {
  FakeGraphApi,
  graphError,
  type RecordedRequest,
  subscribedApp,
} from '../fixtures/fake-graph-api.js';
import { useSubscriptionHarness } from '../fixtures/subscription-harness.js';
import { type Variant, VARIANTS } from '../fixtures/test-app.js';

const TOKEN = 'EAAG-system-user-token-0123456789-SECRET';
const CLIENT_TOKEN = 'EAAG-client-bisu-token-9876543210-SECRET';
const OTHER_CLIENT_TOKEN = 'EAAG-other-client-bisu-token-5555-SECRET';
const APP_TOKEN = '670843887433847|app-secret-SECRET';
const APP = '670843887433847';
const OTHER_APP = '111222333444555';
const WABA = '102290129340398';
const OTHER_WABA = '102290129340399';
const PHONE = '106540352242922';
const VERSION = 'v27.0';
const SUBSCRIBED_APPS = `/${VERSION}/${WABA}/subscribed_apps`;
const OTHER_SUBSCRIBED_APPS = `/${VERSION}/${OTHER_WABA}/subscribed_apps`;
const APP_PATH = `/${VERSION}/app`;
const APP_SUBSCRIPTIONS = `/${VERSION}/${APP}/subscriptions`;
const OVERRIDE = `https://hooks.example.com/waba/${WABA}`;
const OTHER_OVERRIDE = 'https://hooks.example.com/elsewhere';
const VERIFY = 'override-verify-token';
const OVERRIDE_BODY = { override_callback_uri: OVERRIDE, verify_token: VERIFY };

/** A `subscribed_apps` page whose `paging.next` leads to the page after `cursor`. */
function page(data: unknown[], cursor?: string) {
  return {
    body: {
      data,
      paging: {
        cursors: { before: 'QVFIUa', after: cursor ?? 'QVFIUz' },
        ...(cursor
          ? {
              next: `https://graph.facebook.com/${VERSION}/${WABA}/subscribed_apps?access_token=${TOKEN}&limit=1&after=${cursor}`,
            }
          : {}),
      },
    },
  };
}

/** Method, path, query and parsed body of each request, in order. */
function calls(requests: readonly RecordedRequest[]) {
  return requests.map((r) => [r.method, r.path, r.query, r.body === '' ? '' : JSON.parse(r.body)]);
}

function expectBearer(requests: readonly RecordedRequest[], token = TOKEN): void {
  for (const request of requests) {
    expect(request.headers.authorization).toBe(`Bearer ${token}`);
    expect(request.url).not.toContain(token);
    expect(request.headers['x-http-method-override']).toBeUndefined();
  }
}

describe.each(VARIANTS)(
  'SubscriptionService.ensureSubscribed and friends (%s)',
  (variant: Variant) => {
    const harness = useSubscriptionHarness(variant, {
      accessToken: TOKEN,
      appId: APP,
      retry: { baseDelayMs: 1, maxDelayMs: 5 },
    });
    const { service } = harness;
    let graph: FakeGraphApi;
    beforeEach(() => {
      graph = harness.graph;
    });

    describe('ensureSubscribed', () => {
      it('not subscribed, no override: lists every page, then one POST without a body → changed', async () => {
        graph.on(
          'GET',
          SUBSCRIBED_APPS,
          page([subscribedApp(OTHER_APP, OTHER_OVERRIDE)], 'QVFIUb'),
          page([subscribedApp('999888777666555')]),
        );
        graph.on('POST', SUBSCRIBED_APPS, { body: { success: true } });
        const subscriptions = await service();
        await expect(subscriptions.ensureSubscribed(WABA)).resolves.toEqual({
          changed: true,
          subscription: { id: APP },
        });
        expect(calls(graph.requests)).toEqual([
          ['GET', SUBSCRIBED_APPS, {}, ''],
          ['GET', SUBSCRIBED_APPS, { limit: '1', after: 'QVFIUb' }, ''],
          ['POST', SUBSCRIBED_APPS, {}, ''],
        ]);
        expect(graph.requests[2]!.headers['content-type']).toBeUndefined();
        expectBearer(graph.requests);
      });

      it('not subscribed, override asked: exactly one POST carrying override_callback_uri and verify_token → changed', async () => {
        graph.on('GET', SUBSCRIBED_APPS, { body: { data: [] } });
        graph.on('POST', SUBSCRIBED_APPS, { body: { success: true } });
        const subscriptions = await service();
        await expect(
          subscriptions.ensureSubscribed(WABA, {
            overrideCallbackUri: OVERRIDE,
            verifyToken: VERIFY,
          }),
        ).resolves.toEqual({
          changed: true,
          subscription: { id: APP, overrideCallbackUri: OVERRIDE },
        });
        expect(calls(graph.requests)).toEqual([
          ['GET', SUBSCRIBED_APPS, {}, ''],
          ['POST', SUBSCRIBED_APPS, {}, OVERRIDE_BODY],
        ]);
        expect(graph.requests[1]!.headers['content-type']).toBe('application/json');
        expectBearer(graph.requests);
      });

      it('not subscribed, override asked, Meta answers #100 (subscribe first): plain POST, then the override → changed', async () => {
        graph.on('GET', SUBSCRIBED_APPS, { body: { data: [subscribedApp(OTHER_APP)] } });
        graph.on(
          'POST',
          SUBSCRIBED_APPS,
          { status: 400, body: graphError(100, '(#100) Invalid parameter') },
          { body: { success: true } },
        );
        const subscriptions = await service();
        const result = await subscriptions.ensureSubscribed(WABA, {
          overrideCallbackUri: OVERRIDE,
          verifyToken: VERIFY,
        });
        expect(result).toEqual({
          changed: true,
          subscription: { id: APP, overrideCallbackUri: OVERRIDE },
        });
        expect(calls(graph.requests)).toEqual([
          ['GET', SUBSCRIBED_APPS, {}, ''],
          ['POST', SUBSCRIBED_APPS, {}, OVERRIDE_BODY],
          ['POST', SUBSCRIBED_APPS, {}, ''],
          ['POST', SUBSCRIBED_APPS, {}, OVERRIDE_BODY],
        ]);
      });

      it('subscribed (found on the second page), no override asked: no POST, the existing override kept → unchanged', async () => {
        graph.on(
          'GET',
          SUBSCRIBED_APPS,
          page([subscribedApp(OTHER_APP)], 'QVFIUb'),
          page([subscribedApp(APP, OVERRIDE)]),
        );
        const subscriptions = await service();
        await expect(subscriptions.ensureSubscribed(WABA)).resolves.toEqual({
          changed: false,
          subscription: {
            id: APP,
            name: `App ${APP}`,
            link: `https://www.facebook.com/games/?app_id=${APP}`,
            overrideCallbackUri: OVERRIDE,
          },
        });
        expect(graph.requests.map((r) => r.method)).toEqual(['GET', 'GET']);
        expect(graph.requestsTo('POST', SUBSCRIBED_APPS)).toEqual([]);
      });

      it.each([
        ['a different override', OTHER_OVERRIDE],
        ['no override yet', undefined],
      ])(
        'subscribed with %s, an override asked: exactly one POST with the override (never a plain POST) → changed',
        async (_label, current) => {
          graph.on('GET', SUBSCRIBED_APPS, { body: { data: [subscribedApp(APP, current)] } });
          graph.on('POST', SUBSCRIBED_APPS, { body: { success: 'true' } });
          const subscriptions = await service();
          const result = await subscriptions.ensureSubscribed(WABA, {
            overrideCallbackUri: OVERRIDE,
            verifyToken: VERIFY,
          });
          expect(result.changed).toBe(true);
          expect(result.subscription).toMatchObject({ id: APP, overrideCallbackUri: OVERRIDE });
          expect(calls(graph.requests)).toEqual([
            ['GET', SUBSCRIBED_APPS, {}, ''],
            ['POST', SUBSCRIBED_APPS, {}, OVERRIDE_BODY],
          ]);
          expectBearer(graph.requests);
        },
      );

      it('subscribed with the same override: no POST → unchanged', async () => {
        graph.on('GET', SUBSCRIBED_APPS, {
          body: { data: [subscribedApp(OTHER_APP, OTHER_OVERRIDE), subscribedApp(APP, OVERRIDE)] },
        });
        const subscriptions = await service();
        const result = await subscriptions.ensureSubscribed(WABA, {
          overrideCallbackUri: OVERRIDE,
          verifyToken: VERIFY,
        });
        expect(result).toMatchObject({
          changed: false,
          subscription: { id: APP, overrideCallbackUri: OVERRIDE },
        });
        expect(calls(graph.requests)).toEqual([['GET', SUBSCRIBED_APPS, {}, '']]);
      });

      it('concurrent calls for one WABA (a redelivered PARTNER_ADDED, a start-up sweep) run one after another: one POST, the later calls see it', async () => {
        // A stateful Graph stand-in: the list is slow, so unserialised calls would all list
        // "not subscribed" before any POST lands, and all POST.
        let override: string | undefined;
        let subscribed = false;
        const list = () => ({
          delayMs: 40,
          body: { data: subscribed ? [subscribedApp(APP, override)] : [] },
        });
        const post = (request: RecordedRequest) => {
          subscribed = true;
          override =
            request.body === '' ? undefined : JSON.parse(request.body).override_callback_uri;
          return { body: { success: true } };
        };
        graph.on('GET', SUBSCRIBED_APPS, list);
        graph.on('GET', OTHER_SUBSCRIBED_APPS, {
          delayMs: 40,
          body: { data: [subscribedApp(APP)] },
        });
        graph.on('POST', SUBSCRIBED_APPS, post);
        const subscriptions = await service();
        const results = await Promise.all([
          subscriptions.ensureSubscribed(WABA),
          subscriptions.ensureSubscribed(WABA),
          subscriptions.ensureSubscribed(OTHER_WABA),
          subscriptions.ensureSubscribed(WABA, {
            overrideCallbackUri: OVERRIDE,
            verifyToken: VERIFY,
          }),
        ]);
        expect(results.map((r) => r.changed)).toEqual([true, false, false, true]);
        expect(results[3]!.subscription).toMatchObject({ id: APP, overrideCallbackUri: OVERRIDE });
        expect(calls(graph.requestsTo('POST', SUBSCRIBED_APPS))).toEqual([
          ['POST', SUBSCRIBED_APPS, {}, ''],
          ['POST', SUBSCRIBED_APPS, {}, OVERRIDE_BODY],
        ]);
        // Another WABA does not wait for this one's queue: its list went out with the first.
        const firstList = graph.requests.findIndex((r) => r.path === SUBSCRIBED_APPS);
        const otherList = graph.requests.findIndex((r) => r.path === OTHER_SUBSCRIBED_APPS);
        expect(otherList).toBeLessThanOrEqual(firstList + 1);
      });

      it('a call that fails does not stop the next call for the same WABA', async () => {
        graph.on(
          'GET',
          SUBSCRIBED_APPS,
          { status: 400, body: graphError(100, 'Unsupported get request') },
          { body: { data: [subscribedApp(APP)] } },
        );
        const subscriptions = await service();
        const [first, second] = await Promise.allSettled([
          subscriptions.ensureSubscribed(WABA),
          subscriptions.ensureSubscribed(WABA),
        ]);
        expect(first).toMatchObject({ status: 'rejected', reason: { code: 100 } });
        expect(second).toMatchObject({ status: 'fulfilled', value: { changed: false } });
      });

      it('subscribed, the override POST fails: the error is thrown and no plain POST is sent', async () => {
        graph.on('GET', SUBSCRIBED_APPS, { body: { data: [subscribedApp(APP, OTHER_OVERRIDE)] } });
        graph.on('POST', SUBSCRIBED_APPS, {
          status: 400,
          body: graphError(2200, 'Callback verification failed'),
        });
        const subscriptions = await service();
        const error = await subscriptions
          .ensureSubscribed(WABA, { overrideCallbackUri: OVERRIDE, verifyToken: VERIFY })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(GraphApiError);
        expect(error).toMatchObject({ code: 2200, transient: false });
        expect(calls(graph.requests)).toEqual([
          ['GET', SUBSCRIBED_APPS, {}, ''],
          ['POST', SUBSCRIBED_APPS, {}, OVERRIDE_BODY],
        ]);
      });

      it('without the appId option, resolves the app ID once per token with GET /app', async () => {
        graph.on('GET', APP_PATH, { body: { id: APP, name: 'Example App', link: 'https://l' } });
        graph.on('GET', SUBSCRIBED_APPS, { body: { data: [subscribedApp(APP)] } });
        graph.on('GET', OTHER_SUBSCRIBED_APPS, { body: { data: [subscribedApp(APP)] } });
        const subscriptions = await service({ appId: undefined });
        await expect(subscriptions.ensureSubscribed(WABA)).resolves.toMatchObject({
          changed: false,
        });
        await expect(subscriptions.ensureSubscribed(OTHER_WABA)).resolves.toMatchObject({
          changed: false,
        });
        await expect(subscriptions.getAppId()).resolves.toBe(APP);
        expect(graph.requestsTo('GET', APP_PATH)).toHaveLength(1);
        await subscriptions.ensureSubscribed(WABA, { accessToken: CLIENT_TOKEN });
        const lookups = graph.requestsTo('GET', APP_PATH);
        expect(lookups).toHaveLength(2);
        expectBearer([lookups[0]!], TOKEN);
        expectBearer([lookups[1]!], CLIENT_TOKEN);
        expect(lookups.map((r) => r.query)).toEqual([{}, {}]);
        expect(graph.requests.map((r) => [r.method, r.path])).toEqual([
          ['GET', APP_PATH],
          ['GET', SUBSCRIBED_APPS],
          ['GET', OTHER_SUBSCRIBED_APPS],
          ['GET', APP_PATH],
          ['GET', SUBSCRIBED_APPS],
        ]);
      });

      it('an answer of GET /app without a numeric id is a GraphApiError, and nothing else is sent; the next call asks again', async () => {
        graph.on('GET', APP_PATH, { body: { name: 'no id' } }, { body: { id: APP } });
        graph.on('GET', SUBSCRIBED_APPS, { body: { data: [] } });
        graph.on('POST', SUBSCRIBED_APPS, { body: { success: true } });
        const subscriptions = await service({ appId: undefined });
        const error = await subscriptions.ensureSubscribed(WABA).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(GraphApiError);
        expect(error).toMatchObject({ kind: 'unsuccessful', method: 'GET', path: APP_PATH });
        expect((error as Error).message).toContain('set the module option "appId"');
        expect(graph.requests.map((r) => r.path)).toEqual([APP_PATH]);
        await expect(subscriptions.ensureSubscribed(WABA)).resolves.toMatchObject({
          changed: true,
        });
        expect(graph.requestsTo('GET', APP_PATH)).toHaveLength(2);
      });

      it('with the appId option, getAppId() answers without a request', async () => {
        const subscriptions = await service();
        await expect(subscriptions.getAppId()).resolves.toBe(APP);
        expect(graph.requests).toEqual([]);
      });

      it.each<[string, Record<string, unknown>, RegExp]>([
        [
          'overrideCallbackUri without verifyToken',
          { overrideCallbackUri: OVERRIDE },
          /overrideCallbackUri requires verifyToken/,
        ],
        [
          'verifyToken without overrideCallbackUri',
          { verifyToken: VERIFY },
          /verifyToken was given/,
        ],
        [
          'an http override URI',
          { overrideCallbackUri: 'http://hooks.example.com/', verifyToken: VERIFY },
          /absolute https:\/\/ URL/,
        ],
      ])('refuses %s before any request', async (_label, options, message) => {
        const subscriptions = await service({ appId: undefined });
        await expect(subscriptions.ensureSubscribed(WABA, options)).rejects.toThrow(message);
        expect(graph.requests).toEqual([]);
      });
    });

    describe('getSubscription', () => {
      it("returns this app's entry, or undefined when the app is not subscribed", async () => {
        graph.on('GET', SUBSCRIBED_APPS, {
          body: { data: [subscribedApp(OTHER_APP), subscribedApp(APP, OVERRIDE)] },
        });
        graph.on('GET', OTHER_SUBSCRIBED_APPS, { body: { data: [subscribedApp(OTHER_APP)] } });
        const subscriptions = await service();
        await expect(subscriptions.getSubscription(WABA)).resolves.toMatchObject({
          id: APP,
          overrideCallbackUri: OVERRIDE,
        });
        await expect(subscriptions.getSubscription(OTHER_WABA)).resolves.toBeUndefined();
        expect(graph.requests.map((r) => [r.method, r.path])).toEqual([
          ['GET', SUBSCRIBED_APPS],
          ['GET', OTHER_SUBSCRIBED_APPS],
        ]);
      });
    });

    describe('accessToken as a function', () => {
      it('looks the token up per WABA (module option), for every call of that WABA, GET /app included', async () => {
        const asked: AccessTokenContext[] = [];
        const tokens: Record<string, string> = {
          [WABA]: CLIENT_TOKEN,
          [OTHER_WABA]: OTHER_CLIENT_TOKEN,
        };
        graph.on('GET', APP_PATH, { body: { id: APP } });
        graph.on('GET', SUBSCRIBED_APPS, { body: { data: [] } });
        graph.on('POST', SUBSCRIBED_APPS, { body: { success: true } });
        graph.on('DELETE', OTHER_SUBSCRIBED_APPS, { body: { success: true } });
        const subscriptions = await service({
          appId: undefined,
          accessToken: async (context) => {
            asked.push(context);
            await Promise.resolve();
            return tokens[context.wabaId ?? ''] ?? TOKEN;
          },
        });
        await subscriptions.ensureSubscribed(WABA);
        await subscriptions.unsubscribe(OTHER_WABA);
        expect(asked).toEqual([{ wabaId: WABA }, { wabaId: OTHER_WABA }]);
        expectBearer(graph.requestsTo('GET', APP_PATH), CLIENT_TOKEN);
        expectBearer(graph.requestsTo('GET', SUBSCRIBED_APPS), CLIENT_TOKEN);
        expectBearer(graph.requestsTo('POST', SUBSCRIBED_APPS), CLIENT_TOKEN);
        expectBearer(graph.requestsTo('DELETE', OTHER_SUBSCRIBED_APPS), OTHER_CLIENT_TOKEN);
        expect(graph.requests).toHaveLength(4);
      });

      it('a per-call function wins over the module token; phone-number calls are asked with the phone number', async () => {
        const asked: AccessTokenContext[] = [];
        graph.on('GET', SUBSCRIBED_APPS, { body: { data: [] } });
        graph.on('GET', `/${VERSION}/${PHONE}`, { body: { id: PHONE, webhook_configuration: {} } });
        const subscriptions = await service();
        const accessToken = (context: AccessTokenContext) => {
          asked.push(context);
          return CLIENT_TOKEN;
        };
        await subscriptions.list(WABA, { accessToken });
        await subscriptions.getPhoneNumberWebhookConfiguration(PHONE, { accessToken });
        await subscriptions.list(WABA);
        expect(asked).toEqual([{ wabaId: WABA }, { phoneNumberId: PHONE }]);
        expectBearer(graph.requests.slice(0, 2), CLIENT_TOKEN);
        expectBearer(graph.requests.slice(2), TOKEN);
      });

      it.each<[string, () => string | Promise<string>, RegExp]>([
        [
          'throws',
          () => {
            throw new Error('no token stored');
          },
          /the accessToken function failed for WABA 102290129340398 \(no token stored\); nothing was sent/,
        ],
        [
          'rejects',
          () => Promise.reject(new Error('vault unreachable')),
          /failed for WABA 102290129340398 \(vault unreachable\)/,
        ],
        ['returns an empty string', () => '', /returned no token .* for WABA 102290129340398/],
        ['returns blanks', () => '  ', /returned no token .* for WABA 102290129340398/],
        [
          'returns no string',
          () => undefined as unknown as string,
          /returned no token .* for WABA 102290129340398/,
        ],
      ])(
        'a function that %s fails with a WabaAccessTokenError naming the WABA, no request sent',
        async (_label, accessToken, message) => {
          const subscriptions = await service({ accessToken });
          for (const call of [
            () => subscriptions.ensureSubscribed(WABA),
            () => subscriptions.subscribe(WABA),
            () => subscriptions.list(WABA, { accessToken }),
          ]) {
            const error = await call().catch((e: unknown) => e);
            expect(error).toBeInstanceOf(WabaAccessTokenError);
            expect(error).toMatchObject({ wabaId: WABA, name: 'WabaAccessTokenError' });
            expect((error as Error).message).toMatch(message);
          }
          expect(graph.requests).toEqual([]);
        },
      );

      it("keeps the function's own error as the cause", async () => {
        const cause = new Error('no token stored');
        const subscriptions = await service({
          accessToken: () => {
            throw cause;
          },
        });
        const error = (await subscriptions.unsubscribe(WABA).catch((e: unknown) => e)) as Error;
        expect(error.cause).toBe(cause);
      });

      it('checks the WABA ID before asking the function: an invalid one is refused naming the value', async () => {
        const asked: AccessTokenContext[] = [];
        const subscriptions = await service({
          accessToken: (context) => {
            asked.push(context);
            return TOKEN;
          },
        });
        for (const bad of ['12a', '../me', ' 123', '']) {
          const error = await subscriptions.ensureSubscribed(bad).catch((e: unknown) => e);
          expect(error).toBeInstanceOf(TypeError);
          expect((error as Error).message).toContain(
            `wabaId must be a Graph object ID (digits only), got ${JSON.stringify(bad)}`,
          );
        }
        expect(asked).toEqual([]);
        expect(graph.requests).toEqual([]);
      });

      it('never shows a long value or one with "|" (an app token passed by mistake) in the message', async () => {
        const subscriptions = await service();
        const error = (await subscriptions
          .deleteAppSubscription(APP_TOKEN)
          .catch((e: unknown) => e)) as Error;
        expect(error).toBeInstanceOf(TypeError);
        expect(error.message).toContain(
          `appId must be a Graph object ID (digits only), got a string of ${APP_TOKEN.length} character(s)`,
        );
        expect(error.message).not.toContain('SECRET');
        expect(graph.requests).toEqual([]);
      });
    });

    describe('deleteAppSubscription', () => {
      it('sends a real DELETE /{app-id}/subscriptions with object=whatsapp_business_account and the app token', async () => {
        graph.on(
          'DELETE',
          APP_SUBSCRIPTIONS,
          { body: { success: 'true' } },
          { body: { success: true } },
        );
        const subscriptions = await service();
        await subscriptions.deleteAppSubscription(APP, { appAccessToken: APP_TOKEN });
        await subscriptions.deleteAppSubscription(APP, {
          fields: ['calls', 'message_echoes'],
          appAccessToken: APP_TOKEN,
        });
        expect(calls(graph.requests)).toEqual([
          ['DELETE', APP_SUBSCRIPTIONS, { object: 'whatsapp_business_account' }, ''],
          [
            'DELETE',
            APP_SUBSCRIPTIONS,
            { object: 'whatsapp_business_account', fields: 'calls,message_echoes' },
            '',
          ],
        ]);
        for (const request of graph.requests) {
          expect(request.query['method']).toBeUndefined();
          expect(request.headers['content-type']).toBeUndefined();
        }
        expectBearer(graph.requests, APP_TOKEN);
      });

      it("uses the module's accessToken when no appAccessToken is given", async () => {
        graph.on('DELETE', APP_SUBSCRIPTIONS, { body: { success: true } });
        const subscriptions = await service({ accessToken: APP_TOKEN });
        await subscriptions.deleteAppSubscription(APP);
        expectBearer(graph.requests, APP_TOKEN);
      });

      it('throws a GraphApiError for {"success": false}', async () => {
        graph.on('DELETE', APP_SUBSCRIPTIONS, { body: { success: false } });
        const subscriptions = await service();
        await expect(
          subscriptions.deleteAppSubscription(APP, { appAccessToken: APP_TOKEN }),
        ).rejects.toMatchObject({
          kind: 'unsuccessful',
          method: 'DELETE',
          path: APP_SUBSCRIPTIONS,
        });
      });

      it.each<[string, () => Parameters<SubscriptionService['deleteAppSubscription']>, RegExp]>([
        [
          'an app ID that is not numeric',
          () => ['my-app', { appAccessToken: APP_TOKEN }],
          /appId must be a Graph object ID \(digits only\), got "my-app"/,
        ],
        [
          'an empty field list',
          () => [APP, { fields: [], appAccessToken: APP_TOKEN }],
          /deleteAppSubscription: fields must be a non-empty array/,
        ],
        [
          'a malformed field',
          () => [APP, { fields: ['messages&x=1'], appAccessToken: APP_TOKEN }],
          /fields must be a non-empty array of field names/,
        ],
        [
          'an empty appAccessToken',
          () => [APP, { appAccessToken: '' }],
          /deleteAppSubscription: appAccessToken is required/,
        ],
      ])('refuses %s before any request', async (_label, args, message) => {
        const subscriptions = await service();
        await expect(subscriptions.deleteAppSubscription(...args())).rejects.toThrow(message);
        expect(graph.requests).toEqual([]);
      });

      it('says so when there is no token at all', async () => {
        const subscriptions = await service({ accessToken: undefined });
        await expect(subscriptions.deleteAppSubscription(APP)).rejects.toThrow(/no access token/);
        expect(graph.requests).toEqual([]);
      });
    });
  },
);
