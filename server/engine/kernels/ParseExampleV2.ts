// TF's ParseExampleV2 (core/kernels/example_parsing_ops.cc ParseExampleOp): parses a batch (or one)
// of serialized tf.Example protos into dense tensors (fixed shape, or variable length padded with
// the default), sparse tensors (indices, values, dense shape) and ragged tensors (values, row
// splits), the keys given as string tensors. Parsing itself is example-parsing.ts.

import { invalidArgument } from "../framework/errors.js";
import { getAttrInt, getAttrTypeList } from "../framework/op-def.js";
import type { OpKernelContext } from "../framework/op-kernel.js";
import { shapeString, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { parseBatch } from "./util/example-parsing.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { denseShapesAttr, denseSpecs, denseTypesAttr } from "./util/parse-example-op.js";

const utf8 = new TextDecoder();
const strings = (t: Tensor) => (t.data as Uint8Array[]).map((b) => utf8.decode(b));

function keysInput(ctx: OpKernelContext, i: number, what: string, want: number): string[] {
  const t = ctx.input(i);
  if (t.rank > 1)
    throw invalidArgument(`Expected ${what} to be a vector, got shape: ${shapeString(t.shape)}`);
  if (t.numElements !== want) {
    throw invalidArgument(`Expected len(${what}) == ${want}, got: ${t.numElements}`);
  }
  return strings(t);
}

export const parseExampleV2Config: KernelConfig = {
  op: {
    name: "ParseExampleV2",
    inputs: [
      "serialized: string",
      "names: string",
      "sparse_keys: string",
      "dense_keys: string",
      "ragged_keys: string",
      "dense_defaults: Tdense",
    ],
    outputs: [
      "sparse_indices: num_sparse * int64",
      "sparse_values: sparse_types",
      "sparse_shapes: num_sparse * int64",
      "dense_values: Tdense",
      "ragged_values: ragged_value_types",
      "ragged_row_splits: ragged_split_types",
    ],
    attrs: [
      "Tdense: list({float,int64,string}) >= 0",
      "num_sparse: int >= 0",
      "sparse_types: list({float,int64,string}) >= 0",
      "ragged_value_types: list({float,int64,string}) >= 0",
      "ragged_split_types: list({int32,int64}) >= 0",
      "dense_shapes: list(shape) >= 0",
    ],
  },
  kernel: cpuKernel("ParseExampleV2", (c) => {
    const denseTypes = denseTypesAttr(c.attrs);
    const denseShapes = denseShapesAttr(c.attrs);
    const numSparse = getAttrInt(c.attrs, "num_sparse");
    const sparseTypes = getAttrTypeList(c.attrs, "sparse_types");
    const raggedTypes = getAttrTypeList(c.attrs, "ragged_value_types");
    const splitTypes = getAttrTypeList(c.attrs, "ragged_split_types");
    if (denseTypes.length !== denseShapes.length) {
      throw invalidArgument(`len(dense_keys) != len(dense_shapes)`);
    }
    if (sparseTypes.length !== numSparse) throw invalidArgument(`len(sparse_keys) != len(sparse_types)`);
    if (raggedTypes.length !== splitTypes.length) {
      throw invalidArgument(`len(ragged_split_types) != len(ragged_value_types)`);
    }
    return {
      compute(ctx) {
        const serialized = ctx.input(0);
        const names = ctx.input(1);
        if (serialized.rank > 1) {
          throw invalidArgument(
            `Expected serialized to be a scalar or vector, got shape: ${shapeString(serialized.shape)}`,
          );
        }
        if (
          names.numElements > 0 &&
          !(names.rank === serialized.rank && names.numElements === serialized.numElements)
        ) {
          throw invalidArgument(
            `Expected names have the same shape as serialized: but got names shape: ${shapeString(names.shape)}, serialized shape: ${shapeString(serialized.shape)}`,
          );
        }
        const sparseKeys = keysInput(ctx, 2, "sparse_keys", numSparse);
        const denseKeys = keysInput(ctx, 3, "dense_keys", denseTypes.length);
        const raggedKeys = keysInput(ctx, 4, "ragged_keys", raggedTypes.length);
        const defaults = denseKeys.map((_, d) => ctx.input(5 + d));
        const dense = denseSpecs(denseKeys, denseTypes, denseShapes, defaults);
        // A scalar is parsed as one Example, with that path's messages (tf.io.parse_single_example).
        const r = parseBatch(serialized.data as Uint8Array[], strings(names), {
          single: serialized.rank === 0,
          dense,
          sparse: sparseKeys.map((key, i) => ({ key, dtype: sparseTypes[i]! })),
          ragged: raggedKeys.map((key, i) => ({ key, dtype: raggedTypes[i]!, splitType: splitTypes[i]! })),
        });
        const scalar = serialized.rank === 0;
        let o = 0;
        for (const t of r.sparseIndices) ctx.setOutput(o++, scalar ? dropBatchColumn(t) : t);
        for (const t of r.sparseValues) ctx.setOutput(o++, t);
        for (const t of r.sparseShapes) ctx.setOutput(o++, scalar ? dropFirst(t) : t);
        for (const t of r.denseValues)
          ctx.setOutput(o++, scalar ? new Tensor(t.dtype, t.shape.slice(1), t.data) : t);
        for (const t of r.raggedValues) ctx.setOutput(o++, t);
        // One Example has no rows to split: TF outputs empty row splits.
        for (const t of r.raggedSplits) ctx.setOutput(o++, scalar ? Tensor.zeros(t.dtype, [0]) : t);
      },
    };
  }),
};

/** A single Example's sparse indices: [N, 2] batch-major → [N, 1]. */
export function dropBatchColumn(t: Tensor): Tensor {
  const n = t.shape[0]!;
  const src = t.data as BigInt64Array;
  const out = new BigInt64Array(n);
  for (let i = 0; i < n; i++) out[i] = src[2 * i + 1]!;
  return new Tensor(DataType.DT_INT64, [n, 1], out);
}

/** A single Example's dense shape without the batch size: [batch, n, …] → [n, …]. */
export function dropFirst(t: Tensor): Tensor {
  return new Tensor(DataType.DT_INT64, [t.numElements - 1], (t.data as BigInt64Array).slice(1));
}
