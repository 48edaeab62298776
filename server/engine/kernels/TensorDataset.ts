// TF's TensorDataset (core/kernels/data/tensor_dataset_op.cc): one element, the node's inputs
// (tf.data.Dataset.from_tensors).

import { Dataset, type DatasetIterator, datasetOp, type Element, outputSignature } from "./util/dataset.js";

export class TensorDatasetValue extends Dataset {
  readonly name = "TensorDataset";

  constructor(
    private readonly element: Element,
    shapes: Dataset["shapes"],
  ) {
    super(
      element.map((t) => t.dtype),
      shapes,
    );
  }

  cardinality(): number {
    return 1;
  }

  makeIterator(): DatasetIterator {
    let done = false;
    return {
      next: async () => {
        if (done) return undefined;
        done = true;
        return this.element;
      },
    };
  }
}

export const TensorDatasetKernel = datasetOp(
  {
    name: "TensorDataset",
    inputs: ["components: Toutput_types"],
    outputs: ["handle: variant"],
    attrs: ["Toutput_types: list(type) >= 1", "output_shapes: list(shape) >= 1", "metadata: string = ''"],
    isStateful: true,
  },
  (c) => {
    const { shapes } = outputSignature(c, "Toutput_types");
    return (ctx) => {
      const element = Array.from({ length: ctx.numInputs }, (_, i) => ctx.input(i));
      return new TensorDatasetValue(element, shapes);
    };
  },
);
