// TF's Select and SelectV2 (core/kernels/cwise_op_select.cc): pick elements of `t` where `condition`
// is true, of `e` elsewhere. Select (v1) takes a scalar, a same-shape or a batch-vector condition;
// SelectV2 broadcasts all three inputs.

import { broadcastShapes, broadcastStrides, stridesOf } from "../framework/bcast.js";
import { invalidArgument } from "../framework/errors.js";
import { sameShape, shapeString, Tensor } from "../framework/tensor.js";
import { computeJob, doneJob, type ElementJob, oneLoop, runWhole } from "./util/element-slices.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { allocIndexable, lanesOf, storage } from "./util/tensor-util.js";

function select3(
  cond: Tensor,
  t: Tensor,
  e: Tensor,
  shape: number[],
  cShape: readonly number[],
): ElementJob<Tensor> {
  const n = shape.reduce((a, b) => a * b, 1);
  const lanes = lanesOf(t.dtype);
  const out = allocIndexable(t.dtype, n, shape);
  const cs = broadcastStrides(cShape, shape);
  const ts = broadcastStrides(t.shape, shape);
  const es = broadcastStrides(e.shape, shape);
  const os = stridesOf(shape);
  const c = cond.data as Uint8Array;
  const tv = storage(t);
  const ev = storage(e);
  const run = (start: number, end: number) => {
    for (let i = start; i < end; i++) {
      let ci = 0;
      let ti = 0;
      let ei = 0;
      let rem = i;
      for (let d = 0; d < shape.length; d++) {
        const k = Math.floor(rem / os[d]!);
        rem -= k * os[d]!;
        ci += k * cs[d]!;
        ti += k * ts[d]!;
        ei += k * es[d]!;
      }
      const src = c[ci] ? tv : ev;
      const si = c[ci] ? ti : ei;
      for (let l = 0; l < lanes; l++) out[i * lanes + l] = src[si * lanes + l];
    }
  };
  // Each element unravels its index over every dimension.
  return oneLoop(
    n,
    run,
    () => new Tensor(t.dtype, shape, out as unknown as Tensor["data"]),
    2 + shape.length,
  );
}

export function select(cond: Tensor, t: Tensor, e: Tensor): Tensor {
  return runWhole(selectJob(cond, t, e));
}

/** select as an ElementJob (util/element-slices.ts). */
export function selectJob(cond: Tensor, t: Tensor, e: Tensor): ElementJob<Tensor> {
  if (!sameShape(t.shape, e.shape)) {
    throw invalidArgument(
      `'then' and 'else' must have the same size.  but received: ${shapeString(t.shape)} vs. ${shapeString(e.shape)}`,
    );
  }
  if (cond.rank === 0) return doneJob(cond.data[0] ? t : e);
  if (sameShape(cond.shape, t.shape)) return select3(cond, t, e, [...t.shape], cond.shape);
  if (cond.rank === 1) {
    if (t.rank < 1)
      throw invalidArgument(`'then' must be at least a vector, but saw shape: ${shapeString(t.shape)}`);
    if (t.shape[0] !== cond.shape[0]) {
      throw invalidArgument(
        `Number of batches of 'then' must match size of 'cond', but saw: ${t.shape[0]} vs. ${cond.shape[0]}`,
      );
    }
    // A batch vector selects whole rows: align it with dimension 0.
    const cShape = [cond.shape[0]!, ...t.shape.slice(1).map(() => 1)];
    return select3(cond, t, e, [...t.shape], cShape);
  }
  throw invalidArgument(
    `Inputs to operation Select of type Select must have the same size and shape.  Input 0: ${shapeString(cond.shape)} != input 1: ${shapeString(t.shape)}`,
  );
}

export function selectV2(cond: Tensor, t: Tensor, e: Tensor): Tensor {
  return runWhole(selectV2Job(cond, t, e));
}

/** selectV2 as an ElementJob (util/element-slices.ts). */
export function selectV2Job(cond: Tensor, t: Tensor, e: Tensor): ElementJob<Tensor> {
  let shape: number[];
  try {
    shape = broadcastShapes(cond.shape, broadcastShapes(t.shape, e.shape));
  } catch {
    throw invalidArgument(
      `condition ${shapeString(cond.shape)}, then ${shapeString(t.shape)}, and else ${shapeString(e.shape)} must be broadcastable`,
    );
  }
  return select3(cond, t, e, shape, cond.shape);
}

export const selectConfig: KernelConfig = {
  op: {
    name: "Select",
    inputs: ["condition: bool", "t: T", "e: T"],
    outputs: ["output: T"],
    attrs: ["T: type"],
  },
  kernel: cpuKernel("Select", () => ({
    compute: (ctx) => computeJob(ctx, selectJob(ctx.input(0), ctx.input(1), ctx.input(2))),
  })),
};

export const selectV2Config: KernelConfig = {
  op: {
    name: "SelectV2",
    inputs: ["condition: bool", "t: T", "e: T"],
    outputs: ["output: T"],
    attrs: ["T: type"],
  },
  kernel: cpuKernel("SelectV2", () => ({
    compute: (ctx) => computeJob(ctx, selectV2Job(ctx.input(0), ctx.input(1), ctx.input(2))),
  })),
};
