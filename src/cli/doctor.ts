import { randomInt } from 'node:crypto';
import { GraphApiError } from '../subscriptions/graph-api.error.js';
import type { SubscriptionService } from '../subscriptions/subscription.service.js';
import type {
  AppSubscription,
  PhoneNumberWebhookConfiguration,
  SubscribedApp,
} from '../subscriptions/subscription.types.js';

/** `pass` and `fail` for a check that ran; `skip` when it could not or need not run. */
export type DoctorStatus = 'pass' | 'fail' | 'skip';

/** One check of `waba-webhooks doctor`, as `--json` prints it. */
export interface DoctorCheck {
  /** `token`, `subscribed`, `waba-override`, `phone-number:<id>`, `app-subscription`, `handshake`. */
  id: string;
  status: DoctorStatus;
  /** One sentence: what was found (or why the check was skipped). */
  summary: string;
  /** What the Graph API or the callback URL answered. */
  evidence: string;
  /** The command or setting that repairs a failed check. */
  fix?: string;
}

/** The outcome of `waba-webhooks doctor`: `ok` when every check that ran passed. */
export interface DoctorReport {
  ok: boolean;
  checks: DoctorCheck[];
}

/** What `doctor` is asked to check. IDs and URLs were checked by the CLI before. */
export interface DoctorInput {
  wabaId: string;
  phoneNumberIds: readonly string[];
  /** The receiver's URL, where the WABA's webhooks should arrive. */
  callbackUrl?: string;
  /** The verify token the receiver accepts for `callbackUrl`. */
  verifyToken?: string;
  /** This app's ID; resolved with `GET /app` (the access token) when absent. */
  appId?: string;
  /** An app access token, for `GET /{app-id}/subscriptions`; that check is skipped without one. */
  appAccessToken?: string;
  /** @default 10000 */
  handshakeTimeoutMs?: number;
}

/** The `SubscriptionService` calls `doctor` makes (every one a GET). */
export type DoctorGraph = Pick<
  SubscriptionService,
  'list' | 'getAppId' | 'getPhoneNumberWebhookConfiguration' | 'listAppSubscriptions'
>;

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

const CLI = 'waba-webhooks';
const FIX_TOKEN =
  'use a System User token with the whatsapp_business_management permission, and assign that ' +
  'system user to the WABA (Business Settings › Users › System users › Assign assets)';

async function attempt<T>(call: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await call() };
  } catch (error: unknown) {
    return { ok: false, error };
  }
}

/** A failure as evidence: a `GraphApiError`'s message already has the code and fbtrace id. */
function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function fixForGraphError(error: unknown, otherwise: string): string {
  if (!(error instanceof GraphApiError)) return otherwise;
  if (error.kind === 'network-error' || error.kind === 'timeout') {
    return 'the Graph API was not reached: check the network, a proxy, or --graph-api-base-url';
  }
  if (error.kind === 'throttled' || error.retryAfterMs !== undefined) {
    return `Meta throttles these calls: run doctor again in ${Math.ceil((error.retryAfterMs ?? 60_000) / 1000)} s`;
  }
  if (error.code === 190) {
    return `the token is expired or invalid: create a new one; ${FIX_TOKEN}`;
  }
  return otherwise;
}

function sameUrl(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return a === b;
  }
}

function skip(id: string, summary: string, evidence = ''): DoctorCheck {
  return { id, status: 'skip', summary, evidence };
}

function appsEvidence(apps: readonly SubscribedApp[]): string {
  if (apps.length === 0) return 'subscribed apps: none';
  return `subscribed apps: ${apps.map((app) => (app.name ? `${app.id} (${app.name})` : app.id)).join(', ')}`;
}

function tokenCheck(input: DoctorInput, apps: Outcome<SubscribedApp[]>): DoctorCheck {
  const id = 'token';
  if (!apps.ok) {
    return {
      id,
      status: 'fail',
      summary: `the access token does not reach WABA ${input.wabaId}`,
      evidence: describeError(apps.error),
      fix: fixForGraphError(apps.error, FIX_TOKEN),
    };
  }
  return {
    id,
    status: 'pass',
    summary: `the access token reaches WABA ${input.wabaId}`,
    evidence: `GET /${input.wabaId}/subscribed_apps answered with ${apps.value.length} app(s)`,
  };
}

function subscribedCheck(
  input: DoctorInput,
  apps: Outcome<SubscribedApp[]>,
  appId: Outcome<string>,
): { check: DoctorCheck; subscription?: SubscribedApp } {
  const id = 'subscribed';
  if (!apps.ok) {
    return { check: skip(id, 'app subscribed to the WABA: skipped (the token does not reach it)') };
  }
  if (!appId.ok) {
    return {
      check: {
        id,
        status: 'fail',
        summary: "this app's ID is unknown, so its subscription cannot be found",
        evidence: `GET /app: ${describeError(appId.error)}`,
        fix: "pass --app-id or set WHATSAPP_APP_ID (the App Dashboard's App ID)",
      },
    };
  }
  const subscription = apps.value.find((app) => app.id === appId.value);
  if (!subscription) {
    return {
      check: {
        id,
        status: 'fail',
        summary:
          `not subscribed: app ${appId.value} is not subscribed to WABA ${input.wabaId}, which ` +
          'sends it no webhooks (the App Dashboard test button works regardless)',
        evidence: appsEvidence(apps.value),
        fix: `${CLI} subscribe ${input.wabaId}`,
      },
    };
  }
  return {
    check: {
      id,
      status: 'pass',
      summary: `app ${appId.value} is subscribed to WABA ${input.wabaId}`,
      evidence: appsEvidence(apps.value),
    },
    subscription,
  };
}

function overrideFix(input: DoctorInput): string {
  return (
    `${CLI} clear-override ${input.wabaId} (back to the app callback URL), or ` +
    `${CLI} subscribe ${input.wabaId} --override-callback-uri ${input.callbackUrl ?? '<url>'} --verify-token <token>`
  );
}

function wabaOverrideCheck(
  input: DoctorInput,
  subscription: SubscribedApp | undefined,
): DoctorCheck {
  const id = 'waba-override';
  if (!subscription)
    return skip(id, 'WABA override: skipped (the app is not subscribed to the WABA)');
  const override = subscription.overrideCallbackUri;
  const evidence = `override_callback_uri: ${override ?? '(none)'}`;
  if (override === undefined) {
    return {
      id,
      status: 'pass',
      summary: `no WABA override: the WABA's webhooks go to phone-number overrides or the app callback URL`,
      evidence,
    };
  }
  if (input.callbackUrl !== undefined && !sameUrl(override, input.callbackUrl)) {
    return {
      id,
      status: 'fail',
      summary: `WABA override elsewhere: WABA ${input.wabaId} sends its webhooks to ${override}, not to ${input.callbackUrl}`,
      evidence,
      fix: overrideFix(input),
    };
  }
  return {
    id,
    status: 'pass',
    summary:
      input.callbackUrl !== undefined
        ? `the WABA override points at ${input.callbackUrl}`
        : `WABA override in force: ${override} (pass --callback-url to compare)`,
    evidence,
  };
}

type Level = 'phone-number override' | 'WABA override' | 'app callback URL';

function effectiveLevel(config: PhoneNumberWebhookConfiguration): Level | undefined {
  if (config.phoneNumberOverrideCallbackUri !== undefined) return 'phone-number override';
  if (config.wabaOverrideCallbackUri !== undefined) return 'WABA override';
  return config.appCallbackUri !== undefined ? 'app callback URL' : undefined;
}

function phoneNumberCheck(
  input: DoctorInput,
  phoneNumberId: string,
  config: Outcome<PhoneNumberWebhookConfiguration>,
): DoctorCheck {
  const id = `phone-number:${phoneNumberId}`;
  if (!config.ok) {
    return {
      id,
      status: 'fail',
      summary: `phone number ${phoneNumberId}: its webhook_configuration cannot be read`,
      evidence: describeError(config.error),
      fix: fixForGraphError(
        config.error,
        `check that ${phoneNumberId} is a phone number ID of WABA ${input.wabaId}; ${FIX_TOKEN}`,
      ),
    };
  }
  const c = config.value;
  const evidence =
    `phone-number override: ${c.phoneNumberOverrideCallbackUri ?? '(none)'}; ` +
    `WABA override: ${c.wabaOverrideCallbackUri ?? '(none)'}; ` +
    `app callback URL: ${c.appCallbackUri ?? '(none)'}`;
  const level = effectiveLevel(c);
  const effective = c.effectiveCallbackUri;
  if (level === undefined || effective === undefined) {
    return {
      id,
      status: 'fail',
      summary: `phone number ${phoneNumberId}: no destination at all (no override, no app callback URL)`,
      evidence,
      fix: `${CLI} app-subscriptions set --callback-url <url> --verify-token <token> --fields messages,…`,
    };
  }
  if (input.callbackUrl === undefined || sameUrl(effective, input.callbackUrl)) {
    return {
      id,
      status: 'pass',
      summary: `phone number ${phoneNumberId}: webhooks go to ${effective} (the ${level})`,
      evidence,
    };
  }
  const fixes: Record<Level, string> = {
    'phone-number override':
      `${CLI} phone-override clear ${phoneNumberId}, or ${CLI} phone-override set ${phoneNumberId} ` +
      `--override-callback-uri ${input.callbackUrl} --verify-token <token>`,
    'WABA override': overrideFix(input),
    'app callback URL': `${CLI} app-subscriptions set --callback-url ${input.callbackUrl} --verify-token <token> --fields messages,…`,
  };
  const cause =
    level === 'phone-number override'
      ? 'phone override elsewhere'
      : level === 'WABA override'
        ? 'WABA override elsewhere'
        : 'app callback URL elsewhere';
  return {
    id,
    status: 'fail',
    summary:
      `${cause}: phone number ${phoneNumberId}'s webhooks go to ${effective} (the ${level}, which ` +
      `wins${level === 'app callback URL' ? ' without overrides' : ''}), not to ${input.callbackUrl}`,
    evidence,
    fix: fixes[level],
  };
}

function fieldsEvidence(subscription: AppSubscription): string {
  const fields = subscription.fields
    .map((field) => (field.version ? `${field.name} (${field.version})` : field.name))
    .join(', ');
  const active =
    subscription.active === undefined ? '(not said)' : subscription.active ? 'yes' : 'no';
  return `callback URL: ${subscription.callbackUrl ?? '(none)'}; active: ${active}; fields: ${fields || '(none)'}`;
}

function appSubscriptionCheck(
  input: DoctorInput,
  appId: Outcome<string>,
  subscriptions: Outcome<AppSubscription[]> | undefined,
  wabaSubscription: SubscribedApp | undefined,
): DoctorCheck {
  const id = 'app-subscription';
  if (input.appAccessToken === undefined) {
    return skip(
      id,
      "the app's own subscription (messages field): skipped (no app access token: " +
        '--app-access-token or WHATSAPP_APP_ACCESS_TOKEN, "{app-id}|{app-secret}")',
    );
  }
  if (!appId.ok || subscriptions === undefined) {
    return skip(
      id,
      "the app's own subscription (messages field): skipped (this app's ID is unknown: " +
        '--app-id or WHATSAPP_APP_ID)',
    );
  }
  const fieldsFix = (fields: readonly string[], url = input.callbackUrl) =>
    `${CLI} app-subscriptions set --callback-url ${url ?? '<url>'} --verify-token <token> ` +
    `--fields ${['messages', ...fields.filter((f) => f !== 'messages')].join(',')}`;
  if (!subscriptions.ok) {
    return {
      id,
      status: 'fail',
      summary: `the subscriptions of app ${appId.value} cannot be read`,
      evidence: describeError(subscriptions.error),
      fix: fixForGraphError(
        subscriptions.error,
        `pass this app's access token ("${appId.value}|{app-secret}") as --app-access-token`,
      ),
    };
  }
  const subscription = subscriptions.value[0];
  if (!subscription) {
    return {
      id,
      status: 'fail',
      summary: `app ${appId.value} has no whatsapp_business_account subscription: no webhook reaches it`,
      evidence: `GET /${appId.value}/subscriptions: no whatsapp_business_account entry`,
      fix: fieldsFix([]),
    };
  }
  const evidence = fieldsEvidence(subscription);
  const names = subscription.fields.map((field) => field.name);
  if (!names.includes('messages')) {
    return {
      id,
      status: 'fail',
      summary: `messages missing: app ${appId.value} is not subscribed to the messages field, so no message webhook is sent`,
      evidence,
      fix: fieldsFix(names, subscription.callbackUrl ?? input.callbackUrl),
    };
  }
  if (subscription.active === false) {
    return {
      id,
      status: 'fail',
      summary: `the whatsapp_business_account subscription of app ${appId.value} is not active`,
      evidence,
      fix: fieldsFix(names, subscription.callbackUrl ?? input.callbackUrl),
    };
  }
  // Without a WABA override, the WABA's webhooks go to the app callback URL.
  if (
    input.callbackUrl !== undefined &&
    wabaSubscription !== undefined &&
    wabaSubscription.overrideCallbackUri === undefined &&
    !sameUrl(subscription.callbackUrl, input.callbackUrl)
  ) {
    return {
      id,
      status: 'fail',
      summary:
        `app callback URL elsewhere: WABA ${input.wabaId} has no override, so its webhooks go to ` +
        `${subscription.callbackUrl ?? '(none)'}, not to ${input.callbackUrl}`,
      evidence,
      fix: `${fieldsFix(names)} (or an override: ${CLI} subscribe ${input.wabaId} --override-callback-uri ${input.callbackUrl} --verify-token <token>)`,
    };
  }
  return {
    id,
    status: 'pass',
    summary: `app ${appId.value} is subscribed to messages of whatsapp_business_account`,
    evidence,
  };
}

/** The body as evidence: one line, at most 120 characters, without the verify token. */
function bodyEvidence(body: string, verifyToken: string): string {
  const clean = body.split(verifyToken).join('[redacted]').replace(/\s+/g, ' ');
  return JSON.stringify(clean.length > 120 ? `${clean.slice(0, 119)}…` : clean);
}

/** The URL without its query (which may carry credentials). */
function shownUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/**
 * Sends Meta's verification handshake (protocol.md §2): a GET with `hub.mode=subscribe`, the
 * verify token and a random challenge; Meta expects 200 and the challenge as the whole body.
 */
export async function checkHandshake(
  callbackUrl: string,
  verifyToken: string,
  timeoutMs = 10_000,
): Promise<DoctorCheck> {
  const id = 'handshake';
  const challenge = String(randomInt(1_000_000_000, 2_000_000_000));
  const url = new URL(callbackUrl);
  url.searchParams.set('hub.mode', 'subscribe');
  url.searchParams.set('hub.verify_token', verifyToken);
  url.searchParams.set('hub.challenge', challenge);
  const request = `GET ${shownUrl(url)}?hub.mode=subscribe&hub.verify_token=…&hub.challenge=${challenge}`;
  const https = url.protocol === 'https:' ? '' : ' (Meta only calls https:// callback URLs)';
  let status: number;
  let body: string;
  let location: string | null;
  try {
    const response = await fetch(url, {
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    status = response.status;
    location = response.headers.get('location');
    body = await response.text();
  } catch (error: unknown) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason =
      error instanceof Error && error.name === 'TimeoutError'
        ? `no answer within ${timeoutMs} ms`
        : (cause?.code ?? cause?.message ?? describeError(error));
    return {
      id,
      status: 'fail',
      summary: `handshake failing: ${shownUrl(url)} cannot be reached (${reason})`,
      evidence: `${request} → ${reason}`,
      fix: 'make the callback URL reachable from the internet (DNS, TLS certificate, firewall, the receiver running)',
    };
  }
  const seen = `${request} → HTTP ${status}, body ${bodyEvidence(body, verifyToken)}${https}`;
  if (status === 200 && body === challenge) {
    return {
      id,
      status: 'pass',
      summary: `${shownUrl(url)} answers Meta's handshake with this verify token`,
      evidence: seen,
    };
  }
  const fail = (summary: string, fix: string): DoctorCheck => ({
    id,
    status: 'fail',
    summary: `handshake failing: ${summary}`,
    evidence: seen,
    fix,
  });
  if (status === 200) {
    return fail(
      `${shownUrl(url)} answered 200 without echoing hub.challenge`,
      'answer the GET with 200 and exactly the hub.challenge value as a text/plain body (no JSON, no quotes)',
    );
  }
  if (status === 401 || status === 403) {
    return fail(
      `${shownUrl(url)} refused the verify token (HTTP ${status})`,
      "add this verify token to the receiver's verifyToken (WHATSAPP_VERIFY_TOKEN), or pass the " +
        'one it accepts as --verify-token; a 401 may also be a guard that wants a signature on GET',
    );
  }
  if (status >= 300 && status < 400) {
    return fail(
      `${shownUrl(url)} redirects (HTTP ${status}${location ? ` to ${location}` : ''})`,
      'register the final URL: Meta expects 200 and the challenge at the URL itself',
    );
  }
  return fail(
    `${shownUrl(url)} answered HTTP ${status}`,
    status === 404
      ? 'check the path: the receiver serves the webhook route (GET and POST) there'
      : 'answer the GET with 200 and the hub.challenge value as the body',
  );
}

/**
 * Runs the checks of `waba-webhooks doctor`, for "the test works but real messages never
 * arrive": the token reaches the WABA; this app is subscribed to it; the WABA override in
 * force; each phone number's effective destination (phone override › WABA override › app
 * URL); the app's own subscription includes `messages`; the callback URL answers the
 * handshake. Every Graph call is a GET; nothing is changed.
 */
export async function runDoctor(graph: DoctorGraph, input: DoctorInput): Promise<DoctorReport> {
  const checks: DoctorCheck[] = [];
  const [apps, appId] = await Promise.all([
    attempt(() => graph.list(input.wabaId)),
    attempt(async () => input.appId ?? (await graph.getAppId())),
  ]);
  checks.push(tokenCheck(input, apps));
  const subscribed = subscribedCheck(input, apps, appId);
  checks.push(subscribed.check, wabaOverrideCheck(input, subscribed.subscription));

  const [phones, appSubscriptions, handshake] = await Promise.all([
    apps.ok
      ? Promise.all(
          input.phoneNumberIds.map((id) =>
            attempt(() => graph.getPhoneNumberWebhookConfiguration(id)),
          ),
        )
      : undefined,
    input.appAccessToken !== undefined && appId.ok
      ? attempt(() =>
          graph.listAppSubscriptions(appId.value, { appAccessToken: input.appAccessToken! }),
        )
      : undefined,
    input.callbackUrl !== undefined && input.verifyToken !== undefined
      ? checkHandshake(input.callbackUrl, input.verifyToken, input.handshakeTimeoutMs)
      : skip(
          'handshake',
          'handshake: skipped (pass --callback-url and --verify-token to send Meta’s handshake to your receiver)',
        ),
  ]);
  input.phoneNumberIds.forEach((id, i) => {
    const config = phones?.[i];
    checks.push(
      config
        ? phoneNumberCheck(input, id, config)
        : skip(
            `phone-number:${id}`,
            `phone number ${id}: skipped (the token does not reach the WABA)`,
          ),
    );
  });
  checks.push(
    appSubscriptionCheck(input, appId, appSubscriptions, subscribed.subscription),
    handshake,
  );
  return { ok: checks.every((check) => check.status !== 'fail'), checks };
}

const MARKS: Record<DoctorStatus, string> = { pass: '✓', fail: '✗', skip: '–' };

/** The report as text: one line a check (✓ ✗ –), its evidence and fix indented below. */
export function formatDoctorReport(report: DoctorReport): string {
  const lines = report.checks.flatMap((check) => [
    `${MARKS[check.status]} ${check.summary}`,
    ...(check.evidence ? [`    ${check.evidence}`] : []),
    ...(check.fix ? [`    fix: ${check.fix}`] : []),
  ]);
  const count = (status: DoctorStatus) => report.checks.filter((c) => c.status === status).length;
  const failed = count('fail');
  const ran = report.checks.length - count('skip');
  const skipped = count('skip') ? `, ${count('skip')} skipped` : '';
  lines.push(
    '',
    failed ? `${failed} of ${ran} checks failed${skipped}.` : `All ${ran} checks passed${skipped}.`,
  );
  return lines.join('\n');
}
