/**
 * Bucketing (docs/bucketing.md): MurmurHash3 x86 32-bit, seed 1, over the UTF-8 bytes of a key, and the
 * bucket formula `floor(max × h / 2^32 + 1)`.
 *
 * The hash is a local implementation over a reused byte buffer: the `murmurhash` package (the reference,
 * kept as a dependency and used by the equivalence test in bucketing.spec.ts) spends most of its time in
 * `TextEncoder#encode`. Encoding here matches TextEncoder exactly, including U+FFFD for lone surrogates.
 */

/** Seed of every VWO hash. */
export const HASH_SEED = 1;
/** Scale of traffic checks (rollout weight, percentTraffic, holdouts). */
export const TRAFFIC_SCALE = 100;
/** Scale of variation, whitelisting tie-break and MEG buckets. */
export const VARIATION_SCALE = 10000;

const TWO_POW_32 = 4294967296;

let buf = new Uint8Array(256);

/** UTF-8 encodes `s` into the shared buffer (same bytes as TextEncoder) and returns the byte length. */
function encodeUtf8(s: string): number {
  const n = s.length;
  if (buf.length < n * 3) buf = new Uint8Array(Math.max(n * 3, buf.length * 2));
  const b = buf;
  let p = 0;
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

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

function scramble(k1: number): number {
  k1 = Math.imul(k1, C1);
  k1 = (k1 << 15) | (k1 >>> 17);
  return Math.imul(k1, C2);
}

function mixBlock(h1: number, k1: number): number {
  h1 ^= scramble(k1);
  h1 = (h1 << 13) | (h1 >>> 19);
  return (Math.imul(h1, 5) + 0xe6546b64) | 0;
}

function finish(h1: number, len: number): number {
  h1 ^= len;
  h1 ^= h1 >>> 16;
  h1 = Math.imul(h1, 0x85ebca6b);
  h1 ^= h1 >>> 13;
  h1 = Math.imul(h1, 0xc2b2ae35);
  h1 ^= h1 >>> 16;
  return h1 >>> 0;
}

/**
 * Bucketing keys are almost always ASCII, where each UTF-16 unit is its own UTF-8 byte: hash the units of
 * `head + tail` directly, without building the joined string or writing a buffer. Returns -1 at the first
 * non-ASCII unit so the caller encodes instead.
 */
function murmur3Ascii(head: string, tail: string, seed: number): number {
  let h1 = seed | 0;
  let k1 = 0;
  let shift = 0;
  const headLength = head.length;
  const len = headLength + tail.length;
  for (let i = 0; i < len; i++) {
    const unit = i < headLength ? head.charCodeAt(i) : tail.charCodeAt(i - headLength);
    if (unit > 0x7f) return -1;
    k1 |= unit << shift;
    if (shift === 24) {
      h1 = mixBlock(h1, k1);
      k1 = 0;
      shift = 0;
    } else {
      shift += 8;
    }
  }
  if (shift !== 0) h1 ^= scramble(k1);
  return finish(h1, len);
}

/** MurmurHash3 x86 32-bit over the first `len` bytes of the shared buffer. */
function murmur3Bytes(len: number, seed: number): number {
  const b = buf;
  let h1 = seed | 0;
  const bytes = len & ~3;
  let i = 0;
  while (i < bytes) {
    h1 = mixBlock(h1, b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24));
    i += 4;
  }
  const tail = len & 3;
  if (tail !== 0) {
    let k1 = b[i];
    if (tail > 1) k1 ^= b[i + 1] << 8;
    if (tail > 2) k1 ^= b[i + 2] << 16;
    h1 ^= scramble(k1);
  }
  return finish(h1, len);
}

/** MurmurHash3 x86 32-bit of the UTF-8 bytes of `key`, as an unsigned 32-bit integer (= `murmurhash.v3(key, seed)`). */
export function murmur3(key: string, seed: number = HASH_SEED): number {
  const h = murmur3Ascii(key, '', seed);
  return h >= 0 ? h : murmur3Bytes(encodeUtf8(key), seed);
}

/** `murmur3(head + tail, seed)` without building the joined string (when both are ASCII). */
export function murmur3Joined(head: string, tail: string, seed: number = HASH_SEED): number {
  const h = murmur3Ascii(head, tail, seed);
  return h >= 0 ? h : murmur3Bytes(encodeUtf8(head + tail), seed);
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
