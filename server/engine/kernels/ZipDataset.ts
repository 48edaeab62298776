// TF's ZipDataset (core/kernels/data/zip_dataset_op.cc): element i is the concatenation of element
// i of every input; the sequence ends with the shortest input.

import {
  Dataset,
  type DatasetIterator,
  datasetInput,
  datasetOp,
  type Element,
  INFINITE,
  outputSignature,
  UNKNOWN,
} from "./util/dataset.js";

class ZipDatasetValue extends Dataset {
  readonly name = "ZipDataset";

  constructor(
    private readonly inputs: readonly Dataset[],
    signature: { dtypes: Dataset["dtypes"]; shapes: Dataset["shapes"] },
  ) {
    super(signature.dtypes, signature.shapes);
  }

  cardinality(): number {
    let result = INFINITE;
    for (const ds of this.inputs) {
      const n = ds.cardinality();
      if (n === UNKNOWN) return UNKNOWN;
      if (n !== INFINITE) result = result === INFINITE ? n : Math.min(result, n);
    }
    return result;
  }

  makeIterator(): DatasetIterator {
    const inputs = this.inputs.map((d) => d.makeIterator());
    let done = false;
    return {
      next: async (ictx) => {
        if (done) return undefined;
        const out: Element[number][] = [];
        for (const it of inputs) {
          const e = await it.next(ictx);
          if (e === undefined) {
            done = true;
            return undefined;
          }
          out.push(...e);
        }
        return out;
      },
    };
  }
}

export const ZipDatasetKernel = datasetOp(
  {
    name: "ZipDataset",
    inputs: ["input_datasets: N * variant"],
    outputs: ["handle: variant"],
    attrs: [
      "output_types: list(type) >= 1",
      "output_shapes: list(shape) >= 1",
      "N: int >= 1",
      "metadata: string = ''",
    ],
  },
  (c) => {
    const signature = outputSignature(c);
    return (ctx) =>
      new ZipDatasetValue(
        Array.from({ length: ctx.numInputs }, (_, i) => datasetInput(ctx, i)),
        signature,
      );
  },
);
