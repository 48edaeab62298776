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

/**
 * The random seeds a dataset kernel draws while it builds its dataset: recorded, so that an
 * iterator rebuilt on a replacement worker thread makes the same dataset (its recipe carries them,
 * dataset-recipe.ts), or replayed from such a record.
 */
interface SeedTape {
  readonly drawn: bigint[];
  readonly replay: readonly bigint[] | undefined;
}

let tape: SeedTape | undefined;

/** Runs `build` recording the seeds it draws; with `replay`, it draws exactly those instead. */
export function withSeedTape<T>(
  replay: readonly bigint[] | undefined,
  build: () => T,
): { value: T; drawn: bigint[] } {
  const previous = tape;
  const mine: SeedTape = { drawn: [], replay };
  tape = mine;
  try {
    return { value: build(), drawn: mine.drawn };
  } finally {
    tape = previous;
  }
}

/** Thrown when a replay asks for more seeds than were recorded (the rebuild is not exact). */
export class SeedTapeExhausted extends Error {}

function drawSeed(): bigint {
  if (tape === undefined) return new64();
  const i = tape.drawn.length;
  let s: bigint;
  if (tape.replay === undefined) s = new64();
  else if (i < tape.replay.length) s = tape.replay[i]!;
  else throw new SeedTapeExhausted("the dataset drew more random seeds than were recorded");
  tape.drawn.push(s);
  return s;
}

/** TF's RandomSeeds: (0, 0) becomes two random 64-bit seeds. */
export function resolveSeeds(seed: bigint, seed2: bigint): [bigint, bigint] {
  return seed === 0n && seed2 === 0n ? [drawSeed(), drawSeed()] : [seed, seed2];
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
