// SipHash-2-4 (Aumasson and Bernstein) with a 128-bit key given as two 64-bit words, the keyed
// hash of TF's StringToHashBucketStrong. BigInt gives exact unsigned 64-bit arithmetic.

const M64 = (1n << 64n) - 1n;
const rotl = (x: bigint, b: bigint): bigint => ((x << b) | (x >> (64n - b))) & M64;

/** SipHash-2-4 of `m` under key (k0, k1) as an unsigned 64-bit BigInt. */
export function sipHash24(k0: bigint, k1: bigint, m: Uint8Array): bigint {
  k0 &= M64;
  k1 &= M64;
  const v: [bigint, bigint, bigint, bigint] = [
    k0 ^ 0x736f6d6570736575n,
    k1 ^ 0x646f72616e646f6dn,
    k0 ^ 0x6c7967656e657261n,
    k1 ^ 0x7465646279746573n,
  ];
  const round = () => {
    v[0] = (v[0] + v[1]) & M64;
    v[1] = rotl(v[1], 13n) ^ v[0];
    v[0] = rotl(v[0], 32n);
    v[2] = (v[2] + v[3]) & M64;
    v[3] = rotl(v[3], 16n) ^ v[2];
    v[0] = (v[0] + v[3]) & M64;
    v[3] = rotl(v[3], 21n) ^ v[0];
    v[2] = (v[2] + v[1]) & M64;
    v[1] = rotl(v[1], 17n) ^ v[2];
    v[2] = rotl(v[2], 32n);
  };
  const compress = (word: bigint) => {
    v[3] ^= word;
    round();
    round();
    v[0] ^= word;
  };
  const full = m.length - (m.length % 8);
  for (let i = 0; i < full; i += 8) {
    let w = 0n;
    for (let k = 7; k >= 0; k--) w = (w << 8n) | BigInt(m[i + k]!);
    compress(w);
  }
  let last = BigInt(m.length & 0xff) << 56n;
  for (let k = m.length - 1; k >= full; k--) last |= BigInt(m[k]!) << BigInt(8 * (k - full));
  compress(last);
  v[2] ^= 0xffn;
  for (let r = 0; r < 4; r++) round();
  return (v[0] ^ v[1] ^ v[2] ^ v[3]) & M64;
}
