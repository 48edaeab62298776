// TF's UniqueDataset (core/kernels/data/experimental/unique_dataset_op.cc): the input's elements
// without repeats, in first-seen order; one int32, int64 or string component.

import { invalidArgument } from "../framework/errors.js";
import { DataType } from "../framework/types.js";
import {
  checkpoint,
  Dataset,
  type DatasetIterator,
  datasetInput,
  datasetOp,
  outputSignature,
  UNKNOWN,
} from "./util/dataset.js";

class UniqueDatasetValue extends Dataset {
  readonly name = "UniqueDataset";

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
    const seen = new Set<string>();
    return {
      next: async (ictx) => {
        for (;;) {
          const e = await input.next(ictx);
          if (e === undefined) return undefined;
          const t = e[0]!;
          // The element's shape and values as one key (a string's bytes one code unit each).
          const values =
            t.dtype === DataType.DT_STRING
              ? (t.data as Uint8Array[]).map((b) => Buffer.from(b).toString("latin1"))
              : Array.from(t.data as ArrayLike<number | bigint>, String);
          const key = `${t.shape.join(",")}|${JSON.stringify(values)}`;
          if (!seen.has(key)) {
            seen.add(key);
            return e;
          }
          await checkpoint(ictx);
        }
      },
    };
  }
}

const SUPPORTED: readonly DataType[] = [DataType.DT_INT32, DataType.DT_INT64, DataType.DT_STRING];

export const UniqueDatasetKernel = datasetOp(
  {
    name: "UniqueDataset",
    inputs: ["input_dataset: variant"],
    outputs: ["handle: variant"],
    attrs: ["output_types: list(type) >= 1", "output_shapes: list(shape) >= 1", "metadata: string = ''"],
  },
  (c) => {
    const signature = outputSignature(c);
    return (ctx) => {
      const input = datasetInput(ctx, 0);
      if (input.dtypes.length !== 1) {
        throw invalidArgument("UniqueDataset only supports inputs with a single component.");
      }
      if (!SUPPORTED.includes(input.dtypes[0]!)) {
        throw invalidArgument(
          "UniqueDataset only supports inputs with a single `tf.int32`, `tf.int64`, or `tf.string` component.",
        );
      }
      return new UniqueDatasetValue(input, signature);
    };
  },
);
