import { messages } from './whatsapp-webhooks.messages.js';
import { resolveGraphApiOptions } from './subscriptions/graph-api.options.js';
import { defaultDedupKey } from './delivery/dedup-key.js';
import { DEFAULT_MEMORY_DEDUP_ENTRIES } from './delivery/memory-dedup.store.js';
import { resolveMtlsOptions } from './mtls/mtls.options.js';
import type {
  ResolvedQueueDelivery,
  ResolvedWhatsAppWebhooksOptions,
  WhatsAppWebhooksModuleOptions,
} from './whatsapp-webhooks-options.interface.js';

function nonEmptyStrings(name: string, value: unknown): readonly string[] {
  const list: unknown = typeof value === 'string' ? [value] : value;
  if (
    !Array.isArray(list) ||
    list.length === 0 ||
    list.some((item) => typeof item !== 'string' || item.length === 0)
  ) {
    throw new Error(
      messages.invalidOption(
        name,
        'must be a non-empty string or a non-empty array of non-empty strings',
      ),
    );
  }
  return Object.freeze([...new Set(list as string[])]);
}

function oneOf<T extends string>(
  name: string,
  value: T | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value)) {
    throw new Error(
      messages.invalidOption(name, `must be one of ${allowed.map((a) => `'${a}'`).join(', ')}`),
    );
  }
  return value;
}

/**
 * Applies defaults and checks the module options once, at bootstrap, so that a
 * misconfiguration fails the application start with one actionable message instead of
 * failing every webhook.
 */
export function resolveWhatsAppWebhooksOptions(
  options: WhatsAppWebhooksModuleOptions | undefined,
): ResolvedWhatsAppWebhooksOptions {
  if (!options || typeof options !== 'object') {
    throw new Error(
      messages.invalidOption('options', 'must be an object with appSecret and verifyToken'),
    );
  }
  return Object.freeze({
    ...resolveCredentials(options),
    onInvalidValue: oneOf('onInvalidValue', options.onInvalidValue, ['emit', 'reject'], 'emit'),
    acknowledge: oneOf(
      'acknowledge',
      options.acknowledge,
      ['before-listeners', 'after-listeners'],
      'before-listeners',
    ),
    // accessToken, appId (digits), graphApiVersion (^v\d+\.\d+$), graphApiBaseUrl,
    // requestTimeoutMs, retry
    graphApi: resolveGraphApiOptions(options),
    ...resolveDelivery(options),
    mtls: resolveMtlsOptions(options.mtls),
    ...(options.metrics
      ? {
          metrics: {
            prefix:
              (typeof options.metrics === 'object' ? options.metrics.prefix : undefined) ?? 'waba_',
            ...(typeof options.metrics === 'object' && options.metrics.registry
              ? { registry: options.metrics.registry }
              : {}),
          },
        }
      : {}),
    ...resolveOnboarding(options),
  });
}

function resolveOnboarding(
  options: WhatsAppWebhooksModuleOptions,
): Pick<ResolvedWhatsAppWebhooksOptions, 'onboarding'> {
  const { onboarding } = options;
  if (onboarding === undefined) return {};
  const autoSubscribe = (onboarding as { autoSubscribe?: unknown } | null)?.autoSubscribe;
  if (autoSubscribe !== true && typeof autoSubscribe !== 'function') {
    throw new Error(
      messages.invalidOption(
        'onboarding.autoSubscribe',
        'must be true or a function returning ensureSubscribed() options or false',
      ),
    );
  }
  return { onboarding: { autoSubscribe: onboarding.autoSubscribe } };
}

function optionalIdSet(
  name: string,
  value: readonly string[] | undefined,
): ReadonlySet<string> | undefined {
  return value === undefined ? undefined : new Set(nonEmptyStrings(name, value));
}

/** Secrets, their app names and verify tokens, from `appSecret`/`verifyToken` and `apps`. */
function resolveCredentials(
  options: WhatsAppWebhooksModuleOptions,
): Pick<
  ResolvedWhatsAppWebhooksOptions,
  'appSecrets' | 'secretApps' | 'verifyTokens' | 'allowedWabaIds' | 'allowedPhoneNumberIds'
> {
  const secrets: string[] = [];
  const secretApps: (string | undefined)[] = [];
  const tokens: string[] = [];
  const apps = options.apps ?? [];
  if (!Array.isArray(apps)) throw new Error(messages.invalidOption('apps', 'must be an array'));
  if (options.appSecret !== undefined || apps.length === 0) {
    for (const secret of nonEmptyStrings('appSecret', options.appSecret)) {
      secrets.push(secret);
      secretApps.push(undefined);
    }
  }
  if (options.verifyToken !== undefined || apps.every((app) => !app.verifyTokens?.length)) {
    tokens.push(...nonEmptyStrings('verifyToken', options.verifyToken));
  }
  const names = new Set<string>();
  apps.forEach((app, i) => {
    if (!app || typeof app.name !== 'string' || app.name.length === 0 || names.has(app.name)) {
      throw new Error(
        messages.invalidOption(`apps[${i}].name`, 'must be a unique non-empty string'),
      );
    }
    names.add(app.name);
    for (const secret of nonEmptyStrings(`apps[${i}].appSecret`, app.appSecret)) {
      secrets.push(secret);
      secretApps.push(app.name);
    }
    if (app.verifyTokens !== undefined)
      tokens.push(...nonEmptyStrings(`apps[${i}].verifyTokens`, app.verifyTokens));
  });
  return {
    appSecrets: Object.freeze(secrets),
    secretApps: Object.freeze(secretApps),
    verifyTokens: Object.freeze([...new Set(tokens)]),
    ...(options.allowedWabaIds
      ? { allowedWabaIds: optionalIdSet('allowedWabaIds', options.allowedWabaIds) }
      : {}),
    ...(options.allowedPhoneNumberIds
      ? {
          allowedPhoneNumberIds: optionalIdSet(
            'allowedPhoneNumberIds',
            options.allowedPhoneNumberIds,
          ),
        }
      : {}),
  };
}

const SEVEN_DAYS_MS = 7 * 24 * 60 * 60 * 1000;

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(
      messages.invalidOption(name, `must be a positive integer, got ${String(value)}`),
    );
  }
  return value;
}

/**
 * A queue name or key prefix: a non-empty string. BullMQ refuses a queue name with ':' (the
 * separator of its keys); a prefix may hold one, and a `{hash tag}` for Redis Cluster.
 */
function redisName(name: string, value: unknown, fallback: string, colonAllowed: boolean): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value.length === 0 || (!colonAllowed && value.includes(':'))) {
    throw new Error(
      messages.invalidOption(
        name,
        `must be a non-empty string${colonAllowed ? '' : " without ':'"}, got ${JSON.stringify(value)}`,
      ),
    );
  }
  return value;
}

function resolveDelivery(
  options: WhatsAppWebhooksModuleOptions,
): Pick<ResolvedWhatsAppWebhooksOptions, 'deduplication' | 'queue'> {
  const delivery = options.delivery ?? { mode: 'direct' };
  oneOf('delivery.mode', delivery.mode, ['direct', 'queue'], 'direct');
  let queue: ResolvedQueueDelivery | undefined;
  if (delivery.mode === 'queue') {
    const { connection } = delivery;
    if (!connection || (typeof connection !== 'string' && typeof connection !== 'object')) {
      throw new Error(
        messages.invalidOption(
          'delivery.connection',
          "is required in queue mode: a 'redis://' URL or ioredis options",
        ),
      );
    }
    const backoff = delivery.backoff ?? { type: 'exponential', delayMs: 1000 };
    queue = {
      mode: 'queue',
      connection,
      queueName: redisName('delivery.queueName', delivery.queueName, 'waba-webhooks', false),
      prefix: redisName('delivery.prefix', delivery.prefix, 'bull', true),
      attempts: positiveInteger('delivery.attempts', delivery.attempts, 5),
      backoff: {
        type: oneOf('delivery.backoff.type', backoff.type, ['exponential', 'fixed'], 'exponential'),
        delayMs: positiveInteger('delivery.backoff.delayMs', backoff.delayMs, 1000),
      },
      processors: delivery.processors ?? true,
      concurrency: positiveInteger('delivery.concurrency', delivery.concurrency, 10),
      enqueueTimeoutMs: positiveInteger(
        'delivery.enqueueTimeoutMs',
        delivery.enqueueTimeoutMs,
        5000,
      ),
      keepFailedMs: positiveInteger('delivery.keepFailedMs', delivery.keepFailedMs, SEVEN_DAYS_MS),
      lockDurationMs: positiveInteger('delivery.lockDurationMs', delivery.lockDurationMs, 30_000),
    };
  }
  const dedup = options.deduplication ?? true;
  if (dedup === false) return { queue };
  const settings = dedup === true ? {} : dedup;
  return {
    queue,
    deduplication: {
      ...(settings.store ? { store: settings.store } : {}),
      ttlMs: positiveInteger('deduplication.ttlMs', settings.ttlMs, SEVEN_DAYS_MS),
      maxEntries: positiveInteger(
        'deduplication.maxEntries',
        settings.maxEntries,
        DEFAULT_MEMORY_DEDUP_ENTRIES,
      ),
      key: settings.key ?? defaultDedupKey,
    },
  };
}
