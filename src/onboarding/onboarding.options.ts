import { invalidOption } from '../options/option-checks.js';
import type { WabaOnboardingOptions } from './onboarding-options.interface.js';

/** Injection token of the onboarding slice (`null` when onboarding automation is off). @internal */
export const ONBOARDING_OPTIONS = Symbol('WABA_ONBOARDING_OPTIONS');

/** Checks the `onboarding` option; `null` when absent. @internal */
export function resolveOnboardingOptions(
  onboarding: WabaOnboardingOptions | undefined,
): WabaOnboardingOptions | null {
  if (onboarding === undefined) return null;
  const autoSubscribe = (onboarding as { autoSubscribe?: unknown } | null)?.autoSubscribe;
  if (autoSubscribe !== true && typeof autoSubscribe !== 'function') {
    throw invalidOption(
      'onboarding.autoSubscribe',
      'must be true or a function returning ensureSubscribed() options or false',
    );
  }
  return Object.freeze({ autoSubscribe: onboarding.autoSubscribe });
}
