import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { WABA_LISTENER_METADATA } from '../whatsapp-webhooks.constants.js';
import { messages } from '../whatsapp-webhooks.messages.js';
import { WabaEventDispatcher } from './waba-event.dispatcher.js';
import type { WabaListenerMetadata } from './waba-listener.decorators.js';

/**
 * Finds the `@OnWaba…()` methods of every provider and controller of the application and
 * registers them with the dispatcher, once each. The module has its own registry rather than
 * the application's `EventEmitter2`, so listeners fire exactly once whether or not the
 * application imports `EventEmitterModule.forRoot()`, and each failure can be reported with
 * the listener's name.
 *
 * @internal
 */
@Injectable()
export class WabaListenerExplorer implements OnModuleInit {
  private readonly logger = new Logger('WhatsAppWebhooks');

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly dispatcher: WabaEventDispatcher,
  ) {}

  onModuleInit(): void {
    for (const wrapper of [...this.discovery.getProviders(), ...this.discovery.getControllers()]) {
      const instance: unknown = wrapper.instance;
      if (wrapper.isAlias || !instance || typeof instance !== 'object') continue;
      const prototype = Object.getPrototypeOf(instance) as object | null;
      if (!prototype) continue;
      for (const methodName of this.scanner.getAllMethodNames(prototype)) {
        const method = (instance as Record<string, unknown>)[methodName];
        if (typeof method !== 'function') continue;
        const metadata = Reflect.getMetadata(WABA_LISTENER_METADATA, method) as
          WabaListenerMetadata[] | undefined;
        if (!metadata) continue;
        const name = `${instance.constructor.name}.${methodName}`;
        if (!wrapper.isDependencyTreeStatic()) {
          this.logger.warn(messages.requestScopedListener(name));
          continue;
        }
        const handler = method.bind(instance) as (event: never) => unknown;
        for (const { kind, keys, apps } of metadata) {
          const listener = apps ? { name, handler, apps: new Set(apps) } : { name, handler };
          for (const key of keys) this.dispatcher.register(kind, key, listener);
        }
      }
    }
  }
}
