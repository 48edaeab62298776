// TF's ConcatOffset (core/kernels/concat_op.cc): where each input of a Concat starts in its
// output. TF's autodiff emits it for ConcatV2/Concat gradients (each input's slice of the
// upstream gradient begins at its offset).

import { invalidArgument } from "../framework/errors.js";
import { getAttrType } from "../framework/op-def.js";
import { shapeString } from "../framework/tensor.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { intVector, readInts, scalarValue } from "./util/tensor-util.js";

export const concatOffsetConfig: KernelConfig = {
  op: {
    name: "ConcatOffset",
    inputs: ["concat_dim: int32", "shape: N * shape_type"],
    outputs: ["offset: N * shape_type"],
    attrs: ["N: int >= 2", "shape_type: {int32, int64} = DT_INT32"],
  },
  kernel: cpuKernel("ConcatOffset", (c) => {
    const shapeType = getAttrType(c.attrs, "shape_type");
    return {
      compute(ctx) {
        const cdimT = ctx.input(0);
        if (cdimT.rank !== 0) {
          throw invalidArgument(
            `Concat dim tensor should be a scalar integer, but got shape ${shapeString(cdimT.shape)}`,
          );
        }
        const n = ctx.numInputs - 1;
        for (let i = 1; i <= n; i++) {
          const t = ctx.input(i);
          if (t.rank !== 1) {
            throw invalidArgument(`input ${i} should be a vector, but got shape ${shapeString(t.shape)}`);
          }
        }
        const shapes = Array.from({ length: n }, (_, i) => readInts(ctx.input(i + 1)));
        const first = shapes[0]!;
        const dims = first.length;
        const cdim = scalarValue(cdimT);
        const axis = cdim < 0 ? cdim + dims : cdim;
        if (!(axis >= 0 && axis < dims))
          throw invalidArgument(`Concat dim is out of range: ${cdim} vs. ${dims}`);
        let offset = 0;
        shapes.forEach((s, i) => {
          if (s.length !== dims) {
            throw invalidArgument(`input ${i} should contain ${dims} elements, but got ${s.length}`);
          }
          const out = s.map((d, j) => {
            if (j === axis) {
              const at = offset;
              offset += d;
              return at;
            }
            if (d !== first[j]) {
              throw invalidArgument(
                `All dimensions except ${axis} must match. Input ${i} has shape [${s.join(" ")}] and doesn't match input 0 with shape [${first.join(" ")}].`,
              );
            }
            return 0;
          });
          ctx.setOutput(i, intVector(shapeType, out));
        });
      },
    };
  }),
};
