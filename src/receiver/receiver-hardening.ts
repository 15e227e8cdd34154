import type { INestApplication } from '@nestjs/common';
import { ThrottlerStorageService } from '@nestjs/throttler';
import helmet from 'helmet';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { ReceiverConfig } from './receiver-config.js';

const REJECTED = new Set([401, 403]);

/**
 * Applies the receiver's transport hardening to an application that is not listening yet:
 * - server timeouts (request, headers, keep-alive) against slow clients;
 * - security headers on every answer (helmet; the webhook answers are not HTML, so the strictest
 *   policy fits);
 * - a limit on rejected requests per client address, counted by @nestjs/throttler's storage:
 *   only answers 401/403 count, so Meta's legitimate bursts are never throttled; a client past
 *   the limit is answered 429 before its body is read until the block expires.
 */
export function hardenReceiver(app: INestApplication, config: ReceiverConfig): void {
  const limits = config.limits;
  const server = app.getHttpServer() as Server;
  server.requestTimeout = limits.requestTimeoutMs;
  server.headersTimeout = limits.headersTimeoutMs;
  // Read when the server starts listening: how often incomplete requests are checked.
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval =
    Math.min(limits.headersTimeoutMs, 30_000);
  server.keepAliveTimeout = 5_000;

  app.use(
    helmet({
      contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
      crossOriginResourcePolicy: { policy: 'same-origin' },
    }),
  );

  const storage = new ThrottlerStorageService();
  const blockedUntil = new Map<string, number>();
  server.once('close', () => storage.onApplicationShutdown());
  app.use((req: IncomingMessage, res: ServerResponse, next: () => void) => {
    const client = req.socket.remoteAddress ?? 'unknown';
    const until = blockedUntil.get(client);
    if (until !== undefined) {
      if (until > Date.now()) {
        res.statusCode = 429;
        res.setHeader('Retry-After', String(Math.ceil((until - Date.now()) / 1000)));
        res.setHeader('Connection', 'close');
        res.end('Too many rejected requests from this address.');
        return;
      }
      blockedUntil.delete(client);
    }
    res.once('finish', () => {
      if (!REJECTED.has(res.statusCode)) return;
      void storage
        .increment(
          client,
          limits.rejectionWindowMs,
          limits.rejectionsPerWindow,
          limits.rejectionWindowMs,
          'rejected',
        )
        .then((record) => {
          if (record.isBlocked)
            blockedUntil.set(client, Date.now() + record.timeToBlockExpire * 1000);
        });
    });
    next();
  });
}
