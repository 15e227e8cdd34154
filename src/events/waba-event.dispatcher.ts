import {
  type BeforeApplicationShutdown,
  Injectable,
  Logger,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { WabaContact, WabaMessagesValue } from '../types/index.js';
import type { ReceivedChange, ReceivedWebhook } from './waba-dispatch.types.js';
import { WabaMetrics } from '../metrics/waba-metrics.js';
import { messages } from '../whatsapp-webhooks.messages.js';
import type {
  WabaChangeEvent,
  WabaDeliveryFailedEvent,
  WabaInvalidEvent,
  WabaMessageEvent,
  WabaOnboardedEvent,
  WabaOnboardingFailedEvent,
  WabaStatusEvent,
} from './waba-events.types.js';
import {
  WABA_DELIVERY_FAILED_EVENT,
  WABA_INVALID_EVENT,
  WABA_ONBOARDED_EVENT,
  WABA_ONBOARDING_FAILED_EVENT,
  wabaEventName,
  wabaMessageEventName,
  wabaStatusEventName,
} from './waba-event-names.js';
import { type PublishedEvent, WabaEventPublisher } from './waba-event.publisher.js';
import type { WabaListenerKind } from './waba-listener.decorators.js';
import { isThenable } from '../is-thenable.js';

/** A listener method bound to its provider instance. @internal */
export interface RegisteredWabaListener {
  /** `ClassName.methodName`, for logs. */
  readonly name: string;
  readonly handler: (event: never) => unknown;
  /** Only events of these named apps. */
  readonly apps?: ReadonlySet<string>;
}

/** How a dispatch's outcome is used. @internal */
export interface DispatchOptions {
  /**
   * A failed listener call makes the whole dispatch run again (Meta's redelivery after a 500,
   * or a queue retry): `@OnEvent()` observers then see the events only once every listener
   * succeeded, so that they see each event once. Otherwise (the default acknowledgement) they
   * see them whatever the listeners did.
   */
  readonly retriedOnFailure: boolean;
}

/** The outcome of dispatching one webhook request. @internal */
export interface DispatchResult {
  /** Listener calls made. */
  readonly calls: number;
  /** Listener calls that threw or rejected. */
  readonly failures: number;
}

interface DispatchRun {
  /** The app the events come from, added to each of them. */
  readonly app?: string;
  calls: number;
  failures: number;
  readonly pending: Promise<void>[];
  /** Events for `EventEmitter2` observers; `undefined` when the application has none. */
  readonly published?: PublishedEvent[];
}

const ALL = '*';

/** Dispatches after the acknowledgement: observers see the events whatever the listeners did. */
const LATER: DispatchOptions = Object.freeze({ retriedOnFailure: false });

/** The `EventEmitter2` name of a keyed event, by kind. */
const PUBLISHED_NAME: Record<'change' | 'message' | 'status', (key: string) => string> = {
  change: wabaEventName,
  message: wabaMessageEventName,
  status: wabaStatusEventName,
};

/**
 * Turns a validated webhook into events and calls the listeners registered for them: one
 * change event per `entry[] × changes[]`, and for `messages` changes one event per item of
 * `messages[]` and `statuses[]`. Every listener call is isolated: one that throws or rejects is
 * logged with its name and field and never stops the others. The same event objects are then
 * published on the application's `EventEmitter2` (see {@link WabaEventPublisher}).
 *
 * @internal
 */
@Injectable()
export class WabaEventDispatcher implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('WhatsAppWebhooks');
  /** Listeners by kind, then by key: no key string is built per event. */
  private readonly listeners = new Map<WabaListenerKind, Map<string, RegisteredWabaListener[]>>();
  /** Dispatches awaiting their listeners. */
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Webhooks acknowledged this turn, dispatched together on the next one. */
  private later: ReceivedWebhook[] = [];
  /** Made only when something waits for the turn's batch (shutdown, `idle()`). */
  private laterTurn?: { readonly done: Promise<void>; readonly resolve: () => void };
  /** The `setImmediate` callback of {@link dispatchLater}, made once. */
  private readonly runLater = (): void => {
    try {
      const pending = this.dispatchBatch();
      if (pending) {
        this.inFlight.add(pending);
        void pending.finally(() => this.inFlight.delete(pending));
      }
    } finally {
      const turn = this.laterTurn;
      this.laterTurn = undefined;
      turn?.resolve();
    }
  };

  constructor(
    private readonly metrics: WabaMetrics,
    private readonly publisher: WabaEventPublisher,
  ) {}

  register(kind: WabaListenerKind, key: string, listener: RegisteredWabaListener): void {
    let byKey = this.listeners.get(kind);
    if (!byKey) this.listeners.set(kind, (byKey = new Map()));
    const list = byKey.get(key);
    if (list) list.push(listener);
    else byKey.set(key, [listener]);
  }

  /**
   * Dispatches, then publishes to `EventEmitter2` observers (unless a listener failed and the
   * dispatch will be retried); resolves once every listener and observer has settled; never
   * rejects.
   */
  async dispatch(webhook: ReceivedWebhook, options: DispatchOptions): Promise<DispatchResult> {
    return this.dispatchNow(webhook, options);
  }

  /**
   * Dispatches on a later turn of the event loop, after the acknowledgement has been written.
   * The webhooks acknowledged during one turn share one `setImmediate` and are dispatched in
   * the order they were accepted. Application shutdown waits for such dispatches to finish.
   * When every listener returns synchronously, nothing but the immediate is allocated.
   */
  dispatchLater(webhook: ReceivedWebhook): void {
    this.later.push(webhook);
    if (this.later.length === 1) setImmediate(this.runLater);
  }

  /** Tells `@OnWabaDeliveryFailed()` listeners about an update that exhausted its attempts. */
  async dispatchDeliveryFailed(event: WabaDeliveryFailedEvent): Promise<DispatchResult> {
    return this.dispatchOne('deliveryFailed', WABA_DELIVERY_FAILED_EVENT, event, event.field);
  }

  /** Tells `@OnWabaOnboarded()` listeners (and `waba.onboarded` observers) about a subscribed WABA. */
  async dispatchOnboarded(event: WabaOnboardedEvent): Promise<DispatchResult> {
    return this.dispatchOne('onboarded', WABA_ONBOARDED_EVENT, event, 'account_update');
  }

  /** Tells `@OnWabaOnboardingFailed()` listeners (and `waba.onboarding_failed` observers). */
  async dispatchOnboardingFailed(event: WabaOnboardingFailedEvent): Promise<DispatchResult> {
    return this.dispatchOne(
      'onboardingFailed',
      WABA_ONBOARDING_FAILED_EVENT,
      event,
      'account_update',
    );
  }

  /** Resolves once no dispatch is in flight, those started meanwhile included. */
  async idle(): Promise<void> {
    while (this.later.length > 0 || this.inFlight.size > 0) await this.current();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.current();
  }

  /** Again after the HTTP server closed: requests acknowledged meanwhile are dispatched too. */
  async onApplicationShutdown(): Promise<void> {
    await this.current();
  }

  /** Resolves once the turn's batch (if any) and the dispatches in flight now have settled. */
  private async current(): Promise<void> {
    if (this.later.length > 0) {
      if (!this.laterTurn) {
        let resolve!: () => void;
        const done = new Promise<void>((r) => (resolve = r));
        this.laterTurn = { done, resolve };
      }
      await this.laterTurn.done;
    }
    await Promise.all(this.inFlight);
  }

  /** One event to the `'*'` listeners of `kind` and to observers of `name` (never retried). */
  private dispatchOne(
    kind: WabaListenerKind,
    name: string,
    event: { readonly app?: string },
    field: string,
  ): Promise<DispatchResult> {
    const run = this.newRun(event.app);
    this.emit(kind, ALL, event, field, run);
    run.published?.push({ name, event });
    return this.settle(run, { retriedOnFailure: false });
  }

  /** The turn's batch of {@link dispatchLater}; settles once their listeners have. */
  private dispatchBatch(): Promise<unknown> | undefined {
    const batch = this.later;
    this.later = [];
    let pending: Promise<DispatchResult>[] | undefined;
    for (const webhook of batch) {
      const result = this.dispatchNow(webhook, LATER);
      if (result instanceof Promise) (pending ??= []).push(result);
    }
    return pending && Promise.all(pending);
  }

  /**
   * Dispatches; the result at once when every listener returned synchronously and no
   * observer is waiting, else once they have settled. Never rejects.
   */
  private dispatchNow(
    webhook: ReceivedWebhook,
    options: DispatchOptions,
  ): DispatchResult | Promise<DispatchResult> {
    const run = this.newRun(webhook.app);
    for (const change of webhook.changes) this.dispatchChange(change, run);
    if (run.pending.length === 0 && !run.published) {
      return { calls: run.calls, failures: run.failures };
    }
    return this.settle(run, options);
  }

  private newRun(app: string | undefined): DispatchRun {
    const run: DispatchRun = { app, calls: 0, failures: 0, pending: [] };
    return this.publisher.enabled ? { ...run, published: [] } : run;
  }

  private async settle(run: DispatchRun, options: DispatchOptions): Promise<DispatchResult> {
    if (run.pending.length > 0) await Promise.all(run.pending);
    if (run.published && (run.failures === 0 || !options.retriedOnFailure)) {
      await this.publisher.publish(run.published);
    }
    return { calls: run.calls, failures: run.failures };
  }

  private dispatchChange(change: ReceivedChange, run: DispatchRun): void {
    const { field, entryId, time } = change;
    if (change.errors) {
      const event: WabaInvalidEvent = {
        entryId,
        field,
        ...(time === undefined ? {} : { time }),
        value: change.value,
        errors: [...change.errors],
        ...(run.app === undefined ? {} : { app: run.app }),
      };
      this.metrics.eventEmitted('invalid', field);
      this.emit('invalid', ALL, event, field, run);
      run.published?.push({ name: WABA_INVALID_EVENT, event });
      return;
    }
    if (run.published || this.hasListeners('change', field)) {
      const event = {
        field,
        entryId,
        ...(time === undefined ? {} : { time }),
        value: change.value,
        ...(run.app === undefined ? {} : { app: run.app }),
      } as WabaChangeEvent;
      this.deliverKeyed('change', field, event, field, run);
    } else {
      // No listener and no observer would see the event: counted, not built.
      this.metrics.eventEmitted('change', field);
    }
    if (field === 'messages')
      this.dispatchMessageItems(entryId, change.value as WabaMessagesValue, run);
  }

  /** Whether a listener of `kind` takes `key` (or every key). */
  private hasListeners(kind: WabaListenerKind, key: string): boolean {
    const byKey = this.listeners.get(kind);
    return byKey !== undefined && (byKey.has(key) || byKey.has(ALL));
  }

  private dispatchMessageItems(entryId: string, value: WabaMessagesValue, run: DispatchRun): void {
    const { metadata } = value;
    const findContact = contactFinder(value.contacts);
    for (const message of value.messages ?? []) {
      const contact = findContact(message.from, message.from_user_id);
      const event = itemEvent(entryId, metadata, contact, 'message', message, run.app);
      this.deliverKeyed('message', message.type, event, 'messages', run);
    }
    for (const status of value.statuses ?? []) {
      const contact = findContact(status.recipient_id, status.recipient_user_id);
      const event = itemEvent(entryId, metadata, contact, 'status', status, run.app);
      this.deliverKeyed('status', status.status, event, 'messages', run);
    }
  }

  /**
   * One change, message or status: counted, emitted to its listeners, and queued for the
   * `EventEmitter2` observers under its published name.
   */
  private deliverKeyed(
    kind: 'change' | 'message' | 'status',
    key: string,
    event: unknown,
    field: string,
    run: DispatchRun,
  ): void {
    this.metrics.eventEmitted(kind, field);
    this.emitKeyed(kind, key, event, field, run);
    run.published?.push({ name: PUBLISHED_NAME[kind](key), event });
  }

  /** Emits to the listeners of a specific key and to the `'*'` listeners, once each. */
  private emitKeyed(
    kind: WabaListenerKind,
    key: string,
    event: unknown,
    field: string,
    run: DispatchRun,
  ): void {
    // A field, type or status literally named "*" must not reach '*' listeners twice.
    if (key !== ALL) this.emit(kind, key, event, field, run);
    this.emit(kind, ALL, event, field, run);
  }

  private emit(
    kind: WabaListenerKind,
    key: string,
    event: unknown,
    field: string,
    run: DispatchRun,
  ): void {
    const listeners = this.listeners.get(kind)?.get(key);
    if (!listeners) return;
    for (const listener of listeners) {
      if (listener.apps && !(run.app !== undefined && listener.apps.has(run.app))) continue;
      run.calls++;
      try {
        const result = (listener.handler as (event: unknown) => unknown)(event);
        if (isThenable(result)) {
          run.pending.push(
            Promise.resolve(result).then(undefined, (error: unknown) =>
              this.fail(listener, field, error, run),
            ),
          );
        }
      } catch (error) {
        this.fail(listener, field, error, run);
      }
    }
  }

  private fail(
    listener: RegisteredWabaListener,
    field: string,
    error: unknown,
    run: DispatchRun,
  ): void {
    run.failures++;
    this.metrics.listenerFailed(field);
    this.logger.error(
      messages.listenerFailed(listener.name, field, error),
      error instanceof Error ? error.stack : undefined,
    );
  }
}

/**
 * A message's or status's event, built key by key in the order of its type (entryId, metadata,
 * the contact when found, the item under `name`, the app when named): no spread per event.
 */
function itemEvent(
  entryId: string,
  metadata: WabaMessagesValue['metadata'],
  contact: WabaContact | undefined,
  name: 'message' | 'status',
  item: unknown,
  app: string | undefined,
): WabaMessageEvent | WabaStatusEvent {
  const event: Record<string, unknown> = { entryId, metadata };
  if (contact) event['contact'] = contact;
  event[name] = item;
  if (app !== undefined) event['app'] = app;
  return event as unknown as WabaMessageEvent | WabaStatusEvent;
}

/** Matches a sender or recipient to its `contacts[]` item by `wa_id` or by `user_id` (BSUID). */
function contactFinder(
  contacts: readonly WabaContact[] | undefined,
): (waId: string | undefined, userId: string | undefined) => WabaContact | undefined {
  if (!contacts?.length) return () => undefined;
  if (contacts.length === 1) {
    const [only] = contacts;
    return (waId, userId) =>
      (waId !== undefined && only!.wa_id === waId) ||
      (userId !== undefined && only!.user_id === userId)
        ? only
        : undefined;
  }
  const byWaId = new Map<string, WabaContact>();
  const byUserId = new Map<string, WabaContact>();
  for (const contact of contacts) {
    if (contact.wa_id !== undefined && !byWaId.has(contact.wa_id))
      byWaId.set(contact.wa_id, contact);
    if (contact.user_id !== undefined && !byUserId.has(contact.user_id))
      byUserId.set(contact.user_id, contact);
  }
  return (waId, userId) =>
    (waId !== undefined ? byWaId.get(waId) : undefined) ??
    (userId !== undefined ? byUserId.get(userId) : undefined);
}
