// TF's ConcatenateDataset (core/kernels/data/concatenate_dataset_op.cc): the elements of the input,
// then those of another dataset with the same component types.

import { invalidArgument } from "../framework/errors.js";
import {
  Dataset,
  type DatasetIterator,
  datasetInput,
  datasetOp,
  INFINITE,
  outputSignature,
  UNKNOWN,
} from "./util/dataset.js";

class ConcatenateDatasetValue extends Dataset {
  readonly name = "ConcatenateDataset";

  constructor(
    private readonly first: Dataset,
    private readonly second: Dataset,
    signature: { dtypes: Dataset["dtypes"]; shapes: Dataset["shapes"] },
  ) {
    super(signature.dtypes, signature.shapes);
  }

  cardinality(): number {
    const a = this.first.cardinality();
    const b = this.second.cardinality();
    if (a === INFINITE || b === INFINITE) return INFINITE;
    if (a === UNKNOWN || b === UNKNOWN) return UNKNOWN;
    return a + b;
  }

  makeIterator(): DatasetIterator {
    let current: DatasetIterator | undefined = this.first.makeIterator();
    let onSecond = false;
    return {
      next: async (ictx) => {
        while (current !== undefined) {
          const e = await current.next(ictx);
          if (e !== undefined) return e;
          current = onSecond ? undefined : this.second.makeIterator();
          onSecond = true;
        }
        return undefined;
      },
    };
  }
}

export const ConcatenateDatasetKernel = datasetOp(
  {
    name: "ConcatenateDataset",
    inputs: ["input_dataset: variant", "another_dataset: variant"],
    outputs: ["handle: variant"],
    attrs: ["output_types: list(type) >= 1", "output_shapes: list(shape) >= 1", "metadata: string = ''"],
  },
  (c) => {
    const signature = outputSignature(c);
    return (ctx) => {
      const first = datasetInput(ctx, 0);
      const second = datasetInput(ctx, 1);
      const same =
        first.dtypes.length === second.dtypes.length && first.dtypes.every((t, i) => t === second.dtypes[i]);
      if (!same) throw invalidArgument("input dataset and dataset to concatenate have different types.");
      return new ConcatenateDatasetValue(first, second, signature);
    };
  },
);
