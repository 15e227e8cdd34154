import { resolveDeliveryOptions } from './delivery/delivery.options.js';
import { resolveMetricsOptions } from './metrics/metrics.options.js';
import { resolveMtlsOptions } from './mtls/mtls.options.js';
import { resolveOnboardingOptions } from './onboarding/onboarding.options.js';
import { invalidOption } from './options/option-checks.js';
import { resolveGraphApiOptions } from './subscriptions/graph-api.options.js';
import { resolveSignatureOptions, resolveValidationOptions } from './webhook/webhook.options.js';
import type {
  ResolvedWhatsAppWebhooksOptions,
  WhatsAppWebhooksModuleOptions,
} from './whatsapp-webhooks-options.interface.js';

/**
 * Applies defaults and checks the module options once, at bootstrap, so that a
 * misconfiguration fails the application start with one actionable message instead of
 * failing every webhook. Each concern resolves its own slice, in its own folder; this only
 * composes them.
 */
export function resolveWhatsAppWebhooksOptions(
  options: WhatsAppWebhooksModuleOptions | undefined,
): ResolvedWhatsAppWebhooksOptions {
  if (!options || typeof options !== 'object') {
    throw invalidOption('options', 'must be an object with appSecret and verifyToken');
  }
  return Object.freeze({
    signature: resolveSignatureOptions(options),
    validation: resolveValidationOptions(options),
    delivery: resolveDeliveryOptions(options),
    onboarding: resolveOnboardingOptions(options.onboarding),
    // accessToken, appId (digits), graphApiVersion (^v\d+\.\d+$), graphApiBaseUrl,
    // requestTimeoutMs, retry
    graphApi: resolveGraphApiOptions(options),
    mtls: resolveMtlsOptions(options.mtls) ?? null,
    metrics: resolveMetricsOptions(options.metrics),
  });
}
