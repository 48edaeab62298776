// IEEE half (Eigen::half) and bfloat16 (Eigen::bfloat16) ⇄ float32 conversions.
//
// Tensors store half and bfloat16 as raw 16-bit patterns (Uint16Array); kernels compute through
// float32 exactly as Eigen does (convert, compute in float, round back to nearest-even). The
// conversions below follow Eigen's float_to_half_rtne / float_to_bfloat16_rtne bit for bit,
// including NaN canonicalisation (half NaN → 0x7e00, bfloat16 NaN → 0x7fc0 with the sign kept).

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The float32 bit pattern of x (x is first rounded to float32). */
export function float32Bits(x: number): number {
  f32[0] = x;
  return u32[0]!;
}

/** The float32 value of a 32-bit pattern. */
export function float32FromBits(bits: number): number {
  u32[0] = bits >>> 0;
  return f32[0]!;
}

/** Half bit pattern → number (exact). */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 31) return mant !== 0 ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1024 + mant) * 2 ** (exp - 25);
}

// Magic constants of Eigen's float_to_half_rtne.
const F16_MAX_AS_F32_BITS = (127 + 16) << 23; // 65536.0f: smallest float that overflows half
const F32_INFINITY_BITS = 255 << 23;
const DENORM_MAGIC_BITS = ((127 - 15 + (23 - 10) + 1) << 23) >>> 0;
const DENORM_MAGIC = float32FromBits(DENORM_MAGIC_BITS);

/** number → half bit pattern, rounding to nearest-even (the number is first rounded to float32, as Eigen). */
export function floatToHalf(x: number): number {
  let u = float32Bits(x);
  const sign = (u >>> 16) & 0x8000;
  u &= 0x7fffffff;
  let o: number;
  if (u >= F16_MAX_AS_F32_BITS) {
    // Overflow → Inf, NaN → canonical quiet NaN.
    o = u > F32_INFINITY_BITS ? 0x7e00 : 0x7c00;
  } else if (u < 113 << 23) {
    // Result is a half subnormal or zero: let the FPU do the rounding by adding a magic number
    // whose ulp is exactly the half subnormal ulp.
    const sum = Math.fround(float32FromBits(u) + DENORM_MAGIC);
    o = (float32Bits(sum) - DENORM_MAGIC_BITS) & 0xffff;
  } else {
    const mantOdd = (u >>> 13) & 1;
    u = (u + (((15 - 127) << 23) >>> 0) + 0xfff + mantOdd) >>> 0;
    o = (u >>> 13) & 0xffff;
  }
  return o | sign;
}

/** bfloat16 bit pattern → number (exact). */
export function bfloat16ToFloat(b: number): number {
  return float32FromBits((b & 0xffff) << 16);
}

/** number → bfloat16 bit pattern, rounding to nearest-even (via float32, as Eigen). */
export function floatToBfloat16(x: number): number {
  const f = Math.fround(x);
  if (Number.isNaN(f)) return float32Bits(f) & 0x80000000 ? 0xffc0 : 0x7fc0;
  const u = float32Bits(f);
  const lsb = (u >>> 16) & 1;
  return (((u + 0x7fff + lsb) >>> 0) >>> 16) & 0xffff;
}

/** Decodes a whole half buffer into float32s. */
export function halfArrayToFloat32(src: Uint16Array): Float32Array {
  const out = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = halfToFloat(src[i]!);
  return out;
}

/** Decodes a whole bfloat16 buffer into float32s. */
export function bfloat16ArrayToFloat32(src: Uint16Array): Float32Array {
  const out = new Float32Array(src.length);
  const bits = new Uint32Array(out.buffer);
  for (let i = 0; i < src.length; i++) bits[i] = src[i]! << 16;
  return out;
}

/** Encodes float32s (or any numbers) as half bit patterns into dst. */
export function float32ToHalfArray(
  src: ArrayLike<number>,
  dst: Uint16Array = new Uint16Array(src.length),
): Uint16Array {
  for (let i = 0; i < src.length; i++) dst[i] = floatToHalf(src[i]!);
  return dst;
}

/** Encodes float32s (or any numbers) as bfloat16 bit patterns into dst. */
export function float32ToBfloat16Array(
  src: ArrayLike<number>,
  dst: Uint16Array = new Uint16Array(src.length),
): Uint16Array {
  for (let i = 0; i < src.length; i++) dst[i] = floatToBfloat16(src[i]!);
  return dst;
}
