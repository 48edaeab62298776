// TF's ShardDataset (core/kernels/data/shard_dataset_op.cc): every num_shards-th element of the
// input, starting with element `index`.

import { invalidArgument } from "../framework/errors.js";
import { getAttrBool } from "../framework/op-def.js";
import {
  checkpoint,
  Dataset,
  type DatasetIterator,
  datasetInput,
  datasetOp,
  INFINITE,
  int64Argument,
  outputSignature,
  UNKNOWN,
} from "./util/dataset.js";

class ShardDatasetValue extends Dataset {
  readonly name = "ShardDataset";

  constructor(
    private readonly input: Dataset,
    private readonly numShards: number,
    private readonly index: number,
    signature: { dtypes: Dataset["dtypes"]; shapes: Dataset["shapes"] },
  ) {
    super(signature.dtypes, signature.shapes);
  }

  cardinality(): number {
    const n = this.input.cardinality();
    if (n === INFINITE || n === UNKNOWN) return n;
    return Math.floor(n / this.numShards) + (this.index < n % this.numShards ? 1 : 0);
  }

  makeIterator(): DatasetIterator {
    const input = this.input.makeIterator();
    let position = 0;
    return {
      next: async (ictx) => {
        for (;;) {
          const e = await input.next(ictx);
          if (e === undefined) return undefined;
          const at = position++;
          if (at % this.numShards === this.index) return e;
          await checkpoint(ictx);
        }
      },
    };
  }
}

export const ShardDatasetKernel = datasetOp(
  {
    name: "ShardDataset",
    inputs: ["input_dataset: variant", "num_shards: int64", "index: int64"],
    outputs: ["handle: variant"],
    attrs: [
      "require_non_empty: bool = false",
      "output_types: list(type) >= 1",
      "output_shapes: list(shape) >= 1",
      "metadata: string = ''",
    ],
  },
  (c) => {
    const signature = outputSignature(c);
    getAttrBool(c.attrs, "require_non_empty");
    return (ctx) => {
      const input = datasetInput(ctx, 0);
      const numShards = int64Argument(ctx, 1, "num_shards");
      if (numShards <= 0 && numShards !== -1) {
        throw invalidArgument(
          `Number of shards must be greater than zero (currently num_shards = ${numShards}).`,
        );
      }
      const index = int64Argument(ctx, 2, "index");
      if (index < 0 || index >= numShards) {
        throw invalidArgument(`Index must be between 0 and ${numShards - 1} (currently index = ${index}).`);
      }
      return new ShardDatasetValue(input, numShards, index, signature);
    };
  },
);
