// The datasets tf.data inserts that change how a pipeline runs, not what it yields:
// PrefetchDataset (prefetch_dataset_op.cc), OptionsDataset (options_dataset_op.cc), ModelDataset
// (model_dataset_op.cc: autotuning), MaxIntraOpParallelismDataset and PrivateThreadPoolDataset
// (threadpool_dataset_op.cc), with their Experimental* names, and RewriteDataset (rewrite_dataset_op.cc:
// a named graph rewrite such as enumerate()'s replicate_on_split, which keeps the elements). Elements here are produced on demand,
// one at a time, so each is its input dataset itself, after TF's argument checks.

import { invalidArgument } from "../framework/errors.js";
import type { OpDeclaration } from "../framework/op-def.js";
import type { OpKernelContext } from "../framework/op-kernel.js";
import { datasetInput, int64Argument } from "./util/dataset.js";
import type { KernelConfig } from "./util/kernel-config.js";
import { simpleKernel } from "./util/kernel-config.js";

const SIGNATURE = ["output_types: list(type) >= 1", "output_shapes: list(shape) >= 1"];

function passThrough(op: OpDeclaration, check: (ctx: OpKernelContext) => void = () => {}): KernelConfig {
  return {
    op,
    kernel: simpleKernel(op.name, (ctx) => {
      datasetInput(ctx, 0);
      check(ctx);
      ctx.setOutput(0, ctx.input(0));
    }),
  };
}

export const PrefetchDatasetKernel = passThrough(
  {
    name: "PrefetchDataset",
    inputs: ["input_dataset: variant", "buffer_size: int64"],
    outputs: ["handle: variant"],
    attrs: [
      ...SIGNATURE,
      "slack_period: int = 0",
      "legacy_autotune: bool = true",
      "buffer_size_min: int = 0",
      "metadata: string = ''",
    ],
  },
  (ctx) => {
    const n = int64Argument(ctx, 1, "buffer_size");
    if (n < 0 && n !== -1) {
      throw invalidArgument("buffer_size must be >= 0 or set buffer_size to be -1 for auto-tuning");
    }
  },
);

export const OptionsDatasetKernel = passThrough({
  name: "OptionsDataset",
  inputs: ["input_dataset: variant"],
  outputs: ["handle: variant"],
  attrs: ["serialized_options: string", ...SIGNATURE, "metadata: string = ''"],
});

export const ModelDatasetKernel = passThrough({
  name: "ModelDataset",
  inputs: ["input_dataset: variant"],
  outputs: ["handle: variant"],
  attrs: ["algorithm: int = 0", "cpu_budget: int = 0", "ram_budget: int = 0", ...SIGNATURE],
});

function maxIntraOp(name: string): KernelConfig {
  return passThrough(
    {
      name,
      inputs: ["input_dataset: variant", "max_intra_op_parallelism: int64"],
      outputs: ["handle: variant"],
      attrs: SIGNATURE,
    },
    (ctx) => {
      if (int64Argument(ctx, 1, "max_intra_op_parallelism") < 0) {
        throw invalidArgument("`max_intra_op_parallelism` must be >= 0");
      }
    },
  );
}

function privateThreadPool(name: string): KernelConfig {
  return passThrough(
    {
      name,
      inputs: ["input_dataset: variant", "num_threads: int64"],
      outputs: ["handle: variant"],
      attrs: SIGNATURE,
    },
    (ctx) => {
      if (int64Argument(ctx, 1, "num_threads") < 0) throw invalidArgument("`num_threads` must be >= 0");
    },
  );
}

export const MaxIntraOpParallelismDatasetKernel = maxIntraOp("MaxIntraOpParallelismDataset");
export const ExperimentalMaxIntraOpParallelismDatasetKernel = maxIntraOp(
  "ExperimentalMaxIntraOpParallelismDataset",
);
export const PrivateThreadPoolDatasetKernel = privateThreadPool("PrivateThreadPoolDataset");
export const ExperimentalPrivateThreadPoolDatasetKernel = privateThreadPool(
  "ExperimentalPrivateThreadPoolDataset",
);

export const RewriteDatasetKernel = passThrough({
  name: "RewriteDataset",
  inputs: ["input_dataset: variant", "rewrite_name: string"],
  outputs: ["handle: variant"],
  attrs: SIGNATURE,
});
