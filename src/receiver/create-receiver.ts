import { ConsoleLogger, type INestApplication, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { ReceiverConfig } from './receiver-config.js';
import { WabaMetrics } from '../metrics/waba-metrics.js';
import { observeWebhookRequests } from '../metrics/waba-metrics.middleware.js';
import { hardenReceiver } from './receiver-hardening.js';
import { ReceiverModule } from './receiver.module.js';
import { clientCertificateMiddleware } from './client-certificate.middleware.js';

/**
 * Creates the receiver application, not yet listening: raw body kept for the signature, JSON
 * limit raised above Meta's 3 MB maximum, structured JSON logs, shutdown hooks on; HTTPS (and
 * mTLS) when `config.tls` is set.
 */
export async function createReceiver(
  config: ReceiverConfig,
  logger = new ConsoleLogger({ json: true, colors: false }),
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ReceiverModule.forRoot(config), {
    rawBody: true,
    logger,
    ...(config.tls
      ? {
          httpsOptions: {
            cert: config.tls.cert,
            key: config.tls.key,
            // mTLS: unknown CAs and missing certificates fail the TLS handshake itself.
            ...(config.tls.client
              ? { ca: config.tls.client.ca, requestCert: true, rejectUnauthorized: true }
              : {}),
          },
        }
      : {}),
  });
  // First of all middleware: a wrong CN is answered 403 before any body is read.
  if (config.tls?.client) app.use(clientCertificateMiddleware(config.tls.client.cn));
  hardenReceiver(app, config);
  // Before the body parser, so that bodies it rejects as too large (413) are counted too.
  app.use(`/${config.path.replace(/^\/+/, '')}`, observeWebhookRequests(app.get(WabaMetrics)));
  app.useBodyParser('json', { limit: config.bodyLimit });
  app.enableShutdownHooks();
  return app;
}

/** A worker-only instance: the module's queue worker and the listeners, no HTTP server. */
export async function createWorker(
  config: ReceiverConfig,
  logger = new ConsoleLogger({ json: true, colors: false }),
): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(ReceiverModule.forRoot(config), {
    logger,
  });
  app.enableShutdownHooks();
  return app;
}
