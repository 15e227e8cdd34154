import type { WhatsAppWebhooksModuleOptions } from 'nestjs-whatsapp-webhooks';

/**
 * The options every instance shares: the same secrets, Redis, queue name and prefix. Receivers
 * pass `processors: false` (they only verify, validate and enqueue); workers pass `true`.
 */
export function whatsappOptions(processors: boolean): WhatsAppWebhooksModuleOptions {
  return {
    appSecret: process.env['WHATSAPP_APP_SECRET']!,
    verifyToken: process.env['WHATSAPP_VERIFY_TOKEN']!,
    delivery: {
      mode: 'queue',
      connection: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
      queueName: process.env['WHATSAPP_QUEUE_NAME'] ?? 'waba-webhooks',
      prefix: '{waba}', // a hash tag: one Redis Cluster slot per queue
      processors,
      attempts: 5,
    },
  };
}
