import type { WabaInboundMessageType, WabaKnownStatus } from '../types/index.js';
import type { WabaField } from '../types/waba-field.js';

/**
 * First segment of every event the module publishes on the application's `EventEmitter2`
 * (`@nestjs/event-emitter`).
 */
export const WABA_EVENT_PREFIX = 'waba';

/** Published for a change of a known field whose `value` failed its DTO ({@link WabaInvalidEvent}). */
export const WABA_INVALID_EVENT = 'waba.invalid';

/**
 * Published (queue mode) for an update that exhausted its delivery attempts
 * ({@link WabaDeliveryFailedEvent}).
 */
export const WABA_DELIVERY_FAILED_EVENT = 'waba.delivery_failed';

/** Published when a customer WABA was subscribed to after `PARTNER_ADDED` ({@link WabaOnboardedEvent}). */
export const WABA_ONBOARDED_EVENT = 'waba.onboarded';

/** Published when subscribing a customer WABA failed for good ({@link WabaOnboardingFailedEvent}). */
export const WABA_ONBOARDING_FAILED_EVENT = 'waba.onboarding_failed';

/**
 * The name under which each change of `field` is published on `EventEmitter2`:
 * `waba.<field>`. The event is the {@link WabaChangeEvent} `@OnWaba(field)` listeners receive.
 *
 * @example
 * \@OnEvent(wabaEventName('message_template_status_update'))
 * onTemplate(e: WabaChangeEvent<'message_template_status_update'>) {}
 */
export function wabaEventName<F extends WabaField | (string & {})>(field: F): `waba.${F}` {
  return `${WABA_EVENT_PREFIX}.${field}`;
}

/**
 * The name under which each inbound message of `type` is published: `waba.message.<type>`.
 * The event is the {@link WabaMessageEvent} `@OnWabaMessage(type)` listeners receive. With the
 * emitter's `wildcard: true`, `'waba.message.*'` observes every type.
 *
 * @example
 * \@OnEvent(wabaMessageEventName('text'))
 * onText(e: WabaMessageEvent<'text'>) {}
 */
export function wabaMessageEventName<T extends WabaInboundMessageType | (string & {})>(
  type: T,
): `waba.message.${T}` {
  return `${WABA_EVENT_PREFIX}.message.${type}`;
}

/**
 * The name under which each status of `status` is published: `waba.status.<status>`. The event
 * is the {@link WabaStatusEvent} `@OnWabaStatus(status)` listeners receive.
 *
 * @example
 * \@OnEvent(wabaStatusEventName('failed'))
 * onFailed(e: WabaStatusEvent) {}
 */
export function wabaStatusEventName<S extends WabaKnownStatus | (string & {})>(
  status: S,
): `waba.status.${S}` {
  return `${WABA_EVENT_PREFIX}.status.${status}`;
}
