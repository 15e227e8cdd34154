/** Default route of the webhook endpoint (GET handshake and POST notifications). */
export const DEFAULT_WEBHOOK_PATH = 'webhooks/whatsapp';

/** Header carrying Meta's HMAC-SHA256 signature (Node lower-cases incoming header names). */
export const SIGNATURE_HEADER = 'x-hub-signature-256';

/** `object` of every WhatsApp Business Account webhook envelope. */
export const WABA_OBJECT = 'whatsapp_business_account';

/** Metadata key under which `@OnWaba…` decorators store their listener descriptions. */
export const WABA_LISTENER_METADATA = 'nestjs-whatsapp-webhooks:listener';

/** Injection token of the resolved (defaults applied, checked) module options. */
export const RESOLVED_WHATSAPP_WEBHOOKS_OPTIONS = Symbol('RESOLVED_WHATSAPP_WEBHOOKS_OPTIONS');

/** Injection token of the webhook route of a module instance. */
export const WEBHOOK_PATH = Symbol('WHATSAPP_WEBHOOK_PATH');
