/** The shapes `WhatsAppWebhooksHealth.check()` answers with. */

/** Health of queue mode: Redis reachable, with the queue's depth and failed count, or not. */
export type WabaQueueHealth =
  | {
      readonly status: 'up';
      readonly mode: 'queue';
      readonly redis: 'up';
      /** Jobs waiting, active or delayed for a retry. */
      readonly queueDepth: number;
      /** Jobs that exhausted their attempts and are kept for re-drive. */
      readonly failed: number;
    }
  | {
      readonly status: 'down';
      readonly mode: 'queue';
      readonly redis: 'down';
      /** Why (Redis unreachable, no PING answer in time, …). */
      readonly message: string;
    };

/** Health of the module's delivery: always up in direct mode; in queue mode, Redis's. */
export type WabaDeliveryHealth =
  { readonly status: 'up'; readonly mode: 'direct' } | WabaQueueHealth;

/** What the health facade asks the queue: its health, `undefined` in direct mode. @internal */
export interface WabaQueueHealthSource {
  health(timeoutMs: number): Promise<WabaQueueHealth | undefined>;
}

/**
 * Injection token of the queue as a {@link WabaQueueHealthSource}: the facade's declarations
 * then never name the queue, so they need neither bullmq nor prom-client types. @internal
 */
export const WABA_QUEUE_HEALTH = Symbol('WABA_QUEUE_HEALTH');
