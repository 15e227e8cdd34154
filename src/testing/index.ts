/**
 * The public test kit, `nestjs-whatsapp-webhooks/testing`: build realistic webhook payloads,
 * serialise them with Meta's escaping and sign them, so listeners can be tested without Meta.
 *
 * @example
 * import { serializeLikeMeta, signWebhookBody, textMessageWebhook } from 'nestjs-whatsapp-webhooks/testing';
 *
 * const body = serializeLikeMeta(textMessageWebhook('café'));
 * const signature = signWebhookBody(body, 'test-app-secret');
 *
 * @packageDocumentation
 */
export { signWebhookBody } from './sign.js';
export { serializeLikeMeta } from './meta-json.js';
export type { DeepPartial } from './builders/deep-merge.js';
export { deepMerge } from './builders/deep-merge.js';
export type {
  WabaWebhookChange,
  WabaWebhookEntry,
  WabaWebhookPayload,
} from './builders/envelope.js';
export {
  WABA_TEST_IDS,
  batchWebhooks,
  changeWebhook,
  webhookEntry,
  webhookPayload,
} from './builders/envelope.js';
export { fieldValue, fieldWebhook, templateStatusWebhook } from './builders/fields.js';
export type {
  MessagesValueParts,
  WabaInboundMessageOf,
  WabaMessageStatusName,
  WebhookEntryOptions,
} from './builders/messages.js';
export {
  inboundMessage,
  messageStatus,
  messageWebhook,
  messagesValue,
  messagesWebhook,
  statusWebhook,
  statusesWebhook,
  textMessageWebhook,
} from './builders/messages.js';
export {
  postWebhook,
  signedWebhookRequest,
  type PostWebhookOptions,
  type PostWebhookResponse,
  type SignedWebhookRequest,
} from './post-webhook.js';
