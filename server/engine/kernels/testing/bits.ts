// Bit-identity checks for kernels that run in pieces (docs/architecture.md, "Long kernels in
// slices"): sliced and whole runs must give the same float32 bits, not merely close values, so the
// tests compare with Object.is and feed reproducible operands.

import assert from "node:assert/strict";

/** n float32 values in [-0.5, 0.5) from a linear congruential generator seeded with `seed`. */
export function seededFloats(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    out[i] = s / 2 ** 32 - 0.5;
  }
  return out;
}

/** Fails unless got and want hold the same bits element for element (-0 and NaN included). */
export function assertSameBits(got: Float32Array, want: Float32Array, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  let diffs = 0;
  for (let i = 0; i < want.length; i++) if (!Object.is(got[i], want[i])) diffs++;
  assert.equal(diffs, 0, `${what}: ${diffs} of ${want.length} elements differ`);
}
