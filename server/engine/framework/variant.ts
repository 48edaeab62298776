// TensorFlow's Variant (core/framework/variant.h) and the one variant value the engine holds,
// TensorList (core/kernels/tensor_list.h): the elements of a DT_VARIANT tensor.
//
// A TensorList is a vector of tensors of one element dtype whose shapes agree with a partial
// element shape. TF 2.x builds its accumulators (while_v2 gradients, map_fn, scan, TensorArray in
// functional control flow) from them. Values are immutable by convention, like every tensor here:
// a kernel that changes a list makes a new TensorList that shares the element tensors (TF copies
// the vector unless the input's reference count is one, and never copies the elements). The
// elements live in a persistent vector, so a one-element update shares the rest of the list too.

import { internal } from "./errors.js";
import { PersistentVector } from "./persistent-vector.js";
import { crossingStorage, EMPTY_VARIANT, Tensor, type VariantValue } from "./tensor.js";
import { DataType, dataTypeString } from "./types.js";

/** TF's PartialTensorShape: undefined is unknown rank; a dimension of -1 is unknown. */
export type PartialShape = readonly number[] | undefined;

export type { VariantValue };
export { EMPTY_VARIANT };

export const TENSOR_LIST_TYPE_NAME = "tensorflow::TensorList";

export class TensorList implements VariantValue {
  readonly typeName = TENSOR_LIST_TYPE_NAME;
  readonly elementDtype: DataType;
  readonly elementShape: PartialShape;
  /** -1 for no limit (TensorListPushBack checks it). */
  readonly maxNumElements: number;
  /** The elements; unset ones (TensorListReserve, TensorListResize) are undefined. */
  private readonly items: PersistentVector<Tensor | undefined>;
  /** `tensors` as an array, once built (or as given). */
  private array: readonly (Tensor | undefined)[] | undefined;

  constructor(
    elementDtype: DataType,
    elementShape: PartialShape,
    tensors: readonly (Tensor | undefined)[] | PersistentVector<Tensor | undefined>,
    maxNumElements = -1,
  ) {
    this.elementDtype = elementDtype;
    this.elementShape = elementShape;
    this.maxNumElements = maxNumElements;
    if (tensors instanceof PersistentVector) this.items = tensors;
    else {
      this.items = PersistentVector.from(tensors);
      this.array = tensors;
    }
  }

  /** The elements in order, unset ones undefined (built in O(n) the first time after an update). */
  get tensors(): readonly (Tensor | undefined)[] {
    this.array ??= this.items.toArray();
    return this.array;
  }

  get length(): number {
    return this.items.size;
  }

  /** Element i (0 <= i < length), undefined when unset. */
  get(i: number): Tensor | undefined {
    return this.items.get(i);
  }

  /** A list like this one with other elements. */
  withTensors(tensors: readonly (Tensor | undefined)[]): TensorList {
    return new TensorList(this.elementDtype, this.elementShape, tensors, this.maxNumElements);
  }

  // Single-element updates share everything else with this list (O(log n)): a loop updates its
  // list once per iteration, where TF updates in place the list it holds the only reference to.

  /** This list with element i (0 <= i < length) replaced. */
  set(i: number, t: Tensor | undefined): TensorList {
    return this.withItems(this.items.set(i, t));
  }

  /** This list with `t` appended (undefined: an unset element). */
  push(t: Tensor | undefined): TensorList {
    return this.withItems(this.items.push(t));
  }

  /** This list without its last element (length > 0). */
  pop(): TensorList {
    return this.withItems(this.items.pop());
  }

  private withItems(items: PersistentVector<Tensor | undefined>): TensorList {
    return new TensorList(this.elementDtype, this.elementShape, items, this.maxNumElements);
  }

  debugString(): string {
    return `TensorList<${dataTypeString(this.elementDtype)}>[${this.length}]`;
  }
}

/** TF's OptionalVariant (core/kernels/data/optional_ops.h): no value, or a tuple of tensors. */
export class OptionalValue implements VariantValue {
  readonly typeName = OPTIONAL_TYPE_NAME;
  /** undefined when the optional has no value. */
  readonly values: readonly Tensor[] | undefined;

  constructor(values: readonly Tensor[] | undefined) {
    this.values = values;
  }

  debugString(): string {
    return this.values === undefined
      ? "OptionalVariant<None>"
      : `OptionalVariant<${this.values.length} tensors>`;
  }
}

export const OPTIONAL_TYPE_NAME = "tensorflow::data::Optional";

export function isOptionalValue(v: unknown): v is OptionalValue {
  return v instanceof OptionalValue;
}

export function isTensorList(v: unknown): v is TensorList {
  return v instanceof TensorList;
}

/** A scalar DT_VARIANT tensor holding one value. */
export function variantScalar(value: VariantValue, dtype: DataType): Tensor {
  return new Tensor(dtype, [], [value]);
}

// --- crossing a thread boundary ------------------------------------------------------------------
// Structured clone keeps plain data only, so a variant crosses as a tagged plain object and is
// rebuilt on the other side. Element tensors cross as their parts (the typed arrays are copied,
// or shared when they live in a SharedArrayBuffer, as for any tensor).

interface WireTensorParts {
  readonly dtype: DataType;
  readonly shape: readonly number[];
  readonly data: unknown;
}

/** A variant element as it crosses a thread: a TensorList, an Optional, or the empty Variant. */
export type WireVariant =
  | WireTensorList
  | { readonly kind: "Optional"; readonly values: readonly WireTensorParts[] | null }
  | { readonly kind: "Empty" };

export interface WireTensorList {
  readonly kind: "TensorList";
  readonly elementDtype: DataType;
  readonly elementShape: PartialShape;
  readonly maxNumElements: number;
  readonly tensors: readonly (WireTensorParts | null)[];
}

const tensorToParts = (t: Tensor): WireTensorParts => ({
  dtype: t.dtype,
  shape: t.shape,
  data:
    t.dtype === DataType.DT_VARIANT ? (t.data as VariantValue[]).map(variantToWire) : crossingStorage(t.data),
});

const tensorFromParts = (p: WireTensorParts): Tensor =>
  new Tensor(
    p.dtype,
    p.shape,
    p.dtype === DataType.DT_VARIANT
      ? (p.data as WireVariant[]).map(variantFromWire)
      : (p.data as Tensor["data"]),
  );

export function variantToWire(v: VariantValue): WireVariant {
  if (v === EMPTY_VARIANT) return { kind: "Empty" };
  if (isOptionalValue(v)) return { kind: "Optional", values: v.values?.map(tensorToParts) ?? null };
  if (!isTensorList(v)) throw internal(`Variant of type ${v.typeName} cannot cross a thread boundary`);
  return {
    kind: "TensorList",
    elementDtype: v.elementDtype,
    elementShape: v.elementShape,
    maxNumElements: v.maxNumElements,
    tensors: v.tensors.map((t) => (t === undefined ? null : tensorToParts(t))),
  };
}

export function variantFromWire(w: WireVariant): VariantValue {
  if (w.kind === "Empty") return EMPTY_VARIANT;
  if (w.kind === "Optional") return new OptionalValue(w.values?.map(tensorFromParts));
  return new TensorList(
    w.elementDtype,
    w.elementShape,
    w.tensors.map((t) => (t === null ? undefined : tensorFromParts(t))),
    w.maxNumElements,
  );
}

/** Tensor storage as it crosses a thread: variant elements become plain objects. */
export function dataToWire(t: Tensor): unknown {
  return tensorToParts(t).data;
}

/** Rebuilds storage that dataToWire made. */
export function dataFromWire(dtype: DataType, shape: readonly number[], data: unknown): Tensor {
  return tensorFromParts({ dtype, shape, data });
}
