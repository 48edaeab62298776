// Kernels whose loops are uneven (the linear-algebra factorizations, whose steps shrink; the 3-D
// convolutions; the FFTs) yield when a Pace says about a millisecond of work is done, counted
// across all their loops, rather than every so many rows (docs/architecture.md, "Long kernels in
// slices"). Below SLICED_MIN_WORK their compute drains the generator itself.

import type { KernelSlices, OpKernelContext } from "../../framework/op-kernel.js";
import type { Tensor } from "../../framework/tensor.js";
import { drainSync, JS_PIECE_MACS, type Slices } from "./slices.js";

/**
 * Work (float64 multiply-adds, roughly) below which a kernel written with a Pace runs whole in compute,
 * without a generator handed to the executor: small steps pay nothing for slicing.
 */
export const SLICED_MIN_WORK = 2 ** 20;

/**
 * Counts the work done since the last yield, shared by every loop of one kernel run, so pieces
 * are about JS_PIECE_MACS whatever mix of small and large steps makes them up.
 */
export class Pace {
  private work = 0;

  /** `piece`: the work per piece (smaller in tests, to cut small matrices in many places). */
  constructor(private readonly piece = JS_PIECE_MACS) {}

  /** Adds `work`; true when a piece is full (the caller yields). */
  due(work: number): boolean {
    this.work += work;
    if (this.work < this.piece) return false;
    this.work = 0;
    return true;
  }
}

/**
 * A paced kernel's compute: its outputs from `run`, drained here when `work` is below
 * SLICED_MIN_WORK, else returned to the executor as slices.
 */
export function pacedCompute(
  ctx: OpKernelContext,
  work: number,
  run: () => Slices<readonly Tensor[]>,
): KernelSlices | undefined {
  if (work < SLICED_MIN_WORK) {
    setAll(ctx, drainSync(run()));
    return undefined;
  }
  return (function* (): KernelSlices {
    setAll(ctx, yield* run());
  })();
}

function setAll(ctx: OpKernelContext, outputs: readonly Tensor[]): void {
  for (const [i, t] of outputs.entries()) ctx.setOutput(i, t);
}
