import type { HttpService } from '@nestjs/axios';
import type { LoggerService } from '@nestjs/common';
import type { AxiosResponse, RawAxiosRequestHeaders } from 'axios';
import { firstValueFrom } from 'rxjs';
import { GraphApiError, type GraphApiErrorInit } from './graph-api.error.js';
import type { ResolvedGraphApiOptions } from './graph-api.options.js';
import { backoffDelayMs, isTransientFailure } from './graph-retry.policy.js';
import { GraphThrottle, RATE_LIMIT_GRAPH_ERROR_CODES } from './graph-throttle.js';
import { parseGraphApiUsage, parseRetryAfter } from './graph-usage.parser.js';
import { subscriptionMessages as messages } from './subscription.messages.js';
import type { GraphApiUsage } from './subscription.types.js';

/** One Graph API call, before the version and base URL are applied. @internal */
export interface GraphCall {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** Path after the version, e.g. `/102290129340398/subscribed_apps`. */
  readonly path: string;
  /**
   * The WABA the call acts on: while Meta throttles it, the call waits or fails without a
   * request, and a rate-limit error of the call holds the WABA's later calls back.
   */
  readonly wabaId?: string;
  readonly query?: Readonly<Record<string, string>>;
  /** Sent as JSON. */
  readonly json?: unknown;
  /** Sent as `application/x-www-form-urlencoded`. */
  readonly form?: Readonly<Record<string, string>>;
  /** Sent as `Authorization: Bearer …`; redacted from everything the call produces. */
  readonly token: string;
  /** Other strings to keep out of errors and logs (verify tokens). */
  readonly secrets?: readonly (string | undefined)[];
  /**
   * What a successful answer must look like: `'success'` is `{"success": true}` (or `"true"`),
   * `'data'` an object with a `data` array, `'object'` any JSON object.
   */
  readonly expect: 'success' | 'data' | 'object';
}

/** Failure facts of one attempt, before the attempt count is known. */
type Failure = Omit<GraphApiErrorInit, 'attempts'>;

type Outcome =
  { readonly ok: true; readonly data: unknown } | { readonly ok: false; readonly failure: Failure };

const REDACTED = '[redacted]';

/** Status 2xx and `success` both checked; Graph documents `true` and `"true"`. */
function isSuccess(value: unknown): boolean {
  return value === true || value === 'true';
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function optionalNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Sends Graph API calls through `HttpService`: version and base URL, Bearer token, per-request
 * timeout, usage headers, per-WABA throttling, error classification and retries. Everything
 * that leaves it — return values, `GraphApiError`s, log lines — is free of the call's token and
 * secrets; the axios error (whose `config` holds the `Authorization` header) is never kept or
 * logged.
 *
 * @internal
 */
export class GraphApiClient {
  private readonly throttle = new GraphThrottle();

  constructor(
    private readonly http: HttpService,
    private readonly options: ResolvedGraphApiOptions,
    private readonly logger: LoggerService,
    private readonly sleep: (ms: number) => Promise<void>,
    private readonly random: () => number = () => Math.random(),
  ) {}

  /** The usage reported by the most recent answer that carried a usage header. */
  getLastUsage(): GraphApiUsage | undefined {
    return this.throttle.lastUsage();
  }

  /** The usage last reported for one business object (a WABA or business ID). */
  getUsage(businessObjectId: string): GraphApiUsage | undefined {
    return this.throttle.usageOf(businessObjectId);
  }

  /** The path with the version, as sent and as shown in errors and logs. */
  versionedPath(path: string): string {
    return `/${this.options.version}${path}`;
  }

  /**
   * Sends the call, retrying transient failures; resolves with the parsed JSON answer. A call
   * for a throttled WABA first waits out the window when it ends within `retry.maxWaitMs`, and
   * otherwise fails at once with a `'throttled'` error, without a request.
   */
  async request(call: GraphCall): Promise<unknown> {
    const { attempts, maxWaitMs } = this.options.retry;
    const path = this.versionedPath(call.path);
    await this.waitForAccess(call, path);
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt(call, path);
      if (outcome.ok) return outcome.data;
      const { failure } = outcome;
      const waitMs = failure.retryAfterMs ?? 0;
      if (!failure.transient || attempt >= attempts || waitMs > maxWaitMs) {
        this.holdAfter(call, failure);
        throw new GraphApiError({ ...failure, attempts: attempt });
      }
      const delayMs =
        waitMs > 0 ? waitMs : backoffDelayMs(attempt, this.options.retry, this.random);
      if (waitMs > 0) this.logger.warn(messages.waitingForMeta(call.method, path, waitMs));
      this.logger.warn(
        messages.retrying(call.method, path, this.shortReason(failure), attempt, attempts, delayMs),
      );
      await this.sleep(delayMs);
    }
  }

  /**
   * Before the first attempt: while the call's WABA is held back, wait the rest of the window
   * once (at most `retry.maxWaitMs`) or refuse the call. Retries of the call itself follow the
   * failure's own `retryAfterMs` instead.
   */
  private async waitForAccess(call: GraphCall, path: string): Promise<void> {
    if (call.wabaId === undefined) return;
    const remainingMs = this.throttle.remainingMs(call.wabaId);
    if (remainingMs <= 0) return;
    if (remainingMs > this.options.retry.maxWaitMs) {
      throw new GraphApiError({
        kind: 'throttled',
        method: call.method,
        path,
        reason: messages.throttled(call.wabaId),
        transient: true,
        retryAfterMs: remainingMs,
        usage: this.throttle.usageOf(call.wabaId),
        attempts: 0,
      });
    }
    this.logger.warn(messages.waitingForThrottle(call.method, path, call.wabaId, remainingMs));
    await this.sleep(remainingMs);
  }

  /**
   * After a call's final failure: a rate-limit error holds its WABA back for the time Meta gave
   * (`estimated_time_to_regain_access` or `Retry-After`), else for `retry.throttleWindowMs`.
   */
  private holdAfter(call: GraphCall, failure: Failure): void {
    if (call.wabaId === undefined || failure.code === undefined) return;
    if (!RATE_LIMIT_GRAPH_ERROR_CODES.has(failure.code)) return;
    this.throttle.hold(call.wabaId, failure.retryAfterMs || this.options.retry.throttleWindowMs);
  }

  private shortReason(failure: Failure): string {
    if (failure.code !== undefined) return `code ${failure.code}, HTTP ${failure.httpStatus}`;
    return failure.reason;
  }

  private redactor(call: GraphCall): (text: string | undefined) => string | undefined {
    const secrets = [call.token, ...(call.secrets ?? [])].filter(
      (secret): secret is string => typeof secret === 'string' && secret !== '',
    );
    // Longest first, so that a secret containing another is removed whole.
    secrets.sort((a, b) => b.length - a.length);
    return (text) => {
      if (text === undefined) return undefined;
      let clean = text;
      for (const secret of secrets) clean = clean.split(secret).join(REDACTED);
      // A token may also arrive URL-encoded (e.g. echoed from a query string).
      for (const secret of secrets) {
        const encoded = encodeURIComponent(secret);
        if (encoded !== secret) clean = clean.split(encoded).join(REDACTED);
      }
      return clean;
    };
  }

  private async attempt(call: GraphCall, path: string): Promise<Outcome> {
    const redact = this.redactor(call);
    const timeoutMs = this.options.requestTimeoutMs;
    const query = call.query ? `?${new URLSearchParams(call.query).toString()}` : '';
    const headers: RawAxiosRequestHeaders = {
      Accept: 'application/json',
      Authorization: `Bearer ${call.token}`,
    };
    let data: string | undefined;
    // false: axios would otherwise label a POST without a body as a form.
    headers['Content-Type'] = false;
    if (call.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      data = JSON.stringify(call.json);
    } else if (call.form !== undefined) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      data = new URLSearchParams(call.form).toString();
    }
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const started = Date.now();
    let response: AxiosResponse<unknown>;
    try {
      response = await firstValueFrom(
        this.http.request<unknown>({
          method: call.method,
          url: `${this.options.baseUrl}${path}${query}`,
          headers,
          data,
          timeout: timeoutMs,
          signal: controller.signal,
          maxRedirects: 0,
          responseType: 'text',
          transformResponse: [(body: unknown) => body],
          validateStatus: () => true,
        }),
      );
    } catch (error: unknown) {
      // The axios error holds the request config, Authorization header included: read two
      // harmless facts from it and let it go.
      const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
      const timedOut = controller.signal.aborted || code === 'ECONNABORTED' || code === 'ETIMEDOUT';
      return {
        ok: false,
        failure: {
          kind: timedOut ? 'timeout' : 'network-error',
          method: call.method,
          path,
          reason: timedOut
            ? messages.timeout(timeoutMs)
            : (redact(
                messages.networkError(
                  typeof code === 'string' ? code : undefined,
                  typeof message === 'string' ? message : '',
                ),
              ) ?? ''),
          transient: true,
        },
      };
    } finally {
      clearTimeout(timer);
    }
    this.logger.debug?.(
      messages.requestDone(call.method, path, response.status, Date.now() - started),
    );
    return this.interpret(call, path, response, redact);
  }

  private interpret(
    call: GraphCall,
    path: string,
    response: AxiosResponse<unknown>,
    redact: (text: string | undefined) => string | undefined,
  ): Outcome {
    const { status } = response;
    const headers = response.headers as Record<string, string | string[] | undefined>;
    const usage = parseGraphApiUsage(headers);
    if (usage) this.throttle.record(usage);
    let body: unknown;
    let readable = true;
    try {
      body =
        typeof response.data === 'string' && response.data !== ''
          ? JSON.parse(response.data)
          : undefined;
    } catch {
      readable = false;
    }
    const graphError = asRecord(asRecord(body)?.['error']);
    const base = { method: call.method, path, httpStatus: status, usage };
    if (graphError) {
      const code = optionalNumber(graphError['code']);
      const isTransient =
        typeof graphError['is_transient'] === 'boolean' ? graphError['is_transient'] : undefined;
      const regainMs = usage?.regainAccessInMs ?? 0;
      const retryAfterMs = regainMs > 0 ? regainMs : parseRetryAfter(headers['retry-after']);
      return {
        ok: false,
        failure: {
          ...base,
          kind: 'graph-error',
          reason:
            redact(optionalString(graphError['message'])) ?? `Graph error ${code ?? ''}`.trim(),
          code,
          subcode: optionalNumber(graphError['error_subcode']),
          type: redact(optionalString(graphError['type'])),
          fbtraceId: redact(optionalString(graphError['fbtrace_id'])),
          userTitle: redact(optionalString(graphError['error_user_title'])),
          userMessage: redact(optionalString(graphError['error_user_msg'])),
          details: redact(optionalString(asRecord(graphError['error_data'])?.['details'])),
          transient: isTransientFailure({ httpStatus: status, code, isTransient }),
          retryAfterMs,
        },
      };
    }
    if (status < 200 || status >= 300) {
      const regainMs = usage?.regainAccessInMs ?? 0;
      return {
        ok: false,
        failure: {
          ...base,
          kind: 'http-error',
          reason: messages.httpErrorWithoutBody(status),
          transient: isTransientFailure({ httpStatus: status }),
          retryAfterMs: regainMs > 0 ? regainMs : parseRetryAfter(headers['retry-after']),
        },
      };
    }
    if (!readable) {
      return {
        ok: false,
        failure: {
          ...base,
          kind: 'unsuccessful',
          reason: messages.unreadable(status),
          transient: false,
        },
      };
    }
    const problem = this.unexpectedShape(call.expect, body);
    if (problem !== undefined) {
      return {
        ok: false,
        failure: { ...base, kind: 'unsuccessful', reason: redact(problem) ?? '', transient: false },
      };
    }
    return { ok: true, data: body };
  }

  private unexpectedShape(expect: GraphCall['expect'], body: unknown): string | undefined {
    const record = asRecord(body);
    if (expect === 'success') {
      return isSuccess(record?.['success'])
        ? undefined
        : messages.unsuccessful(record?.['success']);
    }
    if (!record) return messages.notAnObject();
    if (expect === 'data' && !Array.isArray(record['data'])) return messages.noDataArray();
    return undefined;
  }
}
