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
    { path: DEFAULT_WEBHOOK_PATH },
    (definition) => definition,
  )
  .build();
