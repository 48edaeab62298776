// How a dense float32 kernel (MatMul, BatchMatMul, Conv2D) picks where its product runs, by size:
// products of ORT_MIN_MACS multiply-adds and more go to onnxruntime over the intra-op thread pool
// (ort.ts: TF's intra-op parallelism), medium ones to XNNPACK in this thread (xnn.ts), small ones
// and every other type to the exactly rounded JS loops. Results differ between the paths only in
// float32 rounding (docs/semantics.md, "Float32 products"). Every path is a sliced kernel
// (framework/op-kernel.ts KernelSlices): XNNPACK and JS work in row slices, an onnxruntime run as
// one slice that waits for the run's promise.

import { isTfError } from "../../framework/errors.js";
import type { AnyOpKernel, KernelSlices, OpKernel, OpKernelContext } from "../../framework/op-kernel.js";
import type { Tensor } from "../../framework/tensor.js";
import { nativeKernelConfig, nativeLoadFailure, ORT_MIN_MACS, type OrtRuntime, ortRuntime } from "./ort.js";
import type { Slices } from "./slices.js";
import { xnnKernel } from "./xnn.js";

export interface DenseKernelParts {
  /** Total multiply-adds of the node's product, from its inputs (throws on bad shapes). */
  readonly macs: (ctx: OpKernelContext) => number;
  /** The XNNPACK / JS kernel: sets the outputs (in slices when it returns them). */
  readonly compute: (ctx: OpKernelContext) => void | KernelSlices;
  /**
   * The product on onnxruntime, as slices waiting for its calls. Validates the inputs first (TF's
   * errors, thrown before any native work); any other failure sends the node to `compute`.
   */
  readonly native: (ctx: OpKernelContext, rt: OrtRuntime) => Slices<Tensor>;
}

/** Per thread: whether a native failure has been logged (once is enough to explain the speed). */
let reported = false;

/**
 * The kernel for a dense op: `compute` (via xnnKernel) unless the type is float32 and native kernels
 * are on; then products of ORT_MIN_MACS and more go to onnxruntime, the kernel's slices waiting
 * for the run (other steps' nodes run meanwhile).
 */
export function denseKernel(float32: boolean, parts: DenseKernelParts): AnyOpKernel {
  const plain = xnnKernel(float32, parts.macs, parts.compute);
  // Every path reads its operands into its product (or into scratch copies it frees) and keeps
  // neither: once the node has run, an operand that it alone read is dead.
  if (!float32 || !nativeKernelConfig().native)
    return { compute: (ctx) => plain.compute(ctx), keepsNoInput: true };
  return {
    compute(ctx) {
      if (safeMacs(parts.macs, ctx) < ORT_MIN_MACS) return plain.compute(ctx);
      return nativeSlices(ctx, parts, plain);
    },
    keepsNoInput: true,
  };
}

function* nativeSlices(ctx: OpKernelContext, parts: DenseKernelParts, plain: OpKernel): KernelSlices {
  const rt = ortRuntime();
  if (rt !== undefined) {
    try {
      // onnxruntime's product is always written into storage allocated for it: the output's own.
      ctx.setOutput(0, yield* parts.native(ctx, rt), true);
      return;
    } catch (e) {
      if (isTfError(e)) throw e;
      report(ctx, `onnxruntime failed (${e instanceof Error ? e.message : String(e)})`);
    }
  } else {
    report(ctx, `onnxruntime-node did not load (${nativeLoadFailure() ?? "switched off"})`);
  }
  const rest = plain.compute(ctx);
  if (rest !== undefined) yield* rest;
}

function report(ctx: OpKernelContext, why: string): void {
  if (reported) return;
  reported = true;
  ctx.step.log("warn", `${why}; large float32 MatMul and Conv2D run on XNNPACK in one thread in this worker`);
}

/** Bad shapes make the estimate throw; compute then reports them with TF's text. */
function safeMacs(macs: (ctx: OpKernelContext) => number, ctx: OpKernelContext): number {
  try {
    return macs(ctx);
  } catch {
    return 0;
  }
}
