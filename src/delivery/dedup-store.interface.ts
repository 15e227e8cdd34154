/**
 * Where deduplication keys are remembered. The module ships an in-memory store (default, one
 * process) and a Redis store (shared by many instances); implement this interface for another.
 */
export interface WabaDedupStore {
  /**
   * Atomically records every key not already recorded (for `ttlMs`), and tells for each key
   * whether this call recorded it (`true`: first time seen) or it was there (`false`: duplicate).
   */
  claim(keys: readonly string[], ttlMs: number): Promise<boolean[]> | boolean[];
  /** Tells for each key whether it is recorded, without recording anything. */
  isClaimed(keys: readonly string[]): Promise<boolean[]> | boolean[];
  /** Forgets keys, so that a redelivery of their updates goes through again. */
  release(keys: readonly string[]): Promise<void> | void;
}
