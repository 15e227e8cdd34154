import type { BusinessUseCaseUsage, GraphApiUsage } from './subscription.types.js';

/**
 * Graph error codes that mean "stop calling for a while" (protocol.md §14.3): application (4),
 * user (17), page (32) and custom (613) request limits, the WABA rate limit (80007) and the
 * WhatsApp Business Management Business Use Case limit (80008).
 *
 * @internal
 */
export const RATE_LIMIT_GRAPH_ERROR_CODES: ReadonlySet<number> = new Set([
  4, 17, 32, 613, 80007, 80008,
]);

const MINUTE_MS = 60_000;

/** Business objects whose usage is remembered at most; the least recently reported go first. */
const MAX_OBJECTS = 10_000;

/**
 * Rate-limit state per business object (WABA or business ID), as `X-Business-Use-Case-Usage`
 * keys it: the usage last reported for each, and until when calls for it are held back.
 *
 * A window opens when a header reports `estimated_time_to_regain_access > 0` for an object
 * (now + that many minutes), or when a call for a WABA ends in a rate-limit error ({@link hold});
 * a header reporting `0` for an object closes its window (Meta's latest word wins). Windows only
 * grow while open, so concurrent answers never shorten a wait Meta asked for.
 *
 * @internal
 */
export class GraphThrottle {
  private readonly usage = new Map<string, GraphApiUsage>();
  private readonly until = new Map<string, number>();
  private last: GraphApiUsage | undefined;

  constructor(private readonly now: () => number = Date.now) {}

  /** Records the usage headers of one answer. */
  record(usage: GraphApiUsage): void {
    this.last = usage;
    const byObject = new Map<string, BusinessUseCaseUsage[]>();
    for (const entry of usage.businessUseCase) {
      const entries = byObject.get(entry.businessObjectId) ?? [];
      entries.push(entry);
      byObject.set(entry.businessObjectId, entries);
    }
    for (const [id, entries] of byObject) {
      const minutes = Math.max(
        0,
        ...entries.map((entry) => entry.estimatedTimeToRegainAccessMinutes ?? 0),
      );
      const regainAccessInMs = minutes * MINUTE_MS;
      this.usage.delete(id);
      this.usage.set(id, {
        businessUseCase: entries,
        ...(usage.app ? { app: usage.app } : {}),
        regainAccessInMs,
      });
      if (regainAccessInMs > 0) this.hold(id, regainAccessInMs);
      else this.until.delete(id);
    }
    for (const id of this.usage.keys()) {
      if (this.usage.size <= MAX_OBJECTS) break;
      this.usage.delete(id);
    }
  }

  /** Holds calls for `id` back for `ms` from now (or longer, if a window is already open). */
  hold(id: string, ms: number): void {
    if (ms <= 0) return;
    const now = this.now();
    const until = now + ms;
    if (until > (this.until.get(id) ?? 0)) this.until.set(id, until);
    if (this.until.size > MAX_OBJECTS) {
      for (const [other, end] of this.until) if (end <= now) this.until.delete(other);
    }
  }

  /** How long calls for `id` are still held back, in milliseconds (`0`: not at all). */
  remainingMs(id: string): number {
    const until = this.until.get(id);
    if (until === undefined) return 0;
    const remaining = until - this.now();
    if (remaining > 0) return remaining;
    this.until.delete(id);
    return 0;
  }

  /** The usage last reported for `id`. */
  usageOf(id: string): GraphApiUsage | undefined {
    return this.usage.get(id);
  }

  /** The usage of the last answer that carried usage headers, whatever its objects. */
  lastUsage(): GraphApiUsage | undefined {
    return this.last;
  }
}
