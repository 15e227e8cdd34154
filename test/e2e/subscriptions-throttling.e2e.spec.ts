import { beforeEach, describe, expect, it } from 'vitest';
import { bucHeader, FakeGraphApi, graphError } from '../fixtures/fake-graph-api.js';
import { graphFailure, useSubscriptionHarness } from '../fixtures/subscription-harness.js';
import { type Variant, VARIANTS } from '../fixtures/test-app.js';

const TOKEN = 'EAAG-system-user-token-0123456789-SECRET';
const APP = '670843887433847';
const WABA = '102290129340398';
const OTHER_WABA = '102290129340399';
const SUBSCRIBED_APPS = `/v27.0/${WABA}/subscribed_apps`;
const OTHER_SUBSCRIBED_APPS = `/v27.0/${OTHER_WABA}/subscribed_apps`;
const MINUTE = 60_000;

describe.each(VARIANTS)('SubscriptionService throttling per WABA (%s)', (variant: Variant) => {
  const harness = useSubscriptionHarness(variant, {
    accessToken: TOKEN,
    appId: APP,
    retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
  });
  const { service } = harness;
  let graph: FakeGraphApi;
  beforeEach(() => {
    graph = harness.graph;
  });

  it("after 80008 with estimated_time_to_regain_access, the WABA's next call fails at once without a request; another WABA's call goes through", async () => {
    graph.on('POST', SUBSCRIBED_APPS, {
      status: 400,
      body: graphError(80008, 'There have been too many calls to this WhatsApp Business account.'),
      headers: {
        'X-Business-Use-Case-Usage': bucHeader(WABA, {
          call_count: 104,
          estimated_time_to_regain_access: 5,
        }),
      },
    });
    graph.on('POST', OTHER_SUBSCRIBED_APPS, {
      body: { success: true },
      headers: { 'X-Business-Use-Case-Usage': bucHeader(OTHER_WABA, { call_count: 12 }) },
    });
    graph.on('GET', SUBSCRIBED_APPS, { body: { data: [] } });
    const subscriptions = await service();

    const first = await graphFailure(subscriptions.subscribe(WABA));
    expect(first).toMatchObject({ kind: 'graph-error', code: 80008, retryAfterMs: 5 * MINUTE });
    expect(graph.requestsTo('POST', SUBSCRIBED_APPS)).toHaveLength(1);

    for (const call of [
      () => subscriptions.subscribe(WABA),
      () => subscriptions.list(WABA),
      () => subscriptions.ensureSubscribed(WABA),
      () => subscriptions.unsubscribe(WABA),
      () => subscriptions.clearOverride(WABA),
    ]) {
      const error = await graphFailure(call());
      expect(error).toMatchObject({
        kind: 'throttled',
        transient: true,
        attempts: 0,
        httpStatus: undefined,
        code: undefined,
      });
      expect(error.retryAfterMs).toBeGreaterThan(4 * MINUTE);
      expect(error.retryAfterMs).toBeLessThanOrEqual(5 * MINUTE);
      expect(error.message).toContain(`Meta throttles calls for WABA ${WABA}; nothing was sent`);
      expect(error.message).not.toContain(TOKEN);
      expect(error.usage?.businessUseCase).toEqual([
        expect.objectContaining({ businessObjectId: WABA, callCount: 104 }),
      ]);
    }
    // The fake counts: still the one request for the throttled WABA.
    expect(graph.requests.filter((r) => r.path === SUBSCRIBED_APPS)).toHaveLength(1);

    await subscriptions.subscribe(OTHER_WABA);
    expect(graph.requestsTo('POST', OTHER_SUBSCRIBED_APPS)).toHaveLength(1);
    expect(graph.requests).toHaveLength(2);

    expect(subscriptions.getUsage(WABA)).toEqual({
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
      regainAccessInMs: 5 * MINUTE,
    });
    expect(subscriptions.getUsage(OTHER_WABA)).toMatchObject({
      businessUseCase: [{ businessObjectId: OTHER_WABA, callCount: 12 }],
      regainAccessInMs: 0,
    });
    expect(subscriptions.getUsage('123')).toBeUndefined();
    // The deprecated alias: the last answer's usage, whatever its WABA.
    expect(subscriptions.getLastUsage()).toEqual(subscriptions.getUsage(OTHER_WABA));
  });

  it('a successful answer whose header says estimated_time_to_regain_access > 0 holds the WABA back too', async () => {
    graph.on('GET', SUBSCRIBED_APPS, {
      body: { data: [] },
      headers: {
        'x-business-use-case-usage': bucHeader(WABA, { estimated_time_to_regain_access: 2 }),
      },
    });
    graph.on('GET', OTHER_SUBSCRIBED_APPS, { body: { data: [] } });
    const subscriptions = await service();
    await expect(subscriptions.list(WABA)).resolves.toEqual([]);
    const error = await graphFailure(subscriptions.list(WABA));
    expect(error).toMatchObject({ kind: 'throttled', attempts: 0 });
    expect(error.retryAfterMs).toBeGreaterThan(MINUTE);
    await expect(subscriptions.list(OTHER_WABA)).resolves.toEqual([]);
    expect(graph.requests.map((r) => r.path)).toEqual([SUBSCRIBED_APPS, OTHER_SUBSCRIBED_APPS]);
  });

  it.each([4, 17, 32, 613, 80007, 80008])(
    'code %i without a time from Meta holds the WABA back for retry.throttleWindowMs',
    async (code) => {
      graph.on('DELETE', SUBSCRIBED_APPS, {
        status: code === 4 ? 429 : 400,
        body: graphError(code, 'Rate limit hit'),
      });
      graph.on('DELETE', OTHER_SUBSCRIBED_APPS, { body: { success: true } });
      const subscriptions = await service({
        retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 2, throttleWindowMs: 10 * MINUTE },
      });
      expect(await graphFailure(subscriptions.unsubscribe(WABA))).toMatchObject({
        kind: 'graph-error',
        code,
        attempts: 2,
      });
      const throttled = await graphFailure(subscriptions.unsubscribe(WABA));
      expect(throttled).toMatchObject({ kind: 'throttled', attempts: 0 });
      expect(throttled.retryAfterMs).toBeGreaterThan(9 * MINUTE);
      expect(throttled.message).toContain('retry after');
      await subscriptions.unsubscribe(OTHER_WABA);
      expect(graph.requestsTo('DELETE', SUBSCRIBED_APPS)).toHaveLength(2);
      expect(graph.requestsTo('DELETE', OTHER_SUBSCRIBED_APPS)).toHaveLength(1);
    },
  );

  it('a permanent error (190) holds nothing back', async () => {
    graph.on('GET', SUBSCRIBED_APPS, { status: 401, body: graphError(190, 'Token expired') });
    const subscriptions = await service();
    await graphFailure(subscriptions.list(WABA));
    expect(await graphFailure(subscriptions.list(WABA))).toMatchObject({
      kind: 'graph-error',
      code: 190,
    });
    expect(graph.requests).toHaveLength(2);
  });

  it('waits a window within retry.maxWaitMs, then sends the call; other WABAs do not wait', async () => {
    graph.on(
      'POST',
      SUBSCRIBED_APPS,
      { status: 400, body: graphError(80007, 'WABA rate limit hit') },
      { body: { success: true } },
    );
    graph.on('POST', OTHER_SUBSCRIBED_APPS, { body: { success: true } });
    const subscriptions = await service({
      retry: { attempts: 1, throttleWindowMs: 400, maxWaitMs: 5_000 },
    });
    expect(await graphFailure(subscriptions.subscribe(WABA))).toMatchObject({ code: 80007 });
    const failedAt = Date.now();

    const other = Date.now();
    await subscriptions.subscribe(OTHER_WABA);
    expect(Date.now() - other).toBeLessThan(300);

    await subscriptions.subscribe(WABA);
    // Sent once the window ended, not before.
    const sent = graph.requestsTo('POST', SUBSCRIBED_APPS);
    expect(sent).toHaveLength(2);
    expect(Date.now() - failedAt).toBeGreaterThanOrEqual(350);
    expect(harness.logger.text()).toMatch(
      new RegExp(
        `POST /v27\\.0/${WABA}/subscribed_apps waits 1 s: Meta throttles calls for WABA ${WABA}`,
      ),
    );
    // The window is over: the next call goes at once.
    const next = Date.now();
    await subscriptions.subscribe(WABA);
    expect(Date.now() - next).toBeLessThan(300);
  });

  it('honours a Retry-After window the same way: a call within it waits, then is sent', async () => {
    graph.on(
      'GET',
      SUBSCRIBED_APPS,
      {
        status: 429,
        body: graphError(4, 'Application request limit reached'),
        headers: { 'Retry-After': '1' },
      },
      { body: { data: [] } },
    );
    const waiting = await service({ retry: { attempts: 1, maxWaitMs: 5_000 } });
    expect(await graphFailure(waiting.list(WABA))).toMatchObject({ code: 4, retryAfterMs: 1_000 });
    const started = Date.now();
    await expect(waiting.list(WABA)).resolves.toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(graph.requests).toHaveLength(2);
  });

  it('retry.maxWaitMs 0 never waits: the call is refused at once', async () => {
    graph.on('GET', SUBSCRIBED_APPS, {
      status: 429,
      body: graphError(4, 'Application request limit reached'),
      headers: { 'Retry-After': '30' },
    });
    const subscriptions = await service({ retry: { attempts: 1, maxWaitMs: 0 } });
    await graphFailure(subscriptions.list(WABA));
    const started = Date.now();
    const error = await graphFailure(subscriptions.list(WABA));
    expect(Date.now() - started).toBeLessThan(200);
    expect(error).toMatchObject({ kind: 'throttled' });
    expect(error.retryAfterMs).toBeGreaterThan(25_000);
    expect(graph.requests).toHaveLength(1);
  });

  it("a later header saying estimated_time_to_regain_access 0 for the WABA ends its window (Meta's latest word)", async () => {
    graph.on('POST', SUBSCRIBED_APPS, {
      status: 400,
      body: graphError(80008, 'Too many calls'),
      headers: {
        'x-business-use-case-usage': bucHeader(WABA, { estimated_time_to_regain_access: 3 }),
      },
    });
    // An answer for another WABA may carry this WABA's key too (every key is parsed).
    graph.on('GET', OTHER_SUBSCRIBED_APPS, {
      body: { data: [] },
      headers: {
        'x-business-use-case-usage': JSON.stringify({
          [OTHER_WABA]: [{ type: 'whatsapp_business_management', call_count: 3 }],
          [WABA]: [
            {
              type: 'whatsapp_business_management',
              call_count: 40,
              estimated_time_to_regain_access: 0,
            },
          ],
        }),
      },
    });
    graph.on('GET', SUBSCRIBED_APPS, { body: { data: [] } });
    const subscriptions = await service();
    await graphFailure(subscriptions.subscribe(WABA));
    expect(await graphFailure(subscriptions.list(WABA))).toMatchObject({ kind: 'throttled' });
    await subscriptions.list(OTHER_WABA);
    expect(subscriptions.getUsage(WABA)).toMatchObject({
      businessUseCase: [{ businessObjectId: WABA, callCount: 40 }],
      regainAccessInMs: 0,
    });
    await expect(subscriptions.list(WABA)).resolves.toEqual([]);
    expect(graph.requests.map((r) => [r.method, r.path])).toEqual([
      ['POST', SUBSCRIBED_APPS],
      ['GET', OTHER_SUBSCRIBED_APPS],
      ['GET', SUBSCRIBED_APPS],
    ]);
  });
});
