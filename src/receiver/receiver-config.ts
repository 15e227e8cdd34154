import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { DEFAULT_WEBHOOK_PATH } from '../whatsapp-webhooks.constants.js';

/** The receiver's settings, read from the environment (and a `.env` file when present). */
export interface ReceiverConfig {
  readonly port: number;
  readonly host?: string;
  readonly path: string;
  readonly bodyLimit: string;
  readonly appSecrets: string[];
  readonly verifyTokens: string[];
  /** True when the secrets were generated because none were configured (never in production). */
  readonly developmentSecrets: boolean;
  /** `REDIS_URL`: durable delivery on BullMQ with deduplication in Redis. */
  readonly redisUrl?: string;
  /**
   * `WHATSAPP_ROLE`: `all` receives and runs listeners; `receiver` only verifies and queues
   * (needs `REDIS_URL`); `worker` only runs listeners from the queue, serving no HTTP.
   */
  readonly role: ReceiverRole;
  /** `WHATSAPP_QUEUE_NAME` (queue mode). */
  readonly queueName?: string;
}

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

/** Loads `.env` from the working directory into `process.env` (values already set win). */
export function loadDotEnv(file = '.env'): boolean {
  if (!existsSync(file)) return false;
  process.loadEnvFile(file);
  return true;
}

/**
 * Reads the receiver's configuration (see README › The receiver):
 * `PORT` (3000), `HOST`, `WHATSAPP_WEBHOOK_PATH` (`webhooks/whatsapp`), `WHATSAPP_BODY_LIMIT`
 * (`5mb`), `WHATSAPP_APP_SECRET` and `WHATSAPP_VERIFY_TOKEN` (comma-separated for several).
 * Without secrets it generates development ones, except with `NODE_ENV=production`, where it
 * refuses to start.
 */
export function readReceiverConfig(env: NodeJS.ProcessEnv = process.env): ReceiverConfig {
  const port = env['PORT'] === undefined || env['PORT'] === '' ? 3000 : Number(env['PORT']);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ReceiverConfigError(`PORT must be an integer from 0 to 65535, got "${env['PORT']}".`);
  }
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
  if (!appSecrets.length) appSecrets = [`dev-${randomBytes(16).toString('hex')}`];
  if (!verifyTokens.length) verifyTokens = [`dev-${randomBytes(12).toString('hex')}`];
  return {
    port,
    ...(env['HOST'] ? { host: env['HOST'] } : {}),
    path: env['WHATSAPP_WEBHOOK_PATH']?.trim() || DEFAULT_WEBHOOK_PATH,
    bodyLimit: env['WHATSAPP_BODY_LIMIT']?.trim() || '5mb',
    appSecrets,
    verifyTokens,
    developmentSecrets,
    role,
    ...(redisUrl ? { redisUrl } : {}),
    ...(env['WHATSAPP_QUEUE_NAME']?.trim() ? { queueName: env['WHATSAPP_QUEUE_NAME'].trim() } : {}),
  };
}
