import { ConfigurableModuleBuilder, Inject } from '@nestjs/common';
import { DEFAULT_WEBHOOK_PATH } from './whatsapp-webhooks.constants.js';
import type {
  WhatsAppWebhooksModuleExtras,
  WhatsAppWebhooksModuleOptions,
} from './whatsapp-webhooks-options.interface.js';

export const {
  ConfigurableModuleClass,
  MODULE_OPTIONS_TOKEN: WHATSAPP_WEBHOOKS_MODULE_OPTIONS,
  OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<WhatsAppWebhooksModuleOptions>({
  moduleName: 'WhatsAppWebhooks',
})
  .setClassMethodName('forRoot')
  .setExtras<WhatsAppWebhooksModuleExtras>(
    // Read when the module is defined (the route and its guards), never part of the options.
    { path: DEFAULT_WEBHOOK_PATH, signatureGuard: undefined, mtlsGuard: undefined },
    (definition) => definition,
  )
  .build();

/**
 * Injects the options the module was given — as passed to `forRoot()` or returned by the
 * `forRootAsync()` factory, before defaults — into a provider of the application (the module
 * exports them) or into a guard subclass bound with `signatureGuard` / `mtlsGuard`.
 *
 * @example
 * \@Injectable()
 * class WebhookSettings {
 *   constructor(\@InjectWhatsAppWebhooksOptions() private readonly options: WhatsAppWebhooksModuleOptions) {}
 * }
 */
export const InjectWhatsAppWebhooksOptions = (): PropertyDecorator & ParameterDecorator =>
  Inject(WHATSAPP_WEBHOOKS_MODULE_OPTIONS);
