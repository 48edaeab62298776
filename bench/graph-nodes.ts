// Graph pieces the benchmarks share: in-graph operands (Fill) and scalar results (Sum), pinned to a
// device, built with test/support/graphs.ts.

import type { NodeDef } from "../gen/tensorflow/core/framework/node_def_pb.js";
import { attr } from "../test/support/attr.js";
import { constNode, DataType, node } from "../test/support/graphs.js";

const f32 = attr.type(DataType.DT_FLOAT);

/** Fill(dims, value) on `device`: a float32 tensor of `shape`, every element `value`. */
export function fillNodes(name: string, device: string, shape: readonly number[], value: number): NodeDef[] {
  const dims = constNode(`${name}/dims`, DataType.DT_INT32, [shape.length], [...shape]);
  const val = constNode(`${name}/value`, DataType.DT_FLOAT, [], [value]);
  dims.device = device;
  val.device = device;
  return [
    dims,
    val,
    node(name, "Fill", {
      inputs: [`${name}/dims`, `${name}/value`],
      attrs: { T: f32, index_type: attr.type(DataType.DT_INT32) },
      device,
    }),
  ];
}

/** Sum over every axis of a rank-`rank` float32 input, on `device`. */
export function sumNodes(name: string, input: string, device: string, rank: number): NodeDef[] {
  const axes = constNode(
    `${name}/axes`,
    DataType.DT_INT32,
    [rank],
    Array.from({ length: rank }, (_, i) => i),
  );
  axes.device = device;
  return [
    axes,
    node(name, "Sum", {
      inputs: [input, `${name}/axes`],
      attrs: { T: f32, Tidx: attr.type(DataType.DT_INT32), keep_dims: attr.bool(false) },
      device,
    }),
  ];
}
