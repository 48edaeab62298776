// tf.data's seed generators (core/kernels/data/random_seed_ops.{h,cc}): what a shuffle draws the
// seeds of each of its iterators from. A fixed generator gives every iterator the op's seeds (so
// every pass has the same order); a random one, used when reshuffle_each_iteration is set, is a
// Philox stream seeded with them that gives each new iterator the next two samples (so each
// repetition of a shuffled dataset has a new order, and re-creating the dataset restarts it).
// Seeds (0, 0) mean "seed nondeterministically" (TF's RandomSeeds).

import { new64, PhiloxRandom, SingleSampleAdapter } from "./philox-random.js";
import type { ResourceType } from "./step-resources.js";

export interface SeedGenerator {
  /** The (seed, seed2) of a new iterator. */
  generateSeeds(): [bigint, bigint];
}

/** TF's SeedGeneratorManager resource type (AnonymousSeedGenerator). */
export const SEED_GENERATOR_RESOURCE: ResourceType = {
  name: "N10tensorflow4data20SeedGeneratorManagerE",
  hash: 0x7365_6564_6765_6e72n,
};

/** The name DummySeedGenerator's handle carries: a shuffle then makes its own generator. */
export const DUMMY_SEED_GENERATOR_NAME = "DummySeedGenerator";

/** TF's RandomSeeds: (0, 0) becomes two random 64-bit seeds. */
export function resolveSeeds(seed: bigint, seed2: bigint): [bigint, bigint] {
  return seed === 0n && seed2 === 0n ? [new64(), new64()] : [seed, seed2];
}

export function fixedSeedGenerator(seed: bigint, seed2: bigint): SeedGenerator {
  const [s, s2] = resolveSeeds(seed, seed2);
  return { generateSeeds: () => [s, s2] };
}

export function randomSeedGenerator(seed: bigint, seed2: bigint): SeedGenerator {
  const [s, s2] = resolveSeeds(seed, seed2);
  const gen = new SingleSampleAdapter(new PhiloxRandom(s, s2));
  return {
    generateSeeds: () => {
      const a = BigInt(gen.next());
      const b = BigInt(gen.next());
      return [a, b];
    },
  };
}

export function seedGenerator(seed: bigint, seed2: bigint, reshuffle: boolean): SeedGenerator {
  return reshuffle ? randomSeedGenerator(seed, seed2) : fixedSeedGenerator(seed, seed2);
}
