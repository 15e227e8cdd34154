import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import murmurHash3 from 'murmurhash3js-revisited';
import { murmur3x86x128 } from '../../src/delivery/memory-dedup.store.js';
import { MemoryDedupStore } from '../../src/index.js';

/**
 * The store's contract, written the plain way: a ring of `maxEntries` keys (each new key takes
 * the next slot, evicting the key there), a map from key to slot, expiry per slot. The typed
 * array store must answer exactly like it, whatever the sequence of operations.
 */
class ReferenceStore {
  private readonly slots = new Map<string, number>();
  private readonly ring: (string | undefined)[] = [];
  private readonly expiries: number[] = [];
  private next = 0;

  constructor(private readonly maxEntries: number) {}

  get size(): number {
    return this.slots.size;
  }

  claim(keys: readonly string[], ttlMs: number, now: number): boolean[] {
    return keys.map((key) => {
      const slot = this.slots.get(key);
      if (slot !== undefined) {
        if (this.expiries[slot]! > now) return false;
        this.forget(key, slot);
      }
      const at = this.next;
      const evicted = this.ring[at];
      if (evicted !== undefined) this.slots.delete(evicted);
      this.ring[at] = key;
      this.expiries[at] = now + ttlMs;
      this.slots.set(key, at);
      this.next = (at + 1) % this.maxEntries;
      return true;
    });
  }

  isClaimed(keys: readonly string[], now: number): boolean[] {
    return keys.map((key) => {
      const slot = this.slots.get(key);
      return slot !== undefined && this.expiries[slot]! > now;
    });
  }

  release(keys: readonly string[]): void {
    for (const key of keys) {
      const slot = this.slots.get(key);
      if (slot !== undefined) this.forget(key, slot);
    }
  }

  private forget(key: string, slot: number): void {
    this.slots.delete(key);
    this.ring[slot] = undefined;
  }
}

type Operation =
  | { op: 'claim'; keys: number[]; expired: boolean }
  | { op: 'isClaimed'; keys: number[] }
  | { op: 'release'; keys: number[] };

const RUNS = Number(process.env.FUZZ_RUNS ?? 200);

describe('MemoryDedupStore (typed-array ring and index)', () => {
  it('answers claim, isClaimed and release exactly like the plain ring + map model', () => {
    const operation = (keySpace: number): fc.Arbitrary<Operation> => {
      const keys = fc.array(fc.nat({ max: keySpace - 1 }), { minLength: 1, maxLength: 4 });
      return fc.oneof(
        {
          weight: 6,
          arbitrary: fc.record({ op: fc.constant('claim' as const), keys, expired: fc.boolean() }),
        },
        { weight: 2, arbitrary: fc.record({ op: fc.constant('isClaimed' as const), keys }) },
        { weight: 2, arbitrary: fc.record({ op: fc.constant('release' as const), keys }) },
      );
    };
    const scenario = fc
      .record({
        maxEntries: fc.integer({ min: 1, max: 40 }),
        spread: fc.integer({ min: 1, max: 4 }),
      })
      .chain(({ maxEntries, spread }) =>
        fc.record({
          maxEntries: fc.constant(maxEntries),
          operations: fc.array(operation(maxEntries * spread), { maxLength: 300 }),
        }),
      );
    fc.assert(
      fc.property(scenario, ({ maxEntries, operations }) => {
        const store = new MemoryDedupStore(maxEntries);
        const model = new ReferenceStore(maxEntries);
        for (const operation of operations) {
          // A TTL of 0 expires at once (expiry = now, and a key counts while expiry > now).
          const now = Date.now();
          const keys = operation.keys.map((k) => `wamid.key-${k}`);
          if (operation.op === 'claim') {
            const ttl = operation.expired ? 0 : 60_000;
            const got = store.claim(keys, ttl);
            const want = model.claim(keys, ttl, now);
            if (Date.now() !== now) return; // the clock moved: expiries are not comparable
            expect(got).toEqual(want);
          } else if (operation.op === 'isClaimed') {
            const got = store.isClaimed(keys);
            if (Date.now() !== now) return;
            expect(got).toEqual(model.isClaimed(keys, now));
          } else {
            store.release(keys);
            model.release(keys);
          }
          expect(store.size).toBe(model.size);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('keeps every key reachable while it grows past its first allocation and wraps around', () => {
    const store = new MemoryDedupStore(5000);
    const keys = Array.from({ length: 5000 }, (_, i) => `wamid.grow-${i}`);
    expect(store.claim(keys, 60_000).every(Boolean)).toBe(true);
    expect(store.size).toBe(5000);
    expect(store.isClaimed(keys).every(Boolean)).toBe(true);
    expect(store.claim(keys, 60_000).some(Boolean)).toBe(false);
    // 2500 new keys evict the 2500 oldest, in order.
    const newer = Array.from({ length: 2500 }, (_, i) => `wamid.newer-${i}`);
    expect(store.claim(newer, 60_000).every(Boolean)).toBe(true);
    expect(store.size).toBe(5000);
    expect(store.isClaimed(keys.slice(0, 2500)).some(Boolean)).toBe(false);
    expect(store.isClaimed(keys.slice(2500)).every(Boolean)).toBe(true);
    store.release(newer);
    expect(store.size).toBe(2500);
    expect(store.isClaimed(newer).some(Boolean)).toBe(false);
    expect(store.isClaimed(keys.slice(2500)).every(Boolean)).toBe(true);
  });

  it('finds a key whatever the call it came in: alone, among others, ASCII or not, in a huge call', () => {
    // A call of all-ASCII keys is encoded at once (each key at its own offset, any alignment);
    // a call with any other key, or too long for the scratch buffer, key by key. Every path
    // must give a key the same digest.
    const ascii = Array.from({ length: 40 }, (_, i) => `k${'x'.repeat(i)}`); // every tail length
    const others = ['é', 'wamid.ünicode', '\ud83d\ude00', '\ud800'];
    const huge = Array.from({ length: 300 }, (_, i) => `${i}:${'y'.repeat(4000)}`); // > 1 MB in all
    const store = new MemoryDedupStore(1000);
    // A key that fills the (first, 4 KB) scratch buffer to the byte with one two-byte character
    // in it is not mistaken for ASCII (it would then digest like the key one character shorter).
    expect(store.claim([`é${'a'.repeat(4094)}`], 60_000)).toEqual([true]);
    expect(store.isClaimed([`é${'a'.repeat(4095)}`])).toEqual([false]);
    expect(store.claim(ascii, 60_000)).toEqual(ascii.map(() => true));
    for (const key of ascii) expect(store.isClaimed([key])).toEqual([true]);
    expect(store.isClaimed([...others, ...ascii])).toEqual(
      [...others, ...ascii].map((k) => ascii.includes(k)),
    );
    expect(store.claim(others, 60_000)).toEqual(others.map(() => true));
    expect(store.isClaimed(['z', ...ascii.slice(0, 3)])).toEqual([false, true, true, true]);
    expect(store.claim(huge, 60_000)).toEqual(huge.map(() => true));
    for (const key of huge.slice(0, 5)) expect(store.isClaimed([key])).toEqual([true]);
    expect(store.isClaimed([...huge.slice(-2), ...ascii.slice(-2), 'é'])).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    store.release([ascii[7]!, ...huge]);
    expect(store.isClaimed([ascii[7]!, huge[0]!, ascii[8]!])).toEqual([false, false, true]);
  });

  it('digests keys with MurmurHash3 x86_128 as the reference implementation does, at any offset', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 100 }),
        fc.nat({ max: 7 }),
        fc.nat({ max: 0x7fffffff }),
        (bytes, offset, seed) => {
          const buffer = new Uint8Array(offset + bytes.length);
          buffer.set(bytes, offset);
          const out = new Uint32Array(5);
          murmur3x86x128(new DataView(buffer.buffer), offset, bytes.length, seed, out, 1);
          const hex = [...out.subarray(1)].map((h) => h.toString(16).padStart(8, '0')).join('');
          expect(hex).toBe(murmurHash3.x86.hash128(bytes, seed));
        },
      ),
      { numRuns: RUNS * 5 },
    );
  });

  it('rejects a bound that is not a positive integer', () => {
    expect(() => new MemoryDedupStore(0)).toThrow(/maxEntries must be a positive integer/);
    expect(() => new MemoryDedupStore(1.5)).toThrow(/maxEntries must be a positive integer/);
  });

  it('keeps apart keys a lossy encoding would merge, of any length', () => {
    // Lone surrogates (UTF-8 would turn each into U+FFFD), short and long keys, a short key after a long one.
    const keys = [
      '\ud800',
      '\udc00',
      '\ufffd',
      'abc',
      'abcdefghijklmnopq',
      'x'.repeat(5000),
      'x'.repeat(5001),
    ];
    const store = new MemoryDedupStore(100);
    expect(store.claim(keys, 60_000)).toEqual(keys.map(() => true));
    expect(store.claim([...keys].reverse(), 60_000)).toEqual(keys.map(() => false));
    expect(store.isClaimed(['abcd', '\ud801', 'x'.repeat(4999)])).toEqual([false, false, false]);
  });
});
