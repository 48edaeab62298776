// TF's All and Any (core/kernels/reduction_ops_all.cc, reduction_ops_any.cc): logical reductions of
// bool tensors over reduction_indices.

import { getAttrBool } from "../framework/op-def.js";
import { Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { computeJob, type ElementJob, runWhole } from "./util/element-slices.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { reduceJob, reductionPlan } from "./util/reduction.js";

/** All = min over {0,1}, Any = max over {0,1}; empty reductions give true / false. */
export function all(x: Tensor, axes: Tensor, keepDims = false): Tensor {
  return runWhole(boolReduceJob("min", x, axes, keepDims));
}

export function any(x: Tensor, axes: Tensor, keepDims = false): Tensor {
  return runWhole(boolReduceJob("max", x, axes, keepDims));
}

/** All or Any as an ElementJob (util/element-slices.ts): the reduction of the input's 0/1 bytes. */
function boolReduceJob(kind: "min" | "max", x: Tensor, axes: Tensor, keepDims: boolean): ElementJob<Tensor> {
  const plan = reductionPlan(x.shape, axes, keepDims);
  const bytes = reduceJob(kind, new Tensor(DataType.DT_UINT8, x.shape, x.data), plan);
  return {
    passes: bytes.passes,
    result: () => {
      const r = bytes.result();
      const d = r.data as Uint8Array;
      // An empty group leaves the dtype's extreme: 255 for min (true), 0 for max (false).
      for (let i = 0; i < d.length; i++) d[i] = d[i]! !== 0 ? 1 : 0;
      return new Tensor(DataType.DT_BOOL, r.shape, d);
    },
  };
}

function config(name: "All" | "Any"): KernelConfig {
  return {
    op: {
      name,
      inputs: ["input: bool", "reduction_indices: Tidx"],
      outputs: ["output: bool"],
      attrs: ["keep_dims: bool = false", "Tidx: {int32, int64} = DT_INT32"],
    },
    kernel: cpuKernel(name, (c) => {
      const keepDims = getAttrBool(c.attrs, "keep_dims");
      const kind = name === "All" ? "min" : "max";
      return { compute: (ctx) => computeJob(ctx, boolReduceJob(kind, ctx.input(0), ctx.input(1), keepDims)) };
    }),
  };
}

export const allConfig = config("All");
export const anyConfig = config("Any");
