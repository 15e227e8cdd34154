import { randomBytes, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { META_WEBHOOK_CLIENT_CN } from '../mtls/client-certificate.js';
import { DEFAULT_WEBHOOK_PATH } from '../whatsapp-webhooks.constants.js';
import { RECEIVER_LOG_LEVELS, type ReceiverLogLevel } from './json-logger.js';

/** The receiver's settings, read from the environment (and a `.env` file when present). */
export interface ReceiverConfig {
  readonly port: number;
  readonly host?: string;
  /**
   * `HEALTH_PORT` (default `3001`; `0` picks a free one): with `WHATSAPP_ROLE=worker`, which serves
   * no webhook route, the port of its `GET /health` (on `HOST`).
   */
  readonly healthPort: number;
  readonly path: string;
  /** `HTTP_PLATFORM`: the Nest HTTP adapter the receiver runs on (default `express`). */
  readonly platform: HttpPlatform;
  /** `WHATSAPP_BODY_LIMIT` (default `5mb`), in bytes. */
  readonly bodyLimit: number;
  readonly appSecrets: string[];
  readonly verifyTokens: string[];
  /** True when the secrets were generated because none were configured (never in production). */
  readonly developmentSecrets: boolean;
  /** `REDIS_URL`: durable delivery on BullMQ with deduplication in Redis. */
  readonly redisUrl?: string;
  /**
   * `WHATSAPP_ROLE`: `all` receives and runs listeners; `receiver` only verifies and queues
   * (needs `REDIS_URL`); `worker` only runs listeners from the queue, serving no webhook route
   * (only `GET /health` on `healthPort`).
   */
  readonly role: ReceiverRole;
  /** `WHATSAPP_QUEUE_NAME` (queue mode). */
  readonly queueName?: string;
  /**
   * `WHATSAPP_UPDATES_PER_JOB` (queue mode, default `1`): `delivery.maxUpdatesPerJob`, group
   * commit. Give receivers and workers the same value.
   */
  readonly updatesPerJob: number;
  /** `TLS_CERT` + `TLS_KEY` (+ `TLS_CLIENT_CA`, `TLS_CLIENT_CN`): serve HTTPS, optionally with mTLS. */
  readonly tls?: ReceiverTlsConfig;
  /** `WHATSAPP_METRICS` (default on; `0` turns `/metrics` off). */
  readonly metrics: boolean;
  /** Server timeouts and the rejected-request limit. */
  readonly limits: ReceiverLimits;
  /**
   * `LOG_LEVEL` (default `log`): that level and the more severe ones are written. Message text,
   * names and phone numbers are written at `debug` and `verbose` only.
   */
  readonly logLevel: ReceiverLogLevel;
}

/** Limits of the receiver's HTTP server and of clients that keep failing verification. */
export interface ReceiverLimits {
  /** Whole request (headers and body) must arrive within this (`WHATSAPP_REQUEST_TIMEOUT_MS`). */
  readonly requestTimeoutMs: number;
  /** Headers must arrive within this: slow-loris clients are cut off (`WHATSAPP_HEADERS_TIMEOUT_MS`). */
  readonly headersTimeoutMs: number;
  /** Rejected requests (401/403) per client address and window before it is answered 429 (`WHATSAPP_REJECTIONS_PER_MINUTE`). */
  readonly rejectionsPerWindow: number;
  /** Window of that count and length of the block (ms). */
  readonly rejectionWindowMs: number;
}

/** The Nest HTTP adapters the receiver runs on: @nestjs/platform-express or @nestjs/platform-fastify. */
export type HttpPlatform = 'express' | 'fastify';
const PLATFORMS: readonly HttpPlatform[] = ['express', 'fastify'];

/** What an instance of the receiver does. */
export type ReceiverRole = 'all' | 'receiver' | 'worker';
const ROLES: readonly ReceiverRole[] = ['all', 'receiver', 'worker'];

/** Thrown when the receiver cannot start with the environment it was given. */
export class ReceiverConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReceiverConfigError';
  }
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** `env[name]` as a TCP port (`0`: any free one); `fallback` when unset. */
function tcpPort(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  const port = raw ? Number(raw) : fallback;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ReceiverConfigError(`${name} must be an integer from 0 to 65535, got "${raw}".`);
  }
  return port;
}

function positiveMs(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new ReceiverConfigError(`${name} must be a positive integer, got "${raw}".`);
  }
  return value;
}

const BYTE_UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/**
 * A size as body-parser reads its `limit` (`'5mb'`, `'512kb'`, `'1048576'`; 1 kb = 1024 bytes)
 * in bytes, or `undefined` when it is not one.
 */
export function parseByteSize(size: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(size.trim());
  if (!match) return undefined;
  return Math.floor(Number(match[1]) * BYTE_UNITS[(match[2] ?? 'b').toLowerCase()]!);
}

function bodyLimit(env: NodeJS.ProcessEnv): number {
  const raw = env['WHATSAPP_BODY_LIMIT']?.trim() || '5mb';
  const bytes = parseByteSize(raw);
  if (bytes === undefined || bytes < 1) {
    throw new ReceiverConfigError(
      `WHATSAPP_BODY_LIMIT must be a size such as 5mb, 512kb or 1048576 (bytes), got "${raw}".`,
    );
  }
  return bytes;
}

/** `env[name]`, trimmed and lower-cased, which must be one of `values`; `fallback` when unset. */
function oneOf<T extends string>(
  env: NodeJS.ProcessEnv,
  name: string,
  values: readonly T[],
  fallback: T,
): T {
  const raw = env[name]?.trim() || fallback;
  const value = raw.toLowerCase() as T;
  if (!values.includes(value)) {
    throw new ReceiverConfigError(`${name} must be one of ${values.join(', ')}, got "${raw}".`);
  }
  return value;
}

/** Loads `.env` from the working directory into `process.env` (values already set win). */
export function loadDotEnv(file = '.env'): boolean {
  if (!existsSync(file)) return false;
  process.loadEnvFile(file);
  return true;
}

/**
 * Reads the receiver's configuration (see README › The receiver):
 * `PORT` (3000), `HOST`, `HEALTH_PORT` (3001, worker role only), `HTTP_PLATFORM` (`express` or
 * `fastify`), `WHATSAPP_WEBHOOK_PATH` (`webhooks/whatsapp`), `WHATSAPP_BODY_LIMIT` (`5mb`), `WHATSAPP_APP_SECRET` and `WHATSAPP_VERIFY_TOKEN` (comma-separated for several).
 * Without secrets it generates development ones, except with `NODE_ENV=production`, where it
 * refuses to start. `TLS_CERT`, `TLS_KEY`, `TLS_CLIENT_CA`, `TLS_CLIENT_CN`: see {@link readTlsConfig}.
 * `LOG_LEVEL` (`log`): `error`, `warn`, `log`, `debug` or `verbose`.
 */
export function readReceiverConfig(env: NodeJS.ProcessEnv = process.env): ReceiverConfig {
  const port = tcpPort(env, 'PORT', 3000);
  let appSecrets = list(env['WHATSAPP_APP_SECRET']);
  let verifyTokens = list(env['WHATSAPP_VERIFY_TOKEN']);
  const missing = [
    ...(appSecrets.length ? [] : ['WHATSAPP_APP_SECRET']),
    ...(verifyTokens.length ? [] : ['WHATSAPP_VERIFY_TOKEN']),
  ];
  const developmentSecrets = missing.length > 0 && env['NODE_ENV'] !== 'production';
  if (missing.length > 0 && !developmentSecrets) {
    throw new ReceiverConfigError(
      `${missing.join(' and ')} must be set when NODE_ENV=production: the App Secret is in the App ` +
        'Dashboard › App settings › Basic; the verify token is the one entered with the callback URL.',
    );
  }
  const role = (env['WHATSAPP_ROLE']?.trim() || 'all') as ReceiverRole;
  if (!ROLES.includes(role)) {
    throw new ReceiverConfigError(
      `WHATSAPP_ROLE must be one of ${ROLES.join(', ')}, got "${role}".`,
    );
  }
  const redisUrl = env['REDIS_URL']?.trim() || undefined;
  if (role !== 'all' && !redisUrl) {
    throw new ReceiverConfigError(
      `WHATSAPP_ROLE=${role} needs REDIS_URL: receivers and workers share a BullMQ queue in Redis.`,
    );
  }
  const tls = readTlsConfig(env);
  if (!appSecrets.length) appSecrets = [`dev-${randomBytes(16).toString('hex')}`];
  if (!verifyTokens.length) verifyTokens = [`dev-${randomBytes(12).toString('hex')}`];
  return {
    port,
    ...(env['HOST'] ? { host: env['HOST'] } : {}),
    healthPort: tcpPort(env, 'HEALTH_PORT', 3001),
    path: env['WHATSAPP_WEBHOOK_PATH']?.trim() || DEFAULT_WEBHOOK_PATH,
    platform: oneOf(env, 'HTTP_PLATFORM', PLATFORMS, 'express'),
    bodyLimit: bodyLimit(env),
    appSecrets,
    verifyTokens,
    developmentSecrets,
    role,
    limits: {
      requestTimeoutMs: positiveMs(env, 'WHATSAPP_REQUEST_TIMEOUT_MS', 30_000),
      headersTimeoutMs: positiveMs(env, 'WHATSAPP_HEADERS_TIMEOUT_MS', 10_000),
      rejectionsPerWindow: positiveMs(env, 'WHATSAPP_REJECTIONS_PER_MINUTE', 30),
      rejectionWindowMs: 60_000,
    },
    metrics: !['0', 'false', 'off'].includes(env['WHATSAPP_METRICS']?.trim().toLowerCase() ?? ''),
    logLevel: oneOf(env, 'LOG_LEVEL', RECEIVER_LOG_LEVELS, 'log'),
    updatesPerJob: positiveMs(env, 'WHATSAPP_UPDATES_PER_JOB', 1),
    ...(redisUrl ? { redisUrl } : {}),
    ...(tls ? { tls } : {}),
    ...(env['WHATSAPP_QUEUE_NAME']?.trim() ? { queueName: env['WHATSAPP_QUEUE_NAME'].trim() } : {}),
  };
}

/** HTTPS settings of the receiver. */
export interface ReceiverTlsConfig {
  /** `TLS_CERT`: the server certificate chain (PEM). Meta refuses self-signed certificates. */
  readonly cert: Buffer;
  /** `TLS_KEY`: its private key (PEM). */
  readonly key: Buffer;
  /**
   * With `TLS_CLIENT_CA`: every connection must present a client certificate chaining to `ca`
   * (checked during the TLS handshake) whose CN is `cn` (checked before any body is read).
   */
  readonly client?: { readonly ca: Buffer; readonly cn: string };
}

function tlsVariable(env: NodeJS.ProcessEnv, name: string): string | undefined {
  return env[name]?.trim() || undefined;
}

function readPemFile(variable: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new ReceiverConfigError(`${variable}: cannot read "${path}" (${reason}).`);
  }
}

/**
 * Reads `TLS_CERT` and `TLS_KEY` (PEM file paths, both or neither): the receiver then serves
 * HTTPS. `TLS_CLIENT_CA` (PEM file path, Meta's `meta-outbound-api-ca-2025-12.pem`) turns on
 * mTLS: a client certificate chaining to it with CN `TLS_CLIENT_CN`
 * (`client.webhooks.fbclientcerts.com`) is required on every connection. Files are read and
 * checked now, so that a bad path or a mismatched key stops the start with a clear message.
 *
 * @throws ReceiverConfigError naming the variable at fault.
 */
export function readTlsConfig(env: NodeJS.ProcessEnv = process.env): ReceiverTlsConfig | undefined {
  const certPath = tlsVariable(env, 'TLS_CERT');
  const keyPath = tlsVariable(env, 'TLS_KEY');
  const caPath = tlsVariable(env, 'TLS_CLIENT_CA');
  const cn = tlsVariable(env, 'TLS_CLIENT_CN');
  if (!certPath !== !keyPath) {
    throw new ReceiverConfigError(
      `${certPath ? 'TLS_CERT is set without TLS_KEY' : 'TLS_KEY is set without TLS_CERT'}: set both (PEM file paths) to serve HTTPS, or neither to serve plain HTTP.`,
    );
  }
  if (!certPath || !keyPath) {
    if (caPath || cn) {
      throw new ReceiverConfigError(
        `${caPath ? 'TLS_CLIENT_CA' : 'TLS_CLIENT_CN'} needs TLS_CERT and TLS_KEY: the receiver can only check client certificates on TLS connections it terminates itself.`,
      );
    }
    return undefined;
  }
  const cert = readPemFile('TLS_CERT', certPath);
  const key = readPemFile('TLS_KEY', keyPath);
  try {
    createSecureContext({ cert, key });
  } catch (error) {
    throw new ReceiverConfigError(
      `TLS_CERT / TLS_KEY are not a usable PEM certificate and matching private key: ${(error as Error).message}.`,
    );
  }
  if (!caPath) {
    if (cn) {
      throw new ReceiverConfigError(
        'TLS_CLIENT_CN needs TLS_CLIENT_CA: without the CA no client certificate is requested, so the CN could not be checked.',
      );
    }
    return { cert, key };
  }
  const ca = readPemFile('TLS_CLIENT_CA', caPath);
  const blocks = ca
    .toString('utf8')
    .match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g);
  try {
    if (!blocks) throw new Error('no PEM certificate found');
    for (const block of blocks) new X509Certificate(block);
  } catch (error) {
    throw new ReceiverConfigError(
      `TLS_CLIENT_CA: "${caPath}" is not a PEM CA certificate (${(error as Error).message}); use Meta's meta-outbound-api-ca-2025-12.pem.`,
    );
  }
  return { cert, key, client: { ca, cn: cn ?? META_WEBHOOK_CLIENT_CN } };
}
