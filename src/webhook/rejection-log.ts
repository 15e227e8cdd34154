import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { requestOutcome } from '../metrics/waba-metrics.js';
import { messages } from '../whatsapp-webhooks.messages.js';

/** Lines logged per reason and window before further ones are only counted. */
export const REJECTION_LOG_LIMIT = 10;
/** Length of that window. */
export const REJECTION_LOG_WINDOW_MS = 10_000;
/** Longest detail (the answer's message) written to a line. */
const MAX_DETAIL = 300;

interface Window {
  readonly startedAt: number;
  logged: number;
  suppressed: number;
  timer?: NodeJS.Timeout;
}

/**
 * Writes lines of one kind at most `limit` times per `windowMs` per key; past that, counts them
 * and writes one summary line per key when the window ends. Keys must come from a small, fixed
 * set (here: the outcome labels of rejected requests), so that memory stays bounded too.
 */
export class RateLimitedLog {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly write: (line: string) => void,
    private readonly summarize: (key: string, suppressed: number, windowMs: number) => string,
    readonly limit = REJECTION_LOG_LIMIT,
    readonly windowMs = REJECTION_LOG_WINDOW_MS,
  ) {}

  /** Writes `line()` unless `key` has had `limit` lines in its current window. */
  log(key: string, line: () => string): void {
    const now = Date.now();
    let window = this.windows.get(key);
    if (window && now - window.startedAt >= this.windowMs) {
      this.close(key, window);
      window = undefined;
    }
    if (!window) {
      window = { startedAt: now, logged: 0, suppressed: 0 };
      this.windows.set(key, window);
    }
    if (window.logged < this.limit) {
      window.logged += 1;
      this.write(line());
      return;
    }
    window.suppressed += 1;
    if (!window.timer) {
      const open = window;
      open.timer = setTimeout(() => this.close(key, open), open.startedAt + this.windowMs - now);
      open.timer.unref();
    }
  }

  /** Ends every window now, writing the summaries still due (at shutdown). */
  flush(): void {
    for (const [key, window] of this.windows) this.close(key, window);
  }

  private close(key: string, window: Window): void {
    clearTimeout(window.timer);
    if (this.windows.get(key) === window) this.windows.delete(key);
    if (window.suppressed > 0) {
      this.write(this.summarize(key, window.suppressed, this.windowMs));
    }
  }
}

/**
 * Logs each rejected webhook POST at `warn` — its status, reason (the `outcome` label of the
 * metrics: `rejected_signature`, `rejected_envelope`, …), remote address and the message it was
 * answered with, which never holds a signature, secret, token or body — at most
 * {@link REJECTION_LOG_LIMIT} lines per reason every {@link REJECTION_LOG_WINDOW_MS} ms, then one
 * line with the number left out, so that a flood of bad requests cannot fill a disk.
 *
 * @internal
 */
@Injectable()
export class WabaRejectionLog implements OnApplicationShutdown {
  private readonly logger = new Logger('WhatsAppWebhooks');
  private readonly log = new RateLimitedLog(
    (line) => this.logger.warn(line),
    (reason, suppressed, windowMs) => messages.rejectionsSuppressed(reason, suppressed, windowMs),
  );

  /**
   * Records a rejected POST.
   *
   * @param status the answer's status (400, 401, 403, 413, 415).
   * @param remoteAddress the client's address (the platform's `request.ip`).
   * @param detail why: the message the client was answered with.
   */
  rejected(status: number, remoteAddress: string | undefined, detail: string): void {
    const reason = requestOutcome('POST', status);
    this.log.log(reason, () =>
      messages.requestRejected(status, reason, remoteAddress, shorten(detail)),
    );
  }

  onApplicationShutdown(): void {
    this.log.flush();
  }
}

/** One line of at most {@link MAX_DETAIL} characters, without the messages' common prefix. */
function shorten(detail: string): string {
  const line = detail.replace(/^WhatsApp webhook: /, '').replace(/\s+/g, ' ');
  return line.length > MAX_DETAIL ? `${line.slice(0, MAX_DETAIL - 1)}…` : line;
}
