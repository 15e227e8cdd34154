import type { OnApplicationShutdown } from '@nestjs/common';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WhatsAppWebhooksHealth } from '../index.js';
import { ReceiverConfigError } from './receiver-config.js';

/** Hosts that mean "every interface": the logged URL names `localhost` instead. */
const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '']);

/**
 * The worker role's probe endpoint. A worker is an application context with no HTTP server, so
 * this small `node:http` server answers `GET /health` with the JSON of
 * {@link WhatsAppWebhooksHealth.check}: 200 when up, 503 when down (Redis unreachable, or the
 * worker still starting); any other request is answered 404. It is bound before the application
 * starts, so that a taken port stops the start before any Redis connection is opened, and is
 * closed with the application (SIGTERM, `app.close()`) as one of its providers.
 */
export class WorkerHealthServer implements OnApplicationShutdown {
  private readonly server = createServer((req, res) => void this.answer(req, res));
  private health?: WhatsAppWebhooksHealth;
  private listening?: string;

  /** `http://…/health` once listening. */
  get url(): string | undefined {
    return this.listening;
  }

  /**
   * Listens on `port` (`0`: a free one) and `host`; resolves with the URL of `/health`. Until
   * {@link serve} is called, `/health` answers 503 (starting).
   *
   * @throws ReceiverConfigError naming `HEALTH_PORT` when the port cannot be bound.
   */
  listen(port: number, host = '0.0.0.0'): Promise<string> {
    return new Promise((resolve, reject) => {
      const failed = (error: NodeJS.ErrnoException) =>
        reject(
          new ReceiverConfigError(
            `HEALTH_PORT: cannot listen on ${host}:${port} (${error.code ?? error.message}); set HEALTH_PORT to a free port, or 0 for any.`,
          ),
        );
      this.server.once('error', failed);
      this.server.listen(port, host, () => {
        this.server.off('error', failed);
        const address = this.server.address() as AddressInfo;
        const shown = WILDCARD_HOSTS.has(host) ? 'localhost' : host;
        const hostname = shown.includes(':') ? `[${shown}]` : shown;
        this.listening = `http://${hostname}:${address.port}/health`;
        resolve(this.listening);
      });
    });
  }

  /** From now on, `/health` answers with `health.check()`. */
  serve(health: WhatsAppWebhooksHealth): void {
    this.health = health;
  }

  /** Stops listening and closes the probes' kept-alive connections. */
  close(): Promise<void> {
    if (!this.server.listening) return Promise.resolve();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  onApplicationShutdown(): Promise<void> {
    return this.close();
  }

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/health' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ statusCode: 404, message: 'Not Found' }));
      return;
    }
    const health = this.health
      ? await this.health.check().catch((error: unknown) => ({
          status: 'down' as const,
          message: error instanceof Error ? error.message : String(error),
        }))
      : { status: 'down' as const, message: 'the worker is starting' };
    res.writeHead(health.status === 'up' ? 200 : 503, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
    });
    res.end(JSON.stringify(health));
  }
}
