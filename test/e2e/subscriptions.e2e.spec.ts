import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  GraphApiError,
  SubscriptionService,
  type WhatsAppWebhooksModuleOptions,
} from '../../src/index.js';
import {
  bucHeader,
  FakeGraphApi,
  type RecordedRequest,
  type ScriptedResponse,
} from '../fixtures/fake-graph-api.js';
import {
  readSeedFixture,
  SEED_GRAPH_SAMPLES,
  SEED_SAMPLE_REQUEST,
} from '../fixtures/seeds/index.js';
import { createTestApp, type TestApp, type Variant, VARIANTS } from '../fixtures/test-app.js';

const TOKEN = 'EAAG-system-user-token-0123456789-SECRET';
const CLIENT_TOKEN = 'EAAG-client-bisu-token-9876543210-SECRET';
const APP_TOKEN = '670843887433847|app-secret-SECRET';
const WABA = '102290129340398';
const PHONE = '106540352242922';
const APP = '670843887433847';
const VERSION = 'v27.0';
const SUBSCRIBED_APPS = `/${VERSION}/${WABA}/subscribed_apps`;
const OVERRIDE = `https://hooks.example.com/waba/${WABA}`;

/** What every Graph call must carry, and never carry. */
function expectAuthorized(request: RecordedRequest, token = TOKEN): void {
  expect(request.headers.authorization).toBe(`Bearer ${token}`);
  expect(request.headers.accept).toContain('application/json');
  expect(request.url).not.toContain(token);
  expect(request.query['access_token']).toBeUndefined();
}

describe.each(VARIANTS)(
  'SubscriptionService against a local Graph API (%s)',
  (variant: Variant) => {
    let graph: FakeGraphApi;
    let t: TestApp | undefined;

    beforeEach(async () => {
      graph = await FakeGraphApi.start();
    });
    afterEach(async () => {
      await t?.app.close();
      t = undefined;
      await graph.close();
    });

    async function service(
      options: Partial<WhatsAppWebhooksModuleOptions> = {},
    ): Promise<SubscriptionService> {
      t = await createTestApp({
        variant,
        listen: false,
        options: {
          accessToken: TOKEN,
          graphApiBaseUrl: graph.url,
          retry: { baseDelayMs: 1, maxDelayMs: 5 },
          ...options,
        },
      });
      return t.app.get(SubscriptionService);
    }

    it('is provided by the module and defaults to Graph API v27.0', async () => {
      graph.on('POST', SUBSCRIBED_APPS, { body: { success: true } });
      const subscriptions = await service();
      expect(subscriptions).toBeInstanceOf(SubscriptionService);
      await subscriptions.subscribe(WABA);
      expect(graph.requests.map((r) => r.path)).toEqual([SUBSCRIBED_APPS]);
    });

    it('subscribe POSTs subscribed_apps with no body and accepts {"success": true} and {"success": "true"}', async () => {
      graph.on('POST', SUBSCRIBED_APPS, { body: { success: true } }, { body: { success: 'true' } });
      const subscriptions = await service();
      await expect(subscriptions.subscribe(WABA)).resolves.toBeUndefined();
      await expect(subscriptions.subscribe(WABA)).resolves.toBeUndefined();
      expect(graph.requests).toHaveLength(2);
      for (const request of graph.requests) {
        expect(request.method).toBe('POST');
        expect(request.path).toBe(SUBSCRIBED_APPS);
        expect(request.body).toBe('');
        expect(request.headers['content-type']).toBeUndefined();
        expectAuthorized(request);
      }
    });

    it('subscribe with an override on a subscribed WABA sends one POST, the override as JSON (no plain POST first)', async () => {
      graph.on('POST', SUBSCRIBED_APPS, { body: { success: true } });
      const subscriptions = await service();
      await subscriptions.subscribe(WABA, {
        overrideCallbackUri: OVERRIDE,
        verifyToken: 'override-verify-token',
      });
      const [override] = graph.requests;
      expect(graph.requests).toHaveLength(1);
      expect(override!.method).toBe('POST');
      expect(override!.path).toBe(SUBSCRIBED_APPS);
      expect(override!.headers['content-type']).toBe('application/json');
      expect(JSON.parse(override!.body)).toEqual({
        override_callback_uri: OVERRIDE,
        verify_token: 'override-verify-token',
      });
      graph.requests.forEach((request) => expectAuthorized(request));
    });

    it.each([
      ['a permissions error', 403, '(#200) Permissions error', 200],
      ['a #100 that is not "subscribe first"', 400, '(#100) Invalid parameter', 100],
    ])(
      'subscribe with an override sends no plain POST after %s (the override in force stays)',
      async (_label, status, message, code) => {
        graph.on('POST', SUBSCRIBED_APPS, {
          status,
          body: { error: { message, type: 'OAuthException', code } },
        });
        const subscriptions = await service();
        const error = await subscriptions
          .subscribe(WABA, { overrideCallbackUri: OVERRIDE, verifyToken: 'v' })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(GraphApiError);
        expect(error).toMatchObject({ code });
        expect(graph.requests.map((r) => [r.method, JSON.parse(r.body)])).toEqual([
          ['POST', { override_callback_uri: OVERRIDE, verify_token: 'v' }],
        ]);
      },
    );

    it('subscribe with an override on a WABA the app is not subscribed to: Meta\'s #100 "must be subscribed" → plain POST, then the override again', async () => {
      graph.on(
        'POST',
        SUBSCRIBED_APPS,
        {
          status: 400,
          body: {
            error: {
              message:
                '(#100) Before override the current callback uri, your app must be subscribed to receive messages for WhatsApp Business Account',
              type: 'OAuthException',
              code: 100,
              fbtrace_id: 'trace-100',
            },
          },
        },
        { body: { success: true } },
      );
      const subscriptions = await service();
      await subscriptions.subscribe(WABA, {
        overrideCallbackUri: OVERRIDE,
        verifyToken: 'override-verify-token',
      });
      const overrideBody = JSON.stringify({
        override_callback_uri: OVERRIDE,
        verify_token: 'override-verify-token',
      });
      expect(graph.requests.map((r) => [r.method, r.path, r.body])).toEqual([
        ['POST', SUBSCRIBED_APPS, overrideBody],
        ['POST', SUBSCRIBED_APPS, ''],
        ['POST', SUBSCRIBED_APPS, overrideBody],
      ]);
      expect(graph.requests[1]!.headers['content-type']).toBeUndefined();
      graph.requests.forEach((request) => expectAuthorized(request));
    });

    it('treats {"success": false} (and a missing success) as a GraphApiError, without retrying', async () => {
      graph.on('POST', SUBSCRIBED_APPS, { body: { success: false } }, { body: {} });
      const subscriptions = await service();
      const first = (await subscriptions.subscribe(WABA).catch((e: unknown) => e)) as GraphApiError;
      expect(first).toBeInstanceOf(GraphApiError);
      expect(first).toMatchObject({
        kind: 'unsuccessful',
        httpStatus: 200,
        transient: false,
        attempts: 1,
        method: 'POST',
        path: SUBSCRIBED_APPS,
      });
      expect(first.message).toContain('"success" is false');
      await expect(subscriptions.clearOverride(WABA)).rejects.toThrow(/"success" is missing/);
      expect(graph.requests).toHaveLength(2);
    });

    it('list flattens whatsapp_business_api_data and override_callback_uri and follows paging.next', async () => {
      graph.on(
        'GET',
        SUBSCRIBED_APPS,
        {
          body: {
            data: [
              {
                whatsapp_business_api_data: {
                  id: APP,
                  link: `https://www.facebook.com/games/?app_id=${APP}`,
                  name: 'Example App',
                },
                override_callback_uri: OVERRIDE,
              },
            ],
            paging: {
              cursors: { before: 'QVFIUa', after: 'QVFIUb' },
              // Meta copies the token into next; another host must not receive the token either.
              next: `https://graph.elsewhere.example/${VERSION}/${WABA}/subscribed_apps?access_token=${TOKEN}&limit=1&after=QVFIUb`,
            },
          },
        },
        {
          body: {
            data: [{ whatsapp_business_api_data: { id: '111', name: 'Other App' } }],
            paging: { cursors: { before: 'QVFIUb', after: 'QVFIUc' } },
          },
        },
      );
      const subscriptions = await service();
      await expect(subscriptions.list(WABA)).resolves.toEqual([
        {
          id: APP,
          name: 'Example App',
          link: `https://www.facebook.com/games/?app_id=${APP}`,
          overrideCallbackUri: OVERRIDE,
        },
        { id: '111', name: 'Other App' },
      ]);
      expect(graph.requests).toHaveLength(2);
      expect(graph.requests[0]!.query).toEqual({});
      expect(graph.requests[1]!.query).toEqual({ limit: '1', after: 'QVFIUb' });
      for (const request of graph.requests) {
        expect(request.method).toBe('GET');
        expect(request.path).toBe(SUBSCRIBED_APPS);
        expectAuthorized(request);
      }
    });

    it('list answers [] for a WABA with no subscribed app', async () => {
      graph.on('GET', SUBSCRIBED_APPS, { body: { data: [] } });
      await expect((await service()).list(WABA)).resolves.toEqual([]);
    });

    it('unsubscribe sends a real DELETE subscribed_apps (no method override); clearOverride a POST without a body', async () => {
      graph.on('DELETE', SUBSCRIBED_APPS, { body: { success: true } });
      graph.on('POST', SUBSCRIBED_APPS, { body: { success: true } });
      const subscriptions = await service();
      await subscriptions.unsubscribe(WABA);
      await subscriptions.clearOverride(WABA);
      expect(graph.requests.map((r) => [r.method, r.path, r.body])).toEqual([
        ['DELETE', SUBSCRIBED_APPS, ''],
        ['POST', SUBSCRIBED_APPS, ''],
      ]);
      // From Graph API v27.0 new apps cannot use `?method=DELETE` (protocol.md §16).
      for (const request of graph.requests) {
        expectAuthorized(request);
        expect(request.url).toBe(request.path);
        expect(request.query).toEqual({});
        expect(request.headers['x-http-method-override']).toBeUndefined();
      }
    });

    it('sets, reads and clears a phone-number-level override through webhook_configuration', async () => {
      const path = `/${VERSION}/${PHONE}`;
      graph.on('POST', path, { body: { success: true } });
      graph.on('GET', path, {
        body: {
          webhook_configuration: {
            phone_number: 'https://hooks.example.com/phone',
            whatsapp_business_account: OVERRIDE,
            application: 'https://app.example.com/webhooks/whatsapp',
          },
          id: PHONE,
        },
      });
      const subscriptions = await service();
      await subscriptions.setPhoneNumberOverride(PHONE, {
        overrideCallbackUri: 'https://hooks.example.com/phone',
        verifyToken: 'phone-verify-token',
      });
      await expect(subscriptions.getPhoneNumberWebhookConfiguration(PHONE)).resolves.toEqual({
        id: PHONE,
        phoneNumberOverrideCallbackUri: 'https://hooks.example.com/phone',
        wabaOverrideCallbackUri: OVERRIDE,
        appCallbackUri: 'https://app.example.com/webhooks/whatsapp',
        effectiveCallbackUri: 'https://hooks.example.com/phone',
      });
      await subscriptions.clearPhoneNumberOverride(PHONE);

      const [set, get, clear] = graph.requests;
      expect([set!.method, set!.path]).toEqual(['POST', path]);
      expect(set!.headers['content-type']).toBe('application/json');
      expect(JSON.parse(set!.body)).toEqual({
        webhook_configuration: {
          override_callback_uri: 'https://hooks.example.com/phone',
          verify_token: 'phone-verify-token',
        },
      });
      expect([get!.method, get!.path, get!.query]).toEqual([
        'GET',
        path,
        { fields: 'webhook_configuration' },
      ]);
      expect([clear!.method, clear!.path]).toEqual(['POST', path]);
      expect(JSON.parse(clear!.body)).toEqual({
        webhook_configuration: { override_callback_uri: '' },
      });
      graph.requests.forEach((request) => expectAuthorized(request));
    });

    it('reports the app URL as effective when the phone number and the WABA have no override', async () => {
      graph.on('GET', `/${VERSION}/${PHONE}`, {
        body: { webhook_configuration: { application: 'https://app.example.com/wh' }, id: PHONE },
      });
      await expect((await service()).getPhoneNumberWebhookConfiguration(PHONE)).resolves.toEqual({
        id: PHONE,
        appCallbackUri: 'https://app.example.com/wh',
        effectiveCallbackUri: 'https://app.example.com/wh',
      });
    });

    it('subscribeApp and listAppSubscriptions call /{app-id}/subscriptions with the app token as Bearer', async () => {
      const path = `/${VERSION}/${APP}/subscriptions`;
      graph.on('POST', path, { body: { success: 'true' } });
      graph.on('GET', path, {
        body: {
          data: [
            {
              object: 'page',
              callback_url: 'https://app.example.com/page',
              active: true,
              fields: [],
            },
            {
              object: 'whatsapp_business_account',
              callback_url: 'https://app.example.com/webhooks/whatsapp',
              active: true,
              fields: [
                { name: 'messages', version: VERSION },
                { name: 'message_template_status_update', version: VERSION },
              ],
            },
          ],
        },
      });
      const subscriptions = await service();
      await subscriptions.subscribeApp(APP, {
        callbackUrl: 'https://app.example.com/webhooks/whatsapp',
        verifyToken: 'app-verify-token',
        fields: ['messages', 'message_template_status_update'],
        appAccessToken: APP_TOKEN,
      });
      await expect(
        subscriptions.listAppSubscriptions(APP, { appAccessToken: APP_TOKEN }),
      ).resolves.toEqual([
        {
          object: 'whatsapp_business_account',
          callbackUrl: 'https://app.example.com/webhooks/whatsapp',
          active: true,
          fields: [
            { name: 'messages', version: VERSION },
            { name: 'message_template_status_update', version: VERSION },
          ],
        },
      ]);
      const [post, get] = graph.requests;
      expect([post!.method, post!.path]).toEqual(['POST', path]);
      expect(post!.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(Object.fromEntries(new URLSearchParams(post!.body))).toEqual({
        object: 'whatsapp_business_account',
        callback_url: 'https://app.example.com/webhooks/whatsapp',
        verify_token: 'app-verify-token',
        fields: 'messages,message_template_status_update',
      });
      expect([get!.method, get!.path]).toEqual(['GET', path]);
      graph.requests.forEach((request) => expectAuthorized(request, APP_TOKEN));
    });

    it('uses a per-call accessToken instead of the module token', async () => {
      graph.on('POST', SUBSCRIBED_APPS, { body: { success: true } });
      graph.on('GET', SUBSCRIBED_APPS, { body: { data: [] } });
      const subscriptions = await service();
      await subscriptions.subscribe(WABA, { accessToken: CLIENT_TOKEN });
      await subscriptions.list(WABA, { accessToken: CLIENT_TOKEN });
      await subscriptions.list(WABA);
      expectAuthorized(graph.requests[0]!, CLIENT_TOKEN);
      expectAuthorized(graph.requests[1]!, CLIENT_TOKEN);
      expectAuthorized(graph.requests[2]!, TOKEN);
    });

    it('works without a module token when every call brings its own, and says so when none does', async () => {
      graph.on('DELETE', SUBSCRIBED_APPS, { body: { success: true } });
      const subscriptions = await service({ accessToken: undefined });
      await subscriptions.unsubscribe(WABA, { accessToken: CLIENT_TOKEN });
      expectAuthorized(graph.requests[0]!, CLIENT_TOKEN);
      await expect(subscriptions.unsubscribe(WABA)).rejects.toThrow(
        /no access token\. Set the module option "accessToken" or pass \{ accessToken \}/,
      );
      expect(graph.requests).toHaveLength(1);
    });

    it.each<[string, (s: SubscriptionService) => Promise<unknown>, RegExp]>([
      [
        'overrideCallbackUri without verifyToken',
        (s) => s.subscribe(WABA, { overrideCallbackUri: OVERRIDE } as never),
        /overrideCallbackUri requires verifyToken/,
      ],
      [
        'verifyToken without overrideCallbackUri',
        (s) => s.subscribe(WABA, { verifyToken: 'v' } as never),
        /verifyToken was given without overrideCallbackUri/,
      ],
      [
        'an override URI over 200 characters',
        (s) =>
          s.subscribe(WABA, {
            overrideCallbackUri: `https://hooks.example.com/${'a'.repeat(175)}`,
            verifyToken: 'v',
          }),
        /has 201 characters; Meta accepts at most 200/,
      ],
      [
        'an http override URI',
        (s) =>
          s.subscribe(WABA, { overrideCallbackUri: 'http://hooks.example.com/', verifyToken: 'v' }),
        /overrideCallbackUri must be an absolute https:\/\/ URL/,
      ],
      [
        'a relative override URI',
        (s) => s.setPhoneNumberOverride(PHONE, { overrideCallbackUri: '/hooks', verifyToken: 'v' }),
        /must be an absolute https:\/\/ URL/,
      ],
      [
        'a phone override without verifyToken',
        (s) => s.setPhoneNumberOverride(PHONE, { overrideCallbackUri: OVERRIDE } as never),
        /overrideCallbackUri requires verifyToken/,
      ],
      [
        'an empty verify token',
        (s) => s.subscribe(WABA, { overrideCallbackUri: OVERRIDE, verifyToken: '' }),
        /verifyToken must be a non-empty string/,
      ],
      ['a WABA ID that is not numeric', (s) => s.list('../me'), /wabaId must be a Graph object ID/],
      [
        'subscribeApp without fields',
        (s) =>
          s.subscribeApp(APP, {
            callbackUrl: 'https://app.example.com/wh',
            verifyToken: 'v',
            fields: [],
            appAccessToken: APP_TOKEN,
          }),
        /fields must be a non-empty array/,
      ],
      [
        'subscribeApp without an app access token',
        (s) =>
          s.subscribeApp(APP, {
            callbackUrl: 'https://app.example.com/wh',
            verifyToken: 'v',
            fields: ['messages'],
          } as never),
        /appAccessToken is required/,
      ],
    ])('rejects %s before any request', async (_label, call, message) => {
      const subscriptions = await service();
      const error = await call(subscriptions).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(message);
      expect(graph.requests).toEqual([]);
    });

    it('accepts an override URI of exactly 200 characters', async () => {
      graph.on('POST', SUBSCRIBED_APPS, { body: { success: true } });
      const uri = `https://hooks.example.com/${'a'.repeat(174)}`;
      expect(uri).toHaveLength(200);
      await (await service()).subscribe(WABA, { overrideCallbackUri: uri, verifyToken: 'v' });
      expect(graph.requests).toHaveLength(1);
      expect(JSON.parse(graph.requests[0]!.body)).toMatchObject({ override_callback_uri: uri });
    });

    it('exposes the X-Business-Use-Case-Usage of the last answer through getLastUsage() (deprecated)', async () => {
      graph.on('GET', SUBSCRIBED_APPS, {
        body: { data: [] },
        headers: {
          'X-Business-Use-Case-Usage': JSON.stringify({
            [WABA]: [
              {
                type: 'whatsapp_business_management',
                call_count: 42,
                total_cputime: 3,
                total_time: 5,
                estimated_time_to_regain_access: 0,
              },
            ],
            '987654321': [
              {
                type: 'whatsapp',
                call_count: 7,
                total_cputime: 1,
                total_time: 1,
                estimated_time_to_regain_access: 0,
              },
            ],
          }),
          'X-App-Usage': '{"call_count":9,"total_cputime":2,"total_time":4}',
        },
      });
      const subscriptions = await service();
      expect(subscriptions.getLastUsage()).toBeUndefined();
      await subscriptions.list(WABA);
      expect(subscriptions.getLastUsage()?.businessUseCase).toHaveLength(2);
      expect(subscriptions.getLastUsage()).toEqual({
        businessUseCase: expect.arrayContaining([
          {
            businessObjectId: WABA,
            type: 'whatsapp_business_management',
            callCount: 42,
            totalCpuTime: 3,
            totalTime: 5,
            estimatedTimeToRegainAccessMinutes: 0,
          },
          {
            businessObjectId: '987654321',
            type: 'whatsapp',
            callCount: 7,
            totalCpuTime: 1,
            totalTime: 1,
            estimatedTimeToRegainAccessMinutes: 0,
          },
        ]),
        app: { callCount: 9, totalCpuTime: 2, totalTime: 4 },
        regainAccessInMs: 0,
      });
    });

    it('uses the configured graphApiVersion', async () => {
      graph.on('GET', `/v25.0/${WABA}/subscribed_apps`, {
        body: { data: [] },
        headers: { 'x-business-use-case-usage': bucHeader(WABA, { call_count: 1 }) },
      });
      await (await service({ graphApiVersion: 'v25.0' })).list(WABA);
      expect(graph.requests.map((r) => r.path)).toEqual([`/v25.0/${WABA}/subscribed_apps`]);
    });

    it('type-checks overrideCallbackUri only together with verifyToken', () => {
      // Compiled by `npm run typecheck`: an unused @ts-expect-error fails it.
      const calls = (s: SubscriptionService) => [
        s.subscribe(WABA),
        s.subscribe(WABA, { accessToken: CLIENT_TOKEN }),
        s.subscribe(WABA, { overrideCallbackUri: OVERRIDE, verifyToken: 'v' }),
        // @ts-expect-error verifyToken is required with overrideCallbackUri
        s.subscribe(WABA, { overrideCallbackUri: OVERRIDE }),
        // @ts-expect-error overrideCallbackUri is required with verifyToken
        s.subscribe(WABA, { verifyToken: 'v' }),
        // @ts-expect-error both are required for a phone override
        s.setPhoneNumberOverride(PHONE, { overrideCallbackUri: OVERRIDE }),
      ];
      expect(calls).toBeTypeOf('function');
    });

    // The sample answers printed in the seed documents, served verbatim for the seed's own
    // sample requests (WABA 102289599326934, Graph API v21.0).
    describe("the seeds' sample answers", () => {
      const seedPath = `/${SEED_SAMPLE_REQUEST.version}/${SEED_SAMPLE_REQUEST.wabaId}/subscribed_apps`;
      const sample = (file: string): ScriptedResponse => ({
        body: readSeedFixture(file).toString('utf8'),
        headers: { 'content-type': 'application/json; charset=UTF-8' },
      });
      const seedService = () => service({ graphApiVersion: SEED_SAMPLE_REQUEST.version });

      it.each([
        ['subscribe', 'POST', SEED_GRAPH_SAMPLES.subscribe000, SEED_GRAPH_SAMPLES.subscribe002],
        ['unsubscribe', 'DELETE', SEED_GRAPH_SAMPLES.unsubscribe000, SEED_GRAPH_SAMPLES.delete002],
      ] as const)(
        '%s (%s) accepts seed 000\'s { "success" : true } and seed 002\'s { "success": "true" }',
        async (call, method, from000, from002) => {
          graph.on(method, seedPath, sample(from000), sample(from002));
          const subscriptions = await seedService();
          await expect(subscriptions[call](SEED_SAMPLE_REQUEST.wabaId)).resolves.toBeUndefined();
          await expect(subscriptions[call](SEED_SAMPLE_REQUEST.wabaId)).resolves.toBeUndefined();
          expect(graph.requests.map((r) => [r.method, r.path, r.body])).toEqual([
            [method, seedPath, ''],
            [method, seedPath, ''],
          ]);
          graph.requests.forEach((request) => expectAuthorized(request));
        },
      );

      it("list reads seed 000's sample list of subscribed apps", async () => {
        graph.on('GET', seedPath, sample(SEED_GRAPH_SAMPLES.list000));
        await expect((await seedService()).list(SEED_SAMPLE_REQUEST.wabaId)).resolves.toEqual([
          {
            id: '67084...',
            link: 'https://www.facebook.com/games/?app_id=67084...',
            name: 'Jaspers Market',
          },
          {
            id: '52565...',
            link: 'https://www.facebook.com/games/?app_id=52565...',
            name: 'Jaspers Fresh Finds',
          },
        ]);
        expect(graph.requests.map((r) => [r.method, r.path])).toEqual([['GET', seedPath]]);
        expectAuthorized(graph.requests[0]!);
      });
    });
  },
);

describe('the local Graph API', () => {
  let graph: FakeGraphApi;

  beforeEach(async () => {
    graph = await FakeGraphApi.start();
    graph.on('POST', SUBSCRIBED_APPS, { body: { success: true } });
  });
  afterEach(() => graph.close());

  it.each<[string, RequestInit & { query?: string }]>([
    ['a method query parameter', { query: '?method=DELETE' }],
    [
      'a method form parameter',
      {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'method=delete',
      },
    ],
    [
      'a method JSON key',
      { headers: { 'content-type': 'application/json' }, body: '{"method":"DELETE"}' },
    ],
    ['an X-HTTP-Method-Override header', { headers: { 'x-http-method-override': 'DELETE' } }],
  ])(
    'refuses HTTP method override carried by %s, as Meta does for new apps since v27.0',
    async (_label, { query = '', ...init }) => {
      const response = await fetch(`${graph.url}${SUBSCRIBED_APPS}${query}`, {
        method: 'POST',
        ...init,
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({
        error: { code: 100, message: expect.stringMatching(/method override/) },
      });
    },
  );

  it('answers a plain POST as scripted', async () => {
    const response = await fetch(`${graph.url}${SUBSCRIBED_APPS}`, { method: 'POST' });
    expect(await response.json()).toEqual({ success: true });
  });
});
