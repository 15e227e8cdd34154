import { messages } from './whatsapp-webhooks.messages.js';
import type {
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
    appSecrets: nonEmptyStrings('appSecret', options.appSecret),
    verifyTokens: nonEmptyStrings('verifyToken', options.verifyToken),
    onInvalidValue: oneOf('onInvalidValue', options.onInvalidValue, ['emit', 'reject'], 'emit'),
    acknowledge: oneOf(
      'acknowledge',
      options.acknowledge,
      ['before-listeners', 'after-listeners'],
      'before-listeners',
    ),
  });
}
