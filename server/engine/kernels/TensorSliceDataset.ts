// TF's TensorSliceDataset (core/kernels/data/tensor_slice_dataset_op.cc): element i is row i of
// every input (tf.data.Dataset.from_tensor_slices); the inputs must agree on their first dimension.
// Rows are copied when an iterator reaches them, charged to that step.

import { invalidArgument } from "../framework/errors.js";
import type { Tensor } from "../framework/tensor.js";
import { Dataset, type DatasetIterator, datasetOp, outputSignature, withStepMemory } from "./util/dataset.js";
import { sliceRow } from "./util/dataset-tensors.js";

class TensorSliceDatasetValue extends Dataset {
  readonly name = "TensorSliceDataset";

  constructor(
    private readonly components: readonly Tensor[],
    shapes: Dataset["shapes"],
  ) {
    super(
      components.map((t) => t.dtype),
      shapes,
    );
  }

  cardinality(): number {
    return this.components[0]!.shape[0]!;
  }

  makeIterator(): DatasetIterator {
    let i = 0;
    const n = this.cardinality();
    return {
      next: async (ictx) => {
        if (i >= n) return undefined;
        const row = i++;
        return withStepMemory(ictx, () => this.components.map((t) => sliceRow(t, row)));
      },
    };
  }
}

export const TensorSliceDatasetKernel = datasetOp(
  {
    name: "TensorSliceDataset",
    inputs: ["components: Toutput_types"],
    outputs: ["handle: variant"],
    attrs: [
      "Toutput_types: list(type) >= 1",
      "output_shapes: list(shape) >= 1",
      "is_files: bool = false",
      "metadata: string = ''",
      "replicate_on_split: bool = false",
    ],
    isStateful: true,
  },
  (c) => {
    const { shapes } = outputSignature(c, "Toutput_types");
    return (ctx) => {
      const components = Array.from({ length: ctx.numInputs }, (_, i) => ctx.input(i));
      const first = components[0]!;
      if (first.rank === 0) throw invalidArgument("All components must be at least 1-dimensional");
      for (const t of components) {
        if (t.rank === 0) throw invalidArgument("All components must be at least 1-dimensional");
        if (t.shape[0] !== first.shape[0]) {
          throw invalidArgument("All components must have the same size in the 0th dimension");
        }
      }
      return new TensorSliceDatasetValue(components, shapes);
    };
  },
);
