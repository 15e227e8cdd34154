import type { GraphApiUsage } from './subscription.types.js';

/**
 * How a Graph API call failed:
 * - `'graph-error'`: Meta answered with a Graph error body (`{"error": {…}}`);
 * - `'http-error'`: an HTTP error status without a Graph error body (e.g. a proxy's 502);
 * - `'unsuccessful'`: HTTP 200 whose `success` is not `true` / `"true"`, or an unreadable body;
 * - `'network-error'`: no HTTP answer (connection refused or reset, DNS…);
 * - `'timeout'`: no answer within `requestTimeoutMs`;
 * - `'throttled'`: not sent at all, because Meta asked to stop calling for this WABA for longer
 *   than `retry.maxWaitMs` (`retryAfterMs` says how long; `attempts` is 0).
 */
export type GraphApiErrorKind =
  'graph-error' | 'http-error' | 'unsuccessful' | 'network-error' | 'timeout' | 'throttled';

/** What a {@link GraphApiError} is built from. Strings must already be free of secrets. */
export interface GraphApiErrorInit {
  readonly kind: GraphApiErrorKind;
  /** HTTP method of the call. */
  readonly method: string;
  /** URL path of the call (no query string, no host). */
  readonly path: string;
  /** What went wrong, in words (Meta's `error.message` for a Graph error). */
  readonly reason: string;
  readonly httpStatus?: number;
  readonly code?: number;
  readonly subcode?: number;
  readonly type?: string;
  readonly fbtraceId?: string;
  readonly userTitle?: string;
  readonly userMessage?: string;
  readonly details?: string;
  readonly transient: boolean;
  readonly retryAfterMs?: number;
  readonly usage?: GraphApiUsage;
  readonly attempts: number;
}

function describe(init: GraphApiErrorInit): string {
  const facts = [
    init.httpStatus !== undefined ? `HTTP ${init.httpStatus}` : undefined,
    init.code !== undefined ? `code ${init.code}` : undefined,
    init.subcode !== undefined ? `subcode ${init.subcode}` : undefined,
    init.type ? `type ${init.type}` : undefined,
    init.fbtraceId ? `fbtrace_id ${init.fbtraceId}` : undefined,
    init.transient ? 'transient' : 'permanent',
    init.attempts > 1 ? `${init.attempts} attempts` : undefined,
    init.retryAfterMs !== undefined
      ? `retry after ${Math.ceil(init.retryAfterMs / 1000)} s`
      : undefined,
  ].filter((fact) => fact !== undefined);
  return `Graph API ${init.method} ${init.path} failed: ${init.reason} (${facts.join(', ')})`;
}

/**
 * Every failure of a `SubscriptionService` call to the Graph API: an error answer, an
 * unsuccessful answer (`{"success": false}`), a network error, a timeout, or a call refused
 * without a request because Meta throttles its WABA (`kind: 'throttled'`). It never carries
 * the access token: not in its message, its properties, its stack or a `cause`.
 *
 * @example
 * try {
 *   await subscriptions.subscribe(wabaId);
 * } catch (error) {
 *   if (error instanceof GraphApiError && error.code === 190) {
 *     // the token expired or was revoked: get a new one
 *   } else if (error instanceof GraphApiError && error.retryAfterMs) {
 *     // throttled for longer than retry.maxWaitMs: try again later
 *   }
 *   throw error;
 * }
 *
 * @see https://developers.facebook.com/docs/graph-api/guides/error-handling
 */
export class GraphApiError extends Error {
  static {
    // On the prototype, so that the name is in the stack header but not an own property.
    Object.defineProperty(this.prototype, 'name', { value: 'GraphApiError', writable: true });
  }

  /** How the call failed. */
  readonly kind: GraphApiErrorKind;

  /** HTTP method of the call. */
  readonly method: string;

  /** URL path of the call, e.g. `/v27.0/102290129340398/subscribed_apps`. */
  readonly path: string;

  /** HTTP status of the last attempt; `undefined` for network errors and timeouts. */
  readonly httpStatus: number | undefined;

  /** Graph error code (`error.code`), e.g. 190 (token), 100 (parameter), 80008 (rate limit). */
  readonly code: number | undefined;

  /** Graph error subcode (`error.error_subcode`), e.g. 463 (token expired). */
  readonly subcode: number | undefined;

  /** Graph error type (`error.type`), e.g. `'OAuthException'`. */
  readonly type: string | undefined;

  /** Meta's support ID for this failure (`error.fbtrace_id`); it expires shortly. */
  readonly fbtraceId: string | undefined;

  /** Localised title for end users (`error.error_user_title`). */
  readonly userTitle: string | undefined;

  /** Localised message for end users (`error.error_user_msg`). */
  readonly userMessage: string | undefined;

  /** WhatsApp's `error.error_data.details`. */
  readonly details: string | undefined;

  /**
   * Whether the same call may succeed later (5xx, 429, throttling codes, `is_transient`,
   * network errors, timeouts). Transient failures were already retried `attempts` times.
   */
  readonly transient: boolean;

  /**
   * How long Meta asked to wait before calling again (`estimated_time_to_regain_access` or
   * `Retry-After`), in milliseconds, when known.
   */
  readonly retryAfterMs: number | undefined;

  /** Rate-limit usage reported with the failing answer, when present. */
  readonly usage: GraphApiUsage | undefined;

  /** Attempts made, the first one included; `0` for a `'throttled'` call, which sent nothing. */
  readonly attempts: number;

  constructor(init: GraphApiErrorInit) {
    super(describe(init));
    this.kind = init.kind;
    this.method = init.method;
    this.path = init.path;
    this.httpStatus = init.httpStatus;
    this.code = init.code;
    this.subcode = init.subcode;
    this.type = init.type;
    this.fbtraceId = init.fbtraceId;
    this.userTitle = init.userTitle;
    this.userMessage = init.userMessage;
    this.details = init.details;
    this.transient = init.transient;
    this.retryAfterMs = init.retryAfterMs;
    this.usage = init.usage;
    this.attempts = init.attempts;
  }

  /** The error's facts as plain JSON (`JSON.stringify(error)` would otherwise omit `message`). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      kind: this.kind,
      method: this.method,
      path: this.path,
      httpStatus: this.httpStatus,
      code: this.code,
      subcode: this.subcode,
      type: this.type,
      fbtraceId: this.fbtraceId,
      userTitle: this.userTitle,
      userMessage: this.userMessage,
      details: this.details,
      transient: this.transient,
      retryAfterMs: this.retryAfterMs,
      attempts: this.attempts,
      usage: this.usage,
    };
  }
}
