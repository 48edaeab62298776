// TF's DummySeedGenerator, AnonymousSeedGenerator and DeleteSeedGenerator
// (core/kernels/data/random_seed_ops.cc): the seed-generator resources ShuffleDatasetV2/V3 take.
// A dummy handle (what a shuffle built inside a function gets) tells the shuffle to make its own
// generator from its seeds; an anonymous one is a resource shared by the datasets given it.

import { uniqueResourceName } from "../framework/resource-mgr.js";
import { Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { EMPTY_VARIANT } from "../framework/variant.js";
import { type KernelConfig, simpleKernel } from "./util/kernel-config.js";
import {
  DUMMY_SEED_GENERATOR_NAME,
  reportDraws,
  SEED_GENERATOR_RESOURCE,
  type SeedGenerator,
  seedGenerator,
} from "./util/seed-generator.js";
import { lookupResource, resourceHandleInput } from "./util/step-resources.js";

function seedHandle(device: string, container: string, name: string): Tensor {
  return new Tensor(
    DataType.DT_RESOURCE,
    [],
    [
      {
        device,
        container,
        name,
        hashCode: SEED_GENERATOR_RESOURCE.hash,
        maybeTypeName: SEED_GENERATOR_RESOURCE.name,
      },
    ],
  );
}

export const DummySeedGeneratorKernel: KernelConfig = {
  op: { name: "DummySeedGenerator", outputs: ["handle: resource"], isStateful: true },
  kernel: simpleKernel("DummySeedGenerator", (ctx) =>
    ctx.setOutput(0, seedHandle(ctx.step.device.name, "", DUMMY_SEED_GENERATOR_NAME)),
  ),
};

export const AnonymousSeedGeneratorKernel: KernelConfig = {
  op: {
    name: "AnonymousSeedGenerator",
    inputs: ["seed: int64", "seed2: int64", "reshuffle: bool"],
    outputs: ["handle: resource", "deleter: variant"],
    isStateful: true,
  },
  kernel: simpleKernel("AnonymousSeedGenerator", (ctx) => {
    const seed = (ctx.input(0).data as BigInt64Array)[0]!;
    const seed2 = (ctx.input(1).data as BigInt64Array)[0]!;
    const reshuffle = (ctx.input(2).data as Uint8Array)[0] !== 0;
    const mgr = ctx.step.resources;
    const name = uniqueResourceName("_AnonymousSeedGenerator");
    const container = mgr.defaultContainer;
    const gen = mgr.lookupOrCreate<SeedGenerator>(container, name, SEED_GENERATOR_RESOURCE.name, () =>
      seedGenerator(seed, seed2, reshuffle),
    );
    reportDraws(gen, mgr, container, name);
    ctx.setOutput(0, seedHandle(ctx.step.device.name, mgr.defaultContainer, name));
    ctx.setOutput(1, new Tensor(DataType.DT_VARIANT, [], [EMPTY_VARIANT]));
  }),
};

export const DeleteSeedGeneratorKernel: KernelConfig = {
  op: { name: "DeleteSeedGenerator", inputs: ["handle: resource", "deleter: variant"], isStateful: true },
  kernel: simpleKernel("DeleteSeedGenerator", (ctx) => {
    const h = resourceHandleInput(ctx, 0);
    lookupResource(ctx, h, SEED_GENERATOR_RESOURCE);
    ctx.step.resources.delete(h.container, h.name, SEED_GENERATOR_RESOURCE.name);
  }),
};
