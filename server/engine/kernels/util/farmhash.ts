// FarmHash Fingerprint64 (google/farmhash: farmhashna's 64-bit hash), the string fingerprint TF
// uses for StringToHashBucketFast, Fingerprint and tf.strings.to_hash_bucket_fast. Written from
// the published algorithm with BigInt as exact unsigned 64-bit arithmetic; checked bit for bit
// against TF on every length 0..200 (testdata/strings-fixtures.json).

const M64 = (1n << 64n) - 1n;
const k0 = 0xc3a5c85c97cb3127n;
const k1 = 0xb492b66fbe98f273n;
const k2 = 0x9ae16a3b2f90404fn;
const kMul = 0x9ddfea08eb382d69n;

const u64 = (x: bigint): bigint => x & M64;
const mul = (a: bigint, b: bigint): bigint => (a * b) & M64;
const add = (...xs: bigint[]): bigint => xs.reduce((a, b) => a + b, 0n) & M64;
const rot = (v: bigint, s: bigint): bigint => (s === 0n ? v : ((v >> s) | (v << (64n - s))) & M64);
const shiftMix = (v: bigint): bigint => v ^ (v >> 47n);

// Little-endian loads, as farmhash's Fetch64/Fetch32 on the x86 TF runs on.
const fetch64 = (s: DataView, i: number): bigint => s.getBigUint64(i, true);
const fetch32 = (s: DataView, i: number): bigint => BigInt(s.getUint32(i, true));

function hashLen16(u: bigint, v: bigint, m: bigint): bigint {
  let a = mul(u ^ v, m);
  a ^= a >> 47n;
  let b = mul(v ^ a, m);
  b ^= b >> 47n;
  return mul(b, m);
}

function hashLen0to16(s: DataView): bigint {
  const len = s.byteLength;
  const n = BigInt(len);
  if (len >= 8) {
    const m = add(k2, n * 2n);
    const a = add(fetch64(s, 0), k2);
    const b = fetch64(s, len - 8);
    const c = add(mul(rot(b, 37n), m), a);
    const d = mul(add(rot(a, 25n), b), m);
    return hashLen16(c, d, m);
  }
  if (len >= 4) {
    const m = add(k2, n * 2n);
    const a = fetch32(s, 0);
    return hashLen16(add(n, u64(a << 3n)), fetch32(s, len - 4), m);
  }
  if (len > 0) {
    const y = BigInt(s.getUint8(0) + (s.getUint8(len >> 1) << 8));
    const z = n + BigInt(s.getUint8(len - 1) << 2);
    return mul(shiftMix(mul(y, k2) ^ mul(z, k0)), k2);
  }
  return k2;
}

function hashLen17to32(s: DataView): bigint {
  const len = s.byteLength;
  const m = add(k2, BigInt(len) * 2n);
  const a = mul(fetch64(s, 0), k1);
  const b = fetch64(s, 8);
  const c = mul(fetch64(s, len - 8), m);
  const d = mul(fetch64(s, len - 16), k2);
  return hashLen16(add(rot(add(a, b), 43n), rot(c, 30n), d), add(a, rot(add(b, k2), 18n), c), m);
}

function hashLen33to64(s: DataView): bigint {
  const len = s.byteLength;
  const m = add(k2, BigInt(len) * 2n);
  const a = mul(fetch64(s, 0), k2);
  const b = fetch64(s, 8);
  const c = mul(fetch64(s, len - 8), m);
  const d = mul(fetch64(s, len - 16), k2);
  const y = add(rot(add(a, b), 43n), rot(c, 30n), d);
  const z = hashLen16(y, add(a, rot(add(b, k2), 18n), c), m);
  const e = mul(fetch64(s, 16), m);
  const f = fetch64(s, 24);
  const g = mul(add(y, fetch64(s, len - 32)), m);
  const h = mul(add(z, fetch64(s, len - 24)), m);
  return hashLen16(add(rot(add(e, f), 43n), rot(g, 30n), h), add(e, rot(add(f, a), 18n), g), m);
}

/** The 32-byte mixing step: a pair of 64-bit values from four words and two seeds. */
function weak32(s: DataView, i: number, a0: bigint, b0: bigint): [bigint, bigint] {
  const w = fetch64(s, i);
  const x = fetch64(s, i + 8);
  const y = fetch64(s, i + 16);
  const z = fetch64(s, i + 24);
  let a = add(a0, w);
  let b = rot(add(b0, a, z), 21n);
  const c = a;
  a = add(a, x, y);
  b = add(b, rot(a, 44n));
  return [add(a, z), add(b, c)];
}

function hashLong(s: DataView): bigint {
  const len = s.byteLength;
  const seed = 81n;
  let x = seed;
  let y = add(mul(seed, k1), 113n);
  let z = mul(shiftMix(add(mul(y, k2), 113n)), k2);
  let v: [bigint, bigint] = [0n, 0n];
  let w: [bigint, bigint] = [0n, 0n];
  x = add(mul(x, k2), fetch64(s, 0));
  const end = Math.floor((len - 1) / 64) * 64;
  const last64 = len - 64;
  for (let p = 0; p !== end; p += 64) {
    x = mul(rot(add(x, y, v[0], fetch64(s, p + 8)), 37n), k1);
    y = mul(rot(add(y, v[1], fetch64(s, p + 48)), 42n), k1);
    x ^= w[1];
    y = add(y, v[0], fetch64(s, p + 40));
    z = mul(rot(add(z, w[0]), 33n), k1);
    v = weak32(s, p, mul(v[1], k1), add(x, w[0]));
    w = weak32(s, p + 32, add(z, w[1]), add(y, fetch64(s, p + 16)));
    [z, x] = [x, z];
  }
  const m = add(k1, (z & 0xffn) << 1n);
  const p = last64;
  w[0] = add(w[0], BigInt((len - 1) & 63));
  v[0] = add(v[0], w[0]);
  w[0] = add(w[0], v[0]);
  x = mul(rot(add(x, y, v[0], fetch64(s, p + 8)), 37n), m);
  y = mul(rot(add(y, v[1], fetch64(s, p + 48)), 42n), m);
  x ^= mul(w[1], 9n);
  y = add(y, mul(v[0], 9n), fetch64(s, p + 40));
  z = mul(rot(add(z, w[0]), 33n), m);
  v = weak32(s, p, mul(v[1], m), add(x, w[0]));
  w = weak32(s, p + 32, add(z, w[1]), add(y, fetch64(s, p + 16)));
  [z, x] = [x, z];
  return hashLen16(
    add(hashLen16(v[0], w[0], m), mul(shiftMix(y), k0), z),
    add(hashLen16(v[1], w[1], m), x),
    m,
  );
}

/** FarmHash Fingerprint64 of `s` as an unsigned 64-bit BigInt. */
export function fingerprint64(bytes: Uint8Array): bigint {
  const s = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length <= 16) return hashLen0to16(s);
  if (bytes.length <= 32) return hashLen17to32(s);
  if (bytes.length <= 64) return hashLen33to64(s);
  return hashLong(s);
}

/** Hash128to64 of (lo, hi) (farmhash/cityhash's Murmur-style 128 to 64-bit reduction). */
export function hash128to64(lo: bigint, hi: bigint): bigint {
  return hashLen16(lo, hi, kMul);
}
