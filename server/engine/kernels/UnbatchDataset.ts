// TF's UnbatchDataset (core/kernels/data/experimental/unbatch_dataset_op.cc): each input element,
// whose components share their first dimension, becomes that many elements (its rows).

import { invalidArgument } from "../framework/errors.js";
import {
  Dataset,
  type DatasetIterator,
  datasetInput,
  datasetOp,
  type Element,
  outputSignature,
  UNKNOWN,
  withStepMemory,
} from "./util/dataset.js";
import { sliceRow } from "./util/dataset-tensors.js";

class UnbatchDatasetValue extends Dataset {
  readonly name = "UnbatchDataset";

  constructor(
    private readonly input: Dataset,
    signature: { dtypes: Dataset["dtypes"]; shapes: Dataset["shapes"] },
  ) {
    super(signature.dtypes, signature.shapes);
  }

  cardinality(): number {
    return this.input.cardinality() === 0 ? 0 : UNKNOWN;
  }

  makeIterator(): DatasetIterator {
    const input = this.input.makeIterator();
    let current: Element | undefined;
    let row = 0;
    let rows = 0;
    return {
      next: async (ictx) => {
        while (current === undefined || row >= rows) {
          const e = await input.next(ictx);
          if (e === undefined) return undefined;
          rows = batchSize(e);
          current = e;
          row = 0;
        }
        const element = current;
        const i = row++;
        return withStepMemory(ictx, () => element.map((t) => sliceRow(t, i)));
      },
    };
  }
}

function batchSize(e: Element): number {
  let n = -1;
  e.forEach((t, i) => {
    if (t.rank === 0) throw invalidArgument("Input element must have a non-scalar value in each component.");
    if (n >= 0 && t.shape[0] !== n) {
      throw invalidArgument(
        `Input element must have the same batch size in each component. Component 0 had size ${n} but component ${i} had size ${t.shape[0]}.`,
      );
    }
    n = t.shape[0]!;
  });
  return n;
}

export const UnbatchDatasetKernel = datasetOp(
  {
    name: "UnbatchDataset",
    inputs: ["input_dataset: variant"],
    outputs: ["handle: variant"],
    attrs: ["output_types: list(type) >= 1", "output_shapes: list(shape) >= 1", "metadata: string = ''"],
  },
  (c) => {
    const signature = outputSignature(c);
    return (ctx) => new UnbatchDatasetValue(datasetInput(ctx, 0), signature);
  },
);
