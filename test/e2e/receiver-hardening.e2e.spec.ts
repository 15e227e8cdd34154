import { connect } from 'node:net';
import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import {
  fieldWebhook,
  postWebhook,
  serializeLikeMeta,
  textMessageWebhook,
} from '../../src/testing/index.js';
import {
  receiverUrl,
  type Running,
  startReceiver,
  stopReceiver,
} from '../fixtures/receiver-process.js';
import { PLATFORMS } from '../fixtures/test-app.js';

const SECRET = 'hardening-app-secret-7f3a';
const TOKEN = 'hardening-verify-token-91c2';

/** A POST from a given local address (127.0.0.x are all loopback). */
function postFrom(
  url: string,
  localAddress: string,
  body: string,
  signature: string,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: 'POST',
        localAddress,
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe.each(PLATFORMS)('receiver hardening (%s)', { timeout: 60_000 }, (platform) => {
  const base = {
    WHATSAPP_APP_SECRET: SECRET,
    WHATSAPP_VERIFY_TOKEN: TOKEN,
    NODE_ENV: 'production',
    HTTP_PLATFORM: platform,
  };
  let running: Running | undefined;
  afterEach(async () => {
    await stopReceiver(running);
    running = undefined;
  });

  it('sends security headers and no X-Powered-By', async () => {
    running = startReceiver(base);
    const url = await receiverUrl(running);
    for (const res of [
      await fetch(`${new URL(url).origin}/health`),
      await fetch(`${url}?hub.mode=subscribe`),
    ]) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(res.headers.get('x-powered-by')).toBeNull();
    }
  });

  it('cuts off a client that sends its headers too slowly', async () => {
    running = startReceiver({ ...base, WHATSAPP_HEADERS_TIMEOUT_MS: '1000' });
    const { port } = new URL(await receiverUrl(running));
    const started = Date.now();
    const answer = await new Promise<string>((resolve) => {
      const socket = connect(Number(port), '127.0.0.1', () =>
        socket.write('POST /webhooks/whatsapp HTTP/1.1\r\nHost: x\r\n'),
      );
      let data = '';
      socket.on('data', (chunk) => (data += chunk.toString()));
      socket.on('close', () => resolve(data));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('answers 429 to an address past its rejected-request limit, and never counts accepted requests', async () => {
    running = startReceiver({ ...base, WHATSAPP_REJECTIONS_PER_MINUTE: '5' });
    const url = await receiverUrl(running);
    const body = serializeLikeMeta(textMessageWebhook('hi'));
    const bad = `sha256=${'0'.repeat(64)}`;
    const { signWebhookBody } = await import('../../src/testing/index.js');
    // Accepted requests never count: 20 in a row from one address.
    for (let i = 0; i < 20; i++) {
      const ok = serializeLikeMeta(textMessageWebhook(`ok ${i}`));
      expect(await postFrom(url, '127.0.0.3', ok, signWebhookBody(ok, SECRET))).toBe(200);
    }
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push(await postFrom(url, '127.0.0.1', body, bad));
    expect(statuses.slice(0, 6)).toEqual([401, 401, 401, 401, 401, 401]);
    expect(statuses.slice(6)).toEqual([429, 429]);
    // Blocked even with a valid signature; other addresses are not.
    expect(await postFrom(url, '127.0.0.1', body, signWebhookBody(body, SECRET))).toBe(429);
    expect(await postFrom(url, '127.0.0.2', body, signWebhookBody(body, SECRET))).toBe(200);
  });

  it('never writes the app secret or the verify token to its logs', async () => {
    running = startReceiver(base);
    const url = await receiverUrl(running);
    const origin = new URL(url).origin;
    await fetch(`${url}?hub.mode=subscribe&hub.verify_token=${TOKEN}&hub.challenge=1`);
    await fetch(`${url}?hub.mode=subscribe&hub.verify_token=wrong-${TOKEN}&hub.challenge=1`);
    await postWebhook(origin, textMessageWebhook('valid'), { appSecret: SECRET });
    await postWebhook(origin, textMessageWebhook('forged'), { appSecret: `not-${SECRET}` });
    const invalid = fieldWebhook('security');
    (invalid.entry[0]!.changes[0]!.value as { event: unknown }).event = 42;
    await postWebhook(origin, invalid, { appSecret: SECRET });
    await running.waitForLine((l) => JSON.stringify(l).includes('"kind":"invalid"'));
    await stopReceiver(running);
    const output = running.lines.map((l) => JSON.stringify(l)).join('\n');
    expect(output).toContain('"kind":"message"');
    expect(output).not.toContain(SECRET);
    expect(output).not.toContain(TOKEN);
  });
});
