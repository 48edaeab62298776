// The Poisson sampler of TF's RandomPoissonV2 and StatelessRandomPoisson
// (core/kernels/random_poisson_op.cc PoissonFunctor) and the stateful kernel. As TF computes it, in
// double whatever the dtypes: rates below 10 by Knuth's product of uniforms against exp(-rate),
// larger ones by Hormann's transformed rejection; each output reads its own 256-output region of
// the Philox stream, uniforms in double pairs taken last-first. With a seed pair the draws are TF's:
// they are integers, and V8's exp/log against glibc's (and lgamma here) could only change one at an
// exact tie of an acceptance test.
//
// Where TF never returns (a NaN rate, or one whose draws all exceed the output dtype's largest
// value, e.g. a rate of 1e6 into half), the sampler gives up after a bounded number of attempts
// with INVALID_ARGUMENT instead of hanging.

import { invalidArgument } from "../../framework/errors.js";
import { getAttrType } from "../../framework/op-def.js";
import { allocData, numElements, Tensor } from "../../framework/tensor.js";
import { DataType, dataTypeString } from "../../framework/types.js";
import { computeJob, type ElementJob, encodedOutput, runWhole } from "./element-slices.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./kernel-config.js";
import { type PhiloxRandom, uniformDistribution } from "./philox-random.js";
import { generatorFromAttrs, outputShapeFromInput } from "./random-op.js";
import { computeBuffer, numericData } from "./tensor-util.js";

/** The rate and output dtypes of TF's Poisson kernels (every pair is registered). */
export const POISSON_TYPES = [T.half, T.float, T.double, T.int32, T.int64] as const;

const kReservedSamplesPerOutput = 256;
const MAX_ATTEMPTS = 1 << 20;

/** The largest value of the output dtype, as TF compares draws with it (in double). */
function highest(dtype: DataType): number {
  switch (dtype) {
    case DataType.DT_HALF:
      return 65504;
    case DataType.DT_FLOAT:
      return 3.4028234663852886e38;
    case DataType.DT_INT32:
      return 2147483647;
    case DataType.DT_INT64:
      return 2 ** 63; // int64 max as a double
    default:
      return Number.MAX_VALUE;
  }
}

const LOG_FACTORIAL_SMALL: number[] = [];
for (let n = 0, f = 1; n < 20; n++, f *= n) LOG_FACTORIAL_SMALL.push(Math.log(f));

/** lgamma(n) for a whole n >= 1: log((n-1)!), by Stirling's series past 20. */
function lgammaWhole(n: number): number {
  if (n <= 20) return LOG_FACTORIAL_SMALL[n - 1]!;
  const r = 1 / n;
  const r2 = r * r;
  const series = r * (1 / 12 - r2 * (1 / 360 - r2 * (1 / 1260 - r2 / 1680)));
  return (n - 0.5) * Math.log(n) - n + 0.5 * Math.log(2 * Math.PI) + series;
}

/** Double uniforms, two per Philox output, handed out last-first. */
class UniformPairs {
  private readonly dist = uniformDistribution("double");
  private readonly pair = new Float64Array(2);
  private left = 0;
  constructor(private readonly gen: PhiloxRandom) {}
  next(): number {
    if (this.left === 0) {
      this.dist.sample(this.gen, undefined, this.pair);
      this.left = 2;
    }
    return this.pair[--this.left]!;
  }
}

function diverged(rate: number, dtype: DataType): never {
  throw invalidArgument(
    `Poisson sampling with rate ${rate} does not terminate for output type ${dataTypeString(dtype)}`,
  );
}

/** Knuth: the number of uniforms whose running product stays above exp(-rate), less one. */
function knuthDraw(expNegRate: number, top: number, u: UniformPairs): number {
  let prod = 1;
  for (let x = 0; ; x++) {
    prod *= u.next();
    if (prod <= expNegRate && x <= top) return x;
  }
}

/** Hormann's transformed rejection for rate >= 10 (constants as in TF). */
function hormannDraw(rate: number, top: number, u: UniformPairs, dtype: DataType): number {
  const logRate = Math.log(rate);
  const b = 0.931 + 2.53 * Math.sqrt(rate);
  const a = -0.059 + 0.02483 * b;
  const invAlpha = 1.1239 + 1.1328 / (b - 3.4);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const uu = u.next() - 0.5;
    const v = u.next();
    const us = 0.5 - Math.abs(uu);
    const k = Math.floor(((2 * a) / us + b) * uu + rate + 0.43);
    if (k > top) continue;
    if (us >= 0.07 && v <= 0.9277 - 3.6224 / (b - 2)) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    const s = Math.log((v * invAlpha) / (a / (us * us) + b));
    const t = -rate + k * logRate - lgammaWhole(k + 1);
    if (s <= t) return k;
  }
  return diverged(rate, dtype);
}

/** Stores a draw as static_cast<U> does on x86-64 (NaN and out-of-range integers: the minimum). */
function storeDraw(out: ReturnType<typeof allocData>, i: number, x: number, dtype: DataType): void {
  if (dtype === DataType.DT_INT64) {
    (out as BigInt64Array)[i] = Math.abs(x) < 2 ** 63 ? BigInt(Math.trunc(x)) : -(2n ** 63n);
  } else if (dtype === DataType.DT_INT32) {
    (out as Int32Array)[i] = Math.abs(x) < 2 ** 31 ? Math.trunc(x) : -(2 ** 31);
  } else {
    (out as Float32Array | Float64Array)[i] = x;
  }
}

/**
 * Fills `shape` (rates' shape last) with Poisson draws: output index sample·numRates + r, drawn
 * from the region of output r·samplesPerRate + sample.
 */
export function samplePoisson(
  base: PhiloxRandom,
  rate: Tensor,
  shape: readonly number[],
  dtype: DataType,
): Tensor {
  return runWhole(samplePoissonJob(base, rate, shape, dtype));
}

/**
 * samplePoisson as an ElementJob (util/element-slices.ts): each draw positions its own generator
 * copy, so ranges of draws read one run's stream. A NaN rate fails now, with the message its first
 * draw would give; a sampler that gives up (draws all beyond the dtype) fails in its slice.
 */
export function samplePoissonJob(
  base: PhiloxRandom,
  rate: Tensor,
  shape: readonly number[],
  dtype: DataType,
): ElementJob<Tensor> {
  const rates = rateValues(rate);
  const numRates = rates.length;
  const total = numElements(shape);
  const isInt = dtype === DataType.DT_INT32 || dtype === DataType.DT_INT64;
  const out = isInt ? allocData(dtype, total, shape) : computeBuffer(dtype, total, shape);
  const encoded = isInt
    ? { passes: [], result: () => new Tensor(dtype, shape, out) }
    : encodedOutput(dtype, shape, out as Float32Array);
  if (total === 0) return encoded;
  for (let r = 0; r < numRates; r++) if (Number.isNaN(rates[r]!)) diverged(rates[r]!, dtype);
  const samplesPerRate = total / numRates;
  const top = highest(dtype);
  const run = (start: number, end: number) => {
    for (let i = start; i < end; i++) {
      const r = Math.floor(i / samplesPerRate);
      const sample = i - r * samplesPerRate;
      const rateR = rates[r]!;
      if (rateR === Infinity) {
        // What TF 2.21's build returns for an infinite rate (observed): inf, or 0 for integers.
        storeDraw(out, sample * numRates + r, isInt ? 0 : Infinity, dtype);
        continue;
      }
      const gen = base.clone();
      gen.skip(kReservedSamplesPerOutput * i);
      const u = new UniformPairs(gen);
      const x = rateR < 10 ? knuthDraw(Math.exp(-rateR), top, u) : hormannDraw(rateR, top, u, dtype);
      storeDraw(out, sample * numRates + r, x, dtype);
    }
  };
  return { passes: [{ n: total, run, cost: POISSON_DRAW_COST }, ...encoded.passes], result: encoded.result };
}

/** A draw (a generator copy, a few uniforms, a log or two) against a plain loop's element. */
const POISSON_DRAW_COST = 500;

/** A rate tensor's values as doubles (int64 rates converted like static_cast<double>). */
function rateValues(rate: Tensor): ArrayLike<number> {
  if (rate.dtype === DataType.DT_INT64) return Array.from(rate.data as BigInt64Array, Number);
  return numericData(rate);
}

/**
 * The stateful Poisson kernel (RandomPoissonOp): output shape = shape ++ rate.shape; nothing is
 * drawn (nor reserved) when the shape has no elements.
 */
export function statefulPoissonKernel(name: string, rateAttr: string): KernelConfig["kernel"] {
  return cpuKernel(name, (c) => {
    checkTypeConstraint(c, rateAttr, POISSON_TYPES);
    const dtype = checkTypeConstraint(c, "dtype", POISSON_TYPES);
    getAttrType(c.attrs, "S");
    const generator = generatorFromAttrs(c.attrs);
    return {
      compute(ctx) {
        const rate = ctx.input(1);
        const samples = outputShapeFromInput(ctx.input(0));
        const numSamples = numElements(samples);
        const shape = [...samples, ...rate.shape];
        if (numSamples === 0) {
          ctx.setOutput(0, Tensor.zeros(dtype, shape));
          return;
        }
        const n = numSamples * rate.numElements;
        const gen = generator.reserveRandomOutputs(n, kReservedSamplesPerOutput);
        return computeJob(ctx, samplePoissonJob(gen, rate, shape, dtype));
      },
    };
  });
}
