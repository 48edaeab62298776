// TF's RandomGamma (core/kernels/random_op.cc RandomGammaOp; tf.random.gamma in TF1 graphs):
// Gamma(alpha) samples by Marsaglia and Tsang's transformation-rejection, computed in double as TF
// does. Each output reads its own 256-output region of the Philox stream (so sharding does not
// change the values); inside it, normals and uniforms are double pairs taken last-first. alpha == 1
// is an exponential draw, alpha < 1 is boosted by one and scaled by u^(1/alpha). With a seed pair
// the values are TF's (double log/pow/log1p are V8's, TF's glibc's: a rare last-bit difference).

import { invalidArgument } from "../framework/errors.js";
import { getAttrType } from "../framework/op-def.js";
import { numElements, type Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { computeJob, type ElementJob, encodedOutput, runWhole } from "./util/element-slices.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";
import { normalDistribution, type PhiloxRandom, uniformDistribution } from "./util/philox-random.js";
import { generatorFromAttrs, SEED_ATTRS } from "./util/random-op.js";
import { summarizeValue } from "./util/summarize-value.js";
import { computeBuffer, finish, numericData, readInts } from "./util/tensor-util.js";

/** The dtypes of TF's gamma kernels. */
export const GAMMA_TYPES = [T.half, T.float, T.double] as const;

const kReservedSamplesPerOutput = 256;

/** A double pair from `dist` per refill, handed out last-first (TF's sample buffers). */
class PairBuffer {
  private readonly pair = new Float64Array(2);
  private left = 0;
  constructor(private readonly dist: ReturnType<typeof uniformDistribution>) {}
  clear(): void {
    this.left = 0;
  }
  next(gen: PhiloxRandom): number {
    if (this.left === 0) {
      this.dist.sample(gen, undefined, this.pair);
      this.left = 2;
    }
    return this.pair[--this.left]!;
  }
}

/** One Gamma(alpha) draw from a generator positioned at the output's region. */
function gammaDraw(alpha: number, gen: PhiloxRandom, normal: PairBuffer, uniform: PairBuffer): number {
  normal.clear();
  uniform.clear();
  if (alpha === 1) return -Math.log1p(-uniform.next(gen));
  const lessThanOne = alpha < 1;
  const d = alpha + (lessThanOne ? 2.0 / 3 : -1.0 / 3);
  const c = 1.0 / 3 / Math.sqrt(d);
  for (;;) {
    const x = normal.next(gen);
    let v = 1 + c * x;
    if (v <= 0) continue;
    v = v * v * v;
    const u = uniform.next(gen);
    // The squeeze test first; the logs only when it fails.
    if (u < 1 - 0.0331 * (x * x) * (x * x) || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
      let res = d * v;
      if (lessThanOne) res *= uniform.next(gen) ** (1 / alpha);
      return res;
    }
  }
}

const DBL_MIN = 2.2250738585072014e-308;
const FLT_MIN = 2 ** -126;

/**
 * TF's CPU threads flush denormals to zero: a subnormal double draw, or one that becomes a
 * subnormal float when stored into float storage, is stored as a zero of its sign.
 */
function flushDenormal(v: number, single: boolean): number {
  if (Math.abs(v) < DBL_MIN) return v * 0;
  if (single && Math.abs(Math.fround(v)) < FLT_MIN) return v * 0;
  return v;
}

/**
 * Fills `shape` (alphas' shape last) with Gamma draws: output index sample·numAlphas + a, drawn
 * from the region of output a·samplesPerAlpha + sample, as TF orders them.
 */
export function sampleGamma(
  base: PhiloxRandom,
  alpha: Tensor,
  shape: readonly number[],
  dtype: DataType,
): Tensor {
  return runWhole(sampleGammaJob(base, alpha, shape, dtype));
}

/**
 * sampleGamma as an ElementJob (util/element-slices.ts): the draws in ranges of i (each positions
 * its own generator copy, so any split reads one run's stream), then the half encoding.
 */
export function sampleGammaJob(
  base: PhiloxRandom,
  alpha: Tensor,
  shape: readonly number[],
  dtype: DataType,
): ElementJob<Tensor> {
  const alphas = numericData(alpha);
  const numAlphas = alphas.length;
  const total = numElements(shape);
  const samplesPerAlpha = total / numAlphas;
  const out = computeBuffer(dtype, total, shape) as Float32Array | Float64Array;
  const single = out instanceof Float32Array;
  const normal = new PairBuffer(normalDistribution("double"));
  const uniform = new PairBuffer(uniformDistribution("double"));
  const run = (start: number, end: number) => {
    for (let i = start; i < end; i++) {
      const a = Math.floor(i / samplesPerAlpha);
      const sample = i - a * samplesPerAlpha;
      const gen = base.clone();
      gen.skip(kReservedSamplesPerOutput * i);
      out[sample * numAlphas + a] = flushDenormal(gammaDraw(alphas[a]!, gen, normal, uniform), single);
    }
  };
  const encoded = encodedOutput(dtype, shape, out);
  return { passes: [{ n: total, run, cost: GAMMA_DRAW_COST }, ...encoded.passes], result: encoded.result };
}

/**
 * A draw (a generator copy, one to a few double normal and uniform pairs, a log or two) against a
 * plain loop's element: ~1 µs on the loaded test machine against ~2 ns.
 */
const GAMMA_DRAW_COST = 500;

/** The shape input of RandomGamma: an int32/int64 vector, else TF's message with the tensor's values. */
function samplesShape(shapeT: Tensor): number[] {
  if (shapeT.rank !== 1 || (shapeT.dtype !== DataType.DT_INT32 && shapeT.dtype !== DataType.DT_INT64)) {
    throw invalidArgument(
      `shape must be a vector of {int32,int64}, got shape: ${shapeT.toString().slice(0, -1)} values: ${summarizeValue(shapeT, 3, false)}>`,
    );
  }
  const dims = readInts(shapeT);
  numElements(dims);
  return dims;
}

export const randomGammaConfig: KernelConfig = {
  op: {
    name: "RandomGamma",
    inputs: ["shape: S", "alpha: T"],
    outputs: ["output: T"],
    attrs: [...SEED_ATTRS, "S: {int32, int64}", "T: {half, float, double}"],
    isStateful: true,
  },
  kernel: cpuKernel("RandomGamma", (c) => {
    const dtype = checkTypeConstraint(c, "T", GAMMA_TYPES);
    getAttrType(c.attrs, "S");
    const generator = generatorFromAttrs(c.attrs);
    return {
      compute(ctx) {
        const alpha = ctx.input(1);
        const shape = [...samplesShape(ctx.input(0)), ...alpha.shape];
        const n = numElements(shape);
        if (n === 0) {
          ctx.setOutput(0, finish(dtype, shape, computeBuffer(dtype, 0, shape)));
          return;
        }
        const gen = generator.reserveRandomOutputs(n, kReservedSamplesPerOutput);
        return computeJob(ctx, sampleGammaJob(gen, alpha, shape, dtype));
      },
    };
  }),
};
