// Smoke-runs every example as a real process, as `.ci/run` does (`npm run examples`): the
// handshake, a signed POST answered 200 and seen by the example's listener, a clean SIGTERM.
// The queue example needs Redis (REDIS_URL, default redis://127.0.0.1:6379).
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import {
  changeWebhook,
  signedWebhookRequest,
  templateStatusWebhook,
  textMessageWebhook,
} from 'nestjs-whatsapp-webhooks/testing';

const BUILD = fileURLToPath(new URL('./.build/', import.meta.url));
const SECRET = 'example-app-secret';
const TOKEN = 'example-verify-token';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const TIMEOUT_MS = 20_000;

// eslint-disable-next-line no-control-regex
const stripAnsi = (text) => text.replace(/\x1b\[[0-9;]*m/g, '');

/** A running example: its output so far, and a way to wait for a line. */
function start(name, script, env = {}) {
  const child = spawn(process.execPath, [BUILD + script], {
    env: {
      ...process.env,
      WHATSAPP_APP_SECRET: SECRET,
      WHATSAPP_VERIFY_TOKEN: TOKEN,
      PORT: '0',
      NO_COLOR: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const waiters = new Set();
  const onData = (chunk) => {
    output += stripAnsi(chunk.toString());
    for (const waiter of waiters) waiter();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  // Nest's shutdown hooks re-raise the signal once they are done: a clean stop ends by SIGTERM.
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal)),
  );
  return {
    name,
    output: () => output,
    /** Resolves with the first match of `regex` in the output. */
    waitFor(regex) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`${name}: no ${regex} within ${TIMEOUT_MS} ms. Output:\n${output}`));
        }, TIMEOUT_MS);
        const check = () => {
          const match = regex.exec(output);
          if (!match) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(match);
        };
        waiters.add(check);
        check();
      });
    },
    async stop() {
      child.kill('SIGTERM');
      const code = await Promise.race([
        exited,
        new Promise((r) => setTimeout(() => r('timeout'), TIMEOUT_MS)),
      ]);
      if (code !== 0 && code !== 'SIGTERM') {
        throw new Error(`${name}: SIGTERM → ${code}. Output:\n${output}`);
      }
    },
    kill: () => child.kill('SIGKILL'),
  };
}

async function handshake(url) {
  const res = await fetch(
    `${url}?hub.mode=subscribe&hub.verify_token=${TOKEN}&hub.challenge=1158201444`,
  );
  const body = await res.text();
  if (res.status !== 200 || body !== '1158201444')
    throw new Error(`handshake: ${res.status} ${body}`);
}

async function post(url, payload) {
  const { body, headers } = signedWebhookRequest(payload, SECRET);
  const res = await fetch(url, { method: 'POST', headers, body });
  if (res.status !== 200) throw new Error(`POST ${url}: ${res.status} ${await res.text()}`);
}

/** An HTTP example: listening line → handshake → signed POST → the listener's line → SIGTERM. */
async function http(name, script, payload, expected) {
  const app = start(name, script);
  try {
    const [, url] = await app.waitFor(/Listening on (http:\/\/\S+)/);
    await handshake(url);
    await post(url, payload);
    await app.waitFor(expected);
    await app.stop();
  } catch (error) {
    app.kill();
    throw error;
  }
}

async function queue() {
  const queueName = `waba-example-${randomUUID()}`;
  try {
    await runQueueExample({ REDIS_URL, WHATSAPP_QUEUE_NAME: queueName, HEALTH_PORT: '0' });
  } finally {
    await deleteKeys(`{waba}:${queueName}:*`); // the example's prefix (queue/whatsapp-options.ts)
  }
}

/** Deletes the keys of `pattern`, so that a run leaves nothing in Redis. */
async function deleteKeys(pattern) {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

async function runQueueExample(env) {
  const worker = start('queue/worker', 'queue/worker.main.js', env);
  const receiver = start('queue/receiver', 'queue/receiver.main.js', env);
  try {
    const [, health] = await worker.waitFor(/Health on (http:\/\/\S+)/);
    const [, url] = await receiver.waitFor(/Listening on (http:\/\/\S+)/);
    await handshake(url);
    const res = await fetch(health);
    const status = await res.json();
    if (res.status !== 200 || status.status !== 'ok') {
      throw new Error(`worker health: ${res.status} ${JSON.stringify(status)}`);
    }
    await post(url, textMessageWebhook('two pizzas, please'));
    await worker.waitFor(/text message wamid\.\S+ handled/);
    if (/handled/.test(receiver.output())) throw new Error('the receiver ran a listener');
    await receiver.stop();
    await worker.stop();
  } catch (error) {
    worker.kill();
    receiver.kill();
    throw error;
  }
}

/** The testing recipe: `node --test` on the compiled spec, which must pass. */
async function testing() {
  const child = spawn(process.execPath, ['--test', BUILD + 'testing/template.listener.spec.js'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
  const code = await new Promise((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  if (code !== 0 || !/# pass 2\b/.test(output)) {
    throw new Error(`testing: node --test exited ${code}. Output:\n${output}`);
  }
}

const examples = {
  basic: () =>
    http(
      'basic',
      'basic/main.js',
      templateStatusWebhook({ event: 'REJECTED' }),
      /template order_confirmation is now REJECTED/,
    ),
  'config-async': () =>
    http(
      'config-async',
      'config-async/main.js',
      changeWebhook('account_update', { event: 'VERIFIED_ACCOUNT', phone_number: '15550001111' }),
      /account_update for WABA \d+: VERIFIED_ACCOUNT/,
    ),
  fastify: () =>
    http(
      'fastify',
      'fastify/main.js',
      textMessageWebhook('hi'),
      /text message wamid\.\S+ received/,
    ),
  queue,
  testing,
};

const only = process.argv.slice(2);
let failed = 0;
for (const [name, run] of Object.entries(examples)) {
  if (only.length > 0 && !only.includes(name)) continue;
  const started = Date.now();
  try {
    await run();
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    failed++;
    console.log(`FAIL ${name}: ${error instanceof Error ? error.message : error}`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
