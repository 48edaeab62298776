// TF's TakeWhileDataset (core/kernels/data/experimental/take_while_dataset_op.cc): the input's
// elements up to (excluding) the first for which the predicate is false.

import { invalidArgument } from "../framework/errors.js";
import { DataType } from "../framework/types.js";
import {
  callFunction,
  Dataset,
  type DatasetFunction,
  type DatasetIterator,
  functionDatasetOp,
  UNKNOWN,
} from "./util/dataset.js";

class TakeWhileDatasetValue extends Dataset {
  readonly name = "TakeWhileDataset";

  constructor(
    private readonly input: Dataset,
    private readonly predicate: DatasetFunction,
    signature: { dtypes: Dataset["dtypes"]; shapes: Dataset["shapes"] },
  ) {
    super(signature.dtypes, signature.shapes);
  }

  cardinality(): number {
    return UNKNOWN;
  }

  makeIterator(): DatasetIterator {
    const input = this.input.makeIterator();
    let done = false;
    return {
      next: async (ictx) => {
        if (done) return undefined;
        const e = await input.next(ictx);
        if (e === undefined) {
          done = true;
          return undefined;
        }
        const rets = await callFunction(ictx, this.predicate, e);
        const r = rets[0];
        if (rets.length !== 1 || r === undefined || r.dtype !== DataType.DT_BOOL || r.rank !== 0) {
          throw invalidArgument("`predicate` must returns a scalar bool tensor.");
        }
        if ((r.data as Uint8Array)[0] === 0) {
          done = true;
          return undefined;
        }
        return e;
      },
    };
  }
}

export const TakeWhileDatasetKernel = functionDatasetOp(
  "TakeWhileDataset",
  "predicate",
  (input, fn, signature) => new TakeWhileDatasetValue(input, fn, signature),
);
