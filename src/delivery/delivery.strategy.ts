import type { ReceivedWebhook } from '../events/waba-dispatch.types.js';

/**
 * How accepted updates reach the listeners: {@link DirectDelivery} (in this process) or
 * {@link QueueDelivery} (through BullMQ), chosen once from the options behind
 * {@link WABA_DELIVERY_STRATEGY}.
 *
 * @internal
 */
export interface WabaDeliveryStrategy {
  /**
   * Takes a verified, validated webhook (already filtered by the allow-lists). Returns (or
   * resolves) when it may be acknowledged — synchronously when nothing had to be awaited; throws
   * (or rejects with) an HTTP exception (503, 500) when Meta should redeliver it.
   */
  accept(webhook: ReceivedWebhook): Promise<void> | void;
  /** Resolves once what was accepted so far reached its listeners (for the test kit). */
  settled(): Promise<void>;
}

/** Injection token of the module instance's delivery strategy. @internal */
export const WABA_DELIVERY_STRATEGY = Symbol('WABA_DELIVERY_STRATEGY');
