// TF's SkipDataset (core/kernels/data/skip_dataset_op.cc): the input without its first `count`
// elements (without any when count is -1).

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

class SkipDatasetValue extends Dataset {
  readonly name = "SkipDataset";

  constructor(
    private readonly input: Dataset,
    private readonly count: number,
    signature: { dtypes: Dataset["dtypes"]; shapes: Dataset["shapes"] },
  ) {
    super(signature.dtypes, signature.shapes);
  }

  cardinality(): number {
    const n = this.input.cardinality();
    if (n === INFINITE || n === UNKNOWN) return n;
    if (this.count < 0) return 0;
    return Math.max(0, n - this.count);
  }

  makeIterator(): DatasetIterator {
    let skipped = false;
    const input = this.input.makeIterator();
    return {
      next: async (ictx) => {
        if (!skipped) {
          skipped = true;
          for (let i = 0; this.count < 0 || i < this.count; i++) {
            if ((await input.next(ictx)) === undefined) return undefined;
            await checkpoint(ictx);
          }
        }
        return input.next(ictx);
      },
    };
  }
}

export const SkipDatasetKernel = datasetOp(
  {
    name: "SkipDataset",
    inputs: ["input_dataset: variant", "count: int64"],
    outputs: ["handle: variant"],
    attrs: ["output_types: list(type) >= 1", "output_shapes: list(shape) >= 1", "metadata: string = ''"],
  },
  (c) => {
    const signature = outputSignature(c);
    return (ctx) => new SkipDatasetValue(datasetInput(ctx, 0), int64Argument(ctx, 1, "count"), signature);
  },
);
