// The parts TF's stateful random kernels share (core/kernels/random_op.cc): the output shape from
// the `shape` input (AllocateOutputWithShape) and the per-kernel generator seeded from the
// seed/seed2 attrs (GuardedPhiloxRandom::Init).

import { invalidArgument } from "../framework/errors.js";
import { type AttrMap, getAttrBigInt } from "../framework/op-def.js";
import { numElements, shapeString, type Tensor } from "../framework/tensor.js";
import { GuardedPhiloxRandom } from "./philox-random.js";
import { readInts } from "./tensor-util.js";

/** The random ops' common attrs, in REGISTER_OP syntax. */
export const SEED_ATTRS = ["seed: int = 0", "seed2: int = 0"] as const;

/** A generator for one kernel instance: the same (seed, seed2) gives TF's stream, (0, 0) a random one. */
export function generatorFromAttrs(attrs: AttrMap): GuardedPhiloxRandom {
  return new GuardedPhiloxRandom(getAttrBigInt(attrs, "seed"), getAttrBigInt(attrs, "seed2"));
}

/** The output shape given by a `shape` input, validated (negative dims, overflow) before allocating. */
export function outputShapeFromInput(shape: Tensor): number[] {
  if (shape.rank !== 1) {
    throw invalidArgument(`shape must be a vector of {int32,int64}, got shape ${shapeString(shape.shape)}`);
  }
  const dims = readInts(shape);
  numElements(dims);
  return dims;
}
