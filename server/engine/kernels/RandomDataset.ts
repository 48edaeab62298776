// TF's RandomDataset and RandomDatasetV2 (core/kernels/data/experimental/random_dataset_op.cc): an
// endless sequence of pseudorandom int64 scalars (tf.data.Dataset.random, and the seeds
// sample_from_datasets draws with). Each iterator takes its seeds from a seed generator
// (seed-generator.ts: fixed, or a new pair per iteration with rerandomize_each_iteration) and
// yields the uint32 samples of TF's SingleSampleAdapter over PhiloxRandom(seed, seed2).

import { invalidArgument } from "../framework/errors.js";
import { getAttrBool } from "../framework/op-def.js";
import type { OpKernelContext } from "../framework/op-kernel.js";
import { Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { Dataset, type DatasetIterator, datasetOp, INFINITE, outputSignature } from "./util/dataset.js";
import { PhiloxRandom, SingleSampleAdapter } from "./util/philox-random.js";
import {
  DUMMY_SEED_GENERATOR_NAME,
  SEED_GENERATOR_RESOURCE,
  type SeedGenerator,
  seedGenerator,
} from "./util/seed-generator.js";
import { lookupResource, resourceHandleInput } from "./util/step-resources.js";

class RandomDatasetValue extends Dataset {
  readonly name = "RandomDataset";

  constructor(
    private readonly seeds: SeedGenerator,
    signature: { dtypes: Dataset["dtypes"]; shapes: Dataset["shapes"] },
  ) {
    super(signature.dtypes, signature.shapes);
  }

  cardinality(): number {
    return INFINITE;
  }

  makeIterator(): DatasetIterator {
    const [seed, seed2] = this.seeds.generateSeeds();
    const random = new SingleSampleAdapter(new PhiloxRandom(seed, seed2));
    return {
      next: async () => [new Tensor(DataType.DT_INT64, [], BigInt64Array.of(BigInt(random.next())))],
    };
  }
}

function seedInput(ctx: OpKernelContext, i: number, name: string): bigint {
  const t = ctx.input(i);
  if (t.rank !== 0) throw invalidArgument(`${name} must be a scalar`);
  return (t.data as BigInt64Array)[0]!;
}

const RANDOM_ATTRS = [
  "output_types: list(type) >= 1",
  "output_shapes: list(shape) >= 1",
  "metadata: string = ''",
];

export const RandomDatasetKernel = datasetOp(
  {
    name: "RandomDataset",
    inputs: ["seed: int64", "seed2: int64"],
    outputs: ["handle: variant"],
    attrs: RANDOM_ATTRS,
    isStateful: true,
  },
  (c) => {
    const signature = outputSignature(c);
    return (ctx) =>
      new RandomDatasetValue(
        seedGenerator(seedInput(ctx, 0, "seed"), seedInput(ctx, 1, "seed2"), false),
        signature,
      );
  },
);

export const RandomDatasetV2Kernel = datasetOp(
  {
    name: "RandomDatasetV2",
    inputs: ["seed: int64", "seed2: int64", "seed_generator: resource"],
    outputs: ["handle: variant"],
    attrs: ["rerandomize_each_iteration: bool = false", ...RANDOM_ATTRS],
    isStateful: true,
  },
  (c) => {
    const signature = outputSignature(c);
    const rerandomize = getAttrBool(c.attrs, "rerandomize_each_iteration");
    return (ctx) => {
      const seed = seedInput(ctx, 0, "seed");
      const seed2 = seedInput(ctx, 1, "seed2");
      const h = resourceHandleInput(ctx, 2);
      const gen =
        h.name === DUMMY_SEED_GENERATOR_NAME
          ? seedGenerator(seed, seed2, rerandomize)
          : lookupResource<SeedGenerator>(ctx, h, SEED_GENERATOR_RESOURCE);
      return new RandomDatasetValue(gen, signature);
    };
  },
);
