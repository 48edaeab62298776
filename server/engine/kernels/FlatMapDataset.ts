// TF's FlatMapDataset (core/kernels/data/flat_map_dataset_op.cc): f maps each input element to a
// dataset, and the elements of those datasets follow one another.

import { getAttrTypeList } from "../framework/op-def.js";
import {
  callDatasetFunction,
  capturedInputs,
  checkpoint,
  Dataset,
  type DatasetFunction,
  type DatasetIterator,
  datasetFunctionAttr,
  datasetInput,
  datasetOp,
  outputSignature,
  UNKNOWN,
  verifyTypes,
} from "./util/dataset.js";

class FlatMapDatasetValue extends Dataset {
  readonly name = "FlatMapDataset";

  constructor(
    private readonly input: Dataset,
    private readonly f: DatasetFunction,
    signature: { dtypes: Dataset["dtypes"]; shapes: Dataset["shapes"] },
  ) {
    super(signature.dtypes, signature.shapes);
  }

  cardinality(): number {
    return this.input.cardinality() === 0 ? 0 : UNKNOWN;
  }

  makeIterator(): DatasetIterator {
    const input = this.input.makeIterator();
    let current: DatasetIterator | undefined;
    let done = false;
    return {
      next: async (ictx) => {
        while (!done) {
          if (current !== undefined) {
            const e = await current.next(ictx);
            if (e !== undefined) return e;
            current = undefined;
            await checkpoint(ictx);
          }
          const args = await input.next(ictx);
          if (args === undefined) {
            done = true;
            break;
          }
          const ds = await callDatasetFunction(ictx, this.f, args);
          verifyTypes(this.dtypes, ds.dtypes);
          current = ds.makeIterator();
        }
        return undefined;
      },
    };
  }
}

export const FlatMapDatasetKernel = datasetOp(
  {
    name: "FlatMapDataset",
    inputs: ["input_dataset: variant", "other_arguments: Targuments"],
    outputs: ["handle: variant"],
    attrs: [
      "f: func",
      "Targuments: list(type) >= 0",
      "output_types: list(type) >= 1",
      "output_shapes: list(shape) >= 1",
      "metadata: string = ''",
    ],
  },
  (c) => {
    const signature = outputSignature(c);
    const fn = datasetFunctionAttr(c, "f");
    const numCaptured = getAttrTypeList(c.attrs, "Targuments").length;
    return (ctx) =>
      new FlatMapDatasetValue(
        datasetInput(ctx, 0),
        { ...fn, captured: capturedInputs(ctx, 1, numCaptured) },
        signature,
      );
  },
);
