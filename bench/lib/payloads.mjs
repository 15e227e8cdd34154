// Payloads of the benchmark, built with the package's own test kit (dist/testing): realistic
// envelopes, serialised with Meta's escaping (`\u00e9`, `\/`) and signed once each. Every body
// carries fresh wamids (the builders number them), so the module's deduplication never sees a
// redelivery unless a pool wraps around.
import { APP_SECRET } from './constants.mjs';
import { testKit } from './package.mjs';

const { messageStatus, messagesWebhook, serializeLikeMeta, signWebhookBody, textMessageWebhook } =
  testKit;

// Non-ASCII and a link, so the body has the escapes Meta sends; padded to about 1 KB on the wire.
const TEXT =
  'Olá! Où en est ma commande n° 1042 ? Le suivi https://example.com/orders/1042 indique ' +
  '« en préparation » depuis lundi. Merci de me confirmer la date de livraison — ' +
  'je serai absente jeudi après-midi, le voisin au 3e peut réceptionner. 🙏 ' +
  'Facture : https://example.com/invoices/INV-2026-1042.pdf — et le bon de retour, ' +
  "s'il vous plaît : https://example.com/returns/1042.";

/** One inbound text message, about 1 KB once serialised like Meta. */
export function singleMessageBody() {
  return serializeLikeMeta(textMessageWebhook(TEXT));
}

/** A `messages` change carrying `count` statuses (conversation + pricing), ~400 B each. */
export function statusBatchBody(count = 1000) {
  const expiry = String(Math.floor(Date.now() / 1000) + 86_400);
  const statuses = Array.from({ length: count }, (_, i) =>
    messageStatus('sent', {
      conversation: {
        id: `CONVERSATION_${String(i).padStart(6, '0')}`,
        expiration_timestamp: expiry,
        origin: { type: 'utility' },
      },
      biz_opaque_callback_data: `order-${1000 + i}`,
    }),
  );
  return serializeLikeMeta(messagesWebhook({ statuses }));
}

/**
 * A request ready for the load generator: the body's bytes and its signature, computed once.
 *
 * @returns {{ body: Buffer, signature: string }}
 */
export function signed(body, appSecret = APP_SECRET) {
  const bytes = Buffer.from(body, 'utf8');
  return { body: bytes, signature: signWebhookBody(bytes, appSecret) };
}

/** `count` distinct signed single-message bodies. */
export function signedSingleMessages(count) {
  return Array.from({ length: count }, () => signed(singleMessageBody()));
}
