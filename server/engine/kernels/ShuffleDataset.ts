// TF's ShuffleDataset, ShuffleDatasetV2 and ShuffleDatasetV3 (core/kernels/data/shuffle_dataset_op.cc):
// elements drawn uniformly from a buffer of up to buffer_size upcoming elements. Each iterator takes
// its seeds from the dataset's seed generator (seed-generator.ts) and draws with TF's generator:
// a SingleSampleAdapter over PhiloxRandom(seed, seed2), one uint32 per element, taken modulo the
// number of buffered elements; the chosen element's slot receives the oldest one, which leaves the
// buffer. Same seeds, same order as TF.
//
// The buffer fills element by element, so a huge buffer_size costs only the elements there are.
// What it holds between GetNexts counts in the server's memory ceiling with the iterator's pass
// (a `Holding`, docs/security.md "Memory").

import { invalidArgument } from "../framework/errors.js";
import { getAttrBool } from "../framework/op-def.js";
import type { OpKernelContext } from "../framework/op-kernel.js";
import {
  Dataset,
  type DatasetIterator,
  datasetInput,
  datasetOp,
  type Element,
  Holding,
  outputSignature,
} from "./util/dataset.js";
import type { KernelConfig } from "./util/kernel-config.js";
import { PhiloxRandom, SingleSampleAdapter } from "./util/philox-random.js";
import {
  DUMMY_SEED_GENERATOR_NAME,
  SEED_GENERATOR_RESOURCE,
  type SeedGenerator,
  seedGenerator,
} from "./util/seed-generator.js";
import { lookupResource, resourceHandleInput } from "./util/step-resources.js";

class ShuffleDatasetValue extends Dataset {
  readonly name = "ShuffleDataset";

  constructor(
    private readonly input: Dataset,
    private readonly bufferSize: number,
    private readonly seeds: SeedGenerator,
    signature: { dtypes: Dataset["dtypes"]; shapes: Dataset["shapes"] },
  ) {
    super(signature.dtypes, signature.shapes);
  }

  cardinality(): number {
    return this.input.cardinality();
  }

  makeIterator(): DatasetIterator {
    const [seed, seed2] = this.seeds.generateSeeds();
    const random = new SingleSampleAdapter(new PhiloxRandom(seed, seed2));
    const input = this.input.makeIterator();
    const buffer: Element[] = [];
    const holding = new Holding();
    let head = 0;
    let inputDone = false;
    return {
      next: async (ictx) => {
        while (!inputDone && buffer.length - head < this.bufferSize) {
          const e = await input.next(ictx);
          if (e === undefined) inputDone = true;
          else {
            buffer.push(e);
            holding.change(ictx, e, 1);
          }
        }
        const size = buffer.length - head;
        if (size === 0) return undefined;
        const index = head + (random.next() % size);
        const out = buffer[index]!;
        buffer[index] = buffer[head]!;
        head++;
        holding.change(ictx, out, -1);
        // Drop consumed slots now and then, so the array does not keep them.
        if (head > 1024 && head * 2 > buffer.length) {
          buffer.splice(0, head);
          head = 0;
        }
        return out;
      },
    };
  }
}

const SHUFFLE_ATTRS = [
  "output_types: list(type) >= 1",
  "output_shapes: list(shape) >= 1",
  "metadata: string = ''",
];

function bufferSizeArgument(ctx: OpKernelContext): number {
  const t = ctx.input(1);
  if (t.rank !== 0) throw invalidArgument("buffer_size must be a scalar");
  const n = Number((t.data as BigInt64Array)[0]!);
  if (n <= 0) throw invalidArgument("buffer_size must be greater than zero or UNKNOWN_CARDINALITY");
  return n;
}

function int64At(ctx: OpKernelContext, i: number, name: string): bigint {
  const t = ctx.input(i);
  if (t.rank !== 0) throw invalidArgument(`${name} must be a scalar`);
  return (t.data as BigInt64Array)[0]!;
}

/** The generator a V2/V3 shuffle uses: the resource its handle names, or its own for a dummy handle. */
function generatorFromHandle(ctx: OpKernelContext, i: number, fallback: () => SeedGenerator): SeedGenerator {
  const h = resourceHandleInput(ctx, i);
  if (h.name === DUMMY_SEED_GENERATOR_NAME) return fallback();
  return lookupResource<SeedGenerator>(ctx, h, SEED_GENERATOR_RESOURCE);
}

export const ShuffleDatasetKernel: KernelConfig = datasetOp(
  {
    name: "ShuffleDataset",
    inputs: ["input_dataset: variant", "buffer_size: int64", "seed: int64", "seed2: int64"],
    outputs: ["handle: variant"],
    attrs: ["reshuffle_each_iteration: bool = true", ...SHUFFLE_ATTRS],
  },
  (c) => {
    const signature = outputSignature(c);
    const reshuffle = getAttrBool(c.attrs, "reshuffle_each_iteration");
    return (ctx) => {
      const input = datasetInput(ctx, 0);
      const bufferSize = bufferSizeArgument(ctx);
      const gen = seedGenerator(int64At(ctx, 2, "seed"), int64At(ctx, 3, "seed2"), reshuffle);
      return new ShuffleDatasetValue(input, bufferSize, gen, signature);
    };
  },
);

export const ShuffleDatasetV2Kernel: KernelConfig = datasetOp(
  {
    name: "ShuffleDatasetV2",
    inputs: ["input_dataset: variant", "buffer_size: int64", "seed_generator: resource"],
    outputs: ["handle: variant"],
    attrs: SHUFFLE_ATTRS,
    isStateful: true,
  },
  (c) => {
    const signature = outputSignature(c);
    return (ctx) => {
      const input = datasetInput(ctx, 0);
      const bufferSize = bufferSizeArgument(ctx);
      const gen = generatorFromHandle(ctx, 2, () => seedGenerator(0n, 0n, true));
      return new ShuffleDatasetValue(input, bufferSize, gen, signature);
    };
  },
);

export const ShuffleDatasetV3Kernel: KernelConfig = datasetOp(
  {
    name: "ShuffleDatasetV3",
    inputs: [
      "input_dataset: variant",
      "buffer_size: int64",
      "seed: int64",
      "seed2: int64",
      "seed_generator: resource",
    ],
    outputs: ["handle: variant"],
    attrs: ["reshuffle_each_iteration: bool = true", ...SHUFFLE_ATTRS],
    isStateful: true,
  },
  (c) => {
    const signature = outputSignature(c);
    const reshuffle = getAttrBool(c.attrs, "reshuffle_each_iteration");
    return (ctx) => {
      const input = datasetInput(ctx, 0);
      const bufferSize = bufferSizeArgument(ctx);
      const seed = int64At(ctx, 2, "seed");
      const seed2 = int64At(ctx, 3, "seed2");
      const gen = generatorFromHandle(ctx, 4, () => seedGenerator(seed, seed2, reshuffle));
      return new ShuffleDatasetValue(input, bufferSize, gen, signature);
    };
  },
);
