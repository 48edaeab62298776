// TF's FilterDataset (core/kernels/data/filter_dataset_op.cc): the elements for which the predicate
// returns true; the predicate must return a scalar bool.

import { invalidArgument } from "../framework/errors.js";
import { DataType } from "../framework/types.js";
import {
  callFunction,
  checkpoint,
  Dataset,
  type DatasetFunction,
  type DatasetIterator,
  functionDatasetOp,
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

export const FilterDatasetKernel = functionDatasetOp(
  "FilterDataset",
  "predicate",
  (input, fn, signature) => new FilterDatasetValue(input, fn, signature),
);
