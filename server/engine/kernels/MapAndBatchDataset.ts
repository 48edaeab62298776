// TF's MapAndBatchDataset (core/kernels/data/experimental/map_and_batch_dataset_op.cc): map then
// batch in one op (tf.data.experimental.map_and_batch), with the results of the two in sequence.

import { invalidArgument } from "../framework/errors.js";
import { getAttrBool, getAttrTypeList } from "../framework/op-def.js";
import { BatchDatasetValue } from "./BatchDatasetV2.js";
import { MapDatasetValue } from "./MapDataset.js";
import {
  boolArgument,
  capturedInputs,
  datasetFunctionAttr,
  datasetInput,
  datasetOp,
  int64Argument,
  outputSignature,
} from "./util/dataset.js";

export const MapAndBatchDatasetKernel = datasetOp(
  {
    name: "MapAndBatchDataset",
    inputs: [
      "input_dataset: variant",
      "other_arguments: Targuments",
      "batch_size: int64",
      "num_parallel_calls: int64",
      "drop_remainder: bool",
    ],
    outputs: ["handle: variant"],
    attrs: [
      "f: func",
      "Targuments: list(type) >= 0",
      "output_types: list(type) >= 1",
      "output_shapes: list(shape) >= 1",
      "preserve_cardinality: bool = false",
      "metadata: string = ''",
    ],
  },
  (c) => {
    const signature = outputSignature(c);
    const fn = datasetFunctionAttr(c, "f");
    const k = getAttrTypeList(c.attrs, "Targuments").length;
    const preserve = getAttrBool(c.attrs, "preserve_cardinality");
    // The map's elements are the batch's rows: the batch dimension comes off each output shape.
    const rowShapes = signature.shapes.map((s) => s?.slice(1));
    return (ctx) => {
      const input = datasetInput(ctx, 0);
      const batchSize = int64Argument(ctx, 1 + k, "batch_size");
      if (batchSize <= 0) throw invalidArgument("batch_size must be greater than zero.");
      const parallel = int64Argument(ctx, 2 + k, "num_parallel_calls");
      if (parallel <= 0 && parallel !== -1)
        throw invalidArgument("num_parallel_calls must be greater than zero.");
      const drop = boolArgument(ctx, 3 + k, "drop_remainder");
      const f = { ...fn, captured: capturedInputs(ctx, 1, k) };
      const mapped = new MapDatasetValue("MapAndBatchDataset", input, f, preserve, {
        dtypes: signature.dtypes,
        shapes: rowShapes,
      });
      return new BatchDatasetValue(mapped, batchSize, drop, signature);
    };
  },
);
