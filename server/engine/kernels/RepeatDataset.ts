// TF's RepeatDataset (core/kernels/data/repeat_dataset_op.cc): the input's sequence `count` times
// (forever when count is -1), each pass a new iterator of the input (so a shuffle reshuffles). A
// pass that yields nothing ends the sequence, so repeating an empty dataset forever terminates.

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

class RepeatDatasetValue extends Dataset {
  readonly name = "RepeatDataset";

  constructor(
    private readonly input: Dataset,
    private readonly count: number,
    signature: { dtypes: Dataset["dtypes"]; shapes: Dataset["shapes"] },
  ) {
    super(signature.dtypes, signature.shapes);
  }

  cardinality(): number {
    const n = this.input.cardinality();
    if (this.count === 0 || n === 0) return 0;
    if (this.count < 0) return n === UNKNOWN ? UNKNOWN : INFINITE;
    if (n === INFINITE || n === UNKNOWN) return n;
    return n * this.count;
  }

  makeIterator(): DatasetIterator {
    let pass = 0;
    let current: DatasetIterator | undefined;
    let passIsEmpty = true;
    let finished = false;
    return {
      next: async (ictx) => {
        while (!finished) {
          if (this.count >= 0 && pass >= this.count) break;
          current ??= this.input.makeIterator();
          const e = await current.next(ictx);
          if (e !== undefined) {
            passIsEmpty = false;
            return e;
          }
          // An empty pass of a forever-repeat would loop without end: TF ends the sequence.
          if (passIsEmpty && this.count < 0) break;
          pass++;
          current = undefined;
          passIsEmpty = true;
          await checkpoint(ictx);
        }
        finished = true;
        return undefined;
      },
    };
  }
}

export const RepeatDatasetKernel = datasetOp(
  {
    name: "RepeatDataset",
    inputs: ["input_dataset: variant", "count: int64"],
    outputs: ["handle: variant"],
    attrs: ["output_types: list(type) >= 1", "output_shapes: list(shape) >= 1", "metadata: string = ''"],
  },
  (c) => {
    const signature = outputSignature(c);
    return (ctx) => new RepeatDatasetValue(datasetInput(ctx, 0), int64Argument(ctx, 1, "count"), signature);
  },
);
