import { computeSignature } from '../webhook/signature.js';

/**
 * Returns the `X-Hub-Signature-256` header value for a request body, exactly as Meta computes
 * it: HMAC-SHA256 of the given bytes with the App Secret. Sign the very bytes you send.
 *
 * @example
 * const body = serializeLikeMeta(textMessageWebhook());
 * await request(app.getHttpServer())
 *   .post('/webhooks/whatsapp')
 *   .set('content-type', 'application/json')
 *   .set('x-hub-signature-256', signWebhookBody(body, 'test-secret'))
 *   .send(body);
 */
export function signWebhookBody(rawBody: string | Buffer, appSecret: string): string {
  return computeSignature(rawBody, appSecret);
}
