// TF's FilterDataset (core/kernels/data/filter_dataset_op.cc): the elements for which the predicate
// returns true; the predicate must return a scalar bool.

import { invalidArgument } from "../framework/errors.js";
import { getAttrTypeList } from "../framework/op-def.js";
import { DataType } from "../framework/types.js";
import {
  callFunction,
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
} from "./util/dataset.js";

class FilterDatasetValue extends Dataset {
  readonly name = "FilterDataset";

  constructor(
    private readonly input: Dataset,
    private readonly predicate: DatasetFunction,
    signature: { dtypes: Dataset["dtypes"]; shapes: Dataset["shapes"] },
  ) {
    super(signature.dtypes, signature.shapes);
  }

  cardinality(): number {
    const n = this.input.cardinality();
    return n === 0 ? 0 : n === -1 ? -1 : UNKNOWN;
  }

  makeIterator(): DatasetIterator {
    const input = this.input.makeIterator();
    return {
      next: async (ictx) => {
        for (;;) {
          const element = await input.next(ictx);
          if (element === undefined) return undefined;
          const rets = await callFunction(ictx, this.predicate, element);
          const r = rets[0];
          if (rets.length !== 1 || r === undefined || r.dtype !== DataType.DT_BOOL || r.rank !== 0) {
            throw invalidArgument("Filter predicate `f` must return a scalar bool.");
          }
          if ((r.data as Uint8Array)[0] !== 0) return element;
          await checkpoint(ictx);
        }
      },
    };
  }
}

export const FilterDatasetKernel = datasetOp(
  {
    name: "FilterDataset",
    inputs: ["input_dataset: variant", "other_arguments: Targuments"],
    outputs: ["handle: variant"],
    attrs: [
      "predicate: func",
      "Targuments: list(type) >= 0",
      "output_types: list(type) >= 1",
      "output_shapes: list(shape) >= 1",
      "metadata: string = ''",
    ],
  },
  (c) => {
    const signature = outputSignature(c);
    const fn = datasetFunctionAttr(c, "predicate");
    const numCaptured = getAttrTypeList(c.attrs, "Targuments").length;
    return (ctx) =>
      new FilterDatasetValue(
        datasetInput(ctx, 0),
        { ...fn, captured: capturedInputs(ctx, 1, numCaptured) },
        signature,
      );
  },
);
