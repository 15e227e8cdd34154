import type { INestApplication } from '@nestjs/common';
import type { NestApplicationOptions } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type WhatsAppMtlsOptions, WhatsAppWebhooksModule } from '../../src/index.js';
import { readReceiverConfig, ReceiverConfigError } from '../../src/receiver/receiver-config.js';
import { signedWebhookRequest, textMessageWebhook } from '../../src/testing/index.js';
import { RecordingListener } from '../fixtures/recording.listener.js';
import { createTestPki, type TestCredential, type TestPki } from '../fixtures/test-certificates.js';
import {
  APP_SECRET,
  type Platform,
  PLATFORM_VARIANTS,
  PLATFORMS,
  VERIFY_TOKEN,
  type Variant,
  WEBHOOK_PATH,
} from '../fixtures/test-app.js';

const MAIN = resolve('dist/main.js');
const META_SUBJECT = 'CN=client.webhooks.fbclientcerts.com,O=Meta Platforms\\, Inc.,C=US';

let pki: TestPki;
beforeAll(async () => {
  pki = await createTestPki();
});
afterAll(() => pki?.cleanup());

interface Answer {
  status: number;
  body: string;
}

interface SendOptions {
  method?: 'GET' | 'POST';
  path?: string;
  /** Client certificate (leaf + intermediate) and key; none by default. */
  client?: TestCredential;
  headers?: http.OutgoingHttpHeaders;
  body?: string | Buffer;
  localAddress?: string;
}

/** One request on a fresh connection (no agent: client certificates never share a socket). */
function send(baseUrl: string, opts: SendOptions = {}): Promise<Answer> {
  const url = new URL(opts.path ?? WEBHOOK_PATH, baseUrl);
  const secure = url.protocol === 'https:';
  return new Promise((resolvePromise, reject) => {
    const options: https.RequestOptions = {
      method: opts.method ?? 'POST',
      host: url.hostname,
      port: url.port,
      path: url.pathname + url.search,
      headers: opts.headers,
      agent: false,
      ...(opts.localAddress ? { localAddress: opts.localAddress } : {}),
      ...(secure
        ? {
            ca: pki.serverCa,
            ...(opts.client ? { cert: opts.client.cert, key: opts.client.key } : {}),
          }
        : {}),
    };
    const req = (secure ? https : http).request(options, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** A signed WhatsApp POST with the given text, optionally over a client certificate. */
function postSigned(baseUrl: string, text: string, opts: SendOptions = {}): Promise<Answer> {
  const { body, headers } = signedWebhookRequest(textMessageWebhook(text), APP_SECRET);
  return send(baseUrl, { ...opts, body, headers: { ...headers, ...opts.headers } });
}

const handshakePath = `${WEBHOOK_PATH}?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=42`;

interface MtlsApp {
  app: INestApplication;
  recorder: RecordingListener;
  url: string;
}

/**
 * An app with the `mtls` option. `appOptions.httpsOptions` serve HTTPS: as Nest's option on
 * Express, as the adapter's `https` option on Fastify (which ignores `httpsOptions`).
 */
async function createMtlsApp(
  mtls: WhatsAppMtlsOptions,
  appOptions: NestApplicationOptions = {},
  variant: Variant = 'forRoot',
  platform: Platform = 'express',
): Promise<MtlsApp> {
  const options = { appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN, mtls };
  const moduleRef = await Test.createTestingModule({
    imports: [
      variant === 'forRootAsync'
        ? WhatsAppWebhooksModule.forRootAsync({ useFactory: async () => options })
        : WhatsAppWebhooksModule.forRoot(options),
    ],
    providers: [RecordingListener],
  }).compile();
  const { httpsOptions, ...rest } = appOptions;
  const app =
    platform === 'fastify'
      ? moduleRef.createNestApplication<NestFastifyApplication>(
          new FastifyAdapter(httpsOptions ? { https: httpsOptions } : {}),
          { rawBody: true, logger: false, ...rest },
        )
      : moduleRef.createNestApplication<NestExpressApplication>({
          rawBody: true,
          logger: false,
          ...appOptions,
        });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const scheme = appOptions.httpsOptions ? 'https' : 'http';
  return { app, recorder: app.get(RecordingListener), url: `${scheme}://127.0.0.1:${port}` };
}

const texts = (recorder: RecordingListener) =>
  recorder.of('message').map((e) => (e.message as { text?: { body?: string } }).text?.body);

describe.each(PLATFORM_VARIANTS)(
  'WhatsAppMtlsGuard, mode "tls" (Node terminates TLS) — %s, %s',
  (platform, variant) => {
    let target: MtlsApp;
    beforeAll(async () => {
      // rejectUnauthorized: false lets every handshake through, so that the guard makes each decision.
      target = await createMtlsApp(
        { mode: 'tls' },
        {
          httpsOptions: {
            cert: pki.server.cert,
            key: pki.server.key,
            ca: pki.metaCa,
            requestCert: true,
            rejectUnauthorized: false,
          },
        },
        variant,
        platform,
      );
    });
    afterAll(() => target?.app.close());

    it('refuses a POST without a client certificate (403), emitting nothing', async () => {
      const res = await postSigned(target.url, 'no cert');
      expect(res.status).toBe(403);
      expect(JSON.parse(res.body).message).toMatch(/no client certificate was presented/);
      expect(target.recorder.events).toEqual([]);
    });

    it('refuses a certificate with the right CN from another CA (403)', async () => {
      const res = await postSigned(target.url, 'other ca', { client: pki.otherCaClient });
      expect(res.status).toBe(403);
      expect(JSON.parse(res.body).message).toMatch(/does not chain to the trusted CA/);
      expect(target.recorder.events).toEqual([]);
    });

    it("refuses a certificate from Meta's CA with another CN (403)", async () => {
      const res = await postSigned(target.url, 'wrong cn', { client: pki.wrongCnClient });
      expect(res.status).toBe(403);
      expect(JSON.parse(res.body).message).toMatch(/expected common name/);
      expect(target.recorder.events).toEqual([]);
    });

    it("accepts Meta's certificate: a signed POST gets 200 and is delivered", async () => {
      const res = await postSigned(target.url, 'right cert', { client: pki.metaClient });
      expect(res.status).toBe(200);
      await target.recorder.waitFor(1);
      expect(texts(target.recorder)).toEqual(['right cert']);
    });

    it("still requires the signature with Meta's certificate (401): mTLS complements HMAC", async () => {
      const res = await postSigned(target.url, 'unsigned', {
        client: pki.metaClient,
        headers: { 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` },
      });
      expect(res.status).toBe(401);
      expect(texts(target.recorder)).toEqual(['right cert']);
    });

    it('leaves the GET handshake to the verify token (Meta verifies the URL before mTLS is on)', async () => {
      const res = await send(target.url, { method: 'GET', path: handshakePath });
      expect(res).toEqual({ status: 200, body: '42' });
    });
  },
);

describe.each(PLATFORMS)('WhatsAppMtlsGuard, mode "tls", misconfigured server (%s)', (platform) => {
  let target: MtlsApp | undefined;
  afterEach(async () => {
    await target?.app.close();
    target = undefined;
  });

  // Where the HTTPS settings go: Nest's httpsOptions on Express, the adapter's https option on
  // Fastify (which ignores httpsOptions).
  const httpsSetting =
    platform === 'fastify' ? /new FastifyAdapter\(\{ https: \{/ : /`httpsOptions: \{/;

  it('answers 500 naming the HTTPS settings of the platform when the request did not arrive over TLS', async () => {
    target = await createMtlsApp({ mode: 'tls' }, {}, 'forRoot', platform);
    const res = await postSigned(target.url, 'plain http');
    expect(res.status).toBe(500);
    const { message } = JSON.parse(res.body) as { message: string };
    expect(message).toMatch(/requestCert: true/);
    expect(message).toMatch(httpsSetting);
    if (platform === 'express') expect(message).not.toMatch(/Fastify/);
    expect(target.recorder.events).toEqual([]);
  });

  it('answers 500 naming requestCert when the HTTPS server does not ask for a certificate', async () => {
    target = await createMtlsApp(
      { mode: 'tls' },
      { httpsOptions: { cert: pki.server.cert, key: pki.server.key } },
      'forRoot',
      platform,
    );
    const res = await postSigned(target.url, 'no requestCert', { client: pki.metaClient });
    expect(res.status).toBe(500);
    const { message } = JSON.parse(res.body) as { message: string };
    expect(message).toMatch(/requestCert: true/);
    expect(message).toMatch(httpsSetting);
    expect(target.recorder.events).toEqual([]);
  });
});

describe.each(PLATFORMS)(
  'WhatsAppMtlsGuard, mode "proxy-header" (a trusted proxy forwards the subject) (%s)',
  (platform) => {
    const header = 'X-Amzn-Mtls-Clientcert-Subject';
    let target: MtlsApp;
    beforeAll(async () => {
      target = await createMtlsApp(
        { mode: 'proxy-header', header, trustedProxies: ['127.0.0.1'] },
        {},
        'forRoot',
        platform,
      );
    });
    afterAll(() => target?.app.close());

    it("accepts Meta's subject from a trusted proxy address (200, delivered)", async () => {
      const res = await postSigned(target.url, 'via proxy', {
        headers: { [header]: META_SUBJECT },
        localAddress: '127.0.0.1',
      });
      expect(res.status).toBe(200);
      await target.recorder.waitFor(1);
      expect(texts(target.recorder)).toEqual(['via proxy']);
    });

    it('refuses another CN from the trusted proxy (403)', async () => {
      const res = await postSigned(target.url, 'proxy wrong cn', {
        headers: { [header]: 'CN=attacker.example.com,O=client.webhooks.fbclientcerts.com' },
        localAddress: '127.0.0.1',
      });
      expect(res.status).toBe(403);
      expect(JSON.parse(res.body).message).toMatch(/expected common name/);
    });

    it('refuses a request from the trusted proxy without the header, or with it twice (403)', async () => {
      const missing = await postSigned(target.url, 'no header', { localAddress: '127.0.0.1' });
      expect(missing.status).toBe(403);
      const twice = await postSigned(target.url, 'twice', {
        headers: { [header]: [META_SUBJECT, META_SUBJECT] },
        localAddress: '127.0.0.1',
      });
      expect(twice.status).toBe(403);
      expect(JSON.parse(twice.body).message).toMatch(/malformed/);
    });

    it("ignores the header from an untrusted address, even with Meta's subject (403)", async () => {
      const res = await postSigned(target.url, 'spoofed', {
        headers: { [header]: META_SUBJECT, 'X-Forwarded-For': '127.0.0.1' },
        localAddress: '127.0.0.2',
      });
      expect(res.status).toBe(403);
      expect(JSON.parse(res.body).message).toMatch(/only accepted from a trusted proxy/);
      expect(texts(target.recorder)).toEqual(['via proxy']);
    });
  },
);

describe('module option validation', () => {
  it.each([
    [{ mode: 'proxy-header', header: 'X-Subject', trustedProxies: [] }, /mtls.trustedProxies/],
    [
      { mode: 'proxy-header', header: 'X-Subject', trustedProxies: ['10.0.0.0/33'] },
      /10.0.0.0\/33/,
    ],
    [{ mode: 'proxy-header', header: 'bad header', trustedProxies: ['::1'] }, /mtls.header/],
    [{ mode: 'tls', expectedCn: '' }, /mtls.expectedCn/],
    [{ mode: 'mutual' }, /mtls.mode/],
  ])('fails the application start on %j', async (mtls, message) => {
    await expect(
      Test.createTestingModule({
        imports: [
          WhatsAppWebhooksModule.forRoot({
            appSecret: APP_SECRET,
            verifyToken: VERIFY_TOKEN,
            mtls: mtls as WhatsAppMtlsOptions,
          }),
        ],
      }).compile(),
    ).rejects.toThrow(message);
  });
});

describe('receiver TLS configuration (readReceiverConfig)', () => {
  const base = { WHATSAPP_APP_SECRET: 's', WHATSAPP_VERIFY_TOKEN: 't' };
  const read = (env: Record<string, string>) => () => readReceiverConfig({ ...base, ...env });

  it('reads certificate, key, client CA and CN', () => {
    const config = readReceiverConfig({
      ...base,
      TLS_CERT: pki.server.certPath,
      TLS_KEY: pki.server.keyPath,
      TLS_CLIENT_CA: pki.metaCaPath,
    });
    expect(config.tls?.cert.toString()).toBe(pki.server.cert);
    expect(config.tls?.client?.cn).toBe('client.webhooks.fbclientcerts.com');
    expect(readReceiverConfig(base).tls).toBeUndefined();
  });

  it.each([
    [{ TLS_CERT: 'cert.pem' }, /TLS_CERT is set without TLS_KEY/],
    [{ TLS_KEY: 'key.pem' }, /TLS_KEY is set without TLS_CERT/],
    [{ TLS_CLIENT_CA: 'ca.pem' }, /TLS_CLIENT_CA needs TLS_CERT and TLS_KEY/],
    [
      { TLS_CERT: '/nonexistent/cert.pem', TLS_KEY: '/nonexistent/key.pem' },
      /TLS_CERT: cannot read "\/nonexistent\/cert.pem" \(ENOENT\)/,
    ],
  ])('refuses %j with a clear message', (env, message) => {
    expect(read(env)).toThrow(ReceiverConfigError);
    expect(read(env)).toThrow(message);
  });

  it('refuses a key that does not match the certificate, a CN without CA, and a CA file that is not PEM', () => {
    const server = { TLS_CERT: pki.server.certPath, TLS_KEY: pki.server.keyPath };
    expect(read({ ...server, TLS_KEY: pki.metaClient.keyPath })).toThrow(
      /TLS_CERT \/ TLS_KEY are not a usable PEM certificate and matching private key/,
    );
    expect(read({ ...server, TLS_CLIENT_CN: 'x' })).toThrow(/TLS_CLIENT_CN needs TLS_CLIENT_CA/);
    const notPem = join(pki.dir, 'not-a-ca.pem');
    writeFileSync(notPem, 'hello');
    expect(read({ ...server, TLS_CLIENT_CA: notPem })).toThrow(
      /TLS_CLIENT_CA: .* is not a PEM CA certificate/,
    );
  });
});

describe.each(PLATFORMS)(
  'runnable receiver with TLS_CERT, TLS_KEY and TLS_CLIENT_CA (dist/main.js, HTTP_PLATFORM=%s)',
  (platform) => {
    let child: ChildProcess;
    let output = '';
    let url: string;

    beforeAll(async () => {
      child = spawn(process.execPath, [MAIN], {
        cwd: pki.dir,
        env: {
          PATH: process.env['PATH'] ?? '',
          NODE_ENV: 'production',
          PORT: '0',
          HOST: '127.0.0.1',
          WHATSAPP_APP_SECRET: APP_SECRET,
          WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN,
          TLS_CERT: pki.server.certPath,
          TLS_KEY: pki.server.keyPath,
          TLS_CLIENT_CA: pki.metaCaPath,
          HTTP_PLATFORM: platform,
          // The texts of the messages delivered are logged at debug only.
          LOG_LEVEL: 'debug',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const listening = new Promise<Record<string, unknown>>((ok, fail) => {
        const onData = (chunk: Buffer) => {
          output += chunk.toString('utf8');
          const line = output
            .split('\n')
            .find((l) => l.includes('WhatsApp webhook receiver listening'));
          if (line) ok(JSON.parse(line) as Record<string, unknown>);
        };
        child.stdout!.on('data', onData);
        child.stderr!.on('data', onData);
        child.once('exit', (code) => fail(new Error(`receiver exited (${code}):\n${output}`)));
      });
      const started = await listening;
      url = String(started['url']);
      expect(url).toMatch(/^https:\/\/localhost:\d+\/webhooks\/whatsapp$/);
      expect(started['tls']).toBe('mTLS, client CN client.webhooks.fbclientcerts.com');
      url = url.replace('localhost', '127.0.0.1');
    });
    afterAll(async () => {
      if (child && child.exitCode === null) {
        const exited = new Promise((ok) => child.once('exit', ok));
        child.kill('SIGTERM');
        await exited;
      }
    });

    const origin = () => new URL(url).origin;

    // A TLS-level refusal is a connection error, never an HTTP answer. With TLS 1.3 the client may
    // see the server's alert or, if the server closes first, a reset.
    const TLS_REFUSAL =
      /^(ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED|ERR_SSL_TLSV1_ALERT_UNKNOWN_CA|ECONNRESET)$/;

    it('refuses a connection without a client certificate during the TLS handshake', async () => {
      const error = await postSigned(origin(), 'no cert').then(
        (answer) => answer,
        (e: NodeJS.ErrnoException) => e,
      );
      expect(error).toBeInstanceOf(Error);
      expect((error as NodeJS.ErrnoException).code).toMatch(TLS_REFUSAL);
    });

    it('refuses a certificate from another CA during the TLS handshake', async () => {
      const error = await postSigned(origin(), 'other ca', { client: pki.otherCaClient }).then(
        (answer) => answer,
        (e: NodeJS.ErrnoException) => e,
      );
      expect(error).toBeInstanceOf(Error);
      expect((error as NodeJS.ErrnoException).code).toMatch(TLS_REFUSAL);
    });

    it('answers 403 to a wrong CN without reading the body', async () => {
      // Headers announce 1 MB, and none of it is ever sent: a 403 can only come before the body.
      const answer = await new Promise<Answer>((ok, fail) => {
        const req = https.request(
          {
            method: 'POST',
            host: '127.0.0.1',
            port: new URL(url).port,
            path: WEBHOOK_PATH,
            agent: false,
            ca: pki.serverCa,
            cert: pki.wrongCnClient.cert,
            key: pki.wrongCnClient.key,
            headers: { 'content-type': 'application/json', 'content-length': 1_000_000 },
          },
          (res) => {
            let body = '';
            res.on('data', (c: Buffer) => (body += c.toString()));
            res.on('end', () => ok({ status: res.statusCode ?? 0, body }));
          },
        );
        req.on('error', fail);
        req.flushHeaders();
      });
      expect(answer.status).toBe(403);
      expect(JSON.parse(answer.body).message).toMatch(/expected common name/);
      // The rejection is logged by the process, possibly after the answer went out.
      await expect.poll(() => output, { timeout: 5_000 }).toMatch(/attacker\.example\.com/);
    });

    it("accepts Meta's certificate: handshake 200, signed POST 200 and delivered", async () => {
      const handshake = await send(origin(), {
        method: 'GET',
        path: handshakePath,
        client: pki.metaClient,
      });
      expect(handshake).toEqual({ status: 200, body: '42' });
      const res = await postSigned(origin(), 'hello over mtls', { client: pki.metaClient });
      expect(res.status).toBe(200);
      await expect.poll(() => output, { timeout: 5_000 }).toMatch(/hello over mtls/);
      expect(output).not.toMatch(/no cert|other ca/);
    });
  },
);
