import type { INestApplication } from '@nestjs/common';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CliRun, runCli } from '../fixtures/cli-process.js';
import {
  FakeGraphApi,
  graphError,
  type RecordedRequest,
  subscribedApp,
} from '../fixtures/fake-graph-api.js';
import { createTestApp, VERIFY_TOKEN, WEBHOOK_PATH } from '../fixtures/test-app.js';

const TOKEN = 'EAAG-doctor-system-user-token-0123456789-SECRET';
const APP = '670843887433847';
const APP_SECRET = 'doctor-app-secret-0123456789abcdef';
const APP_TOKEN = `${APP}|${APP_SECRET}`;
const OTHER_APP = '111222333444555';
const WABA = '102290129340398';
const PHONE = '106540352242922';
const OTHER_PHONE = '106540352242923';
const APP_URL = 'https://app.example.com/webhooks/whatsapp';
const ELSEWHERE = 'https://old-vendor.example.com/hooks';
const SUBSCRIBED_APPS = `/v27.0/${WABA}/subscribed_apps`;
const APP_SUBSCRIPTIONS = `/v27.0/${APP}/subscriptions`;

interface DoctorJson {
  ok: boolean;
  checks: {
    id: string;
    status: 'pass' | 'fail' | 'skip';
    summary: string;
    evidence: string;
    fix?: string;
  }[];
}

function parse(run: CliRun): DoctorJson {
  return JSON.parse(run.stdout) as DoctorJson;
}

function check(run: CliRun, id: string) {
  const found = parse(run).checks.find((c) => c.id === id);
  expect(found, `check ${id}`).toBeDefined();
  return found!;
}

/** Nothing the run printed holds a token, the app secret or a verify token. */
function expectNoSecrets(...runs: CliRun[]): void {
  for (const run of runs) {
    for (const secret of [TOKEN, APP_TOKEN, APP_SECRET, VERIFY_TOKEN, 'wrong-verify-token']) {
      expect(run.stdout).not.toContain(secret);
      expect(run.stderr).not.toContain(secret);
    }
  }
}

/** Doctor only reads: every request is a GET, with the token its endpoint needs. */
function expectOnlyGets(requests: readonly RecordedRequest[]): void {
  for (const request of requests) {
    expect(request.method).toBe('GET');
    expect(request.headers.authorization).toBe(
      request.path.endsWith('/subscriptions') ? `Bearer ${APP_TOKEN}` : `Bearer ${TOKEN}`,
    );
    expect(request.url).not.toContain(TOKEN);
  }
}

function appSubscription(callbackUrl: string, fields = ['messages', 'account_update']) {
  return {
    body: {
      data: [
        {
          object: 'whatsapp_business_account',
          callback_url: callbackUrl,
          active: true,
          fields: fields.map((name) => ({ name, version: 'v25.0' })),
        },
      ],
    },
  };
}

describe('waba-webhooks doctor (dist/cli/waba-webhooks.js)', () => {
  let graph: FakeGraphApi;
  let receiver: INestApplication;
  let callbackUrl: string;
  let servers: Server[];
  let env: Record<string, string>;

  beforeEach(async () => {
    graph = await FakeGraphApi.start();
    // The real module as the callback URL: it answers Meta's handshake for VERIFY_TOKEN.
    const started = await createTestApp();
    receiver = started.app;
    callbackUrl = `${started.url}${WEBHOOK_PATH}`;
    servers = [];
    env = {
      WHATSAPP_ACCESS_TOKEN: TOKEN,
      WHATSAPP_APP_ID: APP,
      WHATSAPP_GRAPH_API_BASE_URL: graph.url,
    };
  });
  afterEach(async () => {
    await receiver.close();
    await graph.close();
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  /** Everything in order: subscribed, the WABA override at the receiver, messages subscribed. */
  function healthy(): void {
    graph.on('GET', SUBSCRIBED_APPS, {
      body: { data: [subscribedApp(OTHER_APP), subscribedApp(APP, callbackUrl)] },
    });
    graph.on('GET', `/v27.0/${PHONE}`, {
      body: {
        webhook_configuration: { whatsapp_business_account: callbackUrl, application: APP_URL },
        id: PHONE,
      },
    });
    graph.on('GET', APP_SUBSCRIPTIONS, appSubscription(APP_URL));
  }

  const full = () => [
    'doctor',
    '--waba',
    WABA,
    '--phone-number',
    PHONE,
    '--callback-url',
    callbackUrl,
    '--verify-token',
    VERIFY_TOKEN,
  ];
  const withAppToken = () => ({ ...env, WHATSAPP_APP_ACCESS_TOKEN: APP_TOKEN });

  /** A local server that answers every request 200 with `body`, recording the query. */
  async function plainServer(body: string): Promise<{ url: string; queries: URLSearchParams[] }> {
    const queries: URLSearchParams[] = [];
    const server = createServer((req, res) => {
      queries.push(new URL(req.url ?? '/', 'http://x').searchParams);
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(body);
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/whatsapp`,
      queries,
    };
  }

  it('a healthy setup: every check passes, exit 0 (text and --json)', async () => {
    healthy();
    const [text, json] = await Promise.all([
      runCli(full(), withAppToken()),
      runCli([...full(), '--json'], withAppToken()),
    ]);
    expect(text).toMatchObject({ code: 0, stderr: '' });
    const lines = text.stdout.split('\n');
    expect(lines.filter((line) => /^[✓✗–] /.test(line))).toEqual([
      `✓ the access token reaches WABA ${WABA}`,
      `✓ app ${APP} is subscribed to WABA ${WABA}`,
      `✓ the WABA override points at ${callbackUrl}`,
      `✓ phone number ${PHONE}: webhooks go to ${callbackUrl} (the WABA override)`,
      `✓ app ${APP} is subscribed to messages of whatsapp_business_account`,
      `✓ ${callbackUrl} answers Meta's handshake with this verify token`,
    ]);
    expect(text.stdout).toContain(
      `    subscribed apps: ${OTHER_APP} (App ${OTHER_APP}), ${APP} (App ${APP})`,
    );
    expect(text.stdout).toContain(
      `    callback URL: ${APP_URL}; active: yes; fields: messages (v25.0), account_update (v25.0)`,
    );
    expect(text.stdout).toMatch(
      /→ HTTP 200, body "\d{10}" \(Meta only calls https:\/\/ callback URLs\)/,
    );
    expect(text.stdout).toContain('All 6 checks passed.');

    expect(json.code).toBe(0);
    const report = parse(json);
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => [c.id, c.status])).toEqual([
      ['token', 'pass'],
      ['subscribed', 'pass'],
      ['waba-override', 'pass'],
      [`phone-number:${PHONE}`, 'pass'],
      ['app-subscription', 'pass'],
      ['handshake', 'pass'],
    ]);
    for (const c of report.checks) expect(c.fix).toBeUndefined();

    // App id from WHATSAPP_APP_ID: no GET /app. Each run: the list, the phone number, the app.
    expect(graph.requests.map((r) => [r.method, r.path, r.query]).sort()).toEqual(
      [
        ['GET', SUBSCRIBED_APPS, {}],
        ['GET', SUBSCRIBED_APPS, {}],
        ['GET', `/v27.0/${PHONE}`, { fields: 'webhook_configuration' }],
        ['GET', `/v27.0/${PHONE}`, { fields: 'webhook_configuration' }],
        ['GET', APP_SUBSCRIPTIONS, {}],
        ['GET', APP_SUBSCRIPTIONS, {}],
      ].sort(),
    );
    expectOnlyGets(graph.requests);
    expectNoSecrets(text, json);
  });

  it('healthy without an override: app id from GET /app, settings from the environment, skipped checks marked –', async () => {
    const path = `/v25.0/${WABA}/subscribed_apps`;
    graph.on('GET', '/v25.0/app', { body: { id: APP, name: 'Example App' } });
    graph.on('GET', path, { body: { data: [subscribedApp(APP)] } });
    const { WHATSAPP_APP_ID: _unused, ...noAppId } = env;
    const run = await runCli(['doctor', '--waba', WABA], {
      ...noAppId,
      WHATSAPP_GRAPH_API_VERSION: 'v25.0',
    });
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain(`✓ app ${APP} is subscribed to WABA ${WABA}`);
    expect(run.stdout).toContain(
      "✓ no WABA override: the WABA's webhooks go to phone-number overrides or the app callback URL",
    );
    expect(run.stdout).toContain(
      "– the app's own subscription (messages field): skipped (no app access token: --app-access-token or WHATSAPP_APP_ACCESS_TOKEN",
    );
    expect(run.stdout).toContain(
      '– handshake: skipped (pass --callback-url and --verify-token to send Meta’s handshake to your receiver)',
    );
    expect(run.stdout).toContain('All 3 checks passed, 2 skipped.');
    expect(graph.requests.map((r) => [r.method, r.path]).sort()).toEqual(
      [
        ['GET', '/v25.0/app'],
        ['GET', path],
      ].sort(),
    );
    expectOnlyGets(graph.requests);
  });

  it('not subscribed: exit 1, names the cause and the fix', async () => {
    healthy();
    graph.on('GET', SUBSCRIBED_APPS, { body: { data: [subscribedApp(OTHER_APP)] } });
    const [text, json] = await Promise.all([
      runCli(full(), withAppToken()),
      runCli([...full(), '--json'], withAppToken()),
    ]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(
      `✗ not subscribed: app ${APP} is not subscribed to WABA ${WABA}, which sends it no webhooks`,
    );
    expect(text.stdout).toContain(`    fix: waba-webhooks subscribe ${WABA}`);
    expect(text.stdout).toContain(
      '– WABA override: skipped (the app is not subscribed to the WABA)',
    );
    expect(json.code).toBe(1);
    expect(parse(json).ok).toBe(false);
    expect(check(json, 'subscribed')).toMatchObject({
      status: 'fail',
      evidence: `subscribed apps: ${OTHER_APP} (App ${OTHER_APP})`,
      fix: `waba-webhooks subscribe ${WABA}`,
    });
    expect(check(json, 'waba-override').status).toBe('skip');
    expect(check(json, 'token').status).toBe('pass');
    expectNoSecrets(text, json);
  });

  it('WABA override elsewhere: exit 1, the override and the phone number both say where webhooks go', async () => {
    healthy();
    graph.on('GET', SUBSCRIBED_APPS, { body: { data: [subscribedApp(APP, ELSEWHERE)] } });
    graph.on('GET', `/v27.0/${PHONE}`, {
      body: {
        webhook_configuration: { whatsapp_business_account: ELSEWHERE, application: APP_URL },
        id: PHONE,
      },
    });
    const json = await runCli([...full(), '--json'], withAppToken());
    expect(json.code).toBe(1);
    expect(check(json, 'waba-override')).toEqual({
      id: 'waba-override',
      status: 'fail',
      summary: `WABA override elsewhere: WABA ${WABA} sends its webhooks to ${ELSEWHERE}, not to ${callbackUrl}`,
      evidence: `override_callback_uri: ${ELSEWHERE}`,
      fix:
        `waba-webhooks clear-override ${WABA} (back to the app callback URL), or ` +
        `waba-webhooks subscribe ${WABA} --override-callback-uri ${callbackUrl} --verify-token <token>`,
    });
    expect(check(json, `phone-number:${PHONE}`)).toMatchObject({
      status: 'fail',
      summary: expect.stringContaining(
        `WABA override elsewhere: phone number ${PHONE}'s webhooks go to ${ELSEWHERE}`,
      ),
    });
    expect(check(json, 'handshake').status).toBe('pass');
    expectNoSecrets(json);
  });

  it('phone override elsewhere: exit 1 for that phone number only; a phone-number override wins over the WABA one', async () => {
    healthy();
    graph.on('GET', `/v27.0/${OTHER_PHONE}`, {
      body: {
        webhook_configuration: {
          phone_number: ELSEWHERE,
          whatsapp_business_account: callbackUrl,
          application: APP_URL,
        },
        id: OTHER_PHONE,
      },
    });
    const args = [...full(), '--phone-number', OTHER_PHONE];
    const [text, json] = await Promise.all([
      runCli(args, withAppToken()),
      runCli([...args, '--json'], withAppToken()),
    ]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(
      `✗ phone override elsewhere: phone number ${OTHER_PHONE}'s webhooks go to ${ELSEWHERE} ` +
        `(the phone-number override, which wins), not to ${callbackUrl}`,
    );
    expect(text.stdout).toContain(
      `    phone-number override: ${ELSEWHERE}; WABA override: ${callbackUrl}; app callback URL: ${APP_URL}`,
    );
    expect(text.stdout).toContain(
      `    fix: waba-webhooks phone-override clear ${OTHER_PHONE}, or waba-webhooks phone-override set ${OTHER_PHONE} --override-callback-uri ${callbackUrl} --verify-token <token>`,
    );
    expect(text.stdout).toContain('1 of 7 checks failed.');
    expect(check(json, `phone-number:${PHONE}`).status).toBe('pass');
    expect(check(json, `phone-number:${OTHER_PHONE}`).status).toBe('fail');
    expect(parse(json).checks.filter((c) => c.status === 'fail')).toHaveLength(1);
    expectNoSecrets(text, json);
  });

  it('messages missing from the app subscription: exit 1, the fix keeps the other fields', async () => {
    healthy();
    graph.on('GET', APP_SUBSCRIPTIONS, appSubscription(APP_URL, ['account_update', 'calls']));
    const [text, json] = await Promise.all([
      runCli(full(), withAppToken()),
      runCli([...full(), '--json'], withAppToken()),
    ]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(
      `✗ messages missing: app ${APP} is not subscribed to the messages field, so no message webhook is sent`,
    );
    expect(check(json, 'app-subscription')).toEqual({
      id: 'app-subscription',
      status: 'fail',
      summary: `messages missing: app ${APP} is not subscribed to the messages field, so no message webhook is sent`,
      evidence: `callback URL: ${APP_URL}; active: yes; fields: account_update (v25.0), calls (v25.0)`,
      // The app's own URL stays: only the fields change.
      fix: `waba-webhooks app-subscriptions set --callback-url ${APP_URL} --verify-token <token> --fields messages,account_update,calls`,
    });
    expectOnlyGets(graph.requests);
    expectNoSecrets(text, json);
  });

  it('handshake failing with a wrong verify token: the receiver answers 403, exit 1', async () => {
    healthy();
    const args = full();
    args[args.indexOf(VERIFY_TOKEN)] = 'wrong-verify-token';
    const [text, json] = await Promise.all([
      runCli(args, withAppToken()),
      runCli([...args, '--json'], withAppToken()),
    ]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(
      `✗ handshake failing: ${callbackUrl} refused the verify token (HTTP 403)`,
    );
    expect(check(json, 'handshake')).toMatchObject({
      status: 'fail',
      evidence: expect.stringMatching(
        /^GET http:\/\/127\.0\.0\.1:\d+\/webhooks\/whatsapp\?hub\.mode=subscribe&hub\.verify_token=…&hub\.challenge=\d{10} → HTTP 403, body /,
      ),
      fix: expect.stringContaining("add this verify token to the receiver's verifyToken"),
    });
    expect(
      parse(json)
        .checks.filter((c) => c.status === 'fail')
        .map((c) => c.id),
    ).toEqual(['handshake']);
    expectNoSecrets(text, json);
  });

  it('handshake failing: a server that answers 200 without echoing the challenge; exit 1', async () => {
    const server = await plainServer('OK');
    callbackUrl = server.url;
    healthy();
    const run = await runCli([...full(), '--json'], withAppToken());
    expect(run.code).toBe(1);
    expect(check(run, 'handshake')).toMatchObject({
      status: 'fail',
      summary: `handshake failing: ${server.url} answered 200 without echoing hub.challenge`,
      evidence: expect.stringContaining('→ HTTP 200, body "OK"'),
      fix: expect.stringContaining('exactly the hub.challenge value as a text/plain body'),
    });
    // Meta's handshake, as Meta sends it: mode, the verify token, a fresh challenge.
    expect(server.queries).toHaveLength(1);
    expect(server.queries[0]!.get('hub.mode')).toBe('subscribe');
    expect(server.queries[0]!.get('hub.verify_token')).toBe(VERIFY_TOKEN);
    expect(server.queries[0]!.get('hub.challenge')).toMatch(/^\d{10}$/);
    expectNoSecrets(run);
  });

  it("handshake failing: an unreachable callback URL; the body's echo of the verify token is redacted", async () => {
    healthy();
    const echo = await plainServer(`bad token ${VERIFY_TOKEN}`);
    // A port nothing listens on any more.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const unreachable = `http://127.0.0.1:${port}/webhooks/whatsapp`;
    const handshakeOnly = (url: string) =>
      runCli(
        ['--json', 'doctor', '--waba', WABA, '--callback-url', url, '--verify-token', VERIFY_TOKEN],
        env,
      );
    const [unreached, echoed] = await Promise.all([
      handshakeOnly(unreachable),
      handshakeOnly(echo.url),
    ]);
    expect(unreached.code).toBe(1);
    expect(check(unreached, 'handshake')).toMatchObject({
      status: 'fail',
      summary: `handshake failing: ${unreachable} cannot be reached (ECONNREFUSED)`,
    });
    expect(echoed.code).toBe(1);
    expect(check(echoed, 'handshake').evidence).toContain('body "bad token [redacted]"');
    expectNoSecrets(unreached, echoed);
  });

  it('the token does not reach the WABA: code, message and fbtrace id, the fix, dependent checks skipped', async () => {
    graph.on('GET', SUBSCRIBED_APPS, {
      status: 400,
      body: graphError(
        100,
        `Unsupported get request. Object with ID '${WABA}' does not exist, cannot be loaded due to missing permissions (token ${TOKEN})`,
        { error_subcode: 33, fbtrace_id: 'DoctorTrace1' },
      ),
    });
    const [text, json] = await Promise.all([
      runCli(['doctor', '--waba', WABA, '--phone-number', PHONE], env),
      runCli(['--json', 'doctor', '--waba', WABA, '--phone-number', PHONE], env),
    ]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`✗ the access token does not reach WABA ${WABA}`);
    expect(text.stdout).toContain('code 100, subcode 33');
    expect(text.stdout).toContain('fbtrace_id DoctorTrace1');
    expect(text.stdout).toContain('whatsapp_business_management');
    expect(check(json, 'token')).toMatchObject({
      status: 'fail',
      evidence: expect.stringContaining('[redacted]'),
      fix: expect.stringContaining('assign that system user to the WABA'),
    });
    expect(check(json, 'subscribed').status).toBe('skip');
    expect(check(json, `phone-number:${PHONE}`)).toMatchObject({
      status: 'skip',
      summary: `phone number ${PHONE}: skipped (the token does not reach the WABA)`,
    });
    expect(text.stdout).toContain('1 of 1 checks failed, 5 skipped.');
    // Nothing else is asked of a Graph API that refused the token.
    expect(graph.requestsTo('GET', `/v27.0/${PHONE}`)).toEqual([]);
    expectNoSecrets(text, json);
  });

  it('exits 2 on usage errors, naming the bad value, before any request', async () => {
    const runs = await Promise.all([
      runCli(['doctor', '--waba', 'waba-1'], env),
      runCli(['doctor', '--waba', WABA, '--phone-number', `${PHONE},+15550001111`], env),
      runCli(['doctor', '--waba', WABA], { ...env, WHATSAPP_APP_ID: 'abc' }),
      runCli(['doctor', '--waba', WABA, '--callback-url', callbackUrl], env),
      runCli(['doctor', '--waba', WABA, '--callback-url', 'ftp://x', '--verify-token', 't'], env),
      runCli(['doctor', '--waba', WABA], { ...env, WHATSAPP_ACCESS_TOKEN: '' }),
      runCli(['doctor'], env),
      runCli(['doctor', '--waba', WABA], { ...env, WHATSAPP_GRAPH_API_VERSION: '27' }),
    ]);
    expect(runs.map((r) => r.code)).toEqual([2, 2, 2, 2, 2, 2, 2, 2]);
    expect(runs[0]!.stderr).toContain(
      '--waba must be a Graph object ID (digits only), got "waba-1"',
    );
    expect(runs[1]!.stderr).toContain(
      '--phone-number must be a Graph object ID (digits only), got "+15550001111"',
    );
    expect(runs[2]!.stderr).toContain(
      `WHATSAPP_APP_ID (this Meta app's ID) must be a Graph object ID (digits only), got "abc"`,
    );
    expect(runs[3]!.stderr).toContain('--callback-url and --verify-token go together');
    expect(runs[4]!.stderr).toContain('--callback-url must be an http(s) URL, got "ftp://x"');
    expect(runs[5]!.stderr).toContain(
      'no access token: pass --access-token or set WHATSAPP_ACCESS_TOKEN',
    );
    expect(runs[6]!.stderr).toContain("required option '--waba <id>'");
    expect(runs[7]!.stderr).toContain("from env 'WHATSAPP_GRAPH_API_VERSION' is invalid");
    expect(graph.requests).toEqual([]);
    expectNoSecrets(...runs);
  });
});
