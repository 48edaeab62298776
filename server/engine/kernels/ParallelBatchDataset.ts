// TF's ParallelBatchDataset (core/kernels/data/parallel_batch_dataset_op.cc): batch() with
// num_parallel_calls; the copies run one after another here, with BatchDataset's results.

import { invalidArgument } from "../framework/errors.js";
import { BatchDatasetValue } from "./BatchDatasetV2.js";
import { boolArgument, datasetInput, datasetOp, int64Argument, outputSignature } from "./util/dataset.js";

export const ParallelBatchDatasetKernel = datasetOp(
  {
    name: "ParallelBatchDataset",
    inputs: [
      "input_dataset: variant",
      "batch_size: int64",
      "num_parallel_calls: int64",
      "drop_remainder: bool",
    ],
    outputs: ["handle: variant"],
    attrs: [
      "parallel_copy: bool = false",
      "output_types: list(type) >= 1",
      "output_shapes: list(shape) >= 1",
      "deterministic: string = 'default'",
      "metadata: string = ''",
    ],
  },
  (c) => {
    const signature = outputSignature(c);
    return (ctx) => {
      const input = datasetInput(ctx, 0);
      const batchSize = int64Argument(ctx, 1, "batch_size");
      if (batchSize <= 0) throw invalidArgument("Batch size must be greater than zero.");
      const parallel = int64Argument(ctx, 2, "num_parallel_calls");
      if (parallel <= 0 && parallel !== -1)
        throw invalidArgument("num_parallel_calls must be greater than zero.");
      return new BatchDatasetValue(input, batchSize, boolArgument(ctx, 3, "drop_remainder"), signature);
    };
  },
);
