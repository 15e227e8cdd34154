export { WhatsAppWebhooksModule } from './whatsapp-webhooks.module.js';
export type {
  WhatsAppWebhooksModuleExtras,
  WhatsAppWebhooksModuleOptions,
} from './whatsapp-webhooks-options.interface.js';
export {
  OnWaba,
  OnWabaInvalid,
  OnWabaMessage,
  OnWabaStatus,
} from './events/waba-listener.decorators.js';
export {
  isWabaChange,
  type WabaChangeEvent,
  type WabaFieldChangeEvent,
  type WabaFieldValue,
  type WabaInvalidEvent,
  type WabaMessageEvent,
  type WabaMessageOfType,
  type WabaStatusEvent,
} from './events/waba-events.types.js';
export { WABA_FIELDS, type OpenString, type WabaField } from './types/waba-field.js';
export type * from './types/index.js';
