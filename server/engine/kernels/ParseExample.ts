// TF's ParseExample (core/kernels/example_parsing_ops.cc ParseExampleOp, version 1): the original
// form of ParseExampleV2 that TF1-era graphs (serving signatures among them) hold: a vector of
// serialized tf.Example protos, one scalar input per sparse and dense key, no ragged features.

import { invalidArgument } from "../framework/errors.js";
import { getAttrInt, getAttrTypeList } from "../framework/op-def.js";
import { shapeString } from "../framework/tensor.js";
import { parseBatch } from "./util/example-parsing.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { denseShapesAttr, denseSpecs, denseTypesAttr } from "./util/parse-example-op.js";

const utf8 = new TextDecoder();

export const parseExampleConfig: KernelConfig = {
  op: {
    name: "ParseExample",
    inputs: [
      "serialized: string",
      "names: string",
      "sparse_keys: Nsparse * string",
      "dense_keys: Ndense * string",
      "dense_defaults: Tdense",
    ],
    outputs: [
      "sparse_indices: Nsparse * int64",
      "sparse_values: sparse_types",
      "sparse_shapes: Nsparse * int64",
      "dense_values: Tdense",
    ],
    attrs: [
      "Nsparse: int >= 0",
      "Ndense: int >= 0",
      "sparse_types: list({float,int64,string}) >= 0",
      "Tdense: list({float,int64,string}) >= 0",
      "dense_shapes: list(shape) >= 0",
    ],
  },
  kernel: cpuKernel("ParseExample", (c) => {
    const nSparse = getAttrInt(c.attrs, "Nsparse");
    const nDense = getAttrInt(c.attrs, "Ndense");
    const sparseTypes = getAttrTypeList(c.attrs, "sparse_types");
    const denseTypes = denseTypesAttr(c.attrs);
    const denseShapes = denseShapesAttr(c.attrs);
    if (sparseTypes.length !== nSparse) throw invalidArgument("len(sparse_keys) != len(sparse_types)");
    if (denseTypes.length !== nDense || denseShapes.length !== nDense) {
      throw invalidArgument("len(dense_keys) != len(dense_shapes)");
    }
    return {
      compute(ctx) {
        const serialized = ctx.input(0);
        const names = ctx.input(1);
        if (serialized.rank !== 1) {
          throw invalidArgument(
            `Expected serialized to be a vector, got shape: ${shapeString(serialized.shape)}`,
          );
        }
        const key = (i: number) => utf8.decode((ctx.input(i).data as Uint8Array[])[0]);
        const sparseKeys = Array.from({ length: nSparse }, (_, i) => key(2 + i));
        const denseKeys = Array.from({ length: nDense }, (_, i) => key(2 + nSparse + i));
        const defaults = denseKeys.map((_, d) => ctx.input(2 + nSparse + nDense + d));
        const r = parseBatch(
          serialized.data as Uint8Array[],
          (names.data as Uint8Array[]).map((b) => utf8.decode(b)),
          {
            dense: denseSpecs(denseKeys, denseTypes, denseShapes, defaults),
            sparse: sparseKeys.map((k, i) => ({ key: k, dtype: sparseTypes[i]! })),
            ragged: [],
          },
        );
        let o = 0;
        for (const t of [...r.sparseIndices, ...r.sparseValues, ...r.sparseShapes, ...r.denseValues]) {
          ctx.setOutput(o++, t);
        }
      },
    };
  }),
};
