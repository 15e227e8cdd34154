import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { importOptional, OPTIONAL_PACKAGES } from '../optional-package.js';
import { METRICS_OPTIONS, type ResolvedMetricsOptions } from './metrics.options.js';

/** The outcome label of a webhook request, from its status code. */
export function requestOutcome(method: string, status: number): string {
  if (method === 'GET') return status === 200 ? 'handshake_ok' : 'handshake_rejected';
  switch (status) {
    case 200:
      return 'accepted';
    case 400:
      return 'rejected_envelope';
    case 401:
      return 'rejected_signature';
    case 403:
      return 'rejected_client_certificate';
    case 413:
      return 'rejected_size';
    case 415:
      return 'rejected_content_type';
    case 429:
      return 'rate_limited';
    case 503:
      return 'unavailable';
    default:
      return status >= 500 ? 'error' : `status_${status}`;
  }
}

interface Instruments {
  requests: Counter<'outcome'>;
  ackLatency: Histogram<'outcome'>;
  updates: Counter<'field'>;
  duplicates: Counter;
  ignored: Counter<'reason'>;
  events: Counter<'kind' | 'field'>;
  listenerFailures: Counter<'field'>;
  queueDepth: Gauge<'state'>;
}

/**
 * Prometheus metrics of the module (prom-client, loaded only when the `metrics` option is on).
 * Every method is a no-op when metrics are off, so the hot path pays one property check.
 *
 * @internal
 */
@Injectable()
export class WabaMetrics implements OnModuleInit {
  private instruments?: Instruments;
  private registry?: Registry;
  private queueCounts?: () => Promise<Record<string, number>>;

  constructor(
    @Inject(METRICS_OPTIONS)
    private readonly settings: ResolvedMetricsOptions | null,
  ) {}

  get enabled(): boolean {
    return this.instruments !== undefined;
  }

  /** The registry the metrics are in (metrics on only). */
  get metricsRegistry(): Registry | undefined {
    return this.registry;
  }

  async onModuleInit(): Promise<void> {
    const settings = this.settings;
    if (!settings) return;
    const client = await importOptional(OPTIONAL_PACKAGES.promClient, () => import('prom-client'));
    const registry = (settings.registry as Registry | undefined) ?? client.register;
    const p = settings.prefix;
    // Two applications in one process may share a registry: reuse what is registered.
    const reuse = <M>(name: string, create: () => M): M =>
      (registry.getSingleMetric(p + name) as M | undefined) ?? create();
    const registers = [registry];
    const queueCounts = () => this.queueCounts?.().catch(() => undefined);
    this.registry = registry;
    this.instruments = {
      requests: reuse(
        'webhook_requests_total',
        () =>
          new client.Counter({
            name: `${p}webhook_requests_total`,
            help: 'Webhook requests by outcome (accepted, rejected_signature, rejected_envelope, rejected_size, …).',
            labelNames: ['outcome'],
            registers,
          }),
      ),
      ackLatency: reuse(
        'webhook_ack_latency_seconds',
        () =>
          new client.Histogram({
            name: `${p}webhook_ack_latency_seconds`,
            help: 'Time from request to answer.',
            labelNames: ['outcome'],
            buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
            registers,
          }),
      ),
      updates: reuse(
        'webhook_changes_received_total',
        () =>
          new client.Counter({
            name: `${p}webhook_changes_received_total`,
            help: 'Verified, validated changes received, by field.',
            labelNames: ['field'],
            registers,
          }),
      ),
      duplicates: reuse(
        'webhook_duplicates_dropped_total',
        () =>
          new client.Counter({
            name: `${p}webhook_duplicates_dropped_total`,
            help: 'Redelivered updates recognised and not emitted again.',
            registers,
          }),
      ),
      ignored: reuse(
        'webhook_updates_ignored_total',
        () =>
          new client.Counter({
            name: `${p}webhook_updates_ignored_total`,
            help: 'Changes acknowledged but not emitted because their WABA or phone number is not allowed.',
            labelNames: ['reason'],
            registers,
          }),
      ),
      events: reuse(
        'webhook_events_emitted_total',
        () =>
          new client.Counter({
            name: `${p}webhook_events_emitted_total`,
            help: 'Events emitted to listeners, by kind and field.',
            labelNames: ['kind', 'field'],
            registers,
          }),
      ),
      listenerFailures: reuse(
        'webhook_listener_failures_total',
        () =>
          new client.Counter({
            name: `${p}webhook_listener_failures_total`,
            help: 'Listener calls that threw or rejected, by field.',
            labelNames: ['field'],
            registers,
          }),
      ),
      queueDepth: reuse(
        'webhook_queue_jobs',
        () =>
          new client.Gauge({
            name: `${p}webhook_queue_jobs`,
            help: 'Jobs in the delivery queue by state (queue mode).',
            labelNames: ['state'],
            registers,
            async collect() {
              const counts = await queueCounts();
              for (const [state, n] of Object.entries(counts ?? {})) this.set({ state }, n);
            },
          }),
      ),
    };
  }

  /** Lets the queue report its depth when the gauge is scraped. */
  setQueueCounts(counts: () => Promise<Record<string, number>>): void {
    this.queueCounts = counts;
  }

  requestFinished(method: string, status: number, seconds: number): void {
    const i = this.instruments;
    if (!i) return;
    const outcome = requestOutcome(method, status);
    i.requests.inc({ outcome });
    if (method === 'POST') i.ackLatency.observe({ outcome }, seconds);
  }

  changesReceived(fields: readonly string[]): void {
    const i = this.instruments;
    if (!i) return;
    for (const field of fields) i.updates.inc({ field });
  }

  duplicatesDropped(count: number): void {
    if (count > 0) this.instruments?.duplicates.inc(count);
  }

  updateIgnored(reason: 'waba' | 'phone_number'): void {
    this.instruments?.ignored.inc({ reason });
  }

  eventEmitted(kind: string, field: string): void {
    this.instruments?.events.inc({ kind, field });
  }

  listenerFailed(field: string): void {
    this.instruments?.listenerFailures.inc({ field });
  }
}
