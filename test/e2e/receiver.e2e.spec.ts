import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { postWebhook, textMessageWebhook } from '../../src/testing/index.js';
import {
  isListening,
  receiverUrl,
  type Running,
  startReceiver,
} from '../fixtures/receiver-process.js';
import { PLATFORMS } from '../fixtures/test-app.js';

const SIMULATE = resolve('dist/cli/simulate.js');

// Spawned processes start slowly while the scale-out test loads both cores: generous timeouts.
describe.each(PLATFORMS)(
  'runnable receiver (dist/main.js, HTTP_PLATFORM=%s)',
  { timeout: 60_000 },
  (platform) => {
    let running: Running | undefined;
    const HTTP_PLATFORM = platform;
    afterEach(async () => {
      if (running && running.child.exitCode === null) {
        const exited = new Promise((r) => running!.child.once('exit', r));
        running.child.kill('SIGTERM');
        await exited;
      }
      running = undefined;
    });

    it('starts in a loudly logged development mode without secrets, and serves handshake and signed POSTs', async () => {
      // At debug, so that the message's text is logged too.
      running = startReceiver({ HTTP_PLATFORM, LOG_LEVEL: 'debug' });
      const warning = await running.waitForLine((l) => /DEVELOPMENT MODE/.test(JSON.stringify(l)));
      expect(warning['level']).toBe('warn');
      const dev = warning as { appSecret: string; verifyToken: string };
      const listening = await running.waitForLine(isListening);
      expect(listening['platform']).toBe(platform);
      const url = String(listening['url']);

      const handshake = await fetch(
        `${url}?hub.mode=subscribe&hub.verify_token=${dev.verifyToken}&hub.challenge=123`,
      );
      expect(handshake.status).toBe(200);
      expect(await handshake.text()).toBe('123');

      const origin = new URL(url).origin;
      const res = await postWebhook(origin, textMessageWebhook('hi receiver'), {
        appSecret: dev.appSecret,
      });
      expect(res.status).toBe(200);
      const logged = await running.waitForLine(
        (l) => l['kind'] === 'message' && l['level'] === 'debug',
      );
      expect(JSON.stringify(logged)).toContain('hi receiver');
      expect(logged['context']).toBe('WabaEvent');
    });

    it('serves /health and /metrics, counting bodies the parser rejects as too large', async () => {
      running = startReceiver({
        HTTP_PLATFORM,
        WHATSAPP_APP_SECRET: 'ops-secret',
        WHATSAPP_VERIFY_TOKEN: 't',
        WHATSAPP_BODY_LIMIT: '2kb',
      });
      const url = await receiverUrl(running);
      const origin = new URL(url).origin;
      expect(
        (
          await postWebhook(origin, textMessageWebhook('x'.repeat(4096)), {
            appSecret: 'ops-secret',
          })
        ).status,
      ).toBe(413);
      expect(
        (await postWebhook(origin, textMessageWebhook('small'), { appSecret: 'ops-secret' }))
          .status,
      ).toBe(200);
      const health = await fetch(`${origin}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({
        status: 'ok',
        info: { 'whatsapp-webhooks': { status: 'up', mode: 'direct' } },
      });
      const metrics = await (await fetch(`${origin}/metrics`)).text();
      expect(metrics).toMatch(/waba_webhook_requests_total\{outcome="rejected_size"\} 1/);
      expect(metrics).toMatch(/waba_webhook_requests_total\{outcome="accepted"\} 1/);
    });

    it('refuses to start in production without secrets, with a clear message', async () => {
      running = startReceiver({ HTTP_PLATFORM, NODE_ENV: 'production' });
      const code = await new Promise<number | null>((r) => running!.child.once('exit', r));
      expect(code).toBe(1);
      expect(JSON.stringify(running.lines)).toMatch(
        /WHATSAPP_APP_SECRET and WHATSAPP_VERIFY_TOKEN must be set when NODE_ENV=production/,
      );
    });

    it('reads secrets from a .env file, and `simulate` posts samples that all arrive as events', async () => {
      const cwd = mkdtempSync(join(tmpdir(), 'receiver-env-'));
      writeFileSync(
        join(cwd, '.env'),
        'WHATSAPP_APP_SECRET=env-file-secret\nWHATSAPP_VERIFY_TOKEN=env-file-token\n',
      );
      running = startReceiver({ HTTP_PLATFORM, NODE_ENV: 'production' }, cwd);
      const url = await receiverUrl(running);
      expect(JSON.stringify(running.lines)).not.toMatch(/DEVELOPMENT MODE|env-file-secret/);

      const { stdout } = await promisify(execFile)(
        process.execPath,
        [
          SIMULATE,
          '--url',
          url,
          '--app-secret',
          'env-file-secret',
          '--verify-token',
          'env-file-token',
        ],
        { cwd },
      );
      expect(stdout).toMatch(/ok {3}GET handshake → 200/);
      expect(stdout.match(/^ok {3}POST/gm)).toHaveLength(5);
      await running.waitForLine((l) => l['field'] === 'message_template_status_update');
      const kinds = running.lines.map((l) => l['kind']).filter(Boolean);
      expect(kinds).toEqual(expect.arrayContaining(['change', 'message', 'status']));
    });
  },
);

describe('receiver settings refused at startup', { timeout: 60_000 }, () => {
  it.each([
    [{ HTTP_PLATFORM: 'koa' }, /HTTP_PLATFORM must be one of express, fastify, got \W+koa/],
    [
      { WHATSAPP_BODY_LIMIT: 'lots' },
      /WHATSAPP_BODY_LIMIT must be a size such as 5mb, 512kb or 1048576 \(bytes\), got \W+lots/,
    ],
    [{ HEALTH_PORT: 'ninety' }, /HEALTH_PORT must be an integer from 0 to 65535, got \W+ninety/],
  ])('exits 1 on %j, naming the setting and what it accepts', async (env, expected) => {
    const running = startReceiver({ WHATSAPP_APP_SECRET: 's', WHATSAPP_VERIFY_TOKEN: 't', ...env });
    const code = await new Promise<number | null>((r) => running.child.once('exit', r));
    expect(code).toBe(1);
    expect(JSON.stringify(running.lines)).toMatch(expected);
  });
});

describe.each(PLATFORMS)(
  'receiver shutdown under load (SIGTERM, %s)',
  { timeout: 60_000 },
  (platform) => {
    /** The text of a message, from the debug line with the whole event. */
    const bodyOf = (line: Record<string, unknown>) =>
      (line['event'] as { message?: { text?: { body?: string } } } | undefined)?.message?.text
        ?.body;

    async function load(
      url: string,
      count: number,
      onAcked: (n: number) => void,
    ): Promise<Set<string>> {
      const origin = new URL(url).origin;
      const acked = new Set<string>();
      let next = 0;
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          while (next < count) {
            const body = `load ${next++}`;
            const res = await postWebhook(origin, textMessageWebhook(body), {
              appSecret: 'load-secret',
            }).catch(() => undefined);
            if (res?.status === 200) {
              acked.add(body);
              onAcked(acked.size);
            }
          }
        }),
      );
      return acked;
    }

    it('delivers every update it acknowledged before exiting (direct mode)', async () => {
      const r = startReceiver({
        HTTP_PLATFORM: platform,
        WHATSAPP_APP_SECRET: 'load-secret',
        WHATSAPP_VERIFY_TOKEN: 't',
        NODE_ENV: 'production',
        LOG_LEVEL: 'debug',
      });
      const url = await receiverUrl(r);
      const exited = new Promise<number | null>((ok) => r.child.once('exit', ok));
      let signalled = false;
      const acked = await load(url, 600, (n) => {
        if (n === 150 && !signalled) {
          signalled = true;
          r.child.kill('SIGTERM');
        }
      });
      await exited;
      const delivered = new Set(
        r.lines.filter((l) => l['kind'] === 'message' && l['level'] === 'debug').map(bodyOf),
      );
      const lost = [...acked].filter((b) => !delivered.has(b));
      console.log(
        `shutdown (direct, ${platform}): ${acked.size} acknowledged, ${delivered.size} delivered, ${lost.length} lost`,
      );
      expect(signalled).toBe(true);
      expect(acked.size).toBeGreaterThanOrEqual(150);
      expect(lost).toEqual([]);
    });
  },
);
