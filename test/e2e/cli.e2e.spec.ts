import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../fixtures/cli-process.js';
import { FakeGraphApi, graphError, type RecordedRequest } from '../fixtures/fake-graph-api.js';

const TOKEN = 'EAAG-cli-system-user-token-0123456789-SECRET';
const FLAG_TOKEN = 'EAAG-cli-flag-token-9876543210-SECRET';
const WABA = '102290129340398';
const PHONE = '106540352242922';
const SUBSCRIBED_APPS = `/v27.0/${WABA}/subscribed_apps`;
const OVERRIDE = `https://hooks.example.com/waba/${WABA}`;

function expectAuthorized(request: RecordedRequest, token = TOKEN): void {
  expect(request.headers.authorization).toBe(`Bearer ${token}`);
  expect(request.url).not.toContain(token);
}

describe('waba-webhooks CLI (dist/cli/waba-webhooks.js)', () => {
  let graph: FakeGraphApi;
  let env: Record<string, string>;

  beforeEach(async () => {
    graph = await FakeGraphApi.start();
    env = { WHATSAPP_ACCESS_TOKEN: TOKEN };
  });
  afterEach(async () => {
    await graph.close();
  });

  const base = () => ['--graph-api-base-url', graph.url];

  it('lists the subscribed apps as a table, with the token from WHATSAPP_ACCESS_TOKEN', async () => {
    graph.on('GET', SUBSCRIBED_APPS, {
      body: {
        data: [
          {
            whatsapp_business_api_data: { id: '670843887433847', name: 'Example App' },
            override_callback_uri: OVERRIDE,
          },
          { whatsapp_business_api_data: { id: '111', name: 'Other App' } },
        ],
      },
    });
    const run = await runCli([...base(), 'subscriptions', 'list', WABA], env);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout.split('\n')).toEqual([
      expect.stringMatching(/^APP ID +NAME +OVERRIDE CALLBACK URI$/),
      expect.stringMatching(/^-+ +-+ +-+$/),
      expect.stringMatching(new RegExp(`^670843887433847 +Example App +${OVERRIDE}$`)),
      expect.stringMatching(/^111 +Other App +\(none\)$/),
      '',
    ]);
    expect(graph.requests).toHaveLength(1);
    expect(graph.requests[0]).toMatchObject({ method: 'GET', path: SUBSCRIBED_APPS, body: '' });
    expectAuthorized(graph.requests[0]!);
  });

  it('prints JSON with --json (after the subcommand too), with --access-token and --graph-api-version', async () => {
    graph.on('GET', `/v25.0/${WABA}/subscribed_apps`, {
      body: { data: [{ whatsapp_business_api_data: { id: '1', name: 'A', link: 'https://l' } }] },
    });
    const run = await runCli(
      [
        ...base(),
        '--access-token',
        FLAG_TOKEN,
        '--graph-api-version',
        'v25.0',
        'subscriptions',
        'list',
        WABA,
        '--json',
      ],
      env,
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([{ id: '1', name: 'A', link: 'https://l' }]);
    expectAuthorized(graph.requests[0]!, FLAG_TOKEN);
  });

  it('subscribes with an override in one POST (no plain POST that would clear an override first)', async () => {
    graph.on('POST', SUBSCRIBED_APPS, { body: { success: true } });
    const run = await runCli(
      [
        ...base(),
        '--json',
        'subscribe',
        WABA,
        '--override-callback-uri',
        OVERRIDE,
        '--verify-token',
        'cli-verify-token',
      ],
      env,
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      success: true,
      wabaId: WABA,
      overrideCallbackUri: OVERRIDE,
    });
    expect(graph.requests.map((r) => [r.method, r.path, r.body])).toEqual([
      [
        'POST',
        SUBSCRIBED_APPS,
        JSON.stringify({ override_callback_uri: OVERRIDE, verify_token: 'cli-verify-token' }),
      ],
    ]);
    graph.requests.forEach((r) => expectAuthorized(r));
  });

  it('unsubscribes with DELETE and clears an override with a POST without a body', async () => {
    graph.on('DELETE', SUBSCRIBED_APPS, { body: { success: true } });
    graph.on('POST', SUBSCRIBED_APPS, { body: { success: 'true' } });
    const [unsubscribe, clear] = await Promise.all([
      runCli([...base(), 'unsubscribe', WABA], env),
      runCli([...base(), 'clear-override', WABA], env),
    ]);
    expect(unsubscribe).toMatchObject({ code: 0, stderr: '' });
    expect(unsubscribe.stdout).toContain(`Unsubscribed the app from WABA ${WABA}`);
    expect(clear).toMatchObject({ code: 0, stderr: '' });
    expect(clear.stdout).toContain(`Cleared the override of WABA ${WABA}`);
    expect(graph.requests.map((r) => [r.method, r.path, r.body]).sort()).toEqual([
      ['DELETE', SUBSCRIBED_APPS, ''],
      ['POST', SUBSCRIBED_APPS, ''],
    ]);
  });

  it('sets, gets and clears a phone-number override', async () => {
    const path = `/v27.0/${PHONE}`;
    graph.on('POST', path, { body: { success: true } });
    graph.on('GET', path, {
      body: {
        webhook_configuration: {
          phone_number: 'https://hooks.example.com/phone',
          application: 'https://app.example.com/wh',
        },
        id: PHONE,
      },
    });
    const set = await runCli(
      [
        ...base(),
        'phone-override',
        'set',
        PHONE,
        '--override-callback-uri',
        'https://hooks.example.com/phone',
        '--verify-token',
        'phone-token',
      ],
      env,
    );
    expect(set.code).toBe(0);
    const [get, getJson, clear] = await Promise.all([
      runCli([...base(), 'phone-override', 'get', PHONE], env),
      runCli([...base(), '--json', 'phone-override', 'get', PHONE], env),
      runCli([...base(), 'phone-override', 'clear', PHONE], env),
    ]);
    expect(get.code).toBe(0);
    expect(get.stdout).toMatch(/phone number override +https:\/\/hooks\.example\.com\/phone/);
    expect(get.stdout).toMatch(/WABA override +\(none\)/);
    expect(get.stdout).toMatch(/effective +https:\/\/hooks\.example\.com\/phone/);
    expect(JSON.parse(getJson.stdout)).toEqual({
      id: PHONE,
      phoneNumberOverrideCallbackUri: 'https://hooks.example.com/phone',
      appCallbackUri: 'https://app.example.com/wh',
      effectiveCallbackUri: 'https://hooks.example.com/phone',
    });
    expect(clear.code).toBe(0);
    const posts = graph.requestsTo('POST', path).map((r) => JSON.parse(r.body) as unknown);
    expect(posts).toEqual(
      expect.arrayContaining([
        {
          webhook_configuration: {
            override_callback_uri: 'https://hooks.example.com/phone',
            verify_token: 'phone-token',
          },
        },
        { webhook_configuration: { override_callback_uri: '' } },
      ]),
    );
    expect(graph.requestsTo('GET', path)[0]!.query).toEqual({ fields: 'webhook_configuration' });
  });

  it('exits 1 on a Graph error and prints its code, message and fbtrace_id, never the token', async () => {
    graph.on('GET', SUBSCRIBED_APPS, {
      status: 401,
      body: graphError(190, `Error validating access token ${TOKEN}: Session has expired`, {
        error_subcode: 463,
        fbtrace_id: 'AbCdEfTrace',
      }),
    });
    const [text, json] = await Promise.all([
      runCli([...base(), 'subscriptions', 'list', WABA], env),
      runCli([...base(), '--json', 'subscriptions', 'list', WABA], env),
    ]);
    expect(text.code).toBe(1);
    expect(text.stdout).toBe('');
    expect(text.stderr).toContain('Error validating access token [redacted]: Session has expired');
    expect(text.stderr).toContain('code: 190 / subcode 463');
    expect(text.stderr).toContain('fbtrace_id: AbCdEfTrace');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      error: {
        name: 'GraphApiError',
        code: 190,
        subcode: 463,
        fbtraceId: 'AbCdEfTrace',
        httpStatus: 401,
      },
    });
    for (const output of [text.stdout, text.stderr, json.stdout, json.stderr]) {
      expect(output).not.toContain(TOKEN);
    }
  });

  it('exits 2 without a token or with bad arguments, before any request', async () => {
    const runs = await Promise.all([
      runCli([...base(), 'subscriptions', 'list', WABA], {}),
      runCli([...base(), 'subscribe', WABA, '--override-callback-uri', OVERRIDE], env),
      runCli(
        [
          ...base(),
          'subscribe',
          WABA,
          '--override-callback-uri',
          'http://x.example',
          '--verify-token',
          't',
        ],
        env,
      ),
      runCli([...base(), '--graph-api-version', '25', 'unsubscribe', WABA], env),
      runCli([...base(), 'phone-override', 'set', PHONE], env),
    ]);
    expect(runs.map((r) => r.code)).toEqual([2, 2, 2, 2, 2]);
    expect(runs[0]!.stderr).toContain(
      'no access token: pass --access-token or set WHATSAPP_ACCESS_TOKEN',
    );
    expect(runs[1]!.stderr).toContain('--override-callback-uri and --verify-token go together');
    expect(runs[2]!.stderr).toContain('must be an absolute https:// URL');
    expect(runs[3]!.stderr).toContain('expected a version like v27.0');
    expect(runs[4]!.stderr).toContain("required option '--override-callback-uri <url>'");
    expect(graph.requests).toEqual([]);
  });
});
