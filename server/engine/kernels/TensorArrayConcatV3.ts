// TF's TensorArrayConcatV3 (core/kernels/tensor_array_ops.cc TensorArrayConcatOp): every element
// joined along dimension 0, plus each element's dim-0 length (int64).

import { invalidArgument, unimplemented } from "../framework/errors.js";
import { getAttrType } from "../framework/op-def.js";
import { sameShape, shapeString, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import {
  checkReadDtype,
  isCompatibleWith,
  isFullyDefined,
  joinRows,
  partialShapeAttr,
  partialShapeString,
  tensorArrayFromInput,
} from "./util/tensor-array.js";
import { intVector } from "./util/tensor-util.js";

export const tensorArrayConcatV3Config: KernelConfig = {
  op: {
    name: "TensorArrayConcatV3",
    inputs: ["handle: resource", "flow_in: float"],
    outputs: ["value: dtype", "lengths: int64"],
    attrs: ["dtype: type", "element_shape_except0: shape = { unknown_rank: true }"],
    isStateful: true,
  },
  kernel: cpuKernel("TensorArrayConcatV3", (c) => {
    const dtype = getAttrType(c.attrs, "dtype");
    const except0 = partialShapeAttr(c.attrs, "element_shape_except0");
    return {
      compute(ctx) {
        const ta = tensorArrayFromInput(ctx);
        checkReadDtype(ta, dtype);
        const size = Math.max(0, ta.packOrConcatSize());
        if (size === 0) {
          if (!isFullyDefined(except0)) {
            throw unimplemented(
              `TensorArray has size zero, but element_shape_except0 ${partialShapeString(except0)} is not fully ` +
                "defined. Currently only static shapes are supported when concatenating zero-size TensorArrays.",
            );
          }
          ctx.setOutput(0, Tensor.zeros(dtype, [0, ...except0]));
          ctx.setOutput(1, Tensor.zeros(DataType.DT_INT64, [0]));
          return;
        }
        const values = Array.from({ length: size }, (_, i) => ta.read(i));
        let rows = 0;
        let rest: readonly number[] = [];
        values.forEach((v, i) => {
          if (v.rank === 0) {
            throw invalidArgument(
              `Concat saw a scalar shape at index ${i} but requires at least vectors.  Did you mean to call pack?`,
            );
          }
          const vRest = v.shape.slice(1);
          if (i === 0) {
            rest = vRest;
            if (!isCompatibleWith(except0, vRest)) {
              throw invalidArgument(
                `TensorArray was passed element_shape_except0 ${partialShapeString(except0)} but index 0 has ` +
                  `(excepting dimension 0) shape: ${shapeString(vRest)} which does not match.`,
              );
            }
          } else if (!sameShape(rest, vRest)) {
            throw invalidArgument(
              `TensorArray has inconsistent shapes.  Index 0 has (excepting dimension 0) shape: ${shapeString(rest)} ` +
                `but index ${i} has (excepting dimension 0) shape: ${shapeString(vRest)}`,
            );
          }
          rows += v.shape[0]!;
        });
        ctx.setOutput(0, joinRows(values, dtype, [rows, ...rest]));
        ctx.setOutput(
          1,
          intVector(
            DataType.DT_INT64,
            values.map((v) => v.shape[0]!),
          ),
        );
      },
    };
  }),
};
