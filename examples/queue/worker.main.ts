import 'reflect-metadata';
import { Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { HealthCheckService, TerminusModule } from '@nestjs/terminus';
import { WhatsAppWebhooksModule } from 'nestjs-whatsapp-webhooks';
import { WabaHealthIndicator } from 'nestjs-whatsapp-webhooks/health';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OrderListener } from './order.listener.js';
import { whatsappOptions } from './whatsapp-options.js';

/** A worker: no webhook route, just your listeners fed by the queue. */
@Module({
  imports: [WhatsAppWebhooksModule.forRoot(whatsappOptions(true)), TerminusModule],
  providers: [OrderListener, WabaHealthIndicator],
})
class WorkerModule {}

async function bootstrap(): Promise<void> {
  const app = await NestFactory.createApplicationContext(WorkerModule);
  app.enableShutdownHooks(); // SIGTERM: finish the jobs in progress, leave the rest in Redis
  const logger = new Logger('Worker');

  // A worker has no HTTP server of its own; a tiny one answers the orchestrator's probe:
  // 200 while Redis answers, 503 with the reason otherwise.
  const health = app.get(HealthCheckService);
  const waba = app.get(WabaHealthIndicator);
  const server = createServer((req, res) => {
    if (req.url !== '/health') return void res.writeHead(404).end();
    health.check([() => waba.isHealthy()]).then(
      (result) =>
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result)),
      (error: { getResponse?: () => unknown }) =>
        res
          .writeHead(503, { 'content-type': 'application/json' })
          .end(JSON.stringify(error.getResponse?.() ?? { status: 'error' })),
    );
  });
  server.listen(Number(process.env['HEALTH_PORT'] ?? 3001), () => {
    const { port } = server.address() as AddressInfo;
    logger.log(`Health on http://127.0.0.1:${port}/health`);
  });
  process.once('SIGTERM', () => server.close());
}

void bootstrap();
