// tf.data's seed generators (core/kernels/data/random_seed_ops.{h,cc}): what a shuffle draws the
// seeds of each of its iterators from. A fixed generator gives every iterator the op's seeds (so
// every pass has the same order); a random one, used when reshuffle_each_iteration is set, is a
// Philox stream seeded with them that gives each new iterator the next two samples (so each
// repetition of a shuffled dataset has a new order, and re-creating the dataset restarts it).
// Seeds (0, 0) mean "seed nondeterministically" (TF's RandomSeeds).
//
// A generator resource outlives its worker thread (docs/architecture.md, "Resources that outlive a
// worker thread"): its durable state is its resolved seeds and how many pairs it gave, and a
// restored one moves its Philox stream past them, so the next iterator gets the seeds it would
// have got.

import type { ResourceMgr } from "../../framework/resource-mgr.js";
import { new64, PhiloxRandom, SingleSampleAdapter } from "./philox-random.js";
import type { ResourceType } from "./step-resources.js";

export interface SeedGenerator {
  /** The (seed, seed2) of a new iterator. */
  generateSeeds(): [bigint, bigint];
  /** What a replacement worker thread needs to make the same generator again (seedGeneratorFrom). */
  readonly state: SeedGeneratorState;
  /**
   * Told after each draw, when the generator is a resource: draws happen when an iterator starts,
   * in steps that may not look the resource up, and the resource directory must still see them.
   */
  onDraw?: (() => void) | undefined;
}

/**
 * A generator's durable state: its resolved seeds (never (0, 0) again: a restored generator must
 * not draw new ones) and, for a random one, how many pairs it has given.
 */
export interface SeedGeneratorState {
  readonly reshuffle: boolean;
  readonly seed: bigint;
  readonly seed2: bigint;
  readonly pairs: number;
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

class FixedSeedGenerator implements SeedGenerator {
  onDraw: (() => void) | undefined;
  constructor(
    private readonly seed: bigint,
    private readonly seed2: bigint,
  ) {}
  generateSeeds(): [bigint, bigint] {
    return [this.seed, this.seed2];
  }
  get state(): SeedGeneratorState {
    return { reshuffle: false, seed: this.seed, seed2: this.seed2, pairs: 0 };
  }
}

class RandomSeedGenerator implements SeedGenerator {
  onDraw: (() => void) | undefined;
  private readonly gen: SingleSampleAdapter;
  private pairs = 0;
  constructor(
    private readonly seed: bigint,
    private readonly seed2: bigint,
  ) {
    this.gen = new SingleSampleAdapter(new PhiloxRandom(seed, seed2));
  }
  generateSeeds(): [bigint, bigint] {
    const a = BigInt(this.gen.next());
    const b = BigInt(this.gen.next());
    this.pairs++;
    this.onDraw?.();
    return [a, b];
  }
  /** Moves the stream past `pairs` draws (a restored generator goes on where the old one was). */
  skip(pairs: number): void {
    for (let i = 0; i < 2 * pairs; i++) this.gen.next();
    this.pairs += pairs;
  }
  get state(): SeedGeneratorState {
    return { reshuffle: true, seed: this.seed, seed2: this.seed2, pairs: this.pairs };
  }
}

export function fixedSeedGenerator(seed: bigint, seed2: bigint): SeedGenerator {
  const [s, s2] = resolveSeeds(seed, seed2);
  return new FixedSeedGenerator(s, s2);
}

export function randomSeedGenerator(seed: bigint, seed2: bigint): SeedGenerator {
  const [s, s2] = resolveSeeds(seed, seed2);
  return new RandomSeedGenerator(s, s2);
}

export function seedGenerator(seed: bigint, seed2: bigint, reshuffle: boolean): SeedGenerator {
  return reshuffle ? randomSeedGenerator(seed, seed2) : fixedSeedGenerator(seed, seed2);
}

/** The generator a durable state describes, at the same point of its stream. */
export function seedGeneratorFrom(s: SeedGeneratorState): SeedGenerator {
  if (!s.reshuffle) return new FixedSeedGenerator(s.seed, s.seed2);
  const g = new RandomSeedGenerator(s.seed, s.seed2);
  g.skip(s.pairs);
  return g;
}

/** True for a seed-generator resource (what the resource directory records as one). */
export function isSeedGenerator(v: unknown): v is SeedGenerator {
  return v instanceof FixedSeedGenerator || v instanceof RandomSeedGenerator;
}

/**
 * Has each draw of a generator kept in `mgr` touch its entry, so the resource directory records
 * how far its stream went (docs/architecture.md, "Resources that outlive a worker thread").
 */
export function reportDraws(gen: SeedGenerator, mgr: ResourceMgr, container: string, name: string): void {
  gen.onDraw = () => {
    if (mgr.peek(container, name, SEED_GENERATOR_RESOURCE.name) === gen) {
      mgr.lookup(container, name, SEED_GENERATOR_RESOURCE.name);
    }
  };
}
