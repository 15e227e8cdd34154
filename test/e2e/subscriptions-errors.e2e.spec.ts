import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  GraphApiError,
  SubscriptionService,
  type WhatsAppWebhooksModuleOptions,
} from '../../src/index.js';
import { bucHeader, FakeGraphApi, graphError } from '../fixtures/fake-graph-api.js';
import {
  CapturingLogger,
  createTestApp,
  type TestApp,
  type Variant,
  VARIANTS,
} from '../fixtures/test-app.js';

const TOKEN = 'EAAG-system-user-token-0123456789-SECRET';
const VERIFY_TOKEN = 'override-verify-token-SECRET';
const WABA = '102290129340398';
const SUBSCRIBED_APPS = `/v27.0/${WABA}/subscribed_apps`;
const OVERRIDE = `https://hooks.example.com/waba/${WABA}`;

async function failure(promise: Promise<unknown>): Promise<GraphApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GraphApiError);
  return error as GraphApiError;
}

describe.each(VARIANTS)(
  'SubscriptionService errors, retries and rate limits (%s)',
  (variant: Variant) => {
    let graph: FakeGraphApi;
    let t: TestApp | undefined;
    let logger: CapturingLogger;

    beforeEach(async () => {
      graph = await FakeGraphApi.start();
      logger = new CapturingLogger();
    });
    afterEach(async () => {
      vi.restoreAllMocks();
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
        logger,
        options: {
          accessToken: TOKEN,
          graphApiBaseUrl: graph.url,
          retry: { attempts: 3, baseDelayMs: 2, maxDelayMs: 10 },
          ...options,
        },
      });
      return t.app.get(SubscriptionService);
    }

    /** Records the backoff the service asks for and skips the wait. */
    function recordSleeps(subscriptions: SubscriptionService): number[] {
      const sleeps: number[] = [];
      vi.spyOn(
        subscriptions as unknown as { sleep: (ms: number) => Promise<void> },
        'sleep',
      ).mockImplementation((ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      });
      return sleeps;
    }

    it.each([
      [
        '190 (expired token)',
        401,
        graphError(190, 'Error validating access token: Session has expired', {
          error_subcode: 463,
          error_user_title: 'Session expired',
          error_user_msg: 'Log in again.',
        }),
        { code: 190, subcode: 463, userTitle: 'Session expired', userMessage: 'Log in again.' },
      ],
      [
        '100 (override before subscribe)',
        400,
        graphError(
          100,
          '(#100) Before override the current callback uri, your app must be subscribed to receive messages for WhatsApp Business Account',
          { error_data: { messaging_product: 'whatsapp', details: 'subscribe first' } },
        ),
        { code: 100, details: 'subscribe first' },
      ],
      [
        '200 (token user lacks access to the WABA)',
        403,
        graphError(200, '(#200) Permissions error'),
        { code: 200 },
      ],
      ['10 (permission denied)', 403, graphError(10, '(#10) Permission denied'), { code: 10 }],
      [
        '368 (temporarily blocked)',
        400,
        graphError(368, '(#368) Temporarily blocked for policies violations'),
        { code: 368 },
      ],
      [
        '3 with HTTP 500 (classified by code, not status)',
        500,
        graphError(3, '(#3) Capability or permissions issue'),
        { code: 3 },
      ],
    ])(
      'throws permanent error %s at once, without retrying',
      async (_label, status, body, fields) => {
        graph.on('POST', SUBSCRIBED_APPS, { status, body });
        const subscriptions = await service();
        const error = await failure(subscriptions.subscribe(WABA));
        expect(error).toMatchObject({
          ...fields,
          kind: 'graph-error',
          httpStatus: status,
          type: 'OAuthException',
          fbtraceId: `trace-${fields.code}`,
          transient: false,
          attempts: 1,
          method: 'POST',
          path: SUBSCRIBED_APPS,
        });
        expect(error.message).toContain((body.error as { message: string }).message);
        expect(error.message).toContain(`code ${fields.code}`);
        expect(error.message).toContain(`fbtrace_id trace-${fields.code}`);
        expect(graph.requests).toHaveLength(1);
      },
    );

    it('retries a 500 and resolves with the next answer', async () => {
      graph.on(
        'POST',
        SUBSCRIBED_APPS,
        { status: 500, body: graphError(2, 'Service temporarily unavailable') },
        { body: { success: true } },
      );
      const subscriptions = await service();
      await expect(subscriptions.subscribe(WABA)).resolves.toBeUndefined();
      expect(graph.requests).toHaveLength(2);
      expect(logger.lines.filter((l) => l.level === 'warn')).toEqual([
        expect.objectContaining({
          context: 'SubscriptionService',
          message: expect.stringMatching(
            /^POST \/v27\.0\/102290129340398\/subscribed_apps failed \(code 2, HTTP 500\); attempt 2 of 3 in \d+ ms$/,
          ),
        }),
      ]);
    });

    it('retries transient failures up to retry.attempts, then throws the last one', async () => {
      graph.on('GET', SUBSCRIBED_APPS, { status: 503, body: '<html>Service Unavailable</html>' });
      const subscriptions = await service({
        retry: { attempts: 4, baseDelayMs: 1, maxDelayMs: 2 },
      });
      const error = await failure(subscriptions.list(WABA));
      expect(error).toMatchObject({
        kind: 'http-error',
        httpStatus: 503,
        code: undefined,
        transient: true,
        attempts: 4,
      });
      expect(error.message).toMatch(/HTTP 503 without a Graph error body .*4 attempts/);
      expect(graph.requests).toHaveLength(4);
    });

    it('does not retry at all with retry.attempts = 1', async () => {
      graph.on('GET', SUBSCRIBED_APPS, { status: 500, body: graphError(1, 'An unknown error') });
      const subscriptions = await service({ retry: { attempts: 1 } });
      expect(await failure(subscriptions.list(WABA))).toMatchObject({
        transient: true,
        attempts: 1,
      });
      expect(graph.requests).toHaveLength(1);
    });

    it('backs off exponentially with full jitter, each delay within [0, min(maxDelayMs, base × 2^(n−1))]', async () => {
      graph.on('POST', SUBSCRIBED_APPS, {
        status: 429,
        body: graphError(4, 'Application request limit reached'),
      });
      const subscriptions = await service({
        // throttleWindowMs 0: code 4 would otherwise hold the WABA's next calls back (tested in
        // subscriptions-throttling); this test is about the backoff inside one call.
        retry: { attempts: 6, baseDelayMs: 100, maxDelayMs: 500, throttleWindowMs: 0 },
      });
      const sleeps = recordSleeps(subscriptions);
      vi.spyOn(Math, 'random').mockReturnValue(0.999);
      expect(await failure(subscriptions.subscribe(WABA))).toMatchObject({ code: 4, attempts: 6 });
      expect(graph.requests).toHaveLength(6);
      expect(sleeps).toEqual([100, 200, 400, 500, 500]);
      vi.spyOn(Math, 'random').mockReturnValue(0);
      sleeps.length = 0;
      await failure(subscriptions.subscribe(WABA));
      expect(sleeps).toEqual([0, 0, 0, 0, 0]);
      vi.mocked(Math.random).mockRestore();
      sleeps.length = 0;
      await failure(subscriptions.subscribe(WABA));
      const ceilings = [100, 200, 400, 500, 500];
      expect(sleeps).toHaveLength(5);
      sleeps.forEach((ms, i) => {
        expect(ms).toBeGreaterThanOrEqual(0);
        expect(ms).toBeLessThanOrEqual(ceilings[i]!);
      });
    });

    it('keeps real backoff delays short with small retry options', async () => {
      graph.on(
        'POST',
        SUBSCRIBED_APPS,
        { status: 502, body: '' },
        { status: 502, body: '' },
        { body: { success: true } },
      );
      const subscriptions = await service({
        retry: { attempts: 3, baseDelayMs: 20, maxDelayMs: 40 },
      });
      const started = Date.now();
      await subscriptions.subscribe(WABA);
      // Two waits of at most 20 and 40 ms.
      expect(Date.now() - started).toBeLessThan(1000);
      expect(graph.requests).toHaveLength(3);
    });

    it.each([
      [
        'is_transient: true',
        400,
        graphError(131999, 'Something went wrong', { is_transient: true }),
      ],
      ['code 2 with HTTP 400', 400, graphError(2, 'Temporary downtime')],
      ['code 80007 (WABA rate limit)', 400, graphError(80007, 'Rate limit hit')],
      ['code 130429 (throughput)', 400, graphError(130429, 'Rate limit hit')],
    ])('retries %s', async (_label, status, body) => {
      graph.on('DELETE', SUBSCRIBED_APPS, { status, body }, { body: { success: true } });
      await (await service()).unsubscribe(WABA);
      expect(graph.requests).toHaveLength(2);
    });

    it('80008 with a BUC header: throws at once with retryAfterMs when Meta asks to wait longer than retry.maxWaitMs', async () => {
      graph.on('POST', SUBSCRIBED_APPS, {
        status: 400,
        body: graphError(
          80008,
          'There have been too many calls to this WhatsApp Business account. Wait a bit and try again.',
        ),
        headers: {
          'X-Business-Use-Case-Usage': bucHeader(WABA, {
            call_count: 104,
            estimated_time_to_regain_access: 5,
          }),
        },
      });
      const subscriptions = await service();
      const error = await failure(subscriptions.subscribe(WABA));
      expect(error).toMatchObject({
        code: 80008,
        transient: true,
        attempts: 1,
        retryAfterMs: 5 * 60_000,
        usage: {
          regainAccessInMs: 5 * 60_000,
          businessUseCase: [
            {
              businessObjectId: WABA,
              type: 'whatsapp_business_management',
              callCount: 104,
              totalCpuTime: 12,
              totalTime: 20,
              estimatedTimeToRegainAccessMinutes: 5,
            },
          ],
        },
      });
      expect(error.message).toContain('retry after 300 s');
      expect(subscriptions.getLastUsage()).toEqual(error.usage);
      expect(graph.requests).toHaveLength(1);
    });

    it('80008 with a BUC header: honours a wait within retry.maxWaitMs, then retries', async () => {
      graph.on(
        'POST',
        SUBSCRIBED_APPS,
        {
          status: 400,
          body: graphError(80008, 'Too many calls'),
          headers: {
            'x-business-use-case-usage': bucHeader(WABA, { estimated_time_to_regain_access: 1 }),
          },
        },
        { body: { success: true } },
      );
      const subscriptions = await service({ retry: { maxWaitMs: 90_000 } });
      const sleeps = recordSleeps(subscriptions);
      await subscriptions.subscribe(WABA);
      expect(sleeps).toEqual([60_000]);
      expect(graph.requests).toHaveLength(2);
      expect(logger.text()).toContain('is throttled; waiting 60 s as Meta asks');
    });

    it('80008 with estimated_time_to_regain_access 0 is retried with ordinary backoff', async () => {
      graph.on(
        'POST',
        SUBSCRIBED_APPS,
        {
          status: 400,
          body: graphError(80008, 'Too many calls'),
          headers: { 'x-business-use-case-usage': bucHeader(WABA, {}) },
        },
        { body: { success: true } },
      );
      await (await service()).subscribe(WABA);
      expect(graph.requests).toHaveLength(2);
    });

    it('honours Retry-After on a 429 within the bound', async () => {
      graph.on(
        'GET',
        SUBSCRIBED_APPS,
        { status: 429, body: '', headers: { 'Retry-After': '2' } },
        { body: { data: [] } },
      );
      const subscriptions = await service();
      const sleeps = recordSleeps(subscriptions);
      await expect(subscriptions.list(WABA)).resolves.toEqual([]);
      expect(sleeps).toEqual([2000]);
    });

    it('turns a connection reset into a transient GraphApiError and retries it', async () => {
      graph.on('POST', SUBSCRIBED_APPS, { reset: true }, { body: { success: true } });
      const subscriptions = await service();
      await subscriptions.subscribe(WABA);
      expect(graph.requests).toHaveLength(2);

      graph.on('GET', SUBSCRIBED_APPS, { reset: true });
      const error = await failure(subscriptions.list(WABA));
      expect(error).toMatchObject({
        kind: 'network-error',
        httpStatus: undefined,
        code: undefined,
        transient: true,
        attempts: 3,
      });
      expect(error.message).toMatch(/failed: network error (ECONNRESET|EPIPE)/);
      expect(error.cause).toBeUndefined();
    });

    it('turns a refused connection into a transient GraphApiError', async () => {
      const closed = await FakeGraphApi.start();
      const url = closed.url;
      await closed.close();
      const subscriptions = await service({
        graphApiBaseUrl: url,
        retry: { attempts: 2, baseDelayMs: 1 },
      });
      const error = await failure(subscriptions.list(WABA));
      expect(error).toMatchObject({ kind: 'network-error', transient: true, attempts: 2 });
      expect(error.message).toContain('ECONNREFUSED');
    });

    it('times out a slow answer after requestTimeoutMs, as a transient error that is retried', async () => {
      graph.on(
        'GET',
        SUBSCRIBED_APPS,
        { body: { data: [] }, delayMs: 2_000 },
        { body: { data: [{ whatsapp_business_api_data: { id: '1' } }] } },
      );
      const subscriptions = await service({ requestTimeoutMs: 100 });
      await expect(subscriptions.list(WABA)).resolves.toEqual([{ id: '1' }]);
      expect(graph.requests).toHaveLength(2);

      graph.on('GET', SUBSCRIBED_APPS, { body: { data: [] }, delayMs: 2_000 });
      const started = Date.now();
      const error = await failure(subscriptions.list(WABA));
      expect(Date.now() - started).toBeLessThan(1_500);
      expect(error).toMatchObject({ kind: 'timeout', transient: true, attempts: 3 });
      expect(error.message).toContain('no answer within 100 ms');
    });

    it('never lets the access token or verify token reach logs, messages, stacks, JSON or inspect output', async () => {
      graph.on(
        'POST',
        SUBSCRIBED_APPS,
        // Meta echoing the token back, encoded or not, must not leak it either.
        {
          status: 500,
          body: graphError(
            1,
            `Invalid OAuth access token ${TOKEN} (${encodeURIComponent(TOKEN)})`,
            {
              error_user_msg: `verify token ${VERIFY_TOKEN} rejected`,
            },
          ),
        },
      );
      graph.on('GET', SUBSCRIBED_APPS, { reset: true });
      const subscriptions = await service();
      const errors = [
        await failure(
          subscriptions.subscribe(WABA, {
            overrideCallbackUri: OVERRIDE,
            verifyToken: VERIFY_TOKEN,
          }),
        ),
        await failure(subscriptions.list(WABA)),
      ];
      expect(logger.lines.filter((l) => l.level === 'warn').length).toBeGreaterThanOrEqual(4);
      expect(logger.lines.filter((l) => l.level === 'debug').length).toBeGreaterThanOrEqual(3);
      const outputs = [
        logger.text(),
        ...errors.flatMap((error) => [
          error.message,
          String(error.stack),
          String(error),
          JSON.stringify(error),
          inspect(error, { depth: Infinity, showHidden: true }),
          inspect(error.cause, { depth: Infinity, showHidden: true }),
          JSON.stringify(Object.getOwnPropertyDescriptors(error)),
        ]),
      ];
      for (const output of outputs) {
        expect(output).not.toContain(TOKEN);
        expect(output).not.toContain(encodeURIComponent(TOKEN));
        expect(output).not.toContain(VERIFY_TOKEN);
      }
      expect(errors[0]!.message).toContain('Invalid OAuth access token [redacted]');
      expect(errors[0]!.userMessage).toBe('verify token [redacted] rejected');
      expect(errors.map((e) => e.cause)).toEqual([undefined, undefined]);
      expect(JSON.parse(JSON.stringify(errors[0]))).toMatchObject({
        name: 'GraphApiError',
        code: 1,
        httpStatus: 500,
        fbtraceId: 'trace-1',
        transient: true,
      });
      expect(String(errors[0]!.stack)).toMatch(/^GraphApiError: Graph API POST/);
    });

    it.each([
      [
        'graphApiVersion',
        { graphApiVersion: '25.0' },
        /option "graphApiVersion" must look like 'v27\.0'/,
      ],
      ['graphApiBaseUrl', { graphApiBaseUrl: 'ftp://graph.example' }, /option "graphApiBaseUrl"/],
      [
        'retry.attempts',
        { retry: { attempts: 0 } },
        /option "retry\.attempts" must be a whole number ≥ 1/,
      ],
      [
        'retry.maxDelayMs',
        { retry: { baseDelayMs: 50, maxDelayMs: 10 } },
        /option "retry\.maxDelayMs"/,
      ],
      ['requestTimeoutMs', { requestTimeoutMs: 0 }, /option "requestTimeoutMs"/],
      ['accessToken', { accessToken: '' }, /option "accessToken" must be a non-empty string/],
      [
        'accessToken (neither a string nor a function)',
        { accessToken: 42 },
        /option "accessToken" must be a non-empty string or a function/,
      ],
      ['appId (not digits)', { appId: 'my-app' }, /option "appId" must be this Meta app's ID/],
      ['appId (empty)', { appId: '' }, /option "appId"/],
      ['appId (a number)', { appId: 670843887433847 }, /option "appId"/],
      [
        'retry.throttleWindowMs',
        { retry: { throttleWindowMs: -1 } },
        /option "retry\.throttleWindowMs" must be a whole number ≥ 0/,
      ],
    ])('fails at bootstrap on a bad %s', async (_label, options, message) => {
      await expect(service(options as Partial<WhatsAppWebhooksModuleOptions>)).rejects.toThrow(
        message,
      );
    });
  },
);
