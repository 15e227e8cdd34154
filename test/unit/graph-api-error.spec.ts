import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { GraphApiError } from '../../src/index.js';
import {
  DEFAULT_GRAPH_API_RETRY,
  DEFAULT_GRAPH_API_VERSION,
  resolveGraphApiOptions,
} from '../../src/subscriptions/graph-api.options.js';

describe('GraphApiError', () => {
  const error = new GraphApiError({
    kind: 'graph-error',
    method: 'POST',
    path: '/v26.0/1/subscribed_apps',
    reason: '(#80008) There have been too many calls to this WhatsApp Business account.',
    httpStatus: 400,
    code: 80008,
    subcode: 2446079,
    type: 'OAuthException',
    fbtraceId: 'AbC',
    transient: true,
    retryAfterMs: 120_000,
    attempts: 1,
  });

  it('builds one message with the call, the reason and the facts', () => {
    expect(error.message).toBe(
      'Graph API POST /v26.0/1/subscribed_apps failed: (#80008) There have been too many calls ' +
        'to this WhatsApp Business account. (HTTP 400, code 80008, subcode 2446079, type ' +
        'OAuthException, fbtrace_id AbC, transient, retry after 120 s)',
    );
  });

  it('is an Error named GraphApiError, in its stack too, without an own name property', () => {
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('GraphApiError');
    expect(error.stack).toMatch(/^GraphApiError: Graph API POST/);
    expect(Object.keys(error)).not.toContain('name');
    expect(inspect(error)).toContain('code: 80008');
  });

  it('serialises its facts, message included, with JSON.stringify', () => {
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'GraphApiError',
      message: error.message,
      kind: 'graph-error',
      method: 'POST',
      path: '/v26.0/1/subscribed_apps',
      httpStatus: 400,
      code: 80008,
      subcode: 2446079,
      type: 'OAuthException',
      fbtraceId: 'AbC',
      transient: true,
      retryAfterMs: 120_000,
      attempts: 1,
    });
  });
});

describe('Graph API options', () => {
  it('defaults to a current version, graph.facebook.com, 10 s and 3 attempts', () => {
    expect(DEFAULT_GRAPH_API_VERSION).toMatch(/^v(2[5-9]|[3-9]\d)\.0$/);
    expect(resolveGraphApiOptions({})).toEqual({
      accessToken: undefined,
      version: DEFAULT_GRAPH_API_VERSION,
      baseUrl: 'https://graph.facebook.com',
      requestTimeoutMs: 10_000,
      retry: DEFAULT_GRAPH_API_RETRY,
    });
    expect(DEFAULT_GRAPH_API_RETRY).toEqual({
      attempts: 3,
      baseDelayMs: 500,
      maxDelayMs: 10_000,
      maxWaitMs: 60_000,
      throttleWindowMs: 60_000,
    });
  });

  it('keeps appId and an accessToken function as given', () => {
    const accessToken = ({ wabaId }: { wabaId?: string }) => `token-${wabaId}`;
    expect(resolveGraphApiOptions({ appId: '670843887433847', accessToken })).toMatchObject({
      appId: '670843887433847',
      accessToken,
    });
    expect(resolveGraphApiOptions({})).not.toHaveProperty('appId');
  });

  it('keeps a base URL path prefix without its trailing slash and merges partial retry options', () => {
    expect(
      resolveGraphApiOptions({
        graphApiBaseUrl: 'http://127.0.0.1:8080/proxy/graph/',
        retry: { attempts: 5 },
      }),
    ).toMatchObject({
      baseUrl: 'http://127.0.0.1:8080/proxy/graph',
      retry: {
        attempts: 5,
        baseDelayMs: 500,
        maxDelayMs: 10_000,
        maxWaitMs: 60_000,
        throttleWindowMs: 60_000,
      },
    });
  });

  it.each([
    [{ graphApiVersion: 'v26' }, /"graphApiVersion"/],
    [{ graphApiVersion: 'latest' }, /"graphApiVersion"/],
    [{ graphApiBaseUrl: 'graph.facebook.com' }, /"graphApiBaseUrl"/],
    [{ graphApiBaseUrl: 'https://graph.facebook.com?x=1' }, /"graphApiBaseUrl"/],
    [{ retry: { baseDelayMs: -1 } }, /"retry\.baseDelayMs"/],
    [{ retry: { attempts: 1.5 } }, /"retry\.attempts"/],
    [{ retry: { maxWaitMs: -1 } }, /"retry\.maxWaitMs"/],
    [{ retry: { throttleWindowMs: 1.5 } }, /"retry\.throttleWindowMs"/],
    [{ appId: '12 34' }, /"appId"/],
    [{ appId: '-1' }, /"appId"/],
    [{ accessToken: {} }, /"accessToken"/],
    [{ requestTimeoutMs: Number.NaN }, /"requestTimeoutMs"/],
  ])('rejects %j', (options, message) => {
    expect(() => resolveGraphApiOptions(options as never)).toThrow(message);
  });
});
