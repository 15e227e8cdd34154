import type { WabaInboundMessageType, WabaKnownStatus } from '../types/index.js';
import type { WabaField } from '../types/waba-field.js';
import { WABA_LISTENER_METADATA } from '../whatsapp-webhooks.constants.js';

/** Which kind of event a listener receives. @internal */
export type WabaListenerKind =
  'change' | 'message' | 'status' | 'invalid' | 'deliveryFailed' | 'onboarded' | 'onboardingFailed';

/** What a decorator records on a listener method. @internal */
export interface WabaListenerMetadata {
  readonly kind: WabaListenerKind;
  /** Field names, message types or statuses; `'*'` for all. */
  readonly keys: readonly string[];
  /** Only events verified with the secret of one of these named apps. */
  readonly apps?: readonly string[];
}

/** Options every `@OnWaba…()` decorator takes. */
export interface WabaListenerOptions {
  /**
   * Only events of this named app (or these apps): see the module's `apps` option. Events
   * verified with an unnamed `appSecret` never match a filter.
   */
  app?: string | readonly string[];
}

const ALL = '*';

function listenerDecorator(
  kind: WabaListenerKind,
  filter: string | readonly string[] | undefined,
  options?: WabaListenerOptions,
): MethodDecorator {
  const apps =
    options?.app === undefined
      ? undefined
      : typeof options.app === 'string'
        ? [options.app]
        : [...options.app];
  if (apps && (apps.length === 0 || apps.some((a) => typeof a !== 'string' || a.length === 0))) {
    throw new TypeError(
      `@OnWaba…(): "app" must be a non-empty name or array of names, got ${JSON.stringify(options?.app)}`,
    );
  }
  return keyedListenerDecorator(kind, filter, apps);
}

function keyedListenerDecorator(
  kind: WabaListenerKind,
  filter: string | readonly string[] | undefined,
  apps: readonly string[] | undefined,
): MethodDecorator {
  const keys =
    filter === undefined ? [ALL] : typeof filter === 'string' ? [filter] : [...new Set(filter)];
  if (keys.length === 0 || keys.some((key) => typeof key !== 'string' || key.length === 0)) {
    throw new TypeError(
      `@OnWaba…(): expected a non-empty name or a non-empty array of names, got ${JSON.stringify(filter)}`,
    );
  }
  const metadata: WabaListenerMetadata = apps ? { kind, keys, apps } : { kind, keys };
  return (_target, _key, descriptor) => {
    const method = descriptor.value as object;
    const previous: WabaListenerMetadata[] =
      Reflect.getMetadata(WABA_LISTENER_METADATA, method) ?? [];
    Reflect.defineMetadata(WABA_LISTENER_METADATA, [...previous, metadata], method);
    return descriptor;
  };
}

/**
 * Subscribes a provider method to the changes of one webhook field (`entry[].changes[].field`),
 * of several, or of every field with `'*'` — known or unknown, so a field Meta adds tomorrow can
 * be listened to today. Listeners only ever receive values that passed validation; see
 * `@OnWabaInvalid()` for the others.
 *
 * @example
 * \@OnWaba('message_template_status_update')
 * onTemplate(e: WabaChangeEvent<'message_template_status_update'>) {}
 *
 * \@OnWaba('*')
 * onAnyChange(e: WabaChangeEvent) {}
 */
export function OnWaba(
  field: WabaField | '*' | (string & {}) | readonly (WabaField | (string & {}))[],
  options?: WabaListenerOptions,
): MethodDecorator {
  return listenerDecorator('change', field, options);
}

/**
 * Subscribes a provider method to inbound messages: one event per item of `value.messages[]`
 * of a `messages` change, optionally only of the given type(s). Echoes, history, standby and
 * calls are not inbound messages: listen to their own field with `@OnWaba()`.
 *
 * @example
 * \@OnWabaMessage() onMessage(e: WabaMessageEvent) {}
 * \@OnWabaMessage('text') onText(e: WabaMessageEvent<'text'>) {}
 * \@OnWabaMessage(['image', 'video']) onMedia(e: WabaMessageEvent<'image' | 'video'>) {}
 */
export function OnWabaMessage(
  type?:
    WabaInboundMessageType | (string & {}) | readonly (WabaInboundMessageType | (string & {}))[],
  options?: WabaListenerOptions,
): MethodDecorator {
  return listenerDecorator('message', type, options);
}

/**
 * Subscribes a provider method to the statuses of messages the business sent: one event per
 * item of `value.statuses[]` of a `messages` change, optionally only of the given status(es).
 *
 * @example
 * \@OnWabaStatus('failed') onFailed(e: WabaStatusEvent) {}
 */
export function OnWabaStatus(
  status?: WabaKnownStatus | (string & {}) | readonly (WabaKnownStatus | (string & {}))[],
  options?: WabaListenerOptions,
): MethodDecorator {
  return listenerDecorator('status', status, options);
}

/**
 * Subscribes a provider method to changes of a known field whose `value` failed validation
 * (with `onInvalidValue: 'emit'`, the default). Such changes reach no other listener.
 *
 * @example
 * \@OnWabaInvalid() onInvalid(e: WabaInvalidEvent) { this.logger.warn(e.errors.join('; ')); }
 */
export function OnWabaInvalid(options?: WabaListenerOptions): MethodDecorator {
  return listenerDecorator('invalid', undefined, options);
}

/**
 * Subscribes a provider method to updates that exhausted their delivery attempts in queue mode
 * (`delivery: { mode: 'queue' }`): the job stays in BullMQ's failed set, where it can be
 * inspected and re-driven; this event tells you it is there.
 *
 * @example
 * \@OnWabaDeliveryFailed() onDeadLetter(e: WabaDeliveryFailedEvent) { this.alerts.page(e.key, e.error); }
 */
export function OnWabaDeliveryFailed(options?: WabaListenerOptions): MethodDecorator {
  return listenerDecorator('deliveryFailed', undefined, options);
}

/**
 * Subscribes a provider method to the customer WABAs subscribed to after their `PARTNER_ADDED`
 * webhook (Embedded Signup), with the module's `onboarding.autoSubscribe`.
 *
 * @example
 * \@OnWabaOnboarded() onOnboarded(e: WabaOnboardedEvent) { this.tenants.activate(e.wabaId); }
 */
export function OnWabaOnboarded(options?: WabaListenerOptions): MethodDecorator {
  return listenerDecorator('onboarded', undefined, options);
}

/**
 * Subscribes a provider method to the customer WABAs that could not be subscribed to after
 * their `PARTNER_ADDED` webhook, once every attempt failed. The event carries the WABA and the
 * Graph API error (never a token); subscribe it later with `SubscriptionService.ensureSubscribed()`.
 *
 * @example
 * \@OnWabaOnboardingFailed() onFailed(e: WabaOnboardingFailedEvent) { this.alerts.page(e.wabaId, e.error.message); }
 */
export function OnWabaOnboardingFailed(options?: WabaListenerOptions): MethodDecorator {
  return listenerDecorator('onboardingFailed', undefined, options);
}
