import { Controller, Get, Header, NotFoundException, Res } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { WabaHealthIndicator } from '../health/waba-health.indicator.js';
import { WabaMetrics } from '../metrics/waba-metrics.js';

/** What `/metrics` writes to: Express's response and Fastify's reply both have these. */
interface MetricsResponse {
  type(contentType: string): { send(body: string): unknown };
}

/** The receiver's operational endpoints: `/health` (terminus) and `/metrics` (Prometheus). */
@Controller()
export class ReceiverOpsController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly waba: WabaHealthIndicator,
    private readonly metrics: WabaMetrics,
  ) {}

  @Get('health')
  @HealthCheck()
  check() {
    return this.health.check([() => this.waba.isHealthy()]);
  }

  @Get('metrics')
  @Header('Cache-Control', 'no-store')
  async scrape(@Res() res: MetricsResponse): Promise<void> {
    const registry = this.metrics.metricsRegistry;
    if (!registry) throw new NotFoundException('Metrics are off (WHATSAPP_METRICS=0).');
    res.type(registry.contentType).send(await registry.metrics());
  }
}
