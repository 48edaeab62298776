// TF's RangeDataset (core/kernels/data/range_dataset_op.cc): the integers start, start + step, …
// up to (excluding) stop, each a scalar of the dataset's output type (int64 unless
// tf.data.Dataset.range was given another output_type).

import { invalidArgument } from "../framework/errors.js";
import { Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { cast } from "./Cast.js";
import {
  Dataset,
  type DatasetIterator,
  datasetOp,
  type IteratorContext,
  outputSignature,
} from "./util/dataset.js";

class RangeDatasetValue extends Dataset {
  readonly name = "RangeDataset";

  constructor(
    private readonly start: bigint,
    private readonly stop: bigint,
    private readonly step: bigint,
    dtype: DataType,
  ) {
    super([dtype], [[]]);
  }

  cardinality(): number {
    const { start, stop, step } = this;
    if (step > 0n) return stop > start ? Number((stop - start - 1n) / step + 1n) : 0;
    return start > stop ? Number((start - stop - 1n) / -step + 1n) : 0;
  }

  makeIterator(): DatasetIterator {
    let next = this.start;
    const { stop, step } = this;
    const dtype = this.dtypes[0]!;
    return {
      next: async (_ictx: IteratorContext) => {
        if (step > 0n ? next >= stop : next <= stop) return undefined;
        const v = new Tensor(DataType.DT_INT64, [], BigInt64Array.of(next));
        next += step;
        return [dtype === DataType.DT_INT64 ? v : cast(v, dtype)];
      },
    };
  }
}

export const RangeDatasetKernel = datasetOp(
  {
    name: "RangeDataset",
    inputs: ["start: int64", "stop: int64", "step: int64"],
    outputs: ["handle: variant"],
    attrs: [
      "output_types: list(type) >= 1",
      "output_shapes: list(shape) >= 1",
      "metadata: string = ''",
      "replicate_on_split: bool = false",
    ],
    isStateful: true,
  },
  (c) => {
    const { dtypes } = outputSignature(c);
    return (ctx) => {
      const [start, stop, step] = [0, 1, 2].map((i) =>
        scalarInt64(ctx.input(i), ["start", "stop", "step"][i]!),
      );
      if (step === 0n) throw invalidArgument("step must be a non-zero integer.");
      return new RangeDatasetValue(start!, stop!, step!, dtypes[0]!);
    };
  },
);

function scalarInt64(t: Tensor, name: string): bigint {
  if (t.rank !== 0) throw invalidArgument(`${name} must be a scalar`);
  return (t.data as BigInt64Array)[0]!;
}
