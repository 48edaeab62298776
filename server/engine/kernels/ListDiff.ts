// TF's ListDiff (core/kernels/listdiff_op.cc): the elements of x that are not in y, in x's order,
// with their indices in x. TF's autodiff emits it for Prod's gradient (the axes not reduced).

import { invalidArgument } from "../framework/errors.js";
import { getAttrType } from "../framework/op-def.js";
import { allocData, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { intVector, lanesOf, storage } from "./util/tensor-util.js";

const dec = new TextDecoder();

/** A key under which equal elements of any dtype compare equal (strings by content). */
function keyOf(t: Tensor, i: number): unknown {
  if (t.dtype === DataType.DT_STRING) return dec.decode((t.data as Uint8Array[])[i]!);
  const s = storage(t);
  const lanes = lanesOf(t.dtype);
  return lanes === 1 ? s[i] : `${s[2 * i]},${s[2 * i + 1]}`;
}

export const listDiffConfig: KernelConfig = {
  op: {
    name: "ListDiff",
    inputs: ["x: T", "y: T"],
    outputs: ["out: T", "idx: out_idx"],
    attrs: ["T: type", "out_idx: {int32, int64} = DT_INT32"],
  },
  kernel: cpuKernel("ListDiff", (c) => {
    const outIdx = getAttrType(c.attrs, "out_idx");
    return {
      compute(ctx) {
        const [x, y] = [ctx.input(0), ctx.input(1)];
        if (x.rank !== 1) throw invalidArgument("x should be a 1D vector.");
        if (y.rank !== 1) throw invalidArgument("y should be a 1D vector.");
        const exclude = new Set<unknown>();
        for (let i = 0; i < y.numElements; i++) exclude.add(keyOf(y, i));
        const keep: number[] = [];
        for (let i = 0; i < x.numElements; i++) if (!exclude.has(keyOf(x, i))) keep.push(i);
        const lanes = lanesOf(x.dtype);
        const src = storage(x);
        const out = allocData(x.dtype, keep.length, [keep.length]) as unknown as { [i: number]: unknown };
        keep.forEach((k, j) => {
          for (let l = 0; l < lanes; l++) out[j * lanes + l] = src[k * lanes + l];
        });
        ctx.setOutput(0, new Tensor(x.dtype, [keep.length], out as unknown as Tensor["data"]));
        ctx.setOutput(1, intVector(outIdx, keep));
      },
    };
  }),
};
