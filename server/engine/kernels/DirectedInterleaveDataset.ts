// TF's DirectedInterleaveDataset (core/kernels/data/experimental/directed_interleave_dataset_op.cc):
// the selector dataset's int64 elements pick which data input gives the next element
// (choose_from_datasets, sample_from_datasets). An exhausted input ends the sequence when
// stop_on_empty_dataset is set, and is skipped otherwise (the sequence ends when all are).

import { invalidArgument } from "../framework/errors.js";
import { getAttrBool } from "../framework/op-def.js";
import {
  checkpoint,
  Dataset,
  type DatasetIterator,
  datasetInput,
  datasetOp,
  outputSignature,
  UNKNOWN,
} from "./util/dataset.js";

class DirectedInterleaveDatasetValue extends Dataset {
  readonly name = "DirectedInterleaveDataset";

  constructor(
    private readonly selector: Dataset,
    private readonly inputs: readonly Dataset[],
    private readonly stopOnEmpty: boolean,
    signature: { dtypes: Dataset["dtypes"]; shapes: Dataset["shapes"] },
  ) {
    super(signature.dtypes, signature.shapes);
  }

  cardinality(): number {
    return UNKNOWN;
  }

  makeIterator(): DatasetIterator {
    const selector = this.selector.makeIterator();
    const inputs: (DatasetIterator | undefined)[] = this.inputs.map((d) => d.makeIterator());
    let live = inputs.length;
    return {
      next: async (ictx) => {
        while (live > 0) {
          const s = await selector.next(ictx);
          if (s === undefined) {
            live = 0;
            return undefined;
          }
          const t = s[0]!;
          if (t.rank !== 0) throw invalidArgument("Selector input must be a scalar int64.");
          const index = Number((t.data as BigInt64Array)[0]!);
          if (index < 0 || index >= inputs.length) {
            throw invalidArgument(`Selector index out of range: ${index} >= ${inputs.length}`);
          }
          const it = inputs[index];
          if (it !== undefined) {
            const e = await it.next(ictx);
            if (e !== undefined) return e;
            if (this.stopOnEmpty) {
              live = 0;
              return undefined;
            }
            inputs[index] = undefined;
            live--;
          }
          await checkpoint(ictx);
        }
        return undefined;
      },
    };
  }
}

export const DirectedInterleaveDatasetKernel = datasetOp(
  {
    name: "DirectedInterleaveDataset",
    inputs: ["selector_input_dataset: variant", "data_input_datasets: N * variant"],
    outputs: ["handle: variant"],
    attrs: [
      "output_types: list(type) >= 1",
      "output_shapes: list(shape) >= 1",
      "N: int >= 1",
      "stop_on_empty_dataset: bool = false",
    ],
  },
  (c) => {
    const signature = outputSignature(c);
    const stop = getAttrBool(c.attrs, "stop_on_empty_dataset");
    return (ctx) => {
      const selector = datasetInput(ctx, 0);
      const inputs = Array.from({ length: ctx.numInputs - 1 }, (_, i) => datasetInput(ctx, i + 1));
      return new DirectedInterleaveDatasetValue(selector, inputs, stop, signature);
    };
  },
);
