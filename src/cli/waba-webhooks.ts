#!/usr/bin/env node
import 'reflect-metadata';
import { HttpService } from '@nestjs/axios';
import { Logger, type LoggerService } from '@nestjs/common';
import axios from 'axios';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { formatDoctorReport, runDoctor } from './doctor.js';
import {
  type FailedJobRow,
  JobsCommandError,
  listFailedJobs,
  openQueue,
  type QueueLocation,
  retryFailedJobs,
} from './failed-jobs.js';
import { GraphApiError } from '../subscriptions/graph-api.error.js';
import {
  DEFAULT_GRAPH_API_BASE_URL,
  DEFAULT_GRAPH_API_VERSION,
  resolveGraphApiOptions,
} from '../subscriptions/graph-api.options.js';
import { SubscriptionService } from '../subscriptions/subscription.service.js';
import type { AppSubscription, SubscribeOptions } from '../subscriptions/subscription.types.js';

/**
 * Exit codes: 1 for a Graph API or queue failure (unreachable Redis, unknown job) or a failed
 * doctor check, 2 for a usage error.
 */
const EXIT_GRAPH_ERROR = 1;
const EXIT_USAGE = 2;

const ACCESS_TOKEN_ENV = 'WHATSAPP_ACCESS_TOKEN';
const APP_ID_ENV = 'WHATSAPP_APP_ID';
const APP_ACCESS_TOKEN_ENV = 'WHATSAPP_APP_ACCESS_TOKEN';
const GRAPH_API_VERSION_ENV = 'WHATSAPP_GRAPH_API_VERSION';
const GRAPH_API_BASE_URL_ENV = 'WHATSAPP_GRAPH_API_BASE_URL';
const REDIS_URL_ENV = 'REDIS_URL';
const QUEUE_NAME_ENV = 'WHATSAPP_QUEUE_NAME';

interface GlobalOptions {
  accessToken?: string;
  graphApiVersion?: string;
  graphApiBaseUrl?: string;
  json?: boolean;
  verbose?: boolean;
}

interface OverrideFlags {
  overrideCallbackUri?: string;
  verifyToken?: string;
}

/** The app-level flags of `app-subscriptions` and `doctor`. */
interface AppFlags {
  appId?: string;
  appAccessToken?: string;
}

interface DoctorFlags extends AppFlags {
  waba: string;
  phoneNumber?: string[];
  callbackUrl?: string;
  verifyToken?: string;
}

interface QueueFlags {
  redisUrl?: string;
  queueName: string;
  prefix: string;
}

/** Usage errors found by the CLI itself (no token, bad flags). */
class UsageError extends Error {}

/** The command printed its outcome already (a doctor check failed): exit 1, nothing more. */
class OutcomePrinted extends Error {}

/** Warnings (retries) and errors go to stderr; request lines only with --verbose. */
class CliLogger implements LoggerService {
  constructor(private readonly verboseOutput: boolean) {}
  log(message: unknown): void {
    if (this.verboseOutput) this.write(message);
  }
  debug(message: unknown): void {
    if (this.verboseOutput) this.write(message);
  }
  verbose(message: unknown): void {
    if (this.verboseOutput) this.write(message);
  }
  warn(message: unknown): void {
    this.write(message);
  }
  error(message: unknown): void {
    this.write(message);
  }
  fatal(message: unknown): void {
    this.write(message);
  }
  private write(message: unknown): void {
    process.stderr.write(`waba-webhooks: ${String(message)}\n`);
  }
}

function packageVersion(): string {
  try {
    const pkg = JSON.parse(
      readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

function graphVersion(value: string): string {
  if (!/^v\d+\.\d+$/.test(value)) {
    throw new InvalidArgumentError(`expected a version like ${DEFAULT_GRAPH_API_VERSION}.`);
  }
  return value;
}

function httpUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol === 'https:' || url.protocol === 'http:') return value;
  } catch {
    // reported below
  }
  throw new InvalidArgumentError('expected an http(s) URL.');
}

function print(text: string): void {
  process.stdout.write(`${text}\n`);
}

function printJson(value: unknown): void {
  print(JSON.stringify(value, null, 2));
}

/** A plain text table: a header row, a rule, then the rows; columns padded to their widest cell. */
function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, i) =>
    Math.max(header.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/**
 * Builds the service for one invocation, from the global options. `app-subscriptions` needs no
 * access token (it sends the app access token); `appId` spares `doctor` a `GET /app`.
 */
function serviceFor(
  command: Command,
  setup: { withoutAccessToken?: boolean; appId?: string } = {},
): { service: SubscriptionService; json: boolean } {
  const options = command.optsWithGlobals<GlobalOptions>();
  Logger.overrideLogger(new CliLogger(options.verbose === true));
  if (!options.accessToken && setup.withoutAccessToken !== true) {
    throw new UsageError(
      `no access token: pass --access-token or set ${ACCESS_TOKEN_ENV} (a System User token ` +
        'with whatsapp_business_management).',
    );
  }
  const graphApi = resolveGraphApiOptions({
    accessToken: setup.withoutAccessToken === true ? undefined : options.accessToken,
    appId: setup.appId,
    graphApiVersion: options.graphApiVersion,
    graphApiBaseUrl: options.graphApiBaseUrl,
  });
  const service = new SubscriptionService(new HttpService(axios.create()), graphApi);
  return { service, json: options.json === true };
}

function overrideOptions(flags: OverrideFlags): SubscribeOptions {
  const { overrideCallbackUri, verifyToken } = flags;
  if (overrideCallbackUri === undefined && verifyToken === undefined) return {};
  if (overrideCallbackUri === undefined || verifyToken === undefined) {
    throw new UsageError('--override-callback-uri and --verify-token go together.');
  }
  return { overrideCallbackUri, verifyToken };
}

function addOverrideFlags(command: Command, required: boolean): Command {
  const uri = new Option(
    '--override-callback-uri <url>',
    'https URL (at most 200 characters) that receives the webhooks of fields that follow overrides',
  );
  const token = new Option(
    '--verify-token <token>',
    'the hub.verify_token Meta sends to that URL in the verification handshake',
  );
  if (required) {
    uri.makeOptionMandatory();
    token.makeOptionMandatory();
  }
  return command.addOption(uri).addOption(token);
}

/** The options that locate the queue, on each `jobs` subcommand. */
function addQueueOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--redis-url <url>', "the queue's Redis (delivery.connection)").env(REDIS_URL_ENV),
    )
    .addOption(
      new Option('--queue-name <name>', 'the queue (delivery.queueName)')
        .env(QUEUE_NAME_ENV)
        .default('waba-webhooks'),
    )
    .addOption(
      new Option('--prefix <prefix>', 'prefix of its Redis keys (delivery.prefix)').default('bull'),
    );
}

/** Opens the queue the flags name, runs `use`, and always closes the connection. */
async function withQueue<T>(
  flags: QueueFlags,
  use: (queue: Awaited<ReturnType<typeof openQueue>>['queue']) => Promise<T>,
): Promise<T> {
  if (!flags.redisUrl) {
    throw new UsageError(`no Redis: pass --redis-url or set ${REDIS_URL_ENV}.`);
  }
  const location: QueueLocation = {
    redisUrl: flags.redisUrl,
    queueName: flags.queueName,
    prefix: flags.prefix,
  };
  const opened = await openQueue(location);
  try {
    return await use(opened.queue);
  } finally {
    await opened.close();
  }
}

/** An error as one short table cell: its first line, at most `max` characters. */
function cell(text: string, max = 80): string {
  const line = text.split('\n', 1)[0] ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

function failedJobsTable(rows: readonly FailedJobRow[]): string {
  return table(
    ['ID', 'FIELD', 'KEY', 'ATTEMPTS', 'LAST ERROR', 'FAILED AT'],
    rows.map((job) => [
      job.id,
      job.field,
      job.key,
      `${job.attempts}/${job.maxAttempts}`,
      cell(job.lastError),
      job.failedAt ?? '',
    ]),
  );
}

function addJobsCommands(program: Command): void {
  const jobs = program
    .command('jobs')
    .description('inspect and replay the failed jobs of the delivery queue (queue mode)');
  addQueueOptions(
    jobs
      .command('failed')
      .description(
        'list the updates that exhausted their attempts: id, field, key, attempts, last error',
      ),
  ).action(async (flags: QueueFlags, command: Command) => {
    const json = command.optsWithGlobals<GlobalOptions>().json === true;
    const rows = await withQueue(flags, listFailedJobs);
    if (json) return printJson(rows);
    if (rows.length === 0) {
      return print(`No failed jobs in queue "${flags.queueName}" (prefix "${flags.prefix}").`);
    }
    print(failedJobsTable(rows));
  });
  addQueueOptions(
    jobs
      .command('retry')
      .argument('[ids...]', 'ids of failed jobs (as "jobs failed" lists them)')
      .option('--all', 'retry every failed job')
      .description(
        'queue failed jobs again, each with its full attempts; every id is checked first, and ' +
          'one that is not a failed job retries none',
      ),
  ).action(async (ids: string[], flags: QueueFlags & { all?: boolean }, command: Command) => {
    const json = command.optsWithGlobals<GlobalOptions>().json === true;
    if (flags.all === true && ids.length > 0) {
      throw new UsageError('pass job ids or --all, not both.');
    }
    if (flags.all !== true && ids.length === 0) {
      throw new UsageError('pass the ids of the jobs to retry, or --all.');
    }
    const retried = await withQueue(flags, (queue) =>
      retryFailedJobs(queue, flags.all === true ? 'all' : ids),
    );
    if (json) return printJson({ retried: retried.map((job) => job.id) });
    if (retried.length === 0) {
      return print(`No failed jobs in queue "${flags.queueName}": nothing to retry.`);
    }
    print(
      `Queued ${retried.length} failed job(s) again, each with its full attempts:\n` +
        retried.map((job) => `  ${job.id}  ${job.field}  ${job.key}`).join('\n'),
    );
  });
}

/** A bad value as a usage error shows it: long ones, or ones with `|` (a token), by length only. */
function shownValue(value: string): string {
  return value.length > 40 || value.includes('|')
    ? `a value of ${value.length} characters`
    : JSON.stringify(value);
}

/** An option's value, `undefined` when absent or empty (an empty variable counts as unset). */
function given(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

/** A Graph object ID from a flag or variable, checked before any request. */
function graphIdFlag(name: string, value: string): string {
  if (!/^\d+$/.test(value)) {
    throw new UsageError(
      `${name} must be a Graph object ID (digits only), got ${shownValue(value)}; nothing was sent.`,
    );
  }
  return value;
}

/** `--app-id` / `--app-access-token`, from the flags or the environment. */
function addAppOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--app-id <id>', "the Meta app's ID (digits), as the App Dashboard shows it").env(
        APP_ID_ENV,
      ),
    )
    .addOption(
      new Option(
        '--app-access-token <token>',
        'app access token "{app-id}|{app-secret}" (visible in `ps`: prefer the variable)',
      ).env(APP_ACCESS_TOKEN_ENV),
    );
}

/** The app ID of `--app-id` or `WHATSAPP_APP_ID`, checked; the message names where it came from. */
function appIdOf(command: Command): string | undefined {
  const appId = given(command.optsWithGlobals<AppFlags>().appId);
  if (appId === undefined) return undefined;
  const source =
    command.getOptionValueSourceWithGlobals('appId') === 'env' ? APP_ID_ENV : '--app-id';
  return graphIdFlag(`${source} (this Meta app's ID)`, appId);
}

/** App ID and app access token, both required (`app-subscriptions`). */
function appOf(command: Command): { appId: string; appAccessToken: string } {
  const appId = appIdOf(command);
  if (appId === undefined) {
    throw new UsageError(
      `no app ID: pass --app-id or set ${APP_ID_ENV} (the App Dashboard shows it).`,
    );
  }
  const appAccessToken = given(command.optsWithGlobals<AppFlags>().appAccessToken);
  if (appAccessToken === undefined) {
    throw new UsageError(
      `no app access token: pass --app-access-token or set ${APP_ACCESS_TOKEN_ENV} ` +
        '("{app-id}|{app-secret}").',
    );
  }
  return { appId, appAccessToken };
}

/** `--fields a,b,c` as field names, checked before any request. */
function fieldsOf(value: string): string[] {
  const fields = value
    .split(',')
    .map((field) => field.trim())
    .filter((field) => field !== '');
  const bad = fields.find((field) => !/^[a-z0-9_]+$/.test(field));
  if (fields.length === 0 || bad !== undefined) {
    throw new UsageError(
      `--fields must be comma-separated field names such as messages,account_update` +
        `${bad !== undefined ? `, got ${shownValue(bad)}` : ''}; nothing was sent.`,
    );
  }
  return [...new Set(fields)];
}

function appSubscriptionText(appId: string, subscription: AppSubscription): string {
  const active =
    subscription.active === undefined ? '' : subscription.active ? ': active' : ': NOT active';
  const names = subscription.fields.map((field) => field.name);
  return [
    `App ${appId}, ${subscription.object}${active}`,
    `callback URL: ${subscription.callbackUrl ?? '(none)'}`,
    table(
      ['FIELD', 'VERSION'],
      subscription.fields.map((field) => [field.name, field.version ?? '']),
    ),
    ...(names.includes('messages')
      ? []
      : ['"messages" is not subscribed: no message webhook reaches the app.']),
  ].join('\n');
}

function addAppSubscriptionsCommands(program: Command): void {
  const apps = addAppOptions(
    program
      .command('app-subscriptions')
      .description(
        "the app's own whatsapp_business_account subscription (/{app-id}/subscriptions): the " +
          'app callback URL and the fields Meta sends; needs an app access token',
      ),
  );
  apps
    .command('list')
    .description('show the callback URL, whether it is active, and each field with its version')
    .action(async (_options: object, command: Command) => {
      const { appId, appAccessToken } = appOf(command);
      const { service, json } = serviceFor(command, { withoutAccessToken: true });
      const subscriptions = await service.listAppSubscriptions(appId, { appAccessToken });
      if (json) return printJson(subscriptions);
      if (subscriptions.length === 0) {
        return print(
          `App ${appId} has no whatsapp_business_account subscription: no webhook of any WABA ` +
            'reaches it. Run "waba-webhooks app-subscriptions set --callback-url <url> ' +
            '--verify-token <token> --fields messages".',
        );
      }
      print(subscriptions.map((s) => appSubscriptionText(appId, s)).join('\n\n'));
    });
  apps
    .command('set')
    .description(
      'set the app callback URL, its verify token and the fields (Meta sends the handshake to ' +
        'the URL before it answers)',
    )
    .requiredOption('--callback-url <url>', 'https URL of the app-level webhook endpoint')
    .requiredOption('--verify-token <token>', 'the hub.verify_token Meta sends to that URL')
    .requiredOption('--fields <fields>', 'comma-separated fields, e.g. messages,account_update')
    .action(
      async (
        flags: { callbackUrl: string; verifyToken: string; fields: string },
        command: Command,
      ) => {
        const { appId, appAccessToken } = appOf(command);
        const fields = fieldsOf(flags.fields);
        const { service, json } = serviceFor(command, { withoutAccessToken: true });
        await service.subscribeApp(appId, {
          callbackUrl: flags.callbackUrl,
          verifyToken: flags.verifyToken,
          fields,
          appAccessToken,
        });
        if (!fields.includes('messages')) {
          process.stderr.write(
            'waba-webhooks: "messages" is not among the fields: no message webhook will reach the app.\n',
          );
        }
        if (json)
          return printJson({ success: true, appId, callbackUrl: flags.callbackUrl, fields });
        print(
          `App ${appId}: whatsapp_business_account webhooks (${fields.join(', ')}) go to ` +
            `${flags.callbackUrl}; Meta verified it with the verify token.`,
        );
      },
    );
  apps
    .command('delete')
    .description(
      "delete the app's whatsapp_business_account subscription, or with --fields only those fields",
    )
    .option('--fields <fields>', 'comma-separated fields to remove; the others stay')
    .action(async (flags: { fields?: string }, command: Command) => {
      const { appId, appAccessToken } = appOf(command);
      const fields = flags.fields !== undefined ? fieldsOf(flags.fields) : undefined;
      const { service, json } = serviceFor(command, { withoutAccessToken: true });
      await service.deleteAppSubscription(appId, { appAccessToken, fields });
      if (json) return printJson({ success: true, appId, ...(fields ? { fields } : {}) });
      print(
        fields
          ? `App ${appId}: removed ${fields.join(', ')} from its whatsapp_business_account subscription.`
          : `App ${appId}: deleted its whatsapp_business_account subscription; no webhook of any WABA reaches it.`,
      );
    });
}

/** Every occurrence of each secret (8 characters or more) replaced, whatever printed it. */
function withoutSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  return secrets
    .filter((secret): secret is string => secret !== undefined && secret.length >= 8)
    .sort((a, b) => b.length - a.length)
    .reduce((clean, secret) => clean.split(secret).join('[redacted]'), text);
}

function addDoctorCommand(program: Command): void {
  addAppOptions(
    program
      .command('doctor')
      .description(
        '"the test works but real messages never arrive": check the token, the WABA ' +
          'subscription, overrides, phone numbers, the app subscription and the handshake; ' +
          'exit 0 when every check that ran passed, 1 otherwise',
      )
      .requiredOption('--waba <id>', 'WhatsApp Business Account ID')
      .option(
        '--phone-number <id>',
        'a business phone number ID of the WABA (repeatable, or comma-separated)',
        (value: string, previous: string[] = []) => [...previous, ...value.split(',')],
      )
      .option('--callback-url <url>', "your receiver's webhook URL, where messages should arrive")
      .option('--verify-token <token>', 'the verify token your receiver accepts for that URL'),
  ).action(async (flags: DoctorFlags, command: Command) => {
    const wabaId = graphIdFlag('--waba', flags.waba);
    const phoneNumberIds = [
      ...new Set((flags.phoneNumber ?? []).map((id) => id.trim()).filter((id) => id !== '')),
    ].map((id) => graphIdFlag('--phone-number', id));
    const callbackUrl = given(flags.callbackUrl);
    const verifyToken = given(flags.verifyToken);
    if ((callbackUrl === undefined) !== (verifyToken === undefined)) {
      throw new UsageError('--callback-url and --verify-token go together.');
    }
    if (callbackUrl !== undefined) {
      try {
        httpUrl(callbackUrl);
      } catch {
        throw new UsageError(
          `--callback-url must be an http(s) URL, got ${shownValue(callbackUrl)}.`,
        );
      }
    }
    const appId = appIdOf(command);
    const appAccessToken = given(command.optsWithGlobals<AppFlags>().appAccessToken);
    const { service, json } = serviceFor(command, { appId });
    const report = await runDoctor(service, {
      wabaId,
      phoneNumberIds,
      callbackUrl,
      verifyToken,
      appId,
      appAccessToken,
    });
    const text = json ? JSON.stringify(report, null, 2) : formatDoctorReport(report);
    print(
      withoutSecrets(text, [
        command.optsWithGlobals<GlobalOptions>().accessToken,
        appAccessToken,
        appAccessToken?.split('|')[1],
        verifyToken,
      ]),
    );
    if (!report.ok) throw new OutcomePrinted();
  });
}

function buildProgram(): Command {
  const program = new Command('waba-webhooks')
    .description(
      'Subscribe a Meta app to WhatsApp Business Accounts, manage callback overrides and the ' +
        "app's own subscription through the Graph API, find out why webhooks do not arrive " +
        '(doctor); list and replay the failed jobs of the delivery queue.',
    )
    .version(packageVersion())
    .addOption(
      new Option('--access-token <token>', 'System User access token').env(ACCESS_TOKEN_ENV),
    )
    .addOption(
      new Option('--graph-api-version <version>', `Graph API version`)
        .env(GRAPH_API_VERSION_ENV)
        .default(DEFAULT_GRAPH_API_VERSION)
        .argParser(graphVersion),
    )
    .addOption(
      new Option('--graph-api-base-url <url>', 'Graph API origin')
        .env(GRAPH_API_BASE_URL_ENV)
        .default(DEFAULT_GRAPH_API_BASE_URL)
        .argParser(httpUrl),
    )
    .option('--json', 'print JSON instead of a table or a sentence')
    .option('--verbose', 'log every request (method, path, status; never the token) to stderr')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');

  const subscriptions = program
    .command('subscriptions')
    .description('read the apps subscribed to a WABA');
  subscriptions
    .command('list')
    .argument('<wabaId>', 'WhatsApp Business Account ID')
    .description('list the apps subscribed to a WABA, with their WABA-level override')
    .action(async (wabaId: string, _options: object, command: Command) => {
      const { service, json } = serviceFor(command);
      const apps = await service.list(wabaId);
      if (json) return printJson(apps);
      if (apps.length === 0) {
        return print(
          `No app is subscribed to WABA ${wabaId}: it sends no webhooks. ` +
            `Run "waba-webhooks subscribe ${wabaId}".`,
        );
      }
      print(
        table(
          ['APP ID', 'NAME', 'OVERRIDE CALLBACK URI'],
          apps.map((app) => [app.id, app.name ?? '', app.overrideCallbackUri ?? '(none)']),
        ),
      );
    });

  addOverrideFlags(
    program
      .command('subscribe')
      .argument('<wabaId>', 'WhatsApp Business Account ID')
      .description(
        'subscribe the app to a WABA; with --override-callback-uri and --verify-token, then ' +
          'route its webhooks to that URL (without them, an existing override is cleared)',
      ),
    false,
  ).action(async (wabaId: string, flags: OverrideFlags, command: Command) => {
    const { service, json } = serviceFor(command);
    const override = overrideOptions(flags);
    await service.subscribe(wabaId, override);
    if (json) {
      return printJson({
        success: true,
        wabaId,
        ...(override.overrideCallbackUri
          ? { overrideCallbackUri: override.overrideCallbackUri }
          : {}),
      });
    }
    print(
      override.overrideCallbackUri
        ? `Subscribed the app to WABA ${wabaId}; webhooks of fields that follow overrides go to ${override.overrideCallbackUri}.`
        : `Subscribed the app to WABA ${wabaId}; its webhooks go to the app's callback URL.`,
    );
  });

  program
    .command('unsubscribe')
    .argument('<wabaId>', 'WhatsApp Business Account ID')
    .description('unsubscribe the app from a WABA: no more webhooks from it')
    .action(async (wabaId: string, _options: object, command: Command) => {
      const { service, json } = serviceFor(command);
      await service.unsubscribe(wabaId);
      if (json) return printJson({ success: true, wabaId });
      print(`Unsubscribed the app from WABA ${wabaId}; it sends no more webhooks to the app.`);
    });

  program
    .command('clear-override')
    .argument('<wabaId>', 'WhatsApp Business Account ID')
    .description("remove a WABA's callback override; the app stays subscribed")
    .action(async (wabaId: string, _options: object, command: Command) => {
      const { service, json } = serviceFor(command);
      await service.clearOverride(wabaId);
      if (json) return printJson({ success: true, wabaId });
      print(`Cleared the override of WABA ${wabaId}; its webhooks go to the app's callback URL.`);
    });

  const phone = program
    .command('phone-override')
    .description('manage the callback override of one business phone number');
  addOverrideFlags(
    phone
      .command('set')
      .argument('<phoneNumberId>', 'business phone number ID')
      .description("route the phone number's webhooks to another URL"),
    true,
  ).action(async (phoneNumberId: string, flags: OverrideFlags, command: Command) => {
    const { service, json } = serviceFor(command);
    const override = {
      overrideCallbackUri: flags.overrideCallbackUri!,
      verifyToken: flags.verifyToken!,
    };
    await service.setPhoneNumberOverride(phoneNumberId, override);
    if (json) {
      return printJson({
        success: true,
        phoneNumberId,
        overrideCallbackUri: override.overrideCallbackUri,
      });
    }
    print(
      `Phone number ${phoneNumberId}: webhooks of fields that follow overrides go to ${override.overrideCallbackUri}.`,
    );
  });
  phone
    .command('clear')
    .argument('<phoneNumberId>', 'business phone number ID')
    .description("remove the phone number's override")
    .action(async (phoneNumberId: string, _options: object, command: Command) => {
      const { service, json } = serviceFor(command);
      await service.clearPhoneNumberOverride(phoneNumberId);
      if (json) return printJson({ success: true, phoneNumberId });
      print(`Cleared the override of phone number ${phoneNumberId}.`);
    });
  phone
    .command('get')
    .argument('<phoneNumberId>', 'business phone number ID')
    .description("show where the phone number's webhooks go")
    .action(async (phoneNumberId: string, _options: object, command: Command) => {
      const { service, json } = serviceFor(command);
      const config = await service.getPhoneNumberWebhookConfiguration(phoneNumberId);
      if (json) return printJson(config);
      print(
        table(
          ['LEVEL', 'CALLBACK URI'],
          [
            ['phone number override', config.phoneNumberOverrideCallbackUri ?? '(none)'],
            ['WABA override', config.wabaOverrideCallbackUri ?? '(none)'],
            ['app callback URL', config.appCallbackUri ?? '(none)'],
            ['effective', config.effectiveCallbackUri ?? '(none)'],
          ],
        ),
      );
    });

  addAppSubscriptionsCommands(program);
  addDoctorCommand(program);
  addJobsCommands(program);

  return program;
}

function report(error: unknown, json: boolean): number {
  if (error instanceof CommanderError) {
    // Commander has printed help, the version or the usage error already.
    return error.exitCode === 0 ? 0 : EXIT_USAGE;
  }
  if (error instanceof OutcomePrinted) return EXIT_GRAPH_ERROR;
  if (error instanceof GraphApiError) {
    if (json) printJson({ error: error.toJSON() });
    const lines = [
      `waba-webhooks: ${error.message}`,
      `  code: ${error.code ?? '(none)'}${error.subcode !== undefined ? ` / subcode ${error.subcode}` : ''}`,
      `  fbtrace_id: ${error.fbtraceId ?? '(none)'}`,
    ];
    if (error.userMessage)
      lines.push(`  ${error.userTitle ? `${error.userTitle}: ` : ''}${error.userMessage}`);
    if (error.retryAfterMs !== undefined) {
      lines.push(`  retry after: ${Math.ceil(error.retryAfterMs / 1000)} s`);
    }
    process.stderr.write(`${lines.join('\n')}\n`);
    return EXIT_GRAPH_ERROR;
  }
  const message = error instanceof Error ? error.message : String(error);
  if (json) printJson({ error: { message } });
  process.stderr.write(`waba-webhooks: ${message}\n`);
  if (error instanceof JobsCommandError) return EXIT_GRAPH_ERROR;
  return error instanceof UsageError || error instanceof TypeError ? EXIT_USAGE : EXIT_GRAPH_ERROR;
}

async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv as string[]);
    return 0;
  } catch (error: unknown) {
    return report(error, program.opts<GlobalOptions>().json === true);
  }
}

main(process.argv).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(
      `waba-webhooks: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
