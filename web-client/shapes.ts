// Static facts the builder and the gradient functions decide from: NumPy broadcasting of static
// shapes, whether a shape is fully known, and which dtypes gradients flow through.

import { DataType } from "../gen/tensorflow/core/framework/types_pb.js";
import type { Shape } from "./graph-types.js";

const isFloat = (t: DataType) =>
  t === DataType.DT_FLOAT || t === DataType.DT_DOUBLE || t === DataType.DT_HALF || t === DataType.DT_BFLOAT16;

/** TF's backprop_util.IsTrainable: the dtypes gradients flow through. */
export const isTrainable = (t: DataType) =>
  isFloat(t) ||
  t === DataType.DT_COMPLEX64 ||
  t === DataType.DT_COMPLEX128 ||
  t === DataType.DT_RESOURCE ||
  t === DataType.DT_VARIANT;

export const allKnown = (s: readonly number[]) => s.every((d) => d >= 0);
export const fullyDefined = (s: Shape): s is readonly number[] => s !== undefined && allKnown(s);
export const numElements = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** NumPy broadcasting of two static shapes (unknown where it cannot be told). */
export function broadcastShapes(a: Shape, b: Shape): Shape {
  if (a === undefined || b === undefined) return undefined;
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x === 1) out.push(y);
    else if (y === 1) out.push(x);
    else if (x === -1) out.push(y);
    else if (y === -1 || x === y) out.push(x);
    else throw new Error(`Incompatible shapes: [${a.join(",")}] vs. [${b.join(",")}]`);
  }
  return out;
}

/** The static shape of a reshape to constant `shape` (one -1 resolved when the input's size is known). */
export function inferReshape(input: Shape, shape: readonly number[]): Shape {
  const unknown = shape.indexOf(-1);
  if (unknown < 0 || !fullyDefined(input)) return shape;
  const known = shape.reduce((a, d) => (d >= 0 ? a * d : a), 1);
  return shape.map((d) => (d === -1 ? numElements(input) / Math.max(known, 1) : d));
}
