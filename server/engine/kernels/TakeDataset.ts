// TF's TakeDataset (core/kernels/data/take_dataset_op.cc): the first `count` elements of the input
// (all of them when count is -1).

import {
  Dataset,
  type DatasetIterator,
  datasetInput,
  datasetOp,
  INFINITE,
  int64Argument,
  outputSignature,
  UNKNOWN,
} from "./util/dataset.js";

class TakeDatasetValue extends Dataset {
  readonly name = "TakeDataset";

  constructor(
    private readonly input: Dataset,
    private readonly count: number,
    signature: { dtypes: Dataset["dtypes"]; shapes: Dataset["shapes"] },
  ) {
    super(signature.dtypes, signature.shapes);
  }

  cardinality(): number {
    const n = this.input.cardinality();
    if (this.count < 0) return n;
    if (n === UNKNOWN) return UNKNOWN;
    if (n === INFINITE) return this.count;
    return Math.min(n, this.count);
  }

  makeIterator(): DatasetIterator {
    let taken = 0;
    const exhausted: DatasetIterator = { next: async () => undefined };
    let input: DatasetIterator | undefined;
    return {
      next: async (ictx) => {
        if (this.count >= 0 && taken >= this.count) return undefined;
        input ??= this.input.makeIterator();
        const e = await input.next(ictx);
        if (e === undefined) {
          // Exhausted: stay ended (a count of -1 included).
          taken = Number.POSITIVE_INFINITY;
          input = exhausted;
          return undefined;
        }
        taken++;
        return e;
      },
    };
  }
}

export const TakeDatasetKernel = datasetOp(
  {
    name: "TakeDataset",
    inputs: ["input_dataset: variant", "count: int64"],
    outputs: ["handle: variant"],
    attrs: ["output_types: list(type) >= 1", "output_shapes: list(shape) >= 1", "metadata: string = ''"],
  },
  (c) => {
    const signature = outputSignature(c);
    return (ctx) => new TakeDatasetValue(datasetInput(ctx, 0), int64Argument(ctx, 1, "count"), signature);
  },
);
