import { invalidOption, wholeNumber } from '../options/option-checks.js';
import type { AccessTokenResolver, GraphApiRetryOptions } from './subscription.types.js';

/** Graph API version used when the `graphApiVersion` option is not set (protocol.md §16). */
export const DEFAULT_GRAPH_API_VERSION = 'v27.0';

/** Graph API origin used when the `graphApiBaseUrl` option is not set. */
export const DEFAULT_GRAPH_API_BASE_URL = 'https://graph.facebook.com';

/** Per-request timeout used when the `requestTimeoutMs` option is not set. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/** Retry policy used for every `retry` key that is not set. */
export const DEFAULT_GRAPH_API_RETRY: Readonly<Required<GraphApiRetryOptions>> = Object.freeze({
  attempts: 3,
  baseDelayMs: 500,
  maxDelayMs: 10_000,
  maxWaitMs: 60_000,
  throttleWindowMs: 60_000,
});

const GRAPH_API_VERSION = /^v\d+\.\d+$/;

const GRAPH_ID = /^\d+$/;

/** The Graph API options of the module, as given to `forRoot()` or returned by the factory. */
export interface GraphApiOptionsInput {
  accessToken?: string | AccessTokenResolver;
  appId?: string;
  graphApiVersion?: string;
  graphApiBaseUrl?: string;
  requestTimeoutMs?: number;
  retry?: GraphApiRetryOptions;
}

/** The Graph API options after defaults were applied and values checked. @internal */
export interface ResolvedGraphApiOptions {
  readonly accessToken: string | AccessTokenResolver | undefined;
  /** This app's ID; `undefined` when `SubscriptionService` resolves it from the token. */
  readonly appId?: string;
  readonly version: string;
  /** Origin (and optional path prefix) without a trailing slash. */
  readonly baseUrl: string;
  readonly requestTimeoutMs: number;
  readonly retry: Readonly<Required<GraphApiRetryOptions>>;
}

/** Injection token of {@link ResolvedGraphApiOptions}. @internal */
export const GRAPH_API_OPTIONS = Symbol('WABA_GRAPH_API_OPTIONS');

function fail(name: string, problem: string): never {
  throw invalidOption(name, problem);
}

function baseUrl(value: unknown): string {
  if (value === undefined) return DEFAULT_GRAPH_API_BASE_URL;
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.search || url.hash) {
    fail('graphApiBaseUrl', 'must be an http(s) URL without query or fragment');
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

/**
 * Applies defaults to the Graph API options (`accessToken`, `appId`, `graphApiVersion`,
 * `graphApiBaseUrl`, `requestTimeoutMs`, `retry`) and checks them; throws one actionable
 * message naming the bad option.
 *
 * @internal
 */
export function resolveGraphApiOptions(options: GraphApiOptionsInput): ResolvedGraphApiOptions {
  const { accessToken, appId, graphApiVersion, retry } = options;
  if (
    accessToken !== undefined &&
    typeof accessToken !== 'function' &&
    (typeof accessToken !== 'string' || accessToken.trim() === '')
  ) {
    fail('accessToken', 'must be a non-empty string or a function ({ wabaId }) => token when set');
  }
  if (appId !== undefined && (typeof appId !== 'string' || !GRAPH_ID.test(appId))) {
    fail('appId', "must be this Meta app's ID (digits only), as the App Dashboard shows it");
  }
  if (
    graphApiVersion !== undefined &&
    (typeof graphApiVersion !== 'string' || !GRAPH_API_VERSION.test(graphApiVersion))
  ) {
    fail('graphApiVersion', `must look like '${DEFAULT_GRAPH_API_VERSION}'`);
  }
  if (retry !== undefined && (typeof retry !== 'object' || retry === null)) {
    fail('retry', 'must be an object');
  }
  const defaults = DEFAULT_GRAPH_API_RETRY;
  const baseDelayMs = wholeNumber('retry.baseDelayMs', retry?.baseDelayMs, defaults.baseDelayMs, 0);
  const resolvedRetry = Object.freeze({
    attempts: wholeNumber('retry.attempts', retry?.attempts, defaults.attempts, 1),
    baseDelayMs,
    maxDelayMs: wholeNumber(
      'retry.maxDelayMs',
      retry?.maxDelayMs,
      Math.max(defaults.maxDelayMs, baseDelayMs),
      baseDelayMs,
    ),
    maxWaitMs: wholeNumber('retry.maxWaitMs', retry?.maxWaitMs, defaults.maxWaitMs, 0),
    throttleWindowMs: wholeNumber(
      'retry.throttleWindowMs',
      retry?.throttleWindowMs,
      defaults.throttleWindowMs,
      0,
    ),
  });
  return Object.freeze({
    accessToken,
    ...(appId !== undefined ? { appId } : {}),
    version: graphApiVersion ?? DEFAULT_GRAPH_API_VERSION,
    baseUrl: baseUrl(options.graphApiBaseUrl),
    requestTimeoutMs: wholeNumber(
      'requestTimeoutMs',
      options.requestTimeoutMs,
      DEFAULT_REQUEST_TIMEOUT_MS,
      1,
    ),
    retry: resolvedRetry,
  });
}
