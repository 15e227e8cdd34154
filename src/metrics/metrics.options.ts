/**
 * A prom-client `Registry`, typed loosely so that applications without prom-client installed
 * still compile against this package.
 */
export type WabaMetricsRegistry = object;

/** Where and how metrics are registered. */
export interface WabaMetricsOptions {
  /** @default prom-client's default `register` */
  registry?: WabaMetricsRegistry;
  /** Prefix of every metric name. @default 'waba_' */
  prefix?: string;
}

/** The metrics slice of the options (`null` when metrics are off). */
export interface ResolvedMetricsOptions {
  readonly registry?: WabaMetricsRegistry;
  readonly prefix: string;
}

/** Injection token of {@link ResolvedMetricsOptions} (`null` when metrics are off). @internal */
export const METRICS_OPTIONS = Symbol('WABA_METRICS_OPTIONS');

/** Applies the metrics defaults; `null` when metrics are off. @internal */
export function resolveMetricsOptions(
  metrics: boolean | WabaMetricsOptions | undefined,
): ResolvedMetricsOptions | null {
  if (!metrics) return null;
  const settings = typeof metrics === 'object' ? metrics : {};
  return Object.freeze({
    prefix: settings.prefix ?? 'waba_',
    ...(settings.registry ? { registry: settings.registry } : {}),
  });
}
