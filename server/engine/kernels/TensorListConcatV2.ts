// TF's TensorListConcatV2 (core/kernels/list_kernels.h TensorListConcat): the elements concatenated
// along dimension 0, and each element's leading dimension. An unset element is zeros: its leading
// dimension comes from leading_dims, or from the element_shape input / the set elements when they
// all agree. TensorListConcat (v1) shares this with the shape from its attr.

import { invalidArgument } from "../framework/errors.js";
import type { OpKernelContext } from "../framework/op-kernel.js";
import { numElements, sameShape, shapeString } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { joinRows } from "./util/tensor-array.js";
import {
  checkListDtype,
  elementShapeFromInput,
  isFullyDefined,
  LIST_ELEMENT_TYPES,
  listInput,
  mergeShapes,
  type PartialShape,
  partialShapeString,
  type TensorList,
  zerosElement,
} from "./util/tensor-list.js";
import { intVector } from "./util/tensor-util.js";

/** The V2 inputs: the element_shape and leading_dims tensors. */
interface ConcatV2Inputs {
  readonly elementShape: PartialShape;
  readonly leadingDims: BigInt64Array;
}

/**
 * Concatenates the list in input 0. `exceptFirst` is the shape of an element without dimension 0
 * (V1: from its attr), `v2` the V2 inputs.
 */
export function concatList(
  ctx: OpKernelContext,
  dtype: DataType,
  exceptFirstIn: PartialShape,
  v2: ((list: TensorList) => ConcatV2Inputs) | undefined,
): void {
  const list = listInput(ctx, 0);
  checkListDtype(dtype, list);
  let exceptFirst = exceptFirstIn;
  let firstDim = -1;
  let leading: BigInt64Array | undefined;
  if (v2 !== undefined) {
    const inputs = v2(list);
    const shape = inputs.elementShape;
    if (shape !== undefined && shape.length === 0) {
      throw invalidArgument("Concat requires elements to be at least vectors, found scalars instead.");
    }
    firstDim = shape === undefined ? -1 : shape[0]!;
    exceptFirst = shape === undefined ? undefined : shape.slice(1);
    leading = inputs.leadingDims;
  }
  if (list.length === 0 && !isFullyDefined(exceptFirst)) {
    throw invalidArgument(
      "All except the first dimension must be fully defined when concating an empty tensor list. " +
        `element_shape: ${partialShapeString(exceptFirst)}`,
    );
  }
  if (!isFullyDefined(list.elementShape)) {
    // Merge the set elements' shapes past dimension 0; infer the first dim when they all agree.
    let inferred = firstDim;
    let checkDim = firstDim === -1;
    list.tensors.forEach((t, i) => {
      if (t === undefined) return;
      if (t.rank === 0) {
        throw invalidArgument(`Concat saw a scalar shape at index ${i} but requires at least vectors.`);
      }
      exceptFirst = mergeShapes(exceptFirst, t.shape.slice(1));
      if (firstDim !== -1 && firstDim !== t.shape[0]) {
        throw invalidArgument(
          "First entry of element_shape input does not match the first dim of list element at index: " +
            `${i} Expected: ${firstDim} Actual: ${t.shape[0]}`,
        );
      }
      if (checkDim) {
        if (inferred === -1) inferred = t.shape[0]!;
        else if (inferred !== t.shape[0]) {
          inferred = -1;
          checkDim = false;
        }
      }
    });
    firstDim = inferred;
  }
  if (!isFullyDefined(exceptFirst)) {
    throw invalidArgument(
      "Trying to concat list with only uninitialized tensors but element_shape_except_first_dim is not " +
        `fully defined: ${partialShapeString(exceptFirst)}`,
    );
  }
  const inner = exceptFirst;
  const lengths = list.tensors.map((t, i) => {
    if (t !== undefined) return t.rank === 0 ? scalarElement(i) : t.shape[0]!;
    if ((leading === undefined || i >= leading.length) && firstDim !== -1) return firstDim;
    if (leading === undefined) {
      throw invalidArgument(
        "Concating lists with uninitialized tensors is not supported in this version of TensorListConcat. " +
          "Consider updating your GraphDef to run the newer version.",
      );
    }
    if (i >= leading.length) {
      throw invalidArgument(
        `List contains uninitialized tensor at index ${i} but leading_dims has only ${leading.length} elements.`,
      );
    }
    return Number(leading[i]!);
  });
  const total = lengths.reduce((a, b) => a + b, 0);
  const outShape = [total, ...inner];
  numElements(outShape);
  const parts = list.tensors.map((t, i) => {
    const shape = [lengths[i]!, ...inner];
    if (t === undefined) return zerosElement(dtype, shape);
    if (!sameShape(t.shape, shape)) {
      throw invalidArgument(
        `PartialTensorShape: Incompatible shapes during merge: ${shapeString(inner)} vs. ${shapeString(t.shape.slice(1))}`,
      );
    }
    return t;
  });
  ctx.setOutput(0, joinRows(parts, dtype, outShape));
  ctx.setOutput(1, intVector(DataType.DT_INT64, lengths));
}

/** A set scalar element where a vector was needed (TF reads past it; refused here). */
function scalarElement(i: number): never {
  throw invalidArgument(`Concat saw a scalar shape at index ${i} but requires at least vectors.`);
}

export const tensorListConcatV2Config: KernelConfig = {
  op: {
    name: "TensorListConcatV2",
    inputs: ["input_handle: variant", "element_shape: shape_type", "leading_dims: int64"],
    outputs: ["tensor: element_dtype", "lengths: int64"],
    attrs: ["element_dtype: type", "shape_type: {int32, int64}"],
  },
  kernel: cpuKernel("TensorListConcatV2", (c) => {
    const dtype = checkTypeConstraint(c, "element_dtype", LIST_ELEMENT_TYPES);
    return {
      compute(ctx) {
        concatList(ctx, dtype, undefined, (list) => ({
          elementShape: elementShapeFromInput(ctx, list, 1),
          leadingDims: ctx.input(2).data as BigInt64Array,
        }));
      },
    };
  }),
};
