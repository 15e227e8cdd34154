import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { WabaMetrics } from './waba-metrics.js';

const OBSERVED = Symbol('nestjs-whatsapp-webhooks:metrics-observed');

type ObservedRequest = IncomingMessage & { [OBSERVED]?: true };

/**
 * Express-style middleware that records each webhook request's outcome and answer time. The
 * module applies it to its route; the receiver also mounts it before the body parser so that
 * bodies rejected for their size (413, answered by the parser) are counted too.
 */
export function observeWebhookRequests(metrics: WabaMetrics) {
  return (req: ObservedRequest, res: ServerResponse, next: () => void): void => {
    if (!metrics.enabled || req[OBSERVED]) return next();
    req[OBSERVED] = true;
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.requestFinished(req.method ?? 'GET', res.statusCode, seconds);
    });
    next();
  };
}

/** {@link observeWebhookRequests} as a Nest middleware. @internal */
@Injectable()
export class WabaMetricsMiddleware implements NestMiddleware {
  private readonly observe: ReturnType<typeof observeWebhookRequests>;

  constructor(metrics: WabaMetrics) {
    this.observe = observeWebhookRequests(metrics);
  }

  use(req: ObservedRequest, res: ServerResponse, next: () => void): void {
    this.observe(req, res, next);
  }
}
