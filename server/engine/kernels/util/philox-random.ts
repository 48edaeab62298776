// TensorFlow's counter-based random number generator and its distributions
// (core/lib/random/philox_random.h, random_distributions.h, random_distributions_utils.h) and the
// CPU fill loop of the stateful random kernels (core/kernels/random_op.cc FillPhiloxRandomTask,
// core/util/guarded_philox_random.cc). Everything is ported operation for operation so that, for
// a given (seed, seed2), the streams are TF's bit for bit: uint32 arithmetic wraps like C++, float
// results are rounded to float32 wherever C++ stores a float.
//
// Transcendentals: TF's float Box-Muller calls glibc's logf and sincosf, which glibc-float-math.ts
// ports, so float32/half/bfloat16 normals are bit-exact too. The double Box-Muller calls glibc's
// double log/sin/cos (correctly rounded in practice); V8's Math functions are within 1 ulp of
// them, so float64 normals may differ from TF's in the last bit.

import { randomBytes } from "node:crypto";
import type { ElementPass } from "./element-slices.js";
import { logf, sincosf } from "./glibc-float-math.js";

const kPhiloxW32A = 0x9e3779b9;
const kPhiloxW32B = 0xbb67ae85;
const kPhiloxM4x32A = 0xd2511f53;
const kPhiloxM4x32B = 0xcd9e8d57;

/** High 32 bits of the 64-bit product of two uint32s (exact, without BigInt). */
function mulhi32(a: number, b: number): number {
  const aLo = a & 0xffff;
  const aHi = a >>> 16;
  const bLo = b & 0xffff;
  const bHi = b >>> 16;
  const loLo = aLo * bLo;
  const loHi = aLo * bHi;
  const hiLo = aHi * bLo;
  const cross = (loLo >>> 16) + (loHi & 0xffff) + hiLo; // < 2^34, exact in a double
  return (aHi * bHi + (loHi >>> 16) + Math.floor(cross / 65536)) >>> 0;
}

/**
 * PhiloxRandom (Philox4x32-10): a 128-bit counter and a 64-bit key; each call returns four uint32s
 * and advances the counter by one. Copies are independent (TF copies the generator by value).
 */
export class PhiloxRandom {
  /** counter[0] is the least significant word. */
  readonly counter = new Uint32Array(4);
  readonly key = new Uint32Array(2);

  /** PhiloxRandom(seed_lo, seed_hi): the key is seed_lo, the counter's high half is seed_hi. */
  constructor(seedLo: bigint, seedHi: bigint) {
    const lo = BigInt.asUintN(64, seedLo);
    const hi = BigInt.asUintN(64, seedHi);
    this.key[0] = Number(lo & 0xffffffffn);
    this.key[1] = Number(lo >> 32n);
    this.counter[2] = Number(hi & 0xffffffffn);
    this.counter[3] = Number(hi >> 32n);
  }

  clone(): PhiloxRandom {
    const g = new PhiloxRandom(0n, 0n);
    g.counter.set(this.counter);
    g.key.set(this.key);
    return g;
  }

  /** Skips `count` 128-bit outputs (count < 2^53 here; TF takes a uint64). */
  skip(count: number): void {
    const c = this.counter;
    const countLo = count >>> 0;
    let countHi = Math.floor(count / 4294967296) >>> 0;
    c[0] = (c[0]! + countLo) >>> 0;
    if (c[0]! < countLo) countHi = (countHi + 1) >>> 0;
    c[1] = (c[1]! + countHi) >>> 0;
    if (c[1]! < countHi) {
      c[2] = (c[2]! + 1) >>> 0;
      if (c[2] === 0) c[3] = (c[3]! + 1) >>> 0;
    }
  }

  private skipOne(): void {
    const c = this.counter;
    c[0] = (c[0]! + 1) >>> 0;
    if (c[0] !== 0) return;
    c[1] = (c[1]! + 1) >>> 0;
    if (c[1] !== 0) return;
    c[2] = (c[2]! + 1) >>> 0;
    if (c[2] !== 0) return;
    c[3] = (c[3]! + 1) >>> 0;
  }

  /** The next four uint32s (written into `out`, which is returned). */
  next(out: Uint32Array = new Uint32Array(4)): Uint32Array {
    let c0 = this.counter[0]!;
    let c1 = this.counter[1]!;
    let c2 = this.counter[2]!;
    let c3 = this.counter[3]!;
    let k0 = this.key[0]!;
    let k1 = this.key[1]!;
    for (let round = 0; round < 10; round++) {
      // ComputeSingleRound, then RaiseKey (the key raised after the last round is unused).
      const lo0 = Math.imul(kPhiloxM4x32A, c0) >>> 0;
      const hi0 = mulhi32(kPhiloxM4x32A, c0);
      const lo1 = Math.imul(kPhiloxM4x32B, c2) >>> 0;
      const hi1 = mulhi32(kPhiloxM4x32B, c2);
      const n0 = (hi1 ^ c1 ^ k0) >>> 0;
      const n2 = (hi0 ^ c3 ^ k1) >>> 0;
      c0 = n0;
      c1 = lo1;
      c2 = n2;
      c3 = lo0;
      k0 = (k0 + kPhiloxW32A) >>> 0;
      k1 = (k1 + kPhiloxW32B) >>> 0;
    }
    out[0] = c0;
    out[1] = c1;
    out[2] = c2;
    out[3] = c3;
    this.skipOne();
    return out;
  }
}

/** SingleSampleAdapter<PhiloxRandom>: one uint32 at a time from a Philox stream. */
export class SingleSampleAdapter {
  private readonly buf = new Uint32Array(4);
  private used = 4;
  constructor(private readonly gen: PhiloxRandom) {}
  next(): number {
    if (this.used === 4) {
      this.gen.next(this.buf);
      this.used = 0;
    }
    return this.buf[this.used++]!;
  }
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Uint32ToFloat: 23 random mantissa bits → float in [0, 1). */
export function uint32ToFloat(x: number): number {
  u32[0] = (0x7f << 23) | (x & 0x7fffff);
  return Math.fround(f32[0]! - 1);
}

/** Uint64ToDouble: 52 random mantissa bits → double in [0, 1) (exact: man / 2^52). */
export function uint64ToDouble(x0: number, x1: number): number {
  return ((x0 & 0xfffff) * 4294967296 + x1) / 4503599627370496;
}

/** Uint16ToHalf / Uint16ToBfloat16 as float values: the subtraction is exact in both formats. */
export function uint16ToHalfValue(x: number): number {
  return (x & 0x3ff) / 1024;
}
export function uint16ToBfloat16Value(x: number): number {
  return (x & 0x7f) / 128;
}

const TWO_PI = 2 * Math.PI;

const sc = new Float64Array(2);

/** BoxMullerFloat: two uint32s → two float32 standard normals (written to out[at], out[at + 1]). */
export function boxMullerFloat(x0: number, x1: number, out: Float64Array, at: number): void {
  const epsilon = Math.fround(1.0e-7);
  let u1 = uint32ToFloat(x0);
  if (u1 < epsilon) u1 = epsilon;
  // `2.0f * M_PI * u` is evaluated in double, then stored into a float.
  const v1 = Math.fround(TWO_PI * uint32ToFloat(x1));
  const u2 = Math.fround(Math.sqrt(Math.fround(-2 * logf(u1))));
  sincosf(v1, sc, 0);
  out[at] = Math.fround(sc[0]! * u2);
  out[at + 1] = Math.fround(sc[1]! * u2);
}

/** BoxMullerDouble: four uint32s → two double standard normals. */
export function boxMullerDouble(
  x0: number,
  x1: number,
  x2: number,
  x3: number,
  out: Float64Array,
  at: number,
): void {
  const epsilon = 1.0e-7;
  let u1 = uint64ToDouble(x0, x1);
  if (u1 < epsilon) u1 = epsilon;
  const v1 = TWO_PI * uint64ToDouble(x2, x3);
  const u2 = Math.sqrt(-2.0 * Math.log(u1));
  out[at] = Math.sin(v1) * u2;
  out[at + 1] = Math.cos(v1) * u2;
}

/** A random 64-bit value (TF's random::New64, used when both seeds are 0). */
export function new64(): bigint {
  return randomBytes(8).readBigUInt64LE(0);
}

/**
 * GuardedPhiloxRandom: the per-kernel generator. Seeded with (seed, seed2), or with random seeds
 * when both are 0. Each call reserves a block of samples and returns a generator positioned at its
 * start, so successive steps of one kernel draw successive, non-overlapping blocks.
 * Not shared between kernels; JS runs one compute at a time per worker, so no lock is needed.
 */
export class GuardedPhiloxRandom {
  private readonly generator: PhiloxRandom;

  constructor(seed: bigint, seed2: bigint) {
    if (seed === 0n && seed2 === 0n) this.generator = new PhiloxRandom(new64(), new64());
    else this.generator = new PhiloxRandom(seed, seed2);
  }

  /** ReserveSamples128(samples): a copy at the current position, then skip `samples` outputs. */
  reserveSamples128(samples: number): PhiloxRandom {
    const local = this.generator.clone();
    this.generator.skip(samples);
    return local;
  }

  /** ReserveSamples32(samples): room for `samples` uint32s, rounded up to whole outputs. */
  reserveSamples32(samples: number): PhiloxRandom {
    return this.reserveSamples128(Math.floor((samples + 3) / 4));
  }

  /** ReserveRandomOutputs(output_count, multiplier). */
  reserveRandomOutputs(outputCount: number, multiplier: number): PhiloxRandom {
    return this.reserveSamples128(outputCount * multiplier);
  }
}

/**
 * A distribution as FillPhiloxRandomTask sees it: `groupSize` results per call, drawn either from
 * one fixed-size Philox output (variable = false) or from a SingleSampleAdapter (variable = true).
 */
export interface Distribution {
  readonly groupSize: number;
  readonly variableSamplesPerOutput: boolean;
  /** Writes groupSize results into out[0..groupSize). */
  sample(gen: PhiloxRandom, single: SingleSampleAdapter | undefined, out: Float64Array): void;
}

/**
 * FillPhiloxRandom on CPU: fills `size` results into `write(i, v)` exactly as TF's sharded fill
 * does (the result does not depend on the sharding). For fixed-sample distributions group g uses
 * Philox output g; for variable-sample ones group g starts 256·groupSize/4 outputs further on.
 */
export function fillPhiloxRandom(
  base: PhiloxRandom,
  size: number,
  dist: Distribution,
  write: (i: number, v: number) => void,
): void {
  const pass = philoxFillPass(base, size, dist, write);
  pass.run(0, pass.n);
}

/**
 * fillPhiloxRandom as a pass over the result groups (util/element-slices.ts). Where a group's
 * samples start depends on its index alone, as in TF's sharding, so any split into ranges reads
 * exactly the stream positions of one run. `cost`: the work of a group against a plain loop.
 */
export function philoxFillPass(
  base: PhiloxRandom,
  size: number,
  dist: Distribution,
  write: (i: number, v: number) => void,
  cost = 1,
): ElementPass {
  const k = dist.groupSize;
  const buf = new Float64Array(k);
  const emit = (g: number) => {
    const m = Math.min(k, size - g * k);
    for (let j = 0; j < m; j++) write(g * k + j, buf[j]!);
  };
  const skipPerGroup = (k * 256) / 4;
  const run = dist.variableSamplesPerOutput
    ? (start: number, end: number) => {
        for (let g = start; g < end; g++) {
          const gen = base.clone();
          gen.skip(g * skipPerGroup);
          dist.sample(gen, new SingleSampleAdapter(gen), buf);
          emit(g);
        }
      }
    : (start: number, end: number) => {
        const gen = base.clone();
        gen.skip(start);
        for (let g = start; g < end; g++) {
          dist.sample(gen, undefined, buf);
          emit(g);
        }
      };
  return { n: Math.ceil(size / k), run, cost };
}

const tmp = new Uint32Array(4);

/** UniformDistribution<float|half|bfloat16|double>. */
export function uniformDistribution(kind: "float" | "half" | "bfloat16" | "double"): Distribution {
  if (kind === "double") {
    return {
      groupSize: 2,
      variableSamplesPerOutput: false,
      sample(gen, _s, out) {
        const x = gen.next(tmp);
        out[0] = uint64ToDouble(x[0]!, x[1]!);
        out[1] = uint64ToDouble(x[2]!, x[3]!);
      },
    };
  }
  const f = kind === "float" ? uint32ToFloat : kind === "half" ? uint16ToHalfValue : uint16ToBfloat16Value;
  return {
    groupSize: 4,
    variableSamplesPerOutput: false,
    sample(gen, _s, out) {
      const x = gen.next(tmp);
      for (let i = 0; i < 4; i++) out[i] = f(x[i]!);
    },
  };
}

/** UniformDistribution<int32>(lo, hi): lo + x % (hi - lo), the range in uint32 arithmetic. */
export function uniformInt32Distribution(lo: number, hi: number): Distribution {
  const range = (hi - lo) >>> 0;
  return {
    groupSize: 4,
    variableSamplesPerOutput: false,
    sample(gen, _s, out) {
      const x = gen.next(tmp);
      for (let i = 0; i < 4; i++) out[i] = (lo + (x[i]! % range)) | 0;
    },
  };
}

/** UniformDistribution<int64>(lo, hi) filled straight into int64 storage (two per Philox output). */
export function fillUniformInt64(base: PhiloxRandom, lo: bigint, hi: bigint, out: BigInt64Array): void {
  const pass = uniformInt64Pass(base, lo, hi, out);
  pass.run(0, pass.n);
}

/** fillUniformInt64 as a pass over the Philox outputs (output p gives elements 2p and 2p + 1). */
export function uniformInt64Pass(
  base: PhiloxRandom,
  lo: bigint,
  hi: bigint,
  out: BigInt64Array,
): ElementPass {
  const range = BigInt.asUintN(64, hi - lo);
  const x = new Uint32Array(4);
  const run = (start: number, end: number) => {
    const gen = base.clone();
    gen.skip(start);
    for (let p = start; p < end; p++) {
      gen.next(x);
      for (let j = 0; j < 2 && 2 * p + j < out.length; j++) {
        const bits = BigInt(x[2 * j]!) | (BigInt(x[2 * j + 1]!) << 32n);
        out[2 * p + j] = BigInt.asIntN(64, lo + (bits % range));
      }
    }
  };
  // One Philox output and two BigInt remainders took ~640 ns on the loaded test machine.
  return { n: Math.ceil(out.length / 2), run, cost: 300 };
}

/** NormalDistribution<float|half|bfloat16> (float results; callers encode half/bfloat16). */
export function normalDistribution(kind: "float" | "double"): Distribution {
  if (kind === "double") {
    return {
      groupSize: 2,
      variableSamplesPerOutput: false,
      sample(gen, _s, out) {
        const x = gen.next(tmp);
        boxMullerDouble(x[0]!, x[1]!, x[2]!, x[3]!, out, 0);
      },
    };
  }
  return {
    groupSize: 4,
    variableSamplesPerOutput: false,
    sample(gen, _s, out) {
      const x = gen.next(tmp);
      boxMullerFloat(x[0]!, x[1]!, out, 0);
      boxMullerFloat(x[2]!, x[3]!, out, 2);
    },
  };
}

/** TruncatedNormalDistribution: normals with |x| < 2, resampled from a SingleSampleAdapter. */
export function truncatedNormalDistribution(kind: "float" | "double"): Distribution {
  const pair = new Float64Array(2);
  const k = kind === "double" ? 2 : 4;
  return {
    groupSize: k,
    variableSamplesPerOutput: true,
    sample(_gen, single, out) {
      const s = single!;
      let index = 0;
      for (;;) {
        if (kind === "double") {
          const x0 = s.next();
          const x1 = s.next();
          const x2 = s.next();
          const x3 = s.next();
          boxMullerDouble(x0, x1, x2, x3, pair, 0);
        } else {
          const x0 = s.next();
          const x1 = s.next();
          boxMullerFloat(x0, x1, pair, 0);
        }
        for (let j = 0; j < 2; j++) {
          if (Math.abs(pair[j]!) < 2) {
            out[index++] = pair[j]!;
            if (index >= k) return;
          }
        }
      }
    },
  };
}
