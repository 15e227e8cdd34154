import { parseArgs } from 'node:util';
import { postWebhook } from '../testing/post-webhook.js';
import {
  batchWebhooks,
  fieldWebhook,
  messageWebhook,
  statusWebhook,
  templateStatusWebhook,
  textMessageWebhook,
} from '../testing/index.js';
import { DEFAULT_WEBHOOK_PATH } from '../whatsapp-webhooks.constants.js';
import { loadDotEnv } from '../receiver/receiver-config.js';

const USAGE = `Usage: npm run simulate -- [--url URL] [--app-secret SECRET] [--verify-token TOKEN]

Posts signed sample WhatsApp webhooks (built with the test kit) to a running receiver so you can
watch events arrive. Defaults come from the environment or .env:
  --url           WEBHOOK_URL, else http://localhost:$PORT/$WHATSAPP_WEBHOOK_PATH
  --app-secret    WHATSAPP_APP_SECRET (first of a comma-separated list)
  --verify-token  WHATSAPP_VERIFY_TOKEN; when known, the GET handshake is tried first`;

interface Sample {
  readonly name: string;
  readonly payload: unknown;
}

const SAMPLES: readonly Sample[] = [
  {
    name: 'inbound text message',
    payload: textMessageWebhook('Hello from the simulator — olá, 你好 👋'),
  },
  { name: 'inbound image message', payload: messageWebhook('image') },
  { name: 'failed message status', payload: statusWebhook('failed') },
  { name: 'template approved', payload: templateStatusWebhook({ event: 'APPROVED' }) },
  {
    name: 'batch: 2 entries (quality update + read status)',
    payload: batchWebhooks(fieldWebhook('phone_number_quality_update'), statusWebhook('read')),
  },
];

async function main(): Promise<number> {
  loadDotEnv();
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      'app-secret': { type: 'string' },
      'verify-token': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const env = process.env;
  const url =
    values.url ??
    env['WEBHOOK_URL'] ??
    `http://localhost:${env['PORT'] || 3000}/${env['WHATSAPP_WEBHOOK_PATH'] || DEFAULT_WEBHOOK_PATH}`;
  const appSecret = values['app-secret'] ?? env['WHATSAPP_APP_SECRET']?.split(',')[0]?.trim();
  const verifyToken = values['verify-token'] ?? env['WHATSAPP_VERIFY_TOKEN']?.split(',')[0]?.trim();
  if (!appSecret) {
    console.error(
      'No app secret: pass --app-secret or set WHATSAPP_APP_SECRET (the receiver prints its ' +
        'generated development secret when it starts without one).\n\n' +
        USAGE,
    );
    return 2;
  }
  const target = new URL(url);
  const base = target.origin;
  const path = target.pathname;
  let failures = 0;
  if (verifyToken) {
    const handshake = new URL(url);
    handshake.search = new URLSearchParams({
      'hub.mode': 'subscribe',
      'hub.verify_token': verifyToken,
      'hub.challenge': 'simulated-challenge',
    }).toString();
    const res = await fetch(handshake);
    const body = await res.text();
    const ok = res.status === 200 && body === 'simulated-challenge';
    failures += ok ? 0 : 1;
    console.log(`${ok ? 'ok  ' : 'FAIL'} GET handshake → ${res.status}`);
  }
  for (const sample of SAMPLES) {
    const res = await postWebhook(base, sample.payload, { appSecret, path });
    const ok = res.status === 200;
    failures += ok ? 0 : 1;
    console.log(
      `${ok ? 'ok  ' : 'FAIL'} POST ${sample.name} → ${res.status}${ok ? '' : ` ${res.body}`}`,
    );
  }
  console.log(
    failures
      ? `${failures} request(s) failed.`
      : `All sent to ${url}; see the receiver's log for the events.`,
  );
  return failures ? 1 : 0;
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(`simulate: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
