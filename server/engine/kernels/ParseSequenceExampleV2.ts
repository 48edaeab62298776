// TF's ParseSequenceExampleV2 (core/kernels/example_parsing_ops.cc ParseSequenceExampleOp): parses
// a batch (or one) of serialized tf.SequenceExample protos: context features as ParseExampleV2
// gives them (sparse, dense with defaults, ragged), and feature lists as sparse tensors
// ([example, step, index]), dense tensors padded over steps with their lengths, and ragged tensors
// (outer splits per example, inner splits per step). Parsing itself is example-parsing.ts.

import { invalidArgument } from "../framework/errors.js";
import { type AttrMap, getAttrInt, getAttrList, getAttrTypeList } from "../framework/op-def.js";
import type { OpKernelContext } from "../framework/op-kernel.js";
import { shapeString, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { dropBatchColumn, dropFirst } from "./ParseExampleV2.js";
import { parseSequenceBatch } from "./util/example-parsing.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { denseSpecs } from "./util/parse-example-op.js";

const utf8 = new TextDecoder();
const strings = (t: Tensor) => (t.data as Uint8Array[]).map((b) => utf8.decode(b));
const shapes = (attrs: AttrMap, name: string) =>
  getAttrList(attrs, name).shape.map((s) => s.dim.map((d) => Number(d.size)));

/** Drops the example dimension of a one-example result (scalar input). */
const unbatch = (t: Tensor) => new Tensor(t.dtype, t.shape.slice(1), t.data);

/** [N, 3] (example, step, index) → [N, 2] (step, index). */
function dropExampleColumn(t: Tensor): Tensor {
  const n = t.shape[0]!;
  const src = t.data as BigInt64Array;
  const out = new BigInt64Array(2 * n);
  for (let i = 0; i < n; i++) {
    out[2 * i] = src[3 * i + 1]!;
    out[2 * i + 1] = src[3 * i + 2]!;
  }
  return new Tensor(DataType.DT_INT64, [n, 2], out);
}

export const parseSequenceExampleV2Config: KernelConfig = {
  op: {
    name: "ParseSequenceExampleV2",
    inputs: [
      "serialized: string",
      "debug_name: string",
      "context_sparse_keys: string",
      "context_dense_keys: string",
      "context_ragged_keys: string",
      "feature_list_sparse_keys: string",
      "feature_list_dense_keys: string",
      "feature_list_ragged_keys: string",
      "feature_list_dense_missing_assumed_empty: bool",
      "context_dense_defaults: Tcontext_dense",
    ],
    outputs: [
      "context_sparse_indices: Ncontext_sparse * int64",
      "context_sparse_values: context_sparse_types",
      "context_sparse_shapes: Ncontext_sparse * int64",
      "context_dense_values: Tcontext_dense",
      "context_ragged_values: context_ragged_value_types",
      "context_ragged_row_splits: context_ragged_split_types",
      "feature_list_sparse_indices: Nfeature_list_sparse * int64",
      "feature_list_sparse_values: feature_list_sparse_types",
      "feature_list_sparse_shapes: Nfeature_list_sparse * int64",
      "feature_list_dense_values: feature_list_dense_types",
      "feature_list_dense_lengths: Nfeature_list_dense * int64",
      "feature_list_ragged_values: feature_list_ragged_value_types",
      "feature_list_ragged_outer_splits: feature_list_ragged_split_types",
      "feature_list_ragged_inner_splits: feature_list_ragged_split_types",
    ],
    attrs: [
      "Ncontext_sparse: int >= 0 = 0",
      "Tcontext_dense: list({float,int64,string}) >= 0 = []",
      "context_sparse_types: list({float,int64,string}) >= 0 = []",
      "context_ragged_value_types: list({float,int64,string}) >= 0 = []",
      "context_ragged_split_types: list({int32,int64}) >= 0 = []",
      "context_dense_shapes: list(shape) >= 0 = []",
      "Nfeature_list_sparse: int >= 0 = 0",
      "Nfeature_list_dense: int >= 0 = 0",
      "feature_list_dense_types: list({float,int64,string}) >= 0 = []",
      "feature_list_sparse_types: list({float,int64,string}) >= 0 = []",
      "feature_list_ragged_value_types: list({float,int64,string}) >= 0 = []",
      "feature_list_ragged_split_types: list({int32,int64}) >= 0 = []",
      "feature_list_dense_shapes: list(shape) >= 0 = []",
    ],
  },
  kernel: cpuKernel("ParseSequenceExampleV2", (c) => {
    const a = c.attrs;
    const contextDenseTypes = getAttrTypeList(a, "Tcontext_dense");
    const contextSparseTypes = getAttrTypeList(a, "context_sparse_types");
    const contextRaggedTypes = getAttrTypeList(a, "context_ragged_value_types");
    const contextSplitTypes = getAttrTypeList(a, "context_ragged_split_types");
    const contextDenseShapes = shapes(a, "context_dense_shapes");
    const listDenseTypes = getAttrTypeList(a, "feature_list_dense_types");
    const listSparseTypes = getAttrTypeList(a, "feature_list_sparse_types");
    const listRaggedTypes = getAttrTypeList(a, "feature_list_ragged_value_types");
    const listSplitTypes = getAttrTypeList(a, "feature_list_ragged_split_types");
    const listDenseShapes = shapes(a, "feature_list_dense_shapes");
    if (getAttrInt(a, "Ncontext_sparse") !== contextSparseTypes.length) {
      throw invalidArgument("len(context_sparse_keys) != len(context_sparse_types)");
    }
    if (getAttrInt(a, "Nfeature_list_dense") !== listDenseTypes.length) {
      throw invalidArgument("len(feature_list_dense_keys) != len(feature_list_dense_types)");
    }
    return {
      compute(ctx: OpKernelContext) {
        const serialized = ctx.input(0);
        if (serialized.rank > 1) {
          throw invalidArgument(
            `Expected serialized to be a scalar or vector, got shape: ${shapeString(serialized.shape)}`,
          );
        }
        const keys = (i: number) => strings(ctx.input(i));
        const [cSparse, cDense, cRagged, fSparse, fDense, fRagged] = [2, 3, 4, 5, 6, 7].map(keys) as [
          string[],
          string[],
          string[],
          string[],
          string[],
          string[],
        ];
        const missingOk = ctx.input(8).data as Uint8Array;
        const defaults = cDense.map((_, d) => ctx.input(9 + d));
        const r = parseSequenceBatch(serialized.data as Uint8Array[], strings(ctx.input(1)), {
          context: {
            dense: denseSpecs(cDense, contextDenseTypes, contextDenseShapes, defaults),
            sparse: cSparse.map((key, i) => ({ key, dtype: contextSparseTypes[i]! })),
            ragged: cRagged.map((key, i) => ({
              key,
              dtype: contextRaggedTypes[i]!,
              splitType: contextSplitTypes[i]!,
            })),
          },
          listDense: fDense.map((key, i) => ({
            key,
            dtype: listDenseTypes[i]!,
            shape: listDenseShapes[i]!,
            missingOk: missingOk[i] === 1,
          })),
          listSparse: fSparse.map((key, i) => ({ key, dtype: listSparseTypes[i]! })),
          listRagged: fRagged.map((key, i) => ({
            key,
            dtype: listRaggedTypes[i]!,
            splitType: listSplitTypes[i]!,
          })),
        });
        const one = serialized.rank === 0;
        const outs: Tensor[] = [
          ...r.context.sparseIndices.map((t) => (one ? dropBatchColumn(t) : t)),
          ...r.context.sparseValues,
          ...r.context.sparseShapes.map((t) => (one ? dropFirst(t) : t)),
          ...r.context.denseValues.map((t) => (one ? unbatch(t) : t)),
          ...r.context.raggedValues,
          ...r.context.raggedSplits,
          ...r.listSparseIndices.map((t) => (one ? dropExampleColumn(t) : t)),
          ...r.listSparseValues,
          ...r.listSparseShapes.map((t) => (one ? dropFirst(t) : t)),
          ...r.listDenseValues.map((t) => (one ? unbatch(t) : t)),
          ...r.listDenseLengths.map((t) => (one ? unbatch(t) : t)),
          ...r.listRaggedValues,
          ...r.listRaggedOuterSplits,
          ...r.listRaggedInnerSplits,
        ];
        for (const [i, t] of outs.entries()) ctx.setOutput(i, t);
      },
    };
  }),
};
