// What TF's TensorList kernels share (core/kernels/list_kernels.h, list_kernels.cc,
// tensor_list_util.cc, util/tensor_ops_util.h): reading a list input, shapes given as tensors,
// element checks, reading unset elements as zeros, and the variant ZerosLike and Add that
// gradients of v2 loops apply to lists.
//
// A list value is immutable (framework/variant.ts): a kernel that changes a list outputs a new
// TensorList sharing the input's element tensors. New slots (TensorListReserve, growth by Resize,
// SetItem or a scatter) are charged as objects before the slot array is built, so a size read
// from a tensor fails RESOURCE_EXHAUSTED instead of making a worker build a huge array.

import { internal, invalidArgument } from "../../framework/errors.js";
import type { OpKernelContext } from "../../framework/op-kernel.js";
import { chargeObjects, sameShape, shapeString, Tensor, type VariantValue } from "../../framework/tensor.js";
import { DataType, dataTypeString } from "../../framework/types.js";
import { isTensorList, type PartialShape, TensorList, variantScalar } from "../../framework/variant.js";
import { addFns } from "../Add.js";
import { binaryOp } from "./cwise.js";
import { NUMBER_TYPES, POD_TYPES, T } from "./kernel-config.js";
import { summarizeValue } from "./summarize-value.js";
import {
  isCompatibleWith,
  isFullyDefined,
  joinRows,
  mergeShapes,
  partialShapeString,
} from "./tensor-array.js";

export { TensorList };

/** Element dtypes TF registers the typed list kernels for (TF_CALL_POD_STRING_TYPES, quantized, variant). */
export const LIST_ELEMENT_TYPES: readonly DataType[] = [
  ...POD_TYPES,
  T.string,
  DataType.DT_QUINT8,
  DataType.DT_QINT8,
  DataType.DT_QUINT16,
  DataType.DT_QINT16,
  DataType.DT_QINT32,
  DataType.DT_VARIANT,
];

/** The op's output: a scalar variant holding `list`. */
export function listScalar(list: TensorList): Tensor {
  return variantScalar(list, DataType.DT_VARIANT);
}

/** TF's GetInputList: input `i` must be a scalar variant holding a TensorList. */
export function listInput(ctx: OpKernelContext, i: number): TensorList {
  const t = ctx.input(i);
  if (t.rank !== 0) throw invalidArgument(`Input list must be a scalar saw: ${shapeString(t.shape)}`);
  const v = (t.data as VariantValue[])[0]!;
  if (!isTensorList(v)) throw invalidArgument(`Input handle is not a list. Saw: '${v.debugString()}'`);
  return v;
}

/** The values of a variant tensor of any shape (PushBackBatch, ConcatLists). */
export function variantValues(t: Tensor): readonly VariantValue[] {
  return t.data as VariantValue[];
}

/** TF's "Invalid data types; op elements X but list elements Y". */
export function checkListDtype(dtype: DataType, list: TensorList): void {
  if (dtype !== list.elementDtype) {
    throw invalidArgument(
      `Invalid data types; op elements ${dataTypeString(dtype)} but list elements ${dataTypeString(list.elementDtype)}`,
    );
  }
}

/** TF's TensorShapeFromTensor: -1 (a scalar) is an unknown rank, else an int32/int64 vector of dims >= -1. */
export function shapeFromTensor(t: Tensor): PartialShape {
  if (t.rank === 0) {
    const v =
      t.dtype === DataType.DT_INT32
        ? (t.data as Int32Array)[0]
        : t.dtype === DataType.DT_INT64
          ? Number((t.data as BigInt64Array)[0])
          : undefined;
    if (v === -1) return undefined;
    throw invalidArgument("The only valid scalar shape tensor is the fully unknown shape specified as -1.");
  }
  if (t.rank !== 1) throw invalidArgument(`Shape must be at most rank 1 but is rank ${t.rank}`);
  let dims: number[];
  if (t.dtype === DataType.DT_INT32) dims = Array.from(t.data as Int32Array);
  else if (t.dtype === DataType.DT_INT64) dims = Array.from(t.data as BigInt64Array, Number);
  else throw invalidArgument(`Expected an int32 or int64 shape tensor; found ${dataTypeString(t.dtype)}`);
  for (const d of dims) if (d < -1) throw invalidArgument(`Dimension ${d} must be >= -1`);
  return dims;
}

/** TF's GetElementShapeFromInput: the shape in input `i` merged with the list's element shape. */
export function elementShapeFromInput(ctx: OpKernelContext, list: TensorList, i: number): PartialShape {
  return mergeShapes(shapeFromTensor(ctx.input(i)), list.elementShape);
}

/** `shape` merged with the shape of every set element (TF's inference for unset elements). */
export function mergeSetElementShapes(
  shape: PartialShape,
  elements: readonly (Tensor | undefined)[],
): PartialShape {
  let merged = shape;
  for (const t of elements) if (t !== undefined) merged = mergeShapes(merged, t.shape);
  return merged;
}

/** TF's "must be at most rank 1" check on an element_shape input (FromTensor, Scatter). */
export function checkShapeInputRank(t: Tensor, op: string): void {
  if (t.rank >= 2) {
    throw invalidArgument(
      `${op}: element_shape must be at most rank 1 but has the shape of ${shapeString(t.shape)}`,
    );
  }
}

/** The int32 in a one-element tensor (an index or size input TF reads with scalar<int32>()). */
export function oneInt(t: Tensor, what: string): number {
  if (t.numElements !== 1) {
    throw invalidArgument(`${what} must be a scalar, but had shape: ${shapeString(t.shape)}`);
  }
  return (t.data as Int32Array)[0]!;
}

/** TF's "Expected argument i to be a scalar. Received<Tensor::DebugString>". */
export function scalarArgument(ctx: OpKernelContext, i: number): number {
  const t = ctx.input(i);
  if (t.rank !== 0) {
    throw invalidArgument(
      `Expected argument ${i} to be a scalar. ReceivedTensor<type: ${dataTypeString(t.dtype)} ` +
        `shape: ${shapeString(t.shape)} values: ${summarizeValue(t, 3, false)}>`,
    );
  }
  return (t.data as Int32Array)[0]!;
}

/** Charges `n` new list slots and returns them unset. */
export function newSlots(n: number, listLength: number): (Tensor | undefined)[] {
  chargeObjects(n, [listLength]);
  return Array.from({ length: n }, () => undefined);
}

/** Growth or truncation by at most this many elements goes element by element (O(k log n)). */
const STEPWISE_RESIZE = 64;

/** The list truncated, or grown with unset elements (charged), to `size`. */
export function resizeList(list: TensorList, size: number): TensorList {
  const n = list.length;
  if (size > n) chargeObjects(size - n, [size]);
  if (Math.abs(size - n) > STEPWISE_RESIZE) {
    const tensors = list.tensors.slice(0, size);
    while (tensors.length < size) tensors.push(undefined);
    return list.withTensors(tensors);
  }
  let out = list;
  while (out.length < size) out = out.push(undefined);
  while (out.length > size) out = out.pop();
  return out;
}

/** Zeros of an unset element (TF's SetZeroFunctor: "" for strings, the empty Variant for variants). */
export function zerosElement(dtype: DataType, shape: readonly number[]): Tensor {
  return Tensor.zeros(dtype, shape);
}

/**
 * The elements laid out one after another as a tensor of [n, ...elementShape], unset ones as
 * zeros (Stack, Gather). Each set element must have elementShape: TF reads a mismatched one out of
 * bounds; this reports it as a merge failure.
 */
export function stackElements(
  elements: readonly (Tensor | undefined)[],
  dtype: DataType,
  elementShape: readonly number[],
): Tensor {
  const shape = [elements.length, ...elementShape];
  let zeros: Tensor | undefined;
  const values = elements.map((t) => {
    if (t === undefined) {
      zeros ??= zerosElement(dtype, elementShape);
      return zeros;
    }
    if (!sameShape(t.shape, elementShape)) {
      throw invalidArgument(
        `PartialTensorShape: Incompatible shapes during merge: ${shapeString(elementShape)} vs. ${shapeString(t.shape)}`,
      );
    }
    return t;
  });
  return joinRows(values, dtype, shape);
}

export { isCompatibleWith, isFullyDefined, mergeShapes, type PartialShape, partialShapeString };

// --- ZerosLike and Add of variants (TF's ZEROS_LIKE and ADD variant ops for TensorList) ----------

const ZERO_TYPES: ReadonlySet<DataType> = new Set(POD_TYPES);
const ADD_TYPES: ReadonlySet<DataType> = new Set(NUMBER_TYPES);

/** A variant value's zeros: for a list, a list of the same length with zeros of each set element. */
export function zerosLikeVariant(v: VariantValue): VariantValue {
  if (!isTensorList(v)) {
    throw internal(
      `No unary variant unary_op function found for op ZEROS_LIKE Variant type_name: ${v.typeName} for device type: CPU`,
    );
  }
  return new TensorList(v.elementDtype, v.elementShape, v.tensors.map(zerosLikeElement));
}

/** TF's ZerosLikeTensor: unset stays unset, POD types zeros, variants recursively. */
function zerosLikeElement(t: Tensor | undefined): Tensor | undefined {
  if (t === undefined) return undefined;
  if (ZERO_TYPES.has(t.dtype)) return Tensor.zeros(t.dtype, t.shape);
  if (t.dtype === DataType.DT_VARIANT) {
    return new Tensor(t.dtype, t.shape, (t.data as VariantValue[]).map(zerosLikeVariant));
  }
  throw invalidArgument(`Trying to compute zeros_like for unsupported dtype ${dataTypeString(t.dtype)}`);
}

/** TF's BinaryOpVariants(ADD): two lists element-wise (INTERNAL for other variants, as in TF). */
export function addVariants(a: VariantValue, b: VariantValue): VariantValue {
  if (a.typeName !== b.typeName) {
    throw internal(
      `BinaryOpVariants: Variants a and b have different type ids.  Type names: '${a.typeName}' vs. '${b.typeName}'`,
    );
  }
  if (!isTensorList(a) || !isTensorList(b)) {
    throw internal(
      `No unary variant binary_op function found for op ADD Variant type_name: ${a.typeName} for device type: CPU`,
    );
  }
  return addLists(a, b);
}

/** TF's TensorListBinaryAdd. */
function addLists(a: TensorList, b: TensorList): TensorList {
  if (a.elementDtype !== b.elementDtype) {
    throw invalidArgument(
      `Trying to add two lists of tensors of different dtypes. One is ${dataTypeString(a.elementDtype)} ` +
        `and the other is ${dataTypeString(b.elementDtype)}`,
    );
  }
  if (!isCompatibleWith(a.elementShape, b.elementShape)) {
    throw invalidArgument(
      "Trying to add two lists of tensors with incompatible element shapes. One is " +
        `${partialShapeString(a.elementShape)} and the other is ${partialShapeString(b.elementShape)}`,
    );
  }
  const shape = mergeShapes(a.elementShape, b.elementShape);
  if (a.length !== b.length) {
    throw invalidArgument(
      `Trying to add two lists of tensors with different lengths. One is ${a.length} and the other is ${b.length}`,
    );
  }
  return new TensorList(
    a.elementDtype,
    shape,
    a.tensors.map((x, i) => addElements(x, b.tensors[i])),
  );
}

/** TF's BinaryAddTensors: an unset side yields the other; number types add; variants recurse. */
function addElements(a: Tensor | undefined, b: Tensor | undefined): Tensor | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  if (a.dtype !== b.dtype) {
    throw invalidArgument(
      `Trying to add two tensors with incompatible element types. One is ${dataTypeString(a.dtype)} ` +
        `and the other is ${dataTypeString(b.dtype)}`,
    );
  }
  if (!sameShape(a.shape, b.shape)) {
    throw invalidArgument(
      `Trying to add two tensors with incompatible element shapes. One is ${shapeString(a.shape)} ` +
        `and the other is ${shapeString(b.shape)}`,
    );
  }
  if (ADD_TYPES.has(a.dtype)) return binaryOp("AddN", a, b, addFns);
  if (a.dtype === DataType.DT_VARIANT) {
    const bv = b.data as VariantValue[];
    return new Tensor(
      a.dtype,
      a.shape,
      (a.data as VariantValue[]).map((v, i) => addVariants(v, bv[i]!)),
    );
  }
  // TF prints the DataType enum's number here.
  throw invalidArgument(`Trying to add unsupported dtype ${a.dtype}`);
}
