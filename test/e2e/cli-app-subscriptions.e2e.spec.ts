import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CliRun, runCli } from '../fixtures/cli-process.js';
import { FakeGraphApi, graphError, type RecordedRequest } from '../fixtures/fake-graph-api.js';

const APP = '670843887433847';
const APP_SECRET = 'app-secret-0123456789abcdef-SECRET';
const APP_TOKEN = `${APP}|${APP_SECRET}`;
const SYSTEM_TOKEN = 'EAAG-cli-system-user-token-0123456789-SECRET';
const VERIFY = 'app-level-verify-token-SECRET';
const CALLBACK = 'https://hooks.example.com/webhooks/whatsapp';
const APP_SUBSCRIPTIONS = `/v27.0/${APP}/subscriptions`;

function expectAppToken(requests: readonly RecordedRequest[]): void {
  for (const request of requests) {
    expect(request.headers.authorization).toBe(`Bearer ${APP_TOKEN}`);
    expect(request.url).not.toContain(APP_SECRET);
    expect(request.headers['x-http-method-override']).toBeUndefined();
  }
}

/** Nothing a run printed holds a token, the app secret or the verify token. */
function expectNoSecrets(...runs: CliRun[]): void {
  for (const run of runs) {
    for (const secret of [APP_TOKEN, APP_SECRET, SYSTEM_TOKEN, VERIFY]) {
      expect(run.stdout).not.toContain(secret);
      expect(run.stderr).not.toContain(secret);
    }
  }
}

describe('waba-webhooks app-subscriptions list | set | delete (dist/cli/waba-webhooks.js)', () => {
  let graph: FakeGraphApi;
  let env: Record<string, string>;

  beforeEach(async () => {
    graph = await FakeGraphApi.start();
    env = {
      WHATSAPP_APP_ID: APP,
      WHATSAPP_APP_ACCESS_TOKEN: APP_TOKEN,
      WHATSAPP_ACCESS_TOKEN: SYSTEM_TOKEN,
      WHATSAPP_GRAPH_API_BASE_URL: graph.url,
    };
  });
  afterEach(async () => {
    await graph.close();
  });

  it('list: callback URL, active and each field with its version (app id and token from the environment)', async () => {
    graph.on('GET', APP_SUBSCRIPTIONS, {
      body: {
        data: [
          {
            object: 'whatsapp_business_account',
            callback_url: CALLBACK,
            active: true,
            fields: [
              { name: 'messages', version: 'v25.0' },
              { name: 'account_update', version: 'v24.0' },
            ],
          },
          { object: 'page', callback_url: 'https://other.example.com', active: true, fields: [] },
        ],
      },
    });
    const [text, json] = await Promise.all([
      runCli(['app-subscriptions', 'list'], env),
      runCli(['app-subscriptions', 'list', '--json'], env),
    ]);
    expect(text).toMatchObject({ code: 0, stderr: '' });
    expect(text.stdout.split('\n')).toEqual([
      `App ${APP}, whatsapp_business_account: active`,
      `callback URL: ${CALLBACK}`,
      expect.stringMatching(/^FIELD +VERSION$/),
      expect.stringMatching(/^-+ +-+$/),
      expect.stringMatching(/^messages +v25\.0$/),
      expect.stringMatching(/^account_update +v24\.0$/),
      '',
    ]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([
      {
        object: 'whatsapp_business_account',
        callbackUrl: CALLBACK,
        active: true,
        fields: [
          { name: 'messages', version: 'v25.0' },
          { name: 'account_update', version: 'v24.0' },
        ],
      },
    ]);
    expect(graph.requests.map((r) => [r.method, r.path, r.query, r.body])).toEqual([
      ['GET', APP_SUBSCRIPTIONS, {}, ''],
      ['GET', APP_SUBSCRIPTIONS, {}, ''],
    ]);
    expectAppToken(graph.requests);
    expectNoSecrets(text, json);
  });

  it('list: says when the app has no subscription or lacks "messages"; WHATSAPP_GRAPH_API_VERSION picks the version', async () => {
    const path = `/v25.0/${APP}/subscriptions`;
    graph.on(
      'GET',
      path,
      { body: { data: [] } },
      {
        body: {
          data: [
            {
              object: 'whatsapp_business_account',
              callback_url: CALLBACK,
              active: false,
              fields: ['account_update'],
            },
          ],
        },
      },
    );
    const versioned = { ...env, WHATSAPP_GRAPH_API_VERSION: 'v25.0' };
    const none = await runCli(['app-subscriptions', 'list'], versioned);
    const noMessages = await runCli(['app-subscriptions', 'list'], versioned);
    expect(none.code).toBe(0);
    expect(none.stdout).toContain(
      `App ${APP} has no whatsapp_business_account subscription: no webhook of any WABA reaches it`,
    );
    expect(noMessages.code).toBe(0);
    expect(noMessages.stdout).toContain(`App ${APP}, whatsapp_business_account: NOT active`);
    expect(noMessages.stdout).toContain(
      '"messages" is not subscribed: no message webhook reaches the app.',
    );
    expect(graph.requests.map((r) => [r.method, r.path])).toEqual([
      ['GET', path],
      ['GET', path],
    ]);
  });

  it('set: one form POST with object, callback_url, verify_token and fields (flags), never printing a token', async () => {
    graph.on('POST', APP_SUBSCRIPTIONS, { body: { success: 'true' } });
    const args = [
      '--graph-api-base-url',
      graph.url,
      'app-subscriptions',
      'set',
      '--app-id',
      APP,
      '--app-access-token',
      APP_TOKEN,
      '--callback-url',
      CALLBACK,
      '--verify-token',
      VERIFY,
    ];
    const [text, json] = await Promise.all([
      runCli([...args, '--fields', 'messages, account_update,messages'], {}),
      runCli([...args, '--fields', 'account_update', '--json'], {}),
    ]);
    expect(text).toMatchObject({ code: 0, stderr: '' });
    expect(text.stdout).toBe(
      `App ${APP}: whatsapp_business_account webhooks (messages, account_update) go to ` +
        `${CALLBACK}; Meta verified it with the verify token.\n`,
    );
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      success: true,
      appId: APP,
      callbackUrl: CALLBACK,
      fields: ['account_update'],
    });
    expect(json.stderr).toContain('"messages" is not among the fields');
    const bodies = graph.requests.map((r) => {
      expect([r.method, r.path, r.query]).toEqual(['POST', APP_SUBSCRIPTIONS, {}]);
      expect(r.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
      return Object.fromEntries(new URLSearchParams(r.body));
    });
    expect(bodies).toEqual(
      expect.arrayContaining([
        {
          object: 'whatsapp_business_account',
          callback_url: CALLBACK,
          verify_token: VERIFY,
          fields: 'messages,account_update',
        },
        {
          object: 'whatsapp_business_account',
          callback_url: CALLBACK,
          verify_token: VERIFY,
          fields: 'account_update',
        },
      ]),
    );
    expect(bodies).toHaveLength(2);
    expectAppToken(graph.requests);
    expectNoSecrets(text, json);
  });

  it('delete: a real DELETE with object=whatsapp_business_account, and fields when given', async () => {
    graph.on('DELETE', APP_SUBSCRIPTIONS, { body: { success: true } });
    const all = await runCli(['app-subscriptions', 'delete'], env);
    const some = await runCli(['app-subscriptions', 'delete', '--fields', 'calls,flows'], env);
    const json = await runCli(['--json', 'app-subscriptions', 'delete', '--fields', 'calls'], env);
    expect(all).toMatchObject({ code: 0, stderr: '' });
    expect(all.stdout).toBe(
      `App ${APP}: deleted its whatsapp_business_account subscription; no webhook of any WABA reaches it.\n`,
    );
    expect(some.stdout).toBe(
      `App ${APP}: removed calls, flows from its whatsapp_business_account subscription.\n`,
    );
    expect(JSON.parse(json.stdout)).toEqual({ success: true, appId: APP, fields: ['calls'] });
    expect(graph.requests.map((r) => [r.method, r.path, r.query, r.body])).toEqual([
      ['DELETE', APP_SUBSCRIPTIONS, { object: 'whatsapp_business_account' }, ''],
      [
        'DELETE',
        APP_SUBSCRIPTIONS,
        { object: 'whatsapp_business_account', fields: 'calls,flows' },
        '',
      ],
      ['DELETE', APP_SUBSCRIPTIONS, { object: 'whatsapp_business_account', fields: 'calls' }, ''],
    ]);
    expectAppToken(graph.requests);
    expectNoSecrets(all, some, json);
  });

  it('exits 1 on a Graph error with its code and fbtrace_id, never the app token', async () => {
    graph.on('GET', APP_SUBSCRIPTIONS, {
      status: 400,
      body: graphError(190, `Invalid OAuth access token ${APP_TOKEN}`, {
        fbtrace_id: 'AppTrace42',
      }),
    });
    const [text, json] = await Promise.all([
      runCli(['app-subscriptions', 'list'], env),
      runCli(['app-subscriptions', 'list', '--json'], env),
    ]);
    expect(text.code).toBe(1);
    expect(text.stderr).toContain('code: 190');
    expect(text.stderr).toContain('fbtrace_id: AppTrace42');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      error: { code: 190, fbtraceId: 'AppTrace42' },
    });
    expectNoSecrets(text, json);
  });

  it('exits 2 on bad input, naming it, before any request', async () => {
    const { WHATSAPP_APP_ID: _id, WHATSAPP_APP_ACCESS_TOKEN: _token, ...bare } = env;
    const runs = await Promise.all([
      runCli(['app-subscriptions', 'list', '--app-id', 'my-app'], env),
      runCli(['app-subscriptions', 'list'], { ...env, WHATSAPP_APP_ID: APP_TOKEN }),
      runCli(['app-subscriptions', 'list'], { ...bare, WHATSAPP_APP_ACCESS_TOKEN: APP_TOKEN }),
      runCli(['app-subscriptions', 'delete'], { ...bare, WHATSAPP_APP_ID: APP }),
      runCli(
        [
          'app-subscriptions',
          'set',
          '--callback-url',
          CALLBACK,
          '--verify-token',
          VERIFY,
          '--fields',
          'messages,Bad Field',
        ],
        env,
      ),
      runCli(
        [
          'app-subscriptions',
          'set',
          '--callback-url',
          'http://hooks.example.com/w',
          '--verify-token',
          VERIFY,
          '--fields',
          'messages',
        ],
        env,
      ),
      runCli(['app-subscriptions', 'set', '--callback-url', CALLBACK, '--fields', 'messages'], env),
      runCli(['app-subscriptions', 'delete', '--fields', ','], env),
    ]);
    expect(runs.map((r) => r.code)).toEqual([2, 2, 2, 2, 2, 2, 2, 2]);
    expect(runs[0]!.stderr).toContain(
      `--app-id (this Meta app's ID) must be a Graph object ID (digits only), got "my-app"`,
    );
    expect(runs[1]!.stderr).toContain(
      `WHATSAPP_APP_ID (this Meta app's ID) must be a Graph object ID (digits only), got a value of ${APP_TOKEN.length} characters`,
    );
    expect(runs[2]!.stderr).toContain('no app ID: pass --app-id or set WHATSAPP_APP_ID');
    expect(runs[3]!.stderr).toContain(
      'no app access token: pass --app-access-token or set WHATSAPP_APP_ACCESS_TOKEN',
    );
    expect(runs[4]!.stderr).toContain('--fields must be comma-separated field names');
    expect(runs[4]!.stderr).toContain('got "Bad Field"');
    expect(runs[5]!.stderr).toContain('callbackUrl must be an absolute https:// URL');
    expect(runs[6]!.stderr).toContain("required option '--verify-token <token>'");
    expect(runs[7]!.stderr).toContain('--fields must be comma-separated field names');
    expect(graph.requests).toEqual([]);
    expectNoSecrets(...runs);
  });
});
