// TF's StatelessRandomBinomial (core/kernels/random_binomial_op.cc; tf.random.stateless_binomial):
// Binomial(counts, probs) draws from the generator a seed pair derives, counts and probs broadcast
// against each other and the shape ending with their broadcast shape. As TF does: the parameter
// tests in the parameters' own dtype (half/float arithmetic rounded as C++ rounds it), the draws in
// double: inversion (summing geometric variables) when count·p < 10, reading a 42-output region of
// the stream per output, else Hormann's BTRS rejection with a 256-output region; p > 0.5 samples
// the complement. The draws are integers, so V8's log/log1p against glibc's could only matter at an
// exact tie.
//
// Two departures, where TF has no answer: a NaN count makes TF's inversion loop forever, so both
// samplers stop after 2^20 attempts with INVALID_ARGUMENT; and an int64 shape is read as its values
// (TF reads its int32 words when splitting samples from batches, which leaves outputs unwritten).

import { broadcastShapes, broadcastStrides } from "../framework/bcast.js";
import { invalidArgument } from "../framework/errors.js";
import { floatToHalf, halfToFloat } from "../framework/float16.js";
import { getAttrType } from "../framework/op-def.js";
import { allocData, numElements, shapeString, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";
import { type PhiloxRandom, uniformDistribution } from "./util/philox-random.js";
import { POISSON_TYPES } from "./util/random-poisson.js";
import { checkSeedShape, philoxFromSeed, TSEED } from "./util/stateless-random.js";
import { computeBuffer, finish, numericData, readInts } from "./util/tensor-util.js";

const MAX_ATTEMPTS = 1 << 20;

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

function diverged(): never {
  throw invalidArgument("Binomial sampling does not terminate for these counts and probs");
}

/** Inversion: how many geometric(prob) variables fit in count. */
function inversion(count: number, prob: number, u: UniformPairs): number {
  const denom = Math.log1p(-prob);
  let sum = 0;
  for (let n = 0; n < MAX_ATTEMPTS; n++) {
    sum += Math.ceil(Math.log(u.next()) / denom);
    if (sum > count) return n;
  }
  return diverged();
}

const TAIL = [
  0.0810614667953272, 0.0413406959554092, 0.0276779256849983, 0.02079067210376509, 0.0166446911898211,
  0.0138761288230707, 0.0118967099458917, 0.010411265261972, 0.00925546218271273, 0.00833056343336287,
];

/** The tail of Stirling's approximation of log k! (a table up to 9, as TF's). */
function stirlingTail(k: number): number {
  if (k <= 9) return TAIL[Math.trunc(k)]!;
  const kp1sq = (k + 1) * (k + 1);
  return (1.0 / 12 - (1.0 / 360 - 1.0 / 1260 / kp1sq) / kp1sq) / (k + 1);
}

/** Hormann's BTRS transformed rejection (TF's variant, constants as TF's). */
function btrs(count: number, prob: number, u: UniformPairs): number {
  const stddev = Math.sqrt(count * prob * (1 - prob));
  const b = 1.15 + 2.53 * stddev;
  const a = -0.0873 + 0.0248 * b + 0.01 * prob;
  const c = count * prob + 0.5;
  const vr = 0.92 - 4.2 / b;
  const r = prob / (1 - prob);
  const alpha = (2.83 + 5.1 / b) * stddev;
  const m = Math.floor((count + 1) * prob);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const u0 = u.next() - 0.5;
    const v0 = u.next();
    const us = 0.5 - Math.abs(u0);
    const k = Math.floor(((2 * a) / us + b) * u0 + c);
    if (us >= 0.07 && v0 <= vr) return k;
    if (k < 0 || k > count) continue;
    const v = Math.log((v0 * alpha) / (a / (us * us) + b));
    const upper =
      (m + 0.5) * Math.log((m + 1) / (r * (count - m + 1))) +
      (count + 1) * Math.log((count - m + 1) / (count - k + 1)) +
      (k + 0.5) * Math.log((r * (count - k + 1)) / (k + 1)) +
      stirlingTail(m) +
      stirlingTail(count - m) -
      stirlingTail(k) -
      stirlingTail(count - k);
    if (v <= upper) return k;
  }
  return diverged();
}

/** A value of the parameters' dtype after C++ arithmetic in it (float rounding, half via float). */
function rounder(dtype: DataType): (x: number) => number {
  if (dtype === DataType.DT_FLOAT) return Math.fround;
  if (dtype === DataType.DT_HALF) return (x) => halfToFloat(floatToHalf(Math.fround(x)));
  return (x) => x;
}

/** One draw for (count, prob) at output `i` (TF's per-parameter branches). */
function binomialDraw(
  count: number,
  prob: number,
  i: number,
  base: PhiloxRandom,
  round: (x: number) => number,
) {
  if (count <= 0 || prob <= 0) return 0;
  if (prob >= 1) return count;
  const sample = (p: number): number => {
    const gen = base.clone();
    if (round(count * p) >= 10) {
      gen.skip(256 * i);
      return btrs(count, p, new UniformPairs(gen));
    }
    gen.skip(42 * i);
    return inversion(count, p, new UniformPairs(gen));
  };
  if (prob <= 0.5) return sample(prob);
  if (prob > 0.5) return count - sample(round(1 - prob));
  return Number.NaN;
}

/** Stores a draw as static_cast<U> does on x86-64 (NaN and out-of-range integers: the minimum). */
function store(out: ReturnType<typeof allocData>, at: number, x: number, dtype: DataType): void {
  if (dtype === DataType.DT_INT64) {
    (out as BigInt64Array)[at] = Math.abs(x) < 2 ** 63 ? BigInt(Math.trunc(x)) : -(2n ** 63n);
  } else if (dtype === DataType.DT_INT32) {
    (out as Int32Array)[at] = Math.abs(x) < 2 ** 31 ? Math.trunc(x) : -(2 ** 31);
  } else {
    (out as Float32Array | Float64Array)[at] = x;
  }
}

function shapeInput(shapeT: Tensor): number[] {
  if (shapeT.rank !== 1) {
    throw invalidArgument(`Input shape should be a vector, got shape: ${shapeString(shapeT.shape)}`);
  }
  const dims = readInts(shapeT);
  numElements(dims);
  return dims;
}

/** The flat index into a broadcast input for each batch (flat index of the broadcast shape). */
function batchIndex(inShape: readonly number[], batchShape: readonly number[], batch: number): number {
  const strides = broadcastStrides(inShape, batchShape);
  let rest = batch;
  let at = 0;
  for (let d = batchShape.length - 1; d >= 0; d--) {
    const size = batchShape[d]!;
    at += (rest % size) * strides[d]!;
    rest = Math.floor(rest / size);
  }
  return at;
}

export const statelessRandomBinomialConfig: KernelConfig = {
  op: {
    name: "StatelessRandomBinomial",
    inputs: ["shape: S", "seed: Tseed", "counts: T", "probs: T"],
    outputs: ["output: dtype"],
    attrs: [
      "S: {int32, int64}",
      TSEED,
      "T: {half, float, double, int32, int64} = DT_DOUBLE",
      "dtype: {half, float, double, int32, int64} = DT_INT64",
    ],
  },
  kernel: cpuKernel("StatelessRandomBinomial", (c) => {
    const paramType = checkTypeConstraint(c, "T", [T.half, T.float, T.double]);
    const dtype = checkTypeConstraint(c, "dtype", POISSON_TYPES);
    getAttrType(c.attrs, "S");
    const round = rounder(paramType);
    return {
      compute(ctx) {
        const [shapeT, seed, countsT, probsT] = [ctx.input(0), ctx.input(1), ctx.input(2), ctx.input(3)];
        checkSeedShape(seed);
        let batchShape: number[];
        try {
          batchShape = broadcastShapes(countsT.shape, probsT.shape);
        } catch {
          throw invalidArgument(
            `counts and probs must have compatible batch dimensions: ${shapeString(countsT.shape)} vs. ${shapeString(probsT.shape)}`,
          );
        }
        const shape = shapeInput(shapeT);
        const lead = shape.length - batchShape.length;
        if (lead < 0 || batchShape.some((d, i) => d !== shape[lead + i])) {
          throw invalidArgument("Shape passed in must end with broadcasted shape.");
        }
        const total = numElements(shape);
        const isInt = dtype === DataType.DT_INT32 || dtype === DataType.DT_INT64;
        const out = isInt ? allocData(dtype, total, shape) : computeBuffer(dtype, total, shape);
        if (total > 0) {
          const base = philoxFromSeed(seed);
          const counts = numericData(countsT);
          const probs = numericData(probsT);
          const numBatches = numElements(batchShape);
          const perBatch = total / numBatches;
          for (let i = 0; i < total; i++) {
            const batch = Math.floor(i / perBatch);
            const sample = i - batch * perBatch;
            const count = counts[batchIndex(countsT.shape, batchShape, batch)]!;
            const prob = probs[batchIndex(probsT.shape, batchShape, batch)]!;
            store(out, sample * numBatches + batch, binomialDraw(count, prob, i, base, round), dtype);
          }
        }
        ctx.setOutput(0, isInt ? new Tensor(dtype, shape, out) : finish(dtype, shape, out as Float32Array));
      },
    };
  }),
};
