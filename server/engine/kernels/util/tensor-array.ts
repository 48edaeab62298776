// TF's TensorArray resource (core/kernels/tensor_array.h, tensor_array.cc) and what the
// TensorArray*V3 kernels share (core/kernels/tensor_array_ops.cc): handle lookup, the flow input,
// partial element shapes and row slicing.
//
// A TensorArray is a per-step vector of tensors with write-once/read-many semantics (reads may
// clear the element); gradient TensorArrays (TensorArrayGradV3) instead sum repeated writes and
// read never-written elements as zeros of the forward element's shape. Tensors are immutable here,
// so an aggregated write makes a new tensor where TF adds into its local copy.

import { invalidArgument } from "../../framework/errors.js";
import { type AttrMap, getAttrString } from "../../framework/op-def.js";
import type { OpKernelContext } from "../../framework/op-kernel.js";
import {
  allocData,
  chargeObjects,
  keepChargedForStep,
  sameShape,
  shapeString,
  Tensor,
} from "../../framework/tensor.js";
import { DataType, dataTypeString } from "../../framework/types.js";
import type { PartialShape } from "../../framework/variant.js";
import { addFns } from "../Add.js";
import { binaryOp } from "./cwise.js";
import { NUMBER_TYPES } from "./kernel-config.js";
import { lookupResource, type ResourceType, resourceHandleInput } from "./step-resources.js";
import { allocIndexable, lanesOf, storage } from "./tensor-util.js";

export const TENSOR_ARRAY_TYPE: ResourceType = {
  name: "N10tensorflow11TensorArrayE",
  hash: 0x2c8e_41f0_b7a3_9d15n,
};

/** Per-step container key prefixes of forward and gradient TensorArrays (tensor_array_ops.cc). */
export const TENSOR_ARRAYS = "_tensor_arrays";
export const TENSOR_ARRAY_GRADS = "_tensor_array_grads";

/** Numbers TensorArrays per worker thread (TF's TensorArray::tensor_array_counter). */
let tensorArrayCounter = 0;

export function nextTensorArrayId(): number {
  return tensorArrayCounter++;
}

// --- PartialTensorShape ------------------------------------------------------------------------

export type { PartialShape };

/** A shape attr as a PartialShape. */
export function partialShapeAttr(attrs: AttrMap, name: string): PartialShape {
  const v = attrs[name];
  if (v === undefined || v.value.case !== "shape" || v.value.value.unknownRank) return undefined;
  return v.value.value.dim.map((d) => Number(d.size));
}

/** TF's PartialTensorShape::DebugString: "<unknown>", "[2,?]". */
export function partialShapeString(s: PartialShape): string {
  if (s === undefined) return "<unknown>";
  return `[${s.map((d) => (d < 0 ? "?" : String(d))).join(",")}]`;
}

export function isFullyDefined(s: PartialShape): s is readonly number[] {
  return s?.every((d) => d >= 0) === true;
}

export function isCompatibleWith(s: PartialShape, shape: PartialShape): boolean {
  if (s === undefined || shape === undefined) return true;
  if (s.length !== shape.length) return false;
  return s.every((d, i) => d < 0 || shape[i]! < 0 || d === shape[i]);
}

/** TF's PartialTensorShape::MergeWith, with its INVALID_ARGUMENT texts. */
export function mergeShapes(a: PartialShape, b: PartialShape): PartialShape {
  if (a === undefined) return b;
  if (b === undefined) return a;
  if (a.length !== b.length) {
    throw invalidArgument(`PartialTensorShape: Incompatible ranks during merge: ${a.length} vs. ${b.length}`);
  }
  return a.map((d, i) => {
    const e = b[i]!;
    if (d >= 0 && e >= 0 && d !== e) {
      throw invalidArgument(
        `PartialTensorShape: Incompatible shapes during merge: ${partialShapeString(a)} vs. ${partialShapeString(b)}`,
      );
    }
    return d >= 0 ? d : e;
  });
}

// --- the resource --------------------------------------------------------------------------------

interface Element {
  tensor: Tensor | undefined;
  /** Set by a write, or by CopyShapesFrom / a zero read (then `tensor` may be absent: zeros). */
  shape: readonly number[];
  written: boolean;
  read: boolean;
  cleared: boolean;
}

const emptyElement = (): Element => ({
  tensor: undefined,
  shape: [],
  written: false,
  read: false,
  cleared: false,
});

export interface TensorArrayOptions {
  readonly dtype: DataType;
  /** "<tensor_array_name>_<n>" (or "<name>@<source>" for gradients), as messages print it. */
  readonly name: string;
  readonly size: number;
  readonly elementShape: PartialShape;
  readonly identicalElementShapes: boolean;
  readonly dynamicSize: boolean;
  readonly multipleWritesAggregate: boolean;
  readonly isGrad: boolean;
  readonly markedSize: number;
  readonly clearAfterRead: boolean;
}

export class TensorArray {
  readonly dtype: DataType;
  readonly name: string;
  private closed = false;
  private dynamicSize: boolean;
  private readonly multipleWritesAggregate: boolean;
  private gradientsDisallowed = false;
  private readonly clearAfterRead: boolean;
  private readonly isGrad: boolean;
  private markedSize: number;
  private elementShape: PartialShape;
  readonly identicalElementShapes: boolean;
  private elements: Element[];

  constructor(o: TensorArrayOptions) {
    this.dtype = o.dtype;
    this.name = o.name;
    this.dynamicSize = o.dynamicSize;
    this.multipleWritesAggregate = o.multipleWritesAggregate;
    this.clearAfterRead = o.clearAfterRead;
    this.isGrad = o.isGrad;
    this.markedSize = o.markedSize;
    this.elementShape = o.elementShape;
    this.identicalElementShapes = o.identicalElementShapes;
    chargeObjects(o.size, [o.size]);
    this.elements = Array.from({ length: o.size }, emptyElement);
  }

  get elemShape(): PartialShape {
    return this.elementShape;
  }

  /** Merges `candidate` into the element shape (Gather's element_shape attr). */
  setElemShape(candidate: PartialShape): void {
    this.elementShape = mergeShapes(this.elementShape, candidate);
  }

  size(): number {
    this.checkNotClosed();
    return this.elements.length;
  }

  /** Split and unstack record how many elements a pack/concat of the gradient should see. */
  setMarkedSize(size: number): void {
    this.checkNotClosed();
    if (!this.isGrad) this.markedSize = size;
  }

  getMarkedSize(): number {
    this.checkNotClosed();
    return this.markedSize;
  }

  /** Elements Concat reads: the marked size for gradient arrays, else the size. */
  packOrConcatSize(): number {
    this.checkNotClosed();
    return this.isGrad ? this.markedSize : this.elements.length;
  }

  /** Gradients are being computed: the forward array may no longer grow. */
  disableDynamicSize(): void {
    this.dynamicSize = false;
  }

  get hasDynamicSize(): boolean {
    return this.dynamicSize;
  }

  get gradientsAllowed(): boolean {
    return !this.gradientsDisallowed;
  }

  /** Frees the elements and fails every later access (the resource stays until the step ends). */
  clearAndMarkClosed(): void {
    this.elements = [];
    this.closed = true;
  }

  /**
   * TF's CopyShapesFrom: marks the elements `rhs` has written as written here, with their shapes
   * (prefixed by shapeToPrepend), so unwritten gradient elements read as zeros of those shapes.
   */
  copyShapesFrom(rhs: TensorArray, shapeToPrepend: readonly number[] | undefined): void {
    this.checkNotClosed();
    rhs.checkNotClosed();
    if (this.elements.length !== rhs.elements.length) {
      throw invalidArgument(
        `TensorArray sizes do not match during CopyShapesFrom: ${this.name} has size ${this.elements.length} ` +
          `but rhs ${rhs.name} has size ${rhs.elements.length}`,
      );
    }
    rhs.elements.forEach((r, i) => {
      if (!r.written) return;
      const e = this.elements[i]!;
      e.shape = shapeToPrepend ? [...shapeToPrepend, ...r.shape] : r.shape;
      e.written = true;
    });
  }

  /** TF's LockedWriteOrAggregate. */
  write(index: number, value: Tensor): void {
    this.checkNotClosed();
    if (index < 0 || (!this.dynamicSize && index >= this.elements.length)) {
      throw invalidArgument(
        `TensorArray ${this.name}: Tried to write to index ${index} but array is not resizeable and size is: ${this.elements.length}`,
      );
    }
    if (index >= this.elements.length) chargeObjects(index + 1 - this.elements.length, [index + 1]);
    while (this.elements.length <= index) this.elements.push(emptyElement());
    const t = this.elements[index]!;
    const at = `TensorArray ${this.name}: Could not write to TensorArray index ${index}`;
    if (value.dtype !== this.dtype) {
      throw invalidArgument(
        `${at} because the value dtype is ${dataTypeString(value.dtype)} but TensorArray dtype is ${dataTypeString(this.dtype)}.`,
      );
    }
    if (!isCompatibleWith(this.elementShape, value.shape)) {
      throw invalidArgument(
        `${at} because the value shape is ${shapeString(value.shape)} which is incompatible with the ` +
          `TensorArray's inferred element shape: ${partialShapeString(this.elementShape)} (consider setting infer_shape=False).`,
      );
    }
    if (this.identicalElementShapes && !isFullyDefined(this.elementShape)) this.elementShape = value.shape;
    if (t.read) throw invalidArgument(`${at} because it has already been read.`);
    if (!this.multipleWritesAggregate && t.written) {
      throw invalidArgument(`${at} because it has already been written to.`);
    }
    if (!t.written) {
      // The array holds the value until the step ends, whatever loop iteration wrote it.
      keepChargedForStep(value);
      t.tensor = value;
      t.shape = value.shape;
      t.written = true;
      return;
    }
    if (!sameShape(value.shape, t.shape)) {
      throw invalidArgument(
        `TensorArray ${this.name}: Could not aggregate to TensorArray index ${index} because the existing ` +
          `shape is ${shapeString(t.shape)} but the new input shape is ${shapeString(value.shape)}.`,
      );
    }
    // Only a shape was recorded (CopyShapesFrom), i.e. zeros: the value replaces it.
    if (t.tensor === undefined || t.tensor.numElements === 0) {
      keepChargedForStep(value);
      t.tensor = value;
      return;
    }
    if (!NUMBER_TYPES.includes(this.dtype)) {
      throw invalidArgument(`tensor_array::AddToTensor type not supported: ${dataTypeString(this.dtype)}`);
    }
    t.tensor = binaryOp("Add", t.tensor, value, addFns);
    this.gradientsDisallowed = true;
  }

  /** TF's LockedRead. */
  read(index: number): Tensor {
    this.checkNotClosed();
    const n = this.elements.length;
    if (index < 0 || (!this.isGrad && index >= n)) {
      throw invalidArgument(`Tried to read from index ${index} but array size is: ${n}`);
    }
    if (
      (this.isGrad && (index >= n || !this.elements[index]!.written)) ||
      (!this.isGrad && !this.elements[index]!.written)
    ) {
      // Never written: zeros of the recorded (gradient) or declared element shape.
      let shape: readonly number[];
      const recorded = index < n ? this.elements[index]!.shape : [];
      if (this.isGrad && recorded.length > 0) shape = recorded;
      else if (!isFullyDefined(this.elementShape)) {
        throw invalidArgument(
          `TensorArray ${this.name}: Could not read from TensorArray index ${index}.  Furthermore, the element ` +
            `shape is not fully defined: ${partialShapeString(this.elementShape)}.  It is possible you are working ` +
            "with a resizeable TensorArray and stop_gradients is not allowing the gradients to be written.  If you " +
            "set the full element_shape property on the forward TensorArray, the proper all-zeros tensor will be " +
            "returned instead of incurring this error.",
        );
      } else shape = this.elementShape;
      if (index >= this.elements.length) chargeObjects(index + 1 - this.elements.length, [index + 1]);
      while (this.elements.length <= index) this.elements.push({ ...emptyElement(), shape, written: true });
      const e = this.elements[index]!;
      e.shape = shape;
      e.written = true;
    }
    const t = this.elements[index]!;
    if (t.cleared) {
      throw invalidArgument(
        `TensorArray ${this.name}: Could not read index ${index} twice because it was cleared after a previous ` +
          "read (perhaps try setting clear_after_read = false?).",
      );
    }
    if (t.tensor === undefined || t.tensor.numElements === 0) t.tensor = zerosOf(this.dtype, t.shape);
    const value = t.tensor;
    if (this.clearAfterRead) {
      t.tensor = undefined;
      t.cleared = true;
    }
    t.read = true;
    return value;
  }

  private checkNotClosed(): void {
    if (this.closed) throw invalidArgument(`TensorArray ${this.name} has already been closed.`);
  }
}

/** Zeros of a never-written element (TF's TensorSetZero: number types and bool). */
function zerosOf(dtype: DataType, shape: readonly number[]): Tensor {
  const zeros = Tensor.zeros(dtype, shape);
  if (zeros.numElements > 0 && !NUMBER_TYPES.includes(dtype) && dtype !== DataType.DT_BOOL) {
    throw invalidArgument(`tensor_array::TensorSetZero type not supported: ${dataTypeString(dtype)}`);
  }
  return zeros;
}

// --- kernel helpers ------------------------------------------------------------------------------

/** TF's GetTensorArray for the resource handle in input 0. */
export function tensorArrayFromInput(ctx: OpKernelContext): TensorArray {
  return lookupResource<TensorArray>(ctx, resourceHandleInput(ctx, 0), TENSOR_ARRAY_TYPE);
}

/** The TensorArray creation ops' name attr, defaulting to the node name. */
export function tensorArrayBaseName(attrs: AttrMap, nodeName: string): string {
  const name = getAttrString(attrs, "tensor_array_name");
  return name === "" ? nodeName : name;
}

/** A float scalar 0: the flow a creation op emits (its value never matters, only its edges). */
export function flowScalar(): Tensor {
  return new Tensor(DataType.DT_FLOAT, [], allocData(DataType.DT_FLOAT, 1));
}

/** TF's "TensorArray dtype is X but Op is trying to write dtype Y." */
export function checkWriteDtype(ta: TensorArray, value: Tensor): void {
  if (value.dtype !== ta.dtype) {
    throw invalidArgument(
      `TensorArray dtype is ${dataTypeString(ta.dtype)} but Op is trying to write dtype ${dataTypeString(value.dtype)}.`,
    );
  }
}

/** TF's "TensorArray dtype is X but Op requested dtype Y." */
export function checkReadDtype(ta: TensorArray, dtype: DataType): void {
  if (dtype !== ta.dtype) {
    throw invalidArgument(
      `TensorArray dtype is ${dataTypeString(ta.dtype)} but Op requested dtype ${dataTypeString(dtype)}.`,
    );
  }
}

/** A scalar int32 index input, with TF's "TensorArray index must be scalar" check. */
export function scalarIndex(ctx: OpKernelContext, i: number): number {
  const t = ctx.input(i);
  if (t.rank !== 0) {
    throw invalidArgument(`TensorArray index must be scalar, but had shape: ${shapeString(t.shape)}`);
  }
  return (t.data as Int32Array)[0]!;
}

/** An int32 vector input (Gather/Scatter indices), with TF's vector check. */
export function indexVector(ctx: OpKernelContext, i: number): Int32Array {
  const t = ctx.input(i);
  if (t.rank !== 1) {
    throw invalidArgument(`Expected indices to be a vector, but received shape: ${shapeString(t.shape)}`);
  }
  return t.data as Int32Array;
}

/** Rows [start, start + count) of `t` along dimension 0, as a new tensor of shape `shape`. */
export function sliceRows(t: Tensor, start: number, count: number, shape: readonly number[]): Tensor {
  const rowElems = t.shape.length === 0 || t.shape[0] === 0 ? 0 : t.numElements / t.shape[0]!;
  const n = count * rowElems;
  const lanes = lanesOf(t.dtype);
  const out = allocIndexable(t.dtype, n, shape);
  const src = storage(t);
  const from = start * rowElems * lanes;
  for (let i = 0; i < n * lanes; i++) out[i] = src[from + i];
  return new Tensor(t.dtype, shape, out as unknown as Tensor["data"]);
}

/** Lays `values` out one after another as a tensor of `shape` (a stack or a dim-0 concat). */
export function joinRows(values: readonly Tensor[], dtype: DataType, shape: readonly number[]): Tensor {
  let n = 1;
  for (const d of shape) n *= d;
  const lanes = lanesOf(dtype);
  const out = allocIndexable(dtype, n, shape);
  let at = 0;
  for (const v of values) {
    const src = storage(v);
    const len = v.numElements * lanes;
    for (let i = 0; i < len; i++) out[at + i] = src[i];
    at += len;
  }
  return new Tensor(dtype, shape, out as unknown as Tensor["data"]);
}
