// TF's IgnoreErrorsDataset (core/kernels/data/experimental/ignore_errors_dataset_op.cc): the input's
// elements, skipping any whose production failed (tf.data.experimental.ignore_errors); a
// cancelled step still fails.

import { isTfError, TfCode } from "../framework/errors.js";
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

class IgnoreErrorsDatasetValue extends Dataset {
  readonly name = "IgnoreErrorsDataset";

  constructor(
    private readonly input: Dataset,
    signature: { dtypes: Dataset["dtypes"]; shapes: Dataset["shapes"] },
  ) {
    super(signature.dtypes, signature.shapes);
  }

  cardinality(): number {
    return UNKNOWN;
  }

  makeIterator(): DatasetIterator {
    const input = this.input.makeIterator();
    return {
      next: async (ictx) => {
        for (;;) {
          try {
            return await input.next(ictx);
          } catch (e) {
            if (!isTfError(e) || e.code === TfCode.CANCELLED || ictx.step.signal.aborted) throw e;
          }
          await checkpoint(ictx);
        }
      },
    };
  }
}

export const IgnoreErrorsDatasetKernel = datasetOp(
  {
    name: "IgnoreErrorsDataset",
    inputs: ["input_dataset: variant"],
    outputs: ["handle: variant"],
    attrs: ["output_types: list(type) >= 1", "output_shapes: list(shape) >= 1", "log_warning: bool = false"],
  },
  (c) => {
    const signature = outputSignature(c);
    getAttrBool(c.attrs, "log_warning");
    return (ctx) => new IgnoreErrorsDatasetValue(datasetInput(ctx, 0), signature);
  },
);
