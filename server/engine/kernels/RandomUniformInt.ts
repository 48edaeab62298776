// TF's RandomUniformInt (core/kernels/random_op.cc, RandomUniformIntOp): integers in
// [minval, maxval) as lo + bits % (hi - lo) over TF's Philox stream (TF's values for a seed pair;
// slightly biased exactly like TF's).

import { invalidArgument } from "../framework/errors.js";
import { getAttrType } from "../framework/op-def.js";
import { allocData, shapeString, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { computeJob, type ElementJob, runWhole } from "./util/element-slices.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import {
  type PhiloxRandom,
  philoxFillPass,
  uniformInt32Distribution,
  uniformInt64Pass,
} from "./util/philox-random.js";
import { generatorFromAttrs, outputShapeFromInput, SEED_ATTRS } from "./util/random-op.js";

export function randomUniformInt(
  gen: PhiloxRandom,
  shape: readonly number[],
  dtype: DataType,
  lo: bigint,
  hi: bigint,
): Tensor {
  return runWhole(randomUniformIntJob(gen, shape, dtype, lo, hi));
}

/** randomUniformInt as an ElementJob (util/element-slices.ts): ranges of Philox outputs. */
export function randomUniformIntJob(
  gen: PhiloxRandom,
  shape: readonly number[],
  dtype: DataType,
  lo: bigint,
  hi: bigint,
): ElementJob<Tensor> {
  const n = shape.reduce((a, b) => a * b, 1);
  if (dtype === DataType.DT_INT64) {
    const out = allocData(dtype, n, shape) as BigInt64Array;
    const pass = uniformInt64Pass(gen, lo, hi, out);
    return { passes: [pass], result: () => new Tensor(dtype, shape, out) };
  }
  const out = allocData(dtype, n, shape) as Int32Array;
  const write = (i: number, v: number) => {
    out[i] = v;
  };
  const pass = philoxFillPass(
    gen,
    n,
    uniformInt32Distribution(Number(lo), Number(hi)),
    write,
    INT32_GROUP_COST,
  );
  return { passes: [pass], result: () => new Tensor(dtype, shape, out) };
}

/** A group of four int32s (one Philox output, four remainders; ~600 ns) against a plain loop's element. */
const INT32_GROUP_COST = 300;

const scalarBigInt = (t: Tensor): bigint =>
  t.dtype === DataType.DT_INT64 ? (t.data as BigInt64Array)[0]! : BigInt((t.data as Int32Array)[0]!);

export const randomUniformIntConfig: KernelConfig = {
  op: {
    name: "RandomUniformInt",
    inputs: ["shape: T", "minval: Tout", "maxval: Tout"],
    outputs: ["output: Tout"],
    attrs: [...SEED_ATTRS, "Tout: {int32, int64}", "T: {int32, int64}"],
    isStateful: true,
  },
  kernel: cpuKernel("RandomUniformInt", (c) => {
    const dtype = getAttrType(c.attrs, "Tout");
    const generator = generatorFromAttrs(c.attrs);
    return {
      compute(ctx) {
        const minval = ctx.input(1);
        const maxval = ctx.input(2);
        if (minval.rank !== 0)
          throw invalidArgument(`minval must be 0-D, got shape ${shapeString(minval.shape)}`);
        if (maxval.rank !== 0)
          throw invalidArgument(`maxval must be 0-D, got shape ${shapeString(maxval.shape)}`);
        const lo = scalarBigInt(minval);
        const hi = scalarBigInt(maxval);
        if (!(lo < hi)) throw invalidArgument(`Need minval < maxval, got ${lo} >= ${hi}`);
        const shape = outputShapeFromInput(ctx.input(0));
        const n = shape.reduce((a, b) => a * b, 1);
        return computeJob(
          ctx,
          randomUniformIntJob(generator.reserveRandomOutputs(n, 256), shape, dtype, lo, hi),
        );
      },
    };
  }),
};
