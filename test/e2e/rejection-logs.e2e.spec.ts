import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { serializeLikeMeta, signWebhookBody, textMessageWebhook } from '../../src/testing/index.js';
import {
  APP_SECRET,
  CapturingLogger,
  createTestApp,
  PLATFORMS,
  type TestApp,
  type TestAppOptions,
  VERIFY_TOKEN,
  WEBHOOK_PATH,
} from '../fixtures/test-app.js';

/** Text that must never reach a log line: it is only in the bodies posted. */
const BODY_MARKER = 'body-marker-7f3a9c';

describe.each(PLATFORMS)(
  'rejected webhook POSTs are logged at warn, rate-limited (%s)',
  (platform) => {
    let t: TestApp | undefined;
    let logger: CapturingLogger;

    const start = async (options: TestAppOptions['options'] = {}) => {
      logger = new CapturingLogger();
      t = await createTestApp({ platform, logger, options });
      return t;
    };
    afterEach(async () => {
      await t?.app.close();
      t = undefined;
    });

    const warnings = () =>
      logger.lines.filter((l) => l.level === 'warn' && l.context === 'WhatsAppWebhooks');
    const post = (body: string, headers: Record<string, string>) =>
      request(t!.app.getHttpServer()).post(WEBHOOK_PATH).set(headers).send(body);

    const body = serializeLikeMeta(textMessageWebhook(`hello ${BODY_MARKER}`));
    const wrongSignature = signWebhookBody(body, 'not-the-app-secret');
    const invalid = JSON.stringify({ object: BODY_MARKER, entry: [{ id: BODY_MARKER }] });
    const cases: [string, () => Record<string, string>, string, number, string][] = [
      [
        'no signature',
        () => ({ 'content-type': 'application/json' }),
        body,
        401,
        'rejected_signature: missing X-Hub-Signature-256 header.',
      ],
      [
        'a wrong signature',
        () => ({ 'content-type': 'application/json', 'x-hub-signature-256': wrongSignature }),
        body,
        401,
        'rejected_signature: X-Hub-Signature-256 does not match the request body for any configured app secret.',
      ],
      [
        'a malformed signature',
        () => ({
          'content-type': 'application/json',
          'x-hub-signature-256': `sha1=${BODY_MARKER}`,
        }),
        body,
        401,
        'rejected_signature: malformed X-Hub-Signature-256 header (expected "sha256=" and 64 hex digits).',
      ],
      [
        'another content type',
        () => ({
          'content-type': 'text/plain',
          'x-hub-signature-256': signWebhookBody(body, APP_SECRET),
        }),
        body,
        415,
        'rejected_content_type: expected Content-Type application/json, got "text/plain".',
      ],
      [
        'not an envelope',
        () => ({
          'content-type': 'application/json',
          'x-hub-signature-256': signWebhookBody(invalid, APP_SECRET),
        }),
        invalid,
        400,
        'rejected_envelope: not a WhatsApp Business Account webhook envelope: object must be equal to whatsapp_business_account; entry.0.changes must be an array.',
      ],
    ];

    it.each(cases)(
      'writes one warn line with the reason and the remote address for %s, never the body, signature or secret',
      async (_label, headers, payload, status, reason) => {
        await start();
        const sent = headers();
        const res = await post(payload, sent);
        expect(res.status).toBe(status);
        expect(warnings()).toEqual([
          {
            level: 'warn',
            context: 'WhatsAppWebhooks',
            message: `Rejected webhook POST from 127.0.0.1: ${status} ${reason}`,
          },
        ]);
        const text = logger.text();
        for (const secret of [APP_SECRET, VERIFY_TOKEN, BODY_MARKER, wrongSignature.slice(7)]) {
          expect(text).not.toContain(secret);
        }
        // The answer is Nest's default one, as without the log.
        expect(res.body).toMatchObject({ statusCode: status });
      },
    );

    it("writes the mTLS guard's refusal with its detail (which the 403 answer does not carry)", async () => {
      const header = 'x-client-subject';
      await start({ mtls: { mode: 'proxy-header', header, trustedProxies: ['127.0.0.1'] } });
      const res = await post(body, {
        'content-type': 'application/json',
        'x-hub-signature-256': signWebhookBody(body, APP_SECRET),
        [header]: 'CN=attacker.example.com',
      });
      expect(res.status).toBe(403);
      expect(res.body.message).not.toContain('attacker.example.com');
      expect(warnings().map((l) => l.message)).toEqual([
        expect.stringMatching(
          /^Rejected webhook POST from 127\.0\.0\.1: 403 rejected_client_certificate: client certificate rejected \(wrong-cn\): .*attacker\.example\.com/,
        ),
      ]);
    });

    it('logs nothing for an accepted POST or a rejected handshake', async () => {
      await start();
      const ok = await post(body, {
        'content-type': 'application/json',
        'x-hub-signature-256': signWebhookBody(body, APP_SECRET),
      });
      expect(ok.status).toBe(200);
      const handshake = await request(t!.app.getHttpServer())
        .get(WEBHOOK_PATH)
        .query({ 'hub.mode': 'subscribe', 'hub.verify_token': 'wrong', 'hub.challenge': '1' });
      expect(handshake.status).toBe(403);
      expect(warnings()).toEqual([]);
    });

    it('bounds a flood of 1000 bad signatures to 10 lines per 10 s, then says how many were left out', async () => {
      await start();
      const started = Date.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: 20 }, async () => {
          while (next < 1000) {
            next += 1;
            const res = await post(body, {
              'content-type': 'application/json',
              'x-hub-signature-256': wrongSignature,
            });
            expect(res.status).toBe(401);
          }
        }),
      );
      const windows = Math.ceil((Date.now() - started + 1) / 10_000);
      await t!.app.close(); // shutdown writes the summary still due
      t = undefined;
      const lines = warnings().map((l) => l.message);
      const logged = lines.filter((l) => l.startsWith('Rejected webhook POST from'));
      const summaries = lines.filter((l) => l.startsWith('Rejected webhook POSTs:'));
      // One window when the flood takes under 10 s (it takes 1–4 s); more on a very slow machine.
      expect(logged.length).toBeGreaterThanOrEqual(10);
      expect(logged.length).toBeLessThanOrEqual(10 * windows);
      expect(summaries.length).toBeGreaterThanOrEqual(1);
      expect(summaries.length).toBeLessThanOrEqual(windows);
      expect(lines.length).toBeLessThanOrEqual(11 * windows);
      const suppressed = summaries.map((l) =>
        Number(/: (\d+) more rejected_signature/.exec(l)![1]),
      );
      expect(logged.length + suppressed.reduce((a, b) => a + b, 0)).toBe(1000);
      expect(summaries[0]).toMatch(
        /^Rejected webhook POSTs: \d+ more rejected_signature suppressed in the last 10 s \(all are counted in webhook_requests_total\{outcome="rejected_signature"\} when metrics are on\)$/,
      );
    });
  },
);
