export { WhatsAppWebhooksModule } from './whatsapp-webhooks.module.js';
export { InjectWhatsAppWebhooksOptions } from './whatsapp-webhooks.module-definition.js';
export type {
  WabaAppConfig,
  WabaMetricsOptions,
  WabaMetricsRegistry,
  WhatsAppWebhooksModuleExtras,
  WhatsAppWebhooksModuleOptions,
} from './whatsapp-webhooks-options.interface.js';
export { WhatsAppMtlsGuard, type MtlsCheckedRequest } from './mtls/whatsapp-mtls.guard.js';
export {
  WhatsAppSignatureGuard,
  type SignedWebhookRequest,
} from './webhook/whatsapp-signature.guard.js';
export {
  checkClientCertificate,
  checkClientCertificateSubject,
  META_WEBHOOK_CLIENT_CN,
  type ClientCertificateRejection,
  type ClientCertificateVerdict,
  type PeerCertificateInput,
} from './mtls/client-certificate.js';
export type {
  WhatsAppMtlsOptions,
  WhatsAppMtlsProxyHeaderOptions,
  WhatsAppMtlsTlsOptions,
} from './mtls/mtls-options.interface.js';
export {
  OnWaba,
  OnWabaDeliveryFailed,
  OnWabaInvalid,
  OnWabaMessage,
  OnWabaOnboarded,
  OnWabaOnboardingFailed,
  OnWabaStatus,
  type WabaListenerOptions,
} from './events/waba-listener.decorators.js';
export {
  WABA_DELIVERY_FAILED_EVENT,
  WABA_EVENT_PREFIX,
  WABA_INVALID_EVENT,
  WABA_ONBOARDED_EVENT,
  WABA_ONBOARDING_FAILED_EVENT,
  wabaEventName,
  wabaMessageEventName,
  wabaStatusEventName,
} from './events/waba-event-names.js';
export {
  isWabaChange,
  type WabaChangeEvent,
  type WabaDeliveryFailedEvent,
  type WabaFieldChangeEvent,
  type WabaFieldValue,
  type WabaInvalidEvent,
  type WabaMessageEvent,
  type WabaMessageOfType,
  type WabaOnboardedEvent,
  type WabaOnboardingFailedEvent,
  type WabaStatusEvent,
} from './events/waba-events.types.js';
export { WABA_FIELDS, type WabaField, type WabaFieldValueMap } from './dto/waba-field.registry.js';
export type { OpenString } from './types/open-string.js';
export type * from './types/index.js';
export { WABA_INBOUND_MESSAGE_TYPES } from './types/messages.types.js';
export { SubscriptionService } from './subscriptions/subscription.service.js';
export type {
  WabaAutoSubscribeResolver,
  WabaOnboardingOptions,
  WabaPartnerAddedEvent,
} from './onboarding/onboarding-options.interface.js';
export {
  GraphApiError,
  type GraphApiErrorInit,
  type GraphApiErrorKind,
} from './subscriptions/graph-api.error.js';
export { WabaAccessTokenError } from './subscriptions/waba-access-token.error.js';
export type {
  AccessTokenContext,
  AccessTokenResolver,
  AppSubscription,
  AppUsage,
  BusinessUseCaseUsage,
  CallbackOverride,
  DeleteAppSubscriptionOptions,
  EnsureSubscribedOptions,
  EnsureSubscribedResult,
  GraphApiRetryOptions,
  GraphApiUsage,
  GraphRequestOptions,
  ListAppSubscriptionsOptions,
  OverrideSubscribeOptions,
  PhoneNumberWebhookConfiguration,
  PlainSubscribeOptions,
  SubscribeAppOptions,
  SubscribedApp,
  SubscribeOptions,
} from './subscriptions/subscription.types.js';
export type {
  WabaDeduplicationOptions,
  WabaDeliveryOptions,
  WabaDirectDeliveryOptions,
  WabaQueueDeliveryOptions,
  WabaRedisOptions,
} from './delivery/delivery-options.interface.js';
export {
  defaultDedupKey,
  stableHash,
  type WabaDedupKeyFunction,
  type WabaDedupKeyInput,
  type WabaUpdateKind,
} from './delivery/dedup-key.js';
export type { WabaDedupStore } from './delivery/dedup-store.interface.js';
export {
  WhatsAppWebhooksHealth,
  type WabaDeliveryHealth,
  type WabaQueueHealth,
} from './delivery/delivery-health.js';
export { MemoryDedupStore } from './delivery/memory-dedup.store.js';
export { RedisDedupStore, type RedisDedupClient } from './delivery/redis-dedup.store.js';
