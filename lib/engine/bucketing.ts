/**
 * Bucketing (docs/bucketing.md): MurmurHash3 x86 32-bit, seed 1, over the UTF-8 bytes of a key, and the
 * bucket formula `floor(max × h / 2^32 + 1)`.
 *
 * The hash is the `murmurhash` package's v3, fed a reused byte buffer: given a string it would spend most
 * of its time in `TextEncoder#encode` allocating a new array per hash. Encoding here matches TextEncoder
 * exactly, including U+FFFD for lone surrogates, and writes `head + tail` without building the joined string.
 */
import murmurhash from 'murmurhash';

/** Seed of every VWO hash. */
export const HASH_SEED = 1;
/** Scale of traffic checks (rollout weight, percentTraffic, holdouts). */
export const TRAFFIC_SCALE = 100;
/** Scale of variation, whitelisting tie-break and MEG buckets. */
export const VARIATION_SCALE = 10000;

const TWO_POW_32 = 4294967296;

let buf = new Uint8Array(256);
/** `views[n]` is the first n bytes of `buf` (the hash reads `length`), made once per length and buffer. */
let views: Uint8Array[] = [];

/** Grows the shared buffer to at least `size` bytes, keeping its first `keep`. */
function grow(size: number, keep: number): void {
  const grown = new Uint8Array(Math.max(size, buf.length * 2));
  grown.set(buf.subarray(0, keep));
  buf = grown;
  views = [];
  keyViews = [];
  lastTail = undefined;
}

/** UTF-8 encodes `s` into the shared buffer from byte `p` (same bytes as TextEncoder); returns the end. */
function encodeUtf8(s: string, p: number): number {
  const n = s.length;
  if (buf.length < p + n * 3) grow(p + n * 3, p);
  const b = buf;
  for (let i = 0; i < n; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      b[p++] = c;
    } else if (c < 0x800) {
      b[p++] = 0xc0 | (c >> 6);
      b[p++] = 0x80 | (c & 0x3f);
    } else if (c >= 0xd800 && c <= 0xdfff) {
      // Surrogates: a valid pair becomes one 4-byte sequence; a lone one becomes U+FFFD (as TextEncoder does).
      const d = i + 1 < n ? s.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
        b[p++] = 0xf0 | (c >> 18);
        b[p++] = 0x80 | ((c >> 12) & 0x3f);
        b[p++] = 0x80 | ((c >> 6) & 0x3f);
        b[p++] = 0x80 | (c & 0x3f);
      } else {
        b[p++] = 0xef;
        b[p++] = 0xbf;
        b[p++] = 0xbd;
      }
    } else {
      b[p++] = 0xe0 | (c >> 12);
      b[p++] = 0x80 | ((c >> 6) & 0x3f);
      b[p++] = 0x80 | (c & 0x3f);
    }
  }
  return p;
}

function hashBytes(len: number, seed: number): number {
  const view = (views[len] ??= buf.subarray(0, len));
  return murmurhash.v3(view, seed);
}

/** MurmurHash3 x86 32-bit of the UTF-8 bytes of `key`, as an unsigned 32-bit integer (= `murmurhash.v3(key, seed)`). */
export function murmur3(key: string, seed: number = HASH_SEED): number {
  // A long key may reach the kept tail's bytes.
  lastTail = undefined;
  return hashBytes(encodeUtf8(key, 0), seed);
}

/**
 * Joined keys are written around a fixed offset: the tail (a user id) from TAIL_AT, the head (a rule or group
 * prefix) right before it. One decision hashes several heads with the same user id, which is then encoded once.
 */
const TAIL_AT = 128;
let lastTail: string | undefined;
let lastTailLength = 0;
/** `keyViews[headLength][tailLength]` is the key `buf[TAIL_AT - headLength, TAIL_AT + tailLength)`. */
let keyViews: Uint8Array[][] = [];

/** Writes an ASCII head so that it ends at `end`; false (bytes partly written) if it is not ASCII. */
function writeAsciiHead(head: string, end: number): boolean {
  const b = buf;
  let p = end - head.length;
  for (let i = 0; i < head.length; i++) {
    const c = head.charCodeAt(i);
    if (c >= 0x80) return false;
    b[p++] = c;
  }
  return true;
}

/** `murmur3(head + tail, seed)` without building the joined string. */
export function murmur3Joined(head: string, tail: string, seed: number = HASH_SEED): number {
  const headLength = head.length;
  if (headLength <= TAIL_AT) {
    if (tail !== lastTail) {
      lastTailLength = encodeUtf8(tail, TAIL_AT) - TAIL_AT;
      lastTail = tail;
    }
    if (writeAsciiHead(head, TAIL_AT)) {
      const byTail = (keyViews[headLength] ??= []);
      return murmurhash.v3((byTail[lastTailLength] ??= buf.subarray(TAIL_AT - headLength, TAIL_AT + lastTailLength)), seed);
    }
  }
  // A head that is not ASCII or very long: the key from byte 0. A surrogate pair cut between head and tail is one
  // character of the joined string: encode it joined.
  lastTail = undefined;
  const last = headLength > 0 ? head.charCodeAt(headLength - 1) : 0;
  if (last >= 0xd800 && last <= 0xdbff) return hashBytes(encodeUtf8(head + tail, 0), seed);
  return hashBytes(encodeUtf8(tail, encodeUtf8(head, 0)), seed);
}

/** docs/bucketing.md: `floor(max × hash / 2^32 + 1)`; always in 1…max. */
export function bucketFromHash(hash: number, max: number): number {
  return Math.floor(max * (hash / TWO_POW_32) + 1);
}

/** Bucket of `key` on the given scale (100 for traffic, 10000 for variations). */
export function bucketValue(key: string, max: number): number {
  return Math.floor(max * (murmur3(key, HASH_SEED) / TWO_POW_32) + 1);
}

/** `bucketValue(head + tail, max)` without building the key (decide() hashes prefix + user id pairs). */
export function bucketValueJoined(head: string, tail: string, max: number): number {
  return Math.floor(max * (murmur3Joined(head, tail, HASH_SEED) / TWO_POW_32) + 1);
}

/** Range width of a weight (docs/settings.md): 0 if falsy, else `min(ceil(weight × 100), 10000)` in double precision. */
export function rangeStep(weight: unknown): number {
  // `weight` may be a numeric string (the validator allows it); JS arithmetic coerces exactly as Node does.
  if (!weight) return 0;
  const step = Math.ceil((weight as number) * 100);
  return Math.min(step, VARIATION_SCALE);
}
