// TF's Multinomial (core/kernels/multinomial_op.cc; tf.random.categorical in TF1 graphs): for each
// row of logits, num_samples class indices drawn from softmax(logits). As TF's CPU kernel does: an
// unnormalised CDF of exp(logit - max) in float64 over the finite logits, then one
// SimplePhilox::RandDouble per sample scaled by the total and located with upper_bound. The
// seed/seed2 stream is TF's, so a seeded graph draws TF's samples (TF shards large batches over
// threads, which changes its own stream; small batches run in one shard, as here).

import { invalidArgument } from "../framework/errors.js";
import { getAttrType } from "../framework/op-def.js";
import { allocData, shapeString, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { computeJob, doneJob, type ElementJob, oneLoop, runWhole } from "./util/element-slices.js";
import { checkTypeConstraint, cpuKernel, FLOAT_TYPES, type KernelConfig } from "./util/kernel-config.js";
import { type PhiloxRandom, SingleSampleAdapter, uint64ToDouble } from "./util/philox-random.js";
import { generatorFromAttrs, SEED_ATTRS } from "./util/random-op.js";
import { numericData, scalarValue } from "./util/tensor-util.js";

export function multinomial(
  gen: PhiloxRandom | undefined,
  logits: Tensor,
  numSamples: number,
  outType: DataType,
): Tensor {
  return runWhole(multinomialJob(gen, logits, numSamples, outType));
}

/**
 * multinomial as an ElementJob (util/element-slices.ts): one pass over the samples in row-major
 * order, each row's CDF made at its first sample. The generator, its pending words and the current
 * row's CDF carry over from one range to the next, so the samples take the stream's words in one
 * run's order (every range starts where the previous one ended).
 */
export function multinomialJob(
  gen: PhiloxRandom | undefined,
  logits: Tensor,
  numSamples: number,
  outType: DataType,
): ElementJob<Tensor> {
  const [batch, classes] = logits.shape as [number, number];
  const shape = [batch, numSamples];
  const out = allocData(outType, batch * numSamples, shape);
  const result = () => new Tensor(outType, shape, out);
  if (gen === undefined || batch * numSamples === 0) return doneJob(result());
  const set =
    outType === DataType.DT_INT64
      ? (i: number, v: number) => {
          (out as BigInt64Array)[i] = BigInt(v);
        }
      : (i: number, v: number) => {
          (out as Int32Array)[i] = v;
        };
  const x = numericData(logits);
  const single = new SingleSampleAdapter(gen);
  const cdf = new Float64Array(classes);
  let total = 0;
  const rowCdf = (row: number) => {
    let max = -Number.MAX_VALUE;
    for (let j = 0; j < classes; j++) {
      const v = x[row + j]!;
      if (Number.isFinite(v) && v > max) max = v;
    }
    total = 0;
    for (let j = 0; j < classes; j++) {
      const v = x[row + j]!;
      if (Number.isFinite(v)) total += Math.exp(v - max);
      cdf[j] = total;
    }
  };
  const run = (start: number, end: number) => {
    for (let i = start; i < end; i++) {
      const s = i % numSamples;
      if (s === 0) rowCdf(((i - s) / numSamples) * classes);
      const toFind = uint64ToDouble(single.next(), single.next()) * total;
      // upper_bound: the first class whose running total exceeds toFind.
      let lo = 0;
      let hi = classes;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cdf[mid]! > toFind) hi = mid;
        else lo = mid + 1;
      }
      set(i, lo);
    }
  };
  // A sample (half a Philox output, a binary search) ~100 ns, a class's CDF step ~10 ns, against
  // ~2 ns for a plain loop's element.
  const cost = 50 + Math.log2(classes) + (5 * classes) / numSamples;
  return oneLoop(batch * numSamples, run, result, cost);
}

/** The checks of TF's MultinomialOp::DoCompute; returns num_samples. */
export function checkMultinomialInputs(logits: Tensor, ns: Tensor): number {
  if (logits.rank !== 2) {
    throw invalidArgument(`logits should be a matrix, got shape ${shapeString(logits.shape)}`);
  }
  if (ns.rank !== 0) {
    throw invalidArgument(`num_samples should be a scalar, got shape ${shapeString(ns.shape)}`);
  }
  const numSamples = scalarValue(ns);
  if (numSamples < 0) throw invalidArgument(`num_samples should be non-negative, got ${numSamples}`);
  const classes = logits.shape[1]!;
  if (classes <= 0) throw invalidArgument(`num_classes should be positive, got ${classes}`);
  return numSamples;
}

export const multinomialConfig: KernelConfig = {
  op: {
    name: "Multinomial",
    inputs: ["logits: T", "num_samples: int32"],
    outputs: ["output: output_dtype"],
    attrs: [...SEED_ATTRS, "T: realnumbertype", "output_dtype: {int32, int64} = DT_INT64"],
    isStateful: true,
  },
  kernel: cpuKernel("Multinomial", (c) => {
    checkTypeConstraint(c, "T", FLOAT_TYPES);
    const outType = getAttrType(c.attrs, "output_dtype");
    const generator = generatorFromAttrs(c.attrs);
    return {
      compute(ctx) {
        const logits = ctx.input(0);
        const numSamples = checkMultinomialInputs(logits, ctx.input(1));
        const batch = logits.shape[0]!;
        // The generator advances by what TF reserves (only for a non-empty output), whether or
        // not every value is used: 4-rounded samples, doubled for the two uint32s of a double.
        const ceil4 = Math.trunc((numSamples + 3) / 4) * 4 * 2;
        const gen = batch * numSamples > 0 ? generator.reserveRandomOutputs(batch * ceil4, 256) : undefined;
        return computeJob(ctx, multinomialJob(gen, logits, numSamples, outType));
      },
    };
  }),
};
