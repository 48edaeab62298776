// TF's DatasetCardinality (core/kernels/data/dataset_ops.cc): the number of elements a dataset
// has, -1 when infinite and -2 when it cannot be known without iterating (tf.data's cardinality()).

import { Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { datasetInput } from "./util/dataset.js";
import { type KernelConfig, simpleKernel } from "./util/kernel-config.js";

export const DatasetCardinalityKernel: KernelConfig = {
  op: {
    name: "DatasetCardinality",
    inputs: ["input_dataset: variant"],
    outputs: ["cardinality: int64"],
    attrs: ["cardinality_options: string = ''"],
  },
  kernel: simpleKernel("DatasetCardinality", (ctx) => {
    const n = datasetInput(ctx, 0).cardinality();
    ctx.setOutput(0, new Tensor(DataType.DT_INT64, [], BigInt64Array.of(BigInt(n))));
  }),
};
