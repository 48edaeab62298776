// What ParseExampleV2 and ParseSingleExample share (core/kernels/example_parsing_ops.cc,
// core/util/example_proto_helper.cc): the checks of the dense defaults against dense_shapes, and
// the feature specs built from the keys, types and shapes.

import { invalidArgument } from "../../framework/errors.js";
import { type AttrMap, getAttrList, getAttrTypeList } from "../../framework/op-def.js";
import { shapeString, type Tensor } from "../../framework/tensor.js";
import type { DataType } from "../../framework/types.js";
import type { DenseSpec } from "./example-parsing.js";
import { partialShapeString } from "./queue-base.js";

/** dense_shapes as dims (-1 unknown). */
export function denseShapesAttr(attrs: AttrMap): number[][] {
  return getAttrList(attrs, "dense_shapes").shape.map((s) => s.dim.map((d) => Number(d.size)));
}

export function denseTypesAttr(attrs: AttrMap): DataType[] {
  return getAttrTypeList(attrs, "Tdense");
}

function compatible(partial: readonly number[], shape: readonly number[]): boolean {
  return partial.length === shape.length && partial.every((d, i) => d < 0 || d === shape[i]);
}

/** The dense specs, each default checked as TF's ParseExampleOp does. */
export function denseSpecs(
  keys: readonly string[],
  types: readonly DataType[],
  shapes: readonly number[][],
  defaults: readonly Tensor[],
): DenseSpec[] {
  return keys.map((key, d) => {
    const shape = shapes[d]!;
    const def = defaults[d]!;
    const variable = shape.length > 0 && shape[0]! < 0;
    if (variable) {
      if (def.numElements !== 1) {
        throw invalidArgument(
          `dense_shape[${d}] is a variable length shape: ${partialShapeString(shape)}, therefore def_value[${d}] must contain a single element (the padding element).  But its shape is: ${shapeString(def.shape)}`,
        );
      }
    } else if (def.numElements > 0 && !compatible(shape, def.shape)) {
      throw invalidArgument(
        `def_value[${d}].shape() == ${shapeString(def.shape)} is not compatible with dense_shapes_[${d}] == ${partialShapeString(shape)}`,
      );
    }
    return { key, dtype: types[d]!, shape, defaultValue: def };
  });
}
