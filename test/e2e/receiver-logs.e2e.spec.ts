import { afterEach, describe, expect, it } from 'vitest';
import {
  fieldWebhook,
  messageStatus,
  messagesWebhook,
  postWebhook,
  textMessageWebhook,
  WABA_TEST_IDS,
} from '../../src/testing/index.js';
import { freePort } from '../fixtures/redis.js';
import { type Platform, PLATFORMS } from '../fixtures/test-app.js';
import {
  receiverUrl,
  type Running,
  startReceiver,
  stopReceiver,
} from '../fixtures/receiver-process.js';

const SECRET = 'receiver-logs-app-secret-5d21';
const TOKEN = 'receiver-logs-verify-token-77e0';
const TEXT = 'private text 9c4e1a';
/** What only the payloads carry: the text, the user's name and phone number, the business's number. */
const PERSONAL = [
  TEXT,
  WABA_TEST_IDS.userName,
  WABA_TEST_IDS.userWaId,
  WABA_TEST_IDS.displayPhoneNumber,
];
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** Resolves once `check()` resolves truthy, polling every 50 ms; rejects after `ms`. */
async function until(check: () => Promise<unknown>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Runs a receiver, posts a text message, a status, a phone-number change and a bad signature. */
async function exercise(
  platform: Platform,
  env: Record<string, string>,
  quiet = false,
): Promise<Running> {
  const port = await freePort();
  const running = startReceiver({
    WHATSAPP_APP_SECRET: SECRET,
    WHATSAPP_VERIFY_TOKEN: TOKEN,
    NODE_ENV: 'production',
    PORT: String(port),
    HTTP_PLATFORM: platform,
    ...env,
  });
  const origin = `http://127.0.0.1:${port}`;
  // Below `log` the startup line is not written: wait for the port to answer instead.
  if (quiet) await until(async () => (await fetch(`${origin}/health`).catch(() => null))?.ok);
  else await receiverUrl(running);
  const posts = [
    textMessageWebhook(TEXT),
    messagesWebhook({ statuses: [messageStatus('delivered')] }),
    fieldWebhook('phone_number_name_update'),
  ];
  for (const payload of posts) {
    expect((await postWebhook(origin, payload, { appSecret: SECRET })).status).toBe(200);
  }
  const rejected = await postWebhook(origin, textMessageWebhook(TEXT), {
    appSecret: 'not-the-secret',
  });
  expect(rejected.status).toBe(401);
  if (!quiet) {
    await running.waitForLine((l) => l['field'] === 'phone_number_name_update');
    await running.waitForLine((l) => l['kind'] === 'status');
  }
  await stopReceiver(running); // every line written, the listeners' included (SIGTERM drains)
  return running;
}

/** Every line is one JSON object with an ISO `time`, a `level` and a string `msg`. */
function expectJsonLines(running: Running, atLeast = 5): void {
  expect(running.lines.length).toBeGreaterThanOrEqual(atLeast);
  for (const line of running.lines) {
    expect(line, JSON.stringify(line)).not.toHaveProperty('raw');
    expect(line['time'], JSON.stringify(line)).toMatch(ISO);
    expect(typeof line['msg'], JSON.stringify(line)).toBe('string');
    expect(line).not.toHaveProperty('timestamp');
    expect(line).not.toHaveProperty('message');
  }
}

describe.each(PLATFORMS)('receiver logs (dist/main.js, %s)', { timeout: 60_000 }, (platform) => {
  let running: Running | undefined;
  afterEach(async () => {
    await stopReceiver(running);
    running = undefined;
  });

  it('at the default level writes ids, never message text, names or phone numbers, as JSON lines', async () => {
    running = await exercise(platform, {});
    expectJsonLines(running);
    const output = running.lines.map((l) => JSON.stringify(l)).join('\n');
    for (const personal of PERSONAL) expect(output).not.toContain(personal);
    expect(output).not.toContain(SECRET);
    expect(running.lines.filter((l) => l['level'] === 'debug')).toEqual([]);
    const message = running.lines.find((l) => l['kind'] === 'message')!;
    expect(message).toMatchObject({
      level: 'log',
      context: 'WabaEvent',
      msg: 'WhatsApp text message received',
      field: 'messages',
      type: 'text',
      id: expect.stringMatching(/^wamid\./),
      entryId: WABA_TEST_IDS.wabaId,
      phoneNumberId: WABA_TEST_IDS.phoneNumberId,
    });
    expect(running.lines.find((l) => l['kind'] === 'status')).toMatchObject({
      msg: 'WhatsApp message status "delivered"',
      status: 'delivered',
    });
    // The rejected POST: one warn line with the reason and the address.
    expect(
      running.lines.filter((l) => String(l['msg']).startsWith('Rejected webhook POST')),
    ).toEqual([
      expect.objectContaining({
        level: 'warn',
        context: 'WhatsAppWebhooks',
        msg: expect.stringMatching(
          /^Rejected webhook POST from 127\.0\.0\.1: 401 rejected_signature: X-Hub-Signature-256 does not match/,
        ),
      }),
    ]);
    expect(
      running.lines.find((l) => l['msg'] === 'WhatsApp webhook receiver listening'),
    ).toMatchObject({
      level: 'log',
      context: 'Receiver',
      url: expect.stringMatching(/^http:\/\/localhost:\d+\/webhooks\/whatsapp$/),
    });
  });

  it('with LOG_LEVEL=debug also writes each whole event, text, names and phone numbers included', async () => {
    running = await exercise(platform, { LOG_LEVEL: 'debug' });
    expectJsonLines(running);
    const whole = running.lines.find((l) => l['level'] === 'debug' && l['kind'] === 'message');
    expect(whole).toMatchObject({
      context: 'WabaEvent',
      msg: 'WhatsApp message (whole event)',
      event: {
        message: { text: { body: TEXT }, from: WABA_TEST_IDS.userWaId },
        contact: { profile: { name: WABA_TEST_IDS.userName } },
        metadata: { display_phone_number: WABA_TEST_IDS.displayPhoneNumber },
      },
    });
    const output = running.lines.map((l) => JSON.stringify(l)).join('\n');
    for (const personal of PERSONAL) expect(output).toContain(personal);
    expect(output).not.toContain(SECRET);
  });

  it('with LOG_LEVEL=warn writes warnings and errors only', async () => {
    running = await exercise(platform, { LOG_LEVEL: 'warn' }, true);
    expectJsonLines(running, 1);
    expect([...new Set(running.lines.map((l) => l['level']))]).toEqual(['warn']);
    expect(running.lines.map((l) => l['msg'])).toEqual([
      expect.stringMatching(/^Rejected webhook POST from 127\.0\.0\.1: 401 rejected_signature/),
    ]);
  });

  it('logs the bodies its parser refuses as too large (413), before any routing', async () => {
    running = startReceiver({
      HTTP_PLATFORM: platform,
      WHATSAPP_APP_SECRET: SECRET,
      WHATSAPP_VERIFY_TOKEN: TOKEN,
      WHATSAPP_BODY_LIMIT: '2kb',
    });
    const origin = new URL(await receiverUrl(running)).origin;
    const big = textMessageWebhook(`${TEXT} ${'x'.repeat(4096)}`);
    expect((await postWebhook(origin, big, { appSecret: SECRET })).status).toBe(413);
    const line = await running.waitForLine((l) => String(l['msg']).includes(' 413 '));
    expect(line).toMatchObject({
      level: 'warn',
      context: 'WhatsAppWebhooks',
      msg: 'Rejected webhook POST from 127.0.0.1: 413 rejected_size: the body is larger than the 2048-byte limit (WHATSAPP_BODY_LIMIT)',
    });
    expect(JSON.stringify(running.lines)).not.toContain(TEXT);
  });

  it('refuses to start with an unknown LOG_LEVEL, naming the values it takes', async () => {
    running = startReceiver({ HTTP_PLATFORM: platform, LOG_LEVEL: 'loud' });
    const code = await new Promise<number | null>((r) => running!.child.once('exit', r));
    expect(code).toBe(1);
    expectJsonLines(running, 1);
    expect(running.lines).toEqual([
      expect.objectContaining({
        level: 'error',
        context: 'Receiver',
        msg: 'LOG_LEVEL must be one of error, warn, log, debug, verbose, got "loud".',
      }),
    ]);
  });
});
