// TF's TensorListConcatLists (core/kernels/list_kernels.cc): for two same-shaped tensors of lists,
// each list of input_a followed by the elements of the matching list of input_b.

import { invalidArgument } from "../framework/errors.js";
import { getAttrType } from "../framework/op-def.js";
import { sameShape, shapeString, Tensor } from "../framework/tensor.js";
import { DataType, dataTypeString } from "../framework/types.js";
import { isTensorList, type PartialShape } from "../framework/variant.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { partialShapeString, variantValues } from "./util/tensor-list.js";

/** TF's PartialTensorShape::IsIdenticalTo. */
function identical(a: PartialShape, b: PartialShape): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export const tensorListConcatListsConfig: KernelConfig = {
  op: {
    name: "TensorListConcatLists",
    inputs: ["input_a: variant", "input_b: variant"],
    outputs: ["output: variant"],
    attrs: ["element_dtype: type"],
  },
  kernel: cpuKernel("TensorListConcatLists", (c) => {
    const dtype = getAttrType(c.attrs, "element_dtype");
    return {
      compute(ctx) {
        const a = ctx.input(0);
        const b = ctx.input(1);
        if (!sameShape(a.shape, b.shape)) {
          throw invalidArgument(
            `Incompatible input TensorList tensor shapes: ${shapeString(a.shape)} vs. ${shapeString(b.shape)}`,
          );
        }
        const bs = variantValues(b);
        const out = variantValues(a).map((la, i) => {
          const lb = bs[i]!;
          if (!isTensorList(la)) {
            throw invalidArgument(`input_a is not a TensorList at index ${i}.  Saw: '${la.debugString()}'`);
          }
          if (!isTensorList(lb)) {
            throw invalidArgument(`input_b is not a TensorList at index ${i}.  Saw: '${lb.debugString()}'`);
          }
          for (const [name, l] of [
            ["input_a", la],
            ["input_b", lb],
          ] as const) {
            if (l.elementDtype !== dtype) {
              throw invalidArgument(
                `${name}[${i}].dtype != element_dtype.  Saw: ${dataTypeString(l.elementDtype)} vs. ${dataTypeString(dtype)}`,
              );
            }
          }
          if (!identical(la.elementShape, lb.elementShape)) {
            throw invalidArgument(
              `input_a and input_b TensorList element shapes are not identical at index ${i}.  Saw ` +
                `${partialShapeString(la.elementShape)} vs. ${partialShapeString(lb.elementShape)}`,
            );
          }
          return la.withTensors([...la.tensors, ...lb.tensors]);
        });
        ctx.setOutput(0, new Tensor(DataType.DT_VARIANT, a.shape, out));
      },
    };
  }),
};
