import { randomInt } from 'node:crypto';
import type { WabaDedupStore } from './dedup-store.interface.js';

/** Default bound of the in-memory store. */
export const DEFAULT_MEMORY_DEDUP_ENTRIES = 100_000;

/** 32-bit words kept per key: its 128-bit digest. */
const WORDS = 4;
/** Bytes of the scratch buffer the keys of a call are encoded into, at first. */
const SCRATCH_BYTES = 4096;
/** The scratch buffer grows up to this; a call whose keys are longer in all goes key by key. */
const MAX_KEPT_SCRATCH_BYTES = 1 << 20;
const encoder = new TextEncoder();

/** Slots allocated at first; the arrays double (up to `maxEntries`) while the ring fills. */
const INITIAL_CAPACITY = 1024;

/**
 * A bounded in-memory store: keys expire after their TTL, and past `maxEntries` the oldest are
 * evicted first, in O(1). Memory stays bounded whatever the traffic; a duplicate arriving after
 * its key was evicted is delivered again.
 *
 * Keys are held as 128-bit digests (MurmurHash3 x86_128 of their UTF-8 bytes, seeded at random
 * per store: no crypto call per key, and a chance collision among 100,000 keys stays far below
 * 10⁻²⁰) in typed arrays: a ring of `maxEntries` slots, each new key
 * taking the slot of the oldest, and an open-addressing index (linear probing, at most half
 * full, backward-shift deletion) from digest to slot. Each bucket holds its slot next to the
 * first word of that slot's digest, so probing and deletion read only the index (one cache
 * line for several buckets) and a key's digest is read once, where its first word matches.
 * The garbage collector sees a handful of arrays, not one string and one map entry per key, so
 * a full store neither lengthens GC pauses nor grows by rehashing: about 4.5 MB for the default
 * 100,000 keys.
 */
export class MemoryDedupStore implements WabaDedupStore {
  /** Slot count allocated so far (≤ maxEntries). */
  private capacity: number;
  /** Digest words of the key in each slot. */
  private digests: Uint32Array;
  /** Expiry (epoch ms) of each slot; 0 marks an empty slot. */
  private expiries: Float64Array;
  /**
   * Open-addressing index, two words per bucket: at `2 * bucket` the slot + 1 (0 for an empty
   * bucket), at `2 * bucket + 1` the first word of that slot's digest.
   */
  private index: Uint32Array;
  /** Bucket count − 1. */
  private mask: number;
  /** Slot the next key takes (the oldest key's, once the ring has filled). */
  private next = 0;
  private count = 0;
  /** Scratch for the digests of the keys of the current call, `WORDS` per key. */
  private probes = new Uint32Array(WORDS * 64);
  /** Seed of the digests: they only ever meet digests of this store. */
  private readonly seed = randomInt(0x7fffffff);
  /** Scratch for the UTF-8 bytes of the keys being digested. */
  private bytes = new Uint8Array(SCRATCH_BYTES);
  private view = new DataView(this.bytes.buffer);

  constructor(readonly maxEntries = DEFAULT_MEMORY_DEDUP_ENTRIES) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(
        `MemoryDedupStore: maxEntries must be a positive integer, got ${maxEntries}`,
      );
    }
    this.capacity = Math.min(maxEntries, INITIAL_CAPACITY);
    this.digests = new Uint32Array(this.capacity * WORDS);
    this.expiries = new Float64Array(this.capacity);
    this.index = new Uint32Array(2 * bucketsFor(this.capacity));
    this.mask = this.index.length / 2 - 1;
  }

  /** Number of keys held (expired keys are dropped when their slot is reused). */
  get size(): number {
    return this.count;
  }

  claim(keys: readonly string[], ttlMs: number): boolean[] {
    const now = Date.now();
    const probes = this.digestAll(keys);
    return keys.map((_, k) => {
      const at = k * WORDS;
      const bucket = this.find(probes, at);
      if (bucket >= 0) {
        const slot = this.index[2 * bucket]! - 1;
        if (this.expiries[slot]! > now) return false;
        this.remove(bucket, slot);
      }
      this.insert(probes, at, now + ttlMs);
      return true;
    });
  }

  isClaimed(keys: readonly string[]): boolean[] {
    const now = Date.now();
    const probes = this.digestAll(keys);
    return keys.map((_, k) => {
      const bucket = this.find(probes, k * WORDS);
      return bucket >= 0 && this.expiries[this.index[2 * bucket]! - 1]! > now;
    });
  }

  release(keys: readonly string[]): void {
    const probes = this.digestAll(keys);
    for (let k = 0; k < keys.length; k++) {
      const bucket = this.find(probes, k * WORDS);
      if (bucket >= 0) this.remove(bucket, this.index[2 * bucket]! - 1);
    }
  }

  /**
   * The digests of `keys`, `WORDS` per key in order. All-ASCII keys (what Meta's ids are) are
   * encoded in one native call: their UTF-8 bytes are their characters, so each key's bytes
   * start where the characters before it end. Otherwise each key is encoded on its own.
   */
  private digestAll(keys: readonly string[]): Uint32Array {
    if (this.probes.length < keys.length * WORDS)
      this.probes = new Uint32Array(keys.length * WORDS);
    const probes = this.probes;
    const joined = keys.length === 1 ? keys[0]! : keys.join('');
    if (joined.length <= MAX_KEPT_SCRATCH_BYTES) {
      if (joined.length > this.bytes.length) this.scratch(joined.length);
      // Every character read, and as many bytes written: every character is ASCII.
      const { read, written } = encoder.encodeInto(joined, this.bytes);
      if (read === joined.length && written === read) {
        for (let k = 0, offset = 0; k < keys.length; k++) {
          const length = keys[k]!.length;
          murmur3x86x128(this.view, offset, length, this.seed, probes, k * WORDS);
          offset += length;
        }
        return probes;
      }
    }
    for (let k = 0; k < keys.length; k++) this.digestOne(keys[k]!, probes, k * WORDS);
    return probes;
  }

  /** Puts the digest of `key` into `out[at..at + 3]`. */
  private digestOne(key: string, out: Uint32Array, at: number): void {
    // UTF-8 (TextEncoder writes it natively, into a reused buffer) is lossless for a
    // well-formed string only; one with lone surrogates is hashed as UTF-16, under another seed.
    const wellFormed = (key as unknown as { isWellFormed(): boolean }).isWellFormed();
    let view = this.view;
    let length: number;
    if (wellFormed && key.length * 3 <= this.bytes.length) {
      length = encoder.encodeInto(key, this.bytes).written;
    } else {
      const encoded = Buffer.from(key, wellFormed ? 'utf8' : 'utf16le');
      length = encoded.length;
      view = new DataView(encoded.buffer, encoded.byteOffset, length);
    }
    murmur3x86x128(view, 0, length, wellFormed ? this.seed : this.seed ^ 1, out, at);
  }

  /** Grows the scratch buffer to at least `bytes`. */
  private scratch(bytes: number): void {
    let size = this.bytes.length;
    while (size < bytes) size *= 2;
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
  }

  /** Bucket of the slot holding the digest at `probes[at..at + 3]`, or -1. */
  private find(probes: Uint32Array, at: number): number {
    const first = probes[at]!;
    for (let bucket = first & this.mask; ; bucket = (bucket + 1) & this.mask) {
      const entry = this.index[2 * bucket]!;
      if (entry === 0) return -1;
      if (this.index[2 * bucket + 1] !== first) continue;
      const d = (entry - 1) * WORDS;
      if (
        this.digests[d + 1] === probes[at + 1] &&
        this.digests[d + 2] === probes[at + 2] &&
        this.digests[d + 3] === probes[at + 3]
      ) {
        return bucket;
      }
    }
  }

  /** Stores the digest at `probes[at..at + 3]` in the next slot, evicting the key there. */
  private insert(probes: Uint32Array, at: number, expiry: number): void {
    if (this.next === this.capacity && this.capacity < this.maxEntries) this.grow();
    if (this.next === this.capacity) this.next = 0;
    const slot = this.next++;
    if (this.expiries[slot] !== 0) this.remove(this.bucketOf(slot), slot);
    const d = slot * WORDS;
    this.digests[d] = probes[at]!;
    this.digests[d + 1] = probes[at + 1]!;
    this.digests[d + 2] = probes[at + 2]!;
    this.digests[d + 3] = probes[at + 3]!;
    this.expiries[slot] = expiry;
    this.count++;
    this.place(slot);
  }

  /** Puts `slot` in the index, at the first free bucket from its digest's home. */
  private place(slot: number): void {
    const first = this.digests[slot * WORDS]!;
    let bucket = first & this.mask;
    while (this.index[2 * bucket] !== 0) bucket = (bucket + 1) & this.mask;
    this.index[2 * bucket] = slot + 1;
    this.index[2 * bucket + 1] = first;
  }

  /** Bucket that points to `slot` (which is in the index). */
  private bucketOf(slot: number): number {
    let bucket = this.digests[slot * WORDS]! & this.mask;
    while (this.index[2 * bucket] !== slot + 1) bucket = (bucket + 1) & this.mask;
    return bucket;
  }

  /**
   * Empties `slot` and its bucket; the entries after the bucket move back into the gap unless
   * their home lies (cyclically) after it, so every entry stays reachable from its home.
   */
  private remove(bucket: number, slot: number): void {
    this.expiries[slot] = 0;
    this.count--;
    const index = this.index;
    let gap = bucket;
    for (let next = (gap + 1) & this.mask; index[2 * next] !== 0; next = (next + 1) & this.mask) {
      const first = index[2 * next + 1]!;
      const home = first & this.mask;
      const stays = gap <= next ? gap < home && home <= next : gap < home || home <= next;
      if (stays) continue;
      index[2 * gap] = index[2 * next]!;
      index[2 * gap + 1] = first;
      gap = next;
    }
    index[2 * gap] = 0;
  }

  /** Doubles the slots (first lap of the ring only, so slot order is kept) and re-indexes. */
  private grow(): void {
    const capacity = Math.min(this.maxEntries, this.capacity * 2);
    const digests = new Uint32Array(capacity * WORDS);
    digests.set(this.digests);
    const expiries = new Float64Array(capacity);
    expiries.set(this.expiries);
    this.capacity = capacity;
    this.digests = digests;
    this.expiries = expiries;
    this.index = new Uint32Array(2 * bucketsFor(capacity));
    this.mask = this.index.length / 2 - 1;
    for (let slot = 0; slot < this.next; slot++) if (this.expiries[slot] !== 0) this.place(slot);
  }
}

/** A power of two at least twice `capacity`: the index stays at most half full. */
function bucketsFor(capacity: number): number {
  let size = 2;
  while (size < capacity * 2) size *= 2;
  return size;
}

const C1 = 0x239b961b;
const C2 = 0xab0e9789;
const C3 = 0x38b34ae5;
const C4 = 0xa1e38b93;

/** The word at `offset` of which only the first `bytes` bytes (1 to 4) belong to the key. */
function tailWord(view: DataView, offset: number, bytes: number): number {
  if (bytes >= 4) return view.getUint32(offset, true);
  let k = 0;
  for (let i = bytes - 1; i >= 0; i--) k = (k << 8) | view.getUint8(offset + i);
  return k;
}

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

/** One 32-bit word of key, multiplied, rotated and multiplied again. */
function mixWord(k: number, a: number, b: number, r: number): number {
  return Math.imul(rotl(Math.imul(k, a), r), b);
}

/** A lane after taking a word: rotated, plus the next lane, times 5 plus a constant. */
function step(h: number, r: number, next: number, add: number): number {
  return (Math.imul((rotl(h, r) + next) | 0, 5) + add) | 0;
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * MurmurHash3 x86_128 (Austin Appleby's reference algorithm) of the `length` bytes of `view`
 * at `offset` (read as little-endian words, at any alignment), into `out[at..at + 3]`.
 * @internal exported for its test against a reference implementation
 */
export function murmur3x86x128(
  view: DataView,
  offset: number,
  length: number,
  seed: number,
  out: Uint32Array,
  at: number,
): void {
  let h1 = seed;
  let h2 = seed;
  let h3 = seed;
  let h4 = seed;
  const blocks = length >>> 4;
  for (let b = 0, o = offset; b < blocks; b++, o += 16) {
    h1 = step(h1 ^ mixWord(view.getUint32(o, true), C1, C2, 15), 19, h2, 0x561ccd1b);
    h2 = step(h2 ^ mixWord(view.getUint32(o + 4, true), C2, C3, 16), 17, h3, 0x0bcaa747);
    h3 = step(h3 ^ mixWord(view.getUint32(o + 8, true), C3, C4, 17), 15, h4, 0x96cd1c35);
    h4 = step(h4 ^ mixWord(view.getUint32(o + 12, true), C4, C1, 18), 13, h1, 0x32ac3b17);
  }
  const tail = offset + (blocks << 4);
  const rest = length & 15;
  if (rest > 12) h4 ^= mixWord(tailWord(view, tail + 12, rest - 12), C4, C1, 18);
  if (rest > 8) h3 ^= mixWord(tailWord(view, tail + 8, rest - 8), C3, C4, 17);
  if (rest > 4) h2 ^= mixWord(tailWord(view, tail + 4, rest - 4), C2, C3, 16);
  if (rest > 0) h1 ^= mixWord(tailWord(view, tail, rest), C1, C2, 15);
  h1 ^= length;
  h2 ^= length;
  h3 ^= length;
  h4 ^= length;
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  h1 = fmix32(h1);
  h2 = fmix32(h2);
  h3 = fmix32(h3);
  h4 = fmix32(h4);
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  out[at] = h1;
  out[at + 1] = h2;
  out[at + 2] = h3;
  out[at + 3] = h4;
}
