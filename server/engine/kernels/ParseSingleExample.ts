// TF's ParseSingleExample (core/kernels/example_parsing_ops.cc ParseSingleExampleOp): parses one
// serialized tf.Example (a scalar) into dense and sparse tensors, the keys given as attrs. Parsing
// itself is example-parsing.ts.

import { invalidArgument } from "../framework/errors.js";
import { getAttrInt, getAttrList, getAttrTypeList } from "../framework/op-def.js";
import { shapeString, Tensor } from "../framework/tensor.js";
import { dropBatchColumn, dropFirst } from "./ParseExampleV2.js";
import { parseBatch } from "./util/example-parsing.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { denseShapesAttr, denseSpecs, denseTypesAttr } from "./util/parse-example-op.js";

const utf8 = new TextDecoder();

export const parseSingleExampleConfig: KernelConfig = {
  op: {
    name: "ParseSingleExample",
    inputs: ["serialized: string", "dense_defaults: Tdense"],
    outputs: [
      "sparse_indices: num_sparse * int64",
      "sparse_values: sparse_types",
      "sparse_shapes: num_sparse * int64",
      "dense_values: Tdense",
    ],
    attrs: [
      "num_sparse: int >= 0",
      "sparse_keys: list(string) >= 0",
      "dense_keys: list(string) >= 0",
      "sparse_types: list({float,int64,string}) >= 0",
      "Tdense: list({float,int64,string}) >= 0",
      "dense_shapes: list(shape) >= 0",
    ],
  },
  kernel: cpuKernel("ParseSingleExample", (c) => {
    const list = (name: string) => getAttrList(c.attrs, name).s.map((b) => utf8.decode(b));
    const sparseKeys = list("sparse_keys");
    const denseKeys = list("dense_keys");
    const sparseTypes = getAttrTypeList(c.attrs, "sparse_types");
    const denseTypes = denseTypesAttr(c.attrs);
    const denseShapes = denseShapesAttr(c.attrs);
    const numSparse = getAttrInt(c.attrs, "num_sparse");
    if (sparseKeys.length !== numSparse || sparseTypes.length !== numSparse) {
      throw invalidArgument("len(sparse_keys) != len(sparse_types)");
    }
    if (denseKeys.length !== denseTypes.length || denseShapes.length !== denseTypes.length) {
      throw invalidArgument("len(dense_keys) != len(dense_shapes)");
    }
    return {
      compute(ctx) {
        const serialized = ctx.input(0);
        if (serialized.rank !== 0) {
          throw invalidArgument(
            `Expected serialized to be a scalar, got shape: ${shapeString(serialized.shape)}`,
          );
        }
        const defaults = denseKeys.map((_, d) => ctx.input(1 + d));
        const r = parseBatch(serialized.data as Uint8Array[], [], {
          single: true,
          dense: denseSpecs(denseKeys, denseTypes, denseShapes, defaults),
          sparse: sparseKeys.map((key, i) => ({ key, dtype: sparseTypes[i]! })),
          ragged: [],
        });
        let o = 0;
        for (const t of r.sparseIndices) ctx.setOutput(o++, dropBatchColumn(t));
        for (const t of r.sparseValues) ctx.setOutput(o++, t);
        for (const t of r.sparseShapes) ctx.setOutput(o++, dropFirst(t));
        for (const t of r.denseValues) ctx.setOutput(o++, new Tensor(t.dtype, t.shape.slice(1), t.data));
      },
    };
  }),
};
