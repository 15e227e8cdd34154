import type { ConsoleLogger, INestApplication, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ReceiverConfig } from './receiver-config.js';
import { WabaMetrics } from '../metrics/waba-metrics.js';
import { observeWebhookRequests } from '../metrics/waba-metrics.middleware.js';
import { WhatsAppWebhooksHealth } from '../index.js';
import { WabaRejectionLog } from '../webhook/rejection-log.js';
import { JsonLogger } from './json-logger.js';
import { hardenReceiver } from './receiver-hardening.js';
import { ReceiverModule } from './receiver.module.js';
import { clientCertificateMiddleware } from './client-certificate.middleware.js';
import { WorkerHealthServer } from './worker-health.server.js';

/**
 * Creates the receiver application, not yet listening, on Express or Fastify
 * (`config.platform`): raw body kept for the signature, JSON limit raised above Meta's 3 MB
 * maximum, JSON log lines at `config.logLevel`, shutdown hooks on; HTTPS (and mTLS) when
 * `config.tls` is set.
 * Middleware runs on both platforms before the body is read (on Fastify, in its `onRequest` hook).
 */
export async function createReceiver(
  config: ReceiverConfig,
  logger: ConsoleLogger = new JsonLogger(config.logLevel),
): Promise<INestApplication> {
  const app =
    config.platform === 'fastify'
      ? await createFastifyApp(config, logger)
      : await NestFactory.create<NestExpressApplication>(ReceiverModule.forRoot(config), {
          rawBody: true,
          logger,
          ...(config.tls ? { httpsOptions: httpsOptions(config.tls) } : {}),
        });
  const rejections = app.get(WabaRejectionLog);
  // First of all middleware: a wrong CN is answered 403 before any body is read.
  if (config.tls?.client) app.use(clientCertificateMiddleware(config.tls.client.cn, rejections));
  hardenReceiver(app, config);
  // Before the body parser, so that bodies it rejects as too large (413) are counted and logged
  // too (the module's rejection log never sees them: they are answered before routing).
  const route = `/${config.path.replace(/^\/+/, '')}`;
  app.use(route, observeWebhookRequests(app.get(WabaMetrics)));
  app.use(route, logOversizedBodies(rejections, config.bodyLimit));
  // Fastify's limit is the adapter's bodyLimit; useBodyParser('json') would fail its start.
  if (config.platform === 'express') {
    (app as NestExpressApplication).useBodyParser('json', { limit: config.bodyLimit });
  }
  app.enableShutdownHooks();
  return app;
}

/**
 * Node's HTTPS server options for `config.tls`. With mTLS, unknown CAs and missing certificates
 * fail the TLS handshake itself.
 */
function httpsOptions(tls: NonNullable<ReceiverConfig['tls']>): {
  cert: Buffer;
  key: Buffer;
  ca?: Buffer;
  requestCert?: boolean;
  rejectUnauthorized?: boolean;
} {
  return {
    cert: tls.cert,
    key: tls.key,
    ...(tls.client ? { ca: tls.client.ca, requestCert: true, rejectUnauthorized: true } : {}),
  };
}

/**
 * The receiver on @nestjs/platform-fastify (loaded only for `HTTP_PLATFORM=fastify`): the body
 * limit and HTTPS are options of the adapter (Fastify ignores Nest's `httpsOptions`).
 */
async function createFastifyApp(
  config: ReceiverConfig,
  logger: ConsoleLogger,
): Promise<NestFastifyApplication> {
  const { FastifyAdapter } = await import('@nestjs/platform-fastify');
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimit,
    ...(config.tls ? { https: httpsOptions(config.tls) } : {}),
  });
  return NestFactory.create<NestFastifyApplication>(ReceiverModule.forRoot(config), adapter, {
    rawBody: true,
    logger,
  });
}

/**
 * Logs the webhook POSTs the body parser answers 413, through the module's rate-limited
 * rejection log.
 */
function logOversizedBodies(rejections: WabaRejectionLog, limit: number) {
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    if (req.method === 'POST') {
      res.once('finish', () => {
        if (res.statusCode !== 413) return;
        const detail = `the body is larger than the ${limit}-byte limit (WHATSAPP_BODY_LIMIT)`;
        rejections.rejected(413, req.socket.remoteAddress, detail);
      });
    }
    next();
  };
}

/**
 * A worker-only instance: the module's queue worker and the listeners, no webhook route; its
 * `GET /health` ({@link WorkerHealthServer}) listening on `config.healthPort` and `config.host`
 * (bound first: a taken port stops the start before Redis is reached), its URL in
 * `app.get(WorkerHealthServer).url`. Closed with the application, on SIGTERM too.
 *
 * @throws ReceiverConfigError when `HEALTH_PORT` cannot be bound.
 */
export async function createWorker(
  config: ReceiverConfig,
  logger: ConsoleLogger = new JsonLogger(config.logLevel),
): Promise<INestApplicationContext> {
  const health = new WorkerHealthServer();
  await health.listen(config.healthPort, config.host);
  let app: INestApplicationContext;
  try {
    app = await NestFactory.createApplicationContext(ReceiverModule.forRoot(config, health), {
      logger,
    });
  } catch (error) {
    await health.close();
    throw error;
  }
  app.enableShutdownHooks();
  health.serve(app.get(WhatsAppWebhooksHealth));
  return app;
}
