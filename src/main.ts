import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createReceiver, createWorker } from './receiver/create-receiver.js';
import { JsonLogger } from './receiver/json-logger.js';
import {
  loadDotEnv,
  type ReceiverConfig,
  ReceiverConfigError,
  readReceiverConfig,
} from './receiver/receiver-config.js';
import { WorkerHealthServer } from './receiver/worker-health.server.js';

/** Starts the standalone receiver: `npm start`. Settings: see `readReceiverConfig`. */
async function bootstrap(): Promise<void> {
  loadDotEnv();
  try {
    const config = readReceiverConfig();
    await (config.role === 'worker' ? startWorker(config) : startReceiver(config));
  } catch (error) {
    if (!(error instanceof ReceiverConfigError)) throw error;
    new JsonLogger().error(error.message, 'Receiver');
    process.exitCode = 1;
  }
}

/** `WHATSAPP_ROLE=worker`: listeners fed by the queue, and `GET /health` on `HEALTH_PORT`. */
async function startWorker(config: ReceiverConfig): Promise<void> {
  const worker = await createWorker(config);
  new Logger('Receiver').log({
    message: 'WhatsApp webhook worker started',
    role: 'worker',
    health: worker.get(WorkerHealthServer).url,
  });
}

/** The HTTP roles (`all`, `receiver`): the webhook route, `/health` and `/metrics` on `PORT`. */
async function startReceiver(config: ReceiverConfig): Promise<void> {
  const app = await createReceiver(config);
  await app.listen(config.port, config.host ?? '0.0.0.0');
  const logger = new Logger('Receiver');
  const url = `${config.tls ? 'https' : 'http'}://localhost:${config.port === 0 ? new URL(await app.getUrl()).port : config.port}/${config.path}`;
  if (config.developmentSecrets) {
    logger.warn({
      message:
        'DEVELOPMENT MODE: WHATSAPP_APP_SECRET / WHATSAPP_VERIFY_TOKEN are not set, so throwaway ' +
        'secrets were generated for this run. Do not point Meta at this mode: set both variables ' +
        '(environment or .env file). With NODE_ENV=production the receiver refuses to start without them.',
      appSecret: config.appSecrets[0],
      verifyToken: config.verifyTokens[0],
      tryIt: `WHATSAPP_APP_SECRET=${config.appSecrets[0]} npm run simulate -- --url ${url}`,
    });
  }
  logger.log({
    message: 'WhatsApp webhook receiver listening',
    url,
    role: config.role,
    platform: config.platform,
    delivery: config.redisUrl ? 'queue' : 'direct',
    tls: config.tls
      ? config.tls.client
        ? `mTLS, client CN ${config.tls.client.cn}`
        : 'on'
      : 'off',
  });
}

void bootstrap();
