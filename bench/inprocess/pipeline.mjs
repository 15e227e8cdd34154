// Drives a webhook through the module's real pieces, in-process and without HTTP, exactly in the
// order of the POST route: JSON.parse (what Nest's body parser does), the signature guard, the
// payload pipe, the delivery service (deduplication, then dispatch after the acknowledgement),
// and waits until the listener has received every event. The guard, pipe and service are the
// instances of a real Nest application built from the package; they are internal, so they are
// imported from their files in the build.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { APP_SECRET, SIGNATURE_HEADER } from '../lib/constants.mjs';
import { createBenchApp } from '../lib/nest-app.mjs';
import { packageRoot } from '../lib/package.mjs';

/**
 * The baseline every ratio of P2 and P5 is taken against: HMAC-SHA256 of the bytes, compared in
 * constant time with the signature, and `JSON.parse`, without the module.
 */
export function baselineWork({ body, signature }) {
  const provided = Buffer.from(signature.slice('sha256='.length), 'hex');
  const expected = createHmac('sha256', APP_SECRET).update(body).digest();
  if (!timingSafeEqual(expected, provided)) throw new Error('baseline: bad signature');
  return JSON.parse(body.toString('utf8'));
}

const internal = (path) => import(new URL(path, packageRoot).href);

/**
 * @param {Parameters<typeof createBenchApp>[0]} appOptions
 * @returns the app, its listener counters, and `deliver(signed, expectedEvents)` resolving once
 *   the listener has seen `expectedEvents` more events.
 */
export async function createPipeline(appOptions) {
  const [
    { WhatsAppSignatureGuard },
    { WabaPayloadPipe },
    { WabaDeliveryService },
    { WabaDedupStoreProvider },
  ] = await Promise.all([
    internal('webhook/whatsapp-signature.guard.js'),
    internal('webhook/waba-payload.pipe.js'),
    internal('delivery/waba-delivery.service.js'),
    internal('delivery/dedup-store.provider.js'),
  ]);
  const { app, counters } = await createBenchApp(appOptions);
  await app.init();
  const guard = app.get(WhatsAppSignatureGuard);
  const pipe = app.get(WabaPayloadPipe);
  const delivery = app.get(WabaDeliveryService);
  const dedupStore = app.get(WabaDedupStoreProvider).store;
  const response = {};
  const next = () => undefined;

  /** One delivery; `expectedEvents` is how many listener calls it must cause. */
  async function deliver({ body, signature }, expectedEvents) {
    const target = counters.events + expectedEvents;
    const request = {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': String(body.length),
        [SIGNATURE_HEADER]: signature,
      },
      rawBody: body,
      body: JSON.parse(body.toString('utf8')),
    };
    const context = new ExecutionContextHost([request, response, next]);
    if (!(await guard.canActivate(context))) throw new Error('pipeline: the guard refused');
    const webhook = await pipe.transform(request.body, { type: 'body', data: undefined });
    await delivery.accept(webhook);
    while (counters.events < target) await nextTurn();
  }

  return { app, counters, deliver, delivery, dedupStore };
}
