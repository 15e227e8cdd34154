import type { AppUsage, BusinessUseCaseUsage, GraphApiUsage } from './subscription.types.js';

/** Header of the Business Use Case rate limits (lower-case, as Node delivers header names). */
export const BUSINESS_USE_CASE_USAGE_HEADER = 'x-business-use-case-usage';

/** Header of the app-level rate limit. */
export const APP_USAGE_HEADER = 'x-app-usage';

type HeaderValue = string | readonly string[] | number | boolean | null | undefined;

const MINUTE_MS = 60_000;

function headerText(value: HeaderValue): string | undefined {
  if (Array.isArray(value)) return value.length ? String(value[0]) : undefined;
  return value === undefined || value === null ? undefined : String(value as string);
}

function parseJsonObject(text: string | undefined): Record<string, unknown> | undefined {
  if (!text) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function num(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) {
    return Number(value);
  }
  return undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function businessUseCaseEntries(header: Record<string, unknown>): BusinessUseCaseUsage[] {
  const entries: BusinessUseCaseUsage[] = [];
  for (const [businessObjectId, list] of Object.entries(header)) {
    // Meta documents an array per key; accept a lone object too.
    const items: unknown[] = Array.isArray(list) ? list : [list];
    for (const item of items) {
      if (!item || typeof item !== 'object') continue;
      const raw = item as Record<string, unknown>;
      entries.push(
        withoutUndefined({
          businessObjectId,
          type: str(raw['type']),
          callCount: num(raw['call_count']),
          totalCpuTime: num(raw['total_cputime']),
          totalTime: num(raw['total_time']),
          estimatedTimeToRegainAccessMinutes: num(raw['estimated_time_to_regain_access']),
          adsApiAccessTier: str(raw['ads_api_access_tier']),
        }),
      );
    }
  }
  return entries;
}

/**
 * Parses `X-Business-Use-Case-Usage` (every business object key, every array item) and
 * `X-App-Usage` from response headers. Returns `undefined` when neither header is present or
 * parseable; a malformed header is ignored rather than failing the call.
 *
 * @internal
 */
export function parseGraphApiUsage(
  headers: Readonly<Record<string, HeaderValue>>,
): GraphApiUsage | undefined {
  const lower: Record<string, HeaderValue> = {};
  for (const [name, value] of Object.entries(headers)) lower[name.toLowerCase()] = value;
  const buc = parseJsonObject(headerText(lower[BUSINESS_USE_CASE_USAGE_HEADER]));
  const appRaw = parseJsonObject(headerText(lower[APP_USAGE_HEADER]));
  if (!buc && !appRaw) return undefined;
  const businessUseCase = buc ? businessUseCaseEntries(buc) : [];
  const app: AppUsage | undefined = appRaw
    ? withoutUndefined({
        callCount: num(appRaw['call_count']),
        totalCpuTime: num(appRaw['total_cputime']),
        totalTime: num(appRaw['total_time']),
      })
    : undefined;
  const minutes = Math.max(
    0,
    ...businessUseCase.map((entry) => entry.estimatedTimeToRegainAccessMinutes ?? 0),
  );
  return withoutUndefined({ businessUseCase, app, regainAccessInMs: minutes * MINUTE_MS });
}

/**
 * Parses `Retry-After` (seconds or an HTTP date) into milliseconds from `now`.
 *
 * @internal
 */
export function parseRetryAfter(value: HeaderValue, now = Date.now()): number | undefined {
  const text = headerText(value)?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
