import { hash } from 'node:crypto';
import type { WabaDedupStore } from './dedup-store.interface.js';

/**
 * Keys are held as SHA-1 digests: 28 characters whatever the key's length (≈ 2× less memory).
 * The one-shot `hash()` costs about a third of a `createHash()` object per key.
 */
function digest(key: string): string {
  return hash('sha1', key, 'base64');
}

/** Default bound of the in-memory store. */
export const DEFAULT_MEMORY_DEDUP_ENTRIES = 100_000;

/**
 * A bounded in-memory store: keys expire after their TTL, and past `maxEntries` the oldest are
 * evicted first, in O(1): keys sit in a ring of `maxEntries` slots, each new key taking the
 * slot of the oldest. Memory stays bounded whatever the traffic; a duplicate arriving after its
 * key was evicted is delivered again.
 */
export class MemoryDedupStore implements WabaDedupStore {
  /** key → its slot in the ring. */
  private readonly slots = new Map<string, number>();
  private readonly ring: (string | undefined)[] = [];
  private readonly expiries: number[] = [];
  private next = 0;

  constructor(readonly maxEntries = DEFAULT_MEMORY_DEDUP_ENTRIES) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(
        `MemoryDedupStore: maxEntries must be a positive integer, got ${maxEntries}`,
      );
    }
  }

  /** Number of keys held (expired keys are dropped when their slot is reused). */
  get size(): number {
    return this.slots.size;
  }

  claim(keys: readonly string[], ttlMs: number): boolean[] {
    const now = Date.now();
    return keys.map((original) => {
      const key = digest(original);
      const slot = this.slots.get(key);
      if (slot !== undefined) {
        if (this.expiries[slot]! > now) return false;
        this.forget(key, slot);
      }
      this.insert(key, now + ttlMs);
      return true;
    });
  }

  isClaimed(keys: readonly string[]): boolean[] {
    const now = Date.now();
    return keys.map((key) => {
      const slot = this.slots.get(digest(key));
      return slot !== undefined && this.expiries[slot]! > now;
    });
  }

  release(keys: readonly string[]): void {
    for (const original of keys) {
      const key = digest(original);
      const slot = this.slots.get(key);
      if (slot !== undefined) this.forget(key, slot);
    }
  }

  private insert(key: string, expiry: number): void {
    const slot = this.next;
    const evicted = this.ring[slot];
    if (evicted !== undefined) this.slots.delete(evicted);
    this.ring[slot] = key;
    this.expiries[slot] = expiry;
    this.slots.set(key, slot);
    this.next = (slot + 1) % this.maxEntries;
  }

  private forget(key: string, slot: number): void {
    this.slots.delete(key);
    this.ring[slot] = undefined;
  }
}
