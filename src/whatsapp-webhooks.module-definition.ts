import { ConfigurableModuleBuilder } from '@nestjs/common';
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
