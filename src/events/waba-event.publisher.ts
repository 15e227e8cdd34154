import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { messages } from '../whatsapp-webhooks.messages.js';

/** One event to publish on the application's `EventEmitter2`. @internal */
export interface PublishedEvent {
  readonly name: string;
  readonly event: unknown;
}

/** The part of `EventEmitter2` the publisher uses. */
interface Emitter {
  emitAsync(event: string, ...values: unknown[]): Promise<unknown[]> | false;
}

/** The part of `@nestjs/event-emitter` the publisher looks up. */
interface EventEmitterPackage {
  EventEmitter2: abstract new (...args: never[]) => Emitter;
  EventEmitterReadinessWatcher?: abstract new (...args: never[]) => {
    waitUntilReady(): Promise<void>;
  };
}

/**
 * Publishes the module's events on the application's `EventEmitter2`, for `@OnEvent()`
 * observers, when the application imports `EventEmitterModule.forRoot()`; otherwise does
 * nothing. `@nestjs/event-emitter` is an optional peer dependency, loaded only when installed.
 *
 * Observers never change a delivery's outcome: one that throws or rejects (with the
 * emitter's `suppressErrors: false`; by default `@nestjs/event-emitter` logs the error itself)
 * is logged with the event's name and counted nowhere else.
 *
 * @internal
 */
@Injectable()
export class WabaEventPublisher implements OnModuleInit {
  private readonly logger = new Logger('WhatsAppWebhooks');
  private emitter?: Emitter;
  /** Settles once `@OnEvent()` observers are registered (the emitter's readiness watcher). */
  private ready?: Promise<void>;

  constructor(private readonly moduleRef: ModuleRef) {}

  /** Whether an application `EventEmitter2` was found. */
  get enabled(): boolean {
    return this.emitter !== undefined;
  }

  async onModuleInit(): Promise<void> {
    let pkg: EventEmitterPackage;
    try {
      pkg = (await import('@nestjs/event-emitter')) as unknown as EventEmitterPackage;
    } catch {
      return; // not installed: nothing to publish on
    }
    const emitter = this.find(pkg.EventEmitter2);
    if (!emitter) return; // installed, but the application did not import EventEmitterModule
    this.emitter = emitter;
    const watcher = pkg.EventEmitterReadinessWatcher && this.find(pkg.EventEmitterReadinessWatcher);
    // Queue workers start before `@OnEvent()` observers are registered (on bootstrap): the
    // first jobs wait for them rather than publish to nobody.
    this.ready = watcher?.waitUntilReady().then(
      () => (this.ready = undefined),
      () => (this.ready = undefined), // the emitter logs its own bootstrap failure
    );
    this.logger.log(messages.publishingOnEventEmitter());
  }

  /** Publishes each event in turn; resolves once every observer settled; never rejects. */
  async publish(events: readonly PublishedEvent[]): Promise<void> {
    const emitter = this.emitter;
    if (!emitter || events.length === 0) return;
    if (this.ready) await this.ready;
    const pending: Promise<void>[] = [];
    for (const { name, event } of events) {
      try {
        const result = emitter.emitAsync(name, event);
        if (result) pending.push(result.then(noop, (error: unknown) => this.failed(name, error)));
      } catch (error) {
        this.failed(name, error);
      }
    }
    if (pending.length > 0) await Promise.all(pending);
  }

  private failed(name: string, error: unknown): void {
    this.logger.error(
      messages.observerFailed(name, error),
      error instanceof Error ? error.stack : undefined,
    );
  }

  private find<T>(token: abstract new (...args: never[]) => T): T | undefined {
    try {
      return this.moduleRef.get(token, { strict: false });
    } catch {
      return undefined;
    }
  }
}

function noop(): void {}
