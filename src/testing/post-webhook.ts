import type { INestApplication } from '@nestjs/common';
import type { AddressInfo, Server } from 'node:net';
import { WabaDeliveryService } from '../delivery/waba-delivery.service.js';
import { DEFAULT_WEBHOOK_PATH } from '../whatsapp-webhooks.constants.js';
import { serializeLikeMeta } from './meta-json.js';
import { signWebhookBody } from './sign.js';

/** A request body with the headers Meta would send with it. */
export interface SignedWebhookRequest {
  /** The exact bytes to send (the signature covers them). */
  readonly body: string | Buffer;
  readonly headers: {
    readonly 'content-type': 'application/json';
    readonly 'x-hub-signature-256': string;
  };
}

/**
 * Serialises a payload like Meta (see `serializeLikeMeta`; strings and Buffers are sent as they
 * are) and signs it, ready for supertest or any HTTP client.
 *
 * @example
 * const { body, headers } = signedWebhookRequest(textMessageWebhook('hi'), 'test-secret');
 * await request(app.getHttpServer()).post('/webhooks/whatsapp').set(headers).send(body).expect(200);
 */
export function signedWebhookRequest(payload: unknown, appSecret: string): SignedWebhookRequest {
  const body =
    typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : serializeLikeMeta(payload);
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-hub-signature-256': signWebhookBody(body, appSecret),
    },
  };
}

/** Options of {@link postWebhook}. */
export interface PostWebhookOptions {
  /** The App Secret the application under test is configured with. */
  appSecret: string;
  /** @default 'webhooks/whatsapp' */
  path?: string;
  /** Extra or overriding headers (e.g. a wrong signature). */
  headers?: Record<string, string>;
  /**
   * With an application as the target, resolve only once the listeners of the request have run:
   * with the default `acknowledge: 'before-listeners'` Meta gets its 200 before they run, so
   * without waiting a test would look at their effects too early. In queue mode, waits until
   * the application's own worker has drained the queue (retries included). Only a 2xx answer is
   * waited for; a URL target never is. `false` resolves as soon as the response arrives.
   *
   * @default true
   */
  waitForListeners?: boolean;
  /**
   * Longest wait for the listeners (with `waitForListeners`) before `postWebhook` rejects.
   *
   * @default 10_000
   */
  listenerTimeoutMs?: number;
}

/** What {@link postWebhook} answers. */
export interface PostWebhookResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
}

/**
 * Posts a signed webhook to a Nest application under test (listening or not — an application
 * that is not listening is served on an ephemeral port for this one request, as supertest
 * does) or to a base URL such as `http://localhost:3000`. With an application, it resolves
 * once the request's listeners have run (see {@link PostWebhookOptions.waitForListeners}), so a
 * test needs no sleeps in either acknowledgement mode.
 *
 * @throws Error when the listeners have not settled within `listenerTimeoutMs`.
 * @example
 * const res = await postWebhook(app, templateStatusWebhook({ event: 'REJECTED' }), { appSecret: 'test-secret' });
 * expect(res.status).toBe(200);
 * expect(templates.rejected).toEqual(['order_confirmation']); // the listener has run
 */
export async function postWebhook(
  target: INestApplication | string,
  payload: unknown,
  options: PostWebhookOptions,
): Promise<PostWebhookResponse> {
  const { body, headers } = signedWebhookRequest(payload, options.appSecret);
  const path = (options.path ?? DEFAULT_WEBHOOK_PATH).replace(/^\/+/, '');
  const send = async (baseUrl: string): Promise<PostWebhookResponse> => {
    const response = await fetch(`${baseUrl.replace(/\/+$/, '')}/${path}`, {
      method: 'POST',
      headers: { ...headers, ...options.headers },
      body: typeof body === 'string' ? body : new Uint8Array(body),
    });
    return { status: response.status, headers: response.headers, body: await response.text() };
  };
  if (typeof target === 'string') return send(target);
  const server = target.getHttpServer() as Server;
  const listening = server.listening;
  if (!listening) {
    await target.init(); // registers the routes; a no-op when already initialised
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  }
  let response: PostWebhookResponse;
  try {
    response = await send(baseUrlOf(server.address() as AddressInfo));
  } finally {
    if (!listening) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  // Only an acknowledged request has listeners to wait for.
  if ((options.waitForListeners ?? true) && response.status >= 200 && response.status < 300) {
    await listenersSettled(target, options.listenerTimeoutMs ?? 10_000);
  }
  return response;
}

/** Waits for the module's in-flight deliveries of an application (none: resolves at once). */
async function listenersSettled(app: INestApplication, timeoutMs: number): Promise<void> {
  let delivery: WabaDeliveryService;
  try {
    delivery = app.get(WabaDeliveryService, { strict: false });
  } catch {
    return; // the application does not import WhatsAppWebhooksModule
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(
            `postWebhook: the listeners did not settle within ${timeoutMs} ms (raise listenerTimeoutMs, or pass waitForListeners: false)`,
          ),
        ),
      timeoutMs,
    );
  });
  try {
    await Promise.race([delivery.settled(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function baseUrlOf({ address, family, port }: AddressInfo): string {
  if (address === '::' || address === '0.0.0.0') return `http://127.0.0.1:${port}`;
  return family === 'IPv6' ? `http://[${address}]:${port}` : `http://${address}:${port}`;
}
