// How a dense float32 kernel (MatMul, BatchMatMul, Conv2D) picks where its product runs, by size:
// products of ORT_MIN_MACS multiply-adds and more go to onnxruntime over the intra-op thread pool
// (ort.ts: TF's intra-op parallelism), medium ones to XNNPACK in this thread (xnn.ts), small ones
// and every other type to the exactly rounded JS loops. Results differ between the paths only in
// float32 rounding (docs/semantics.md, "Float32 products").

import { isTfError } from "../../framework/errors.js";
import type { AnyOpKernel, OpKernelContext } from "../../framework/op-kernel.js";
import type { Tensor } from "../../framework/tensor.js";
import { nativeKernelConfig, nativeLoadFailure, ORT_MIN_MACS, type OrtRuntime, ortRuntime } from "./ort.js";
import { loadXnn, XNN_MIN_MACS, xnnKernel, xnnSettled } from "./xnn.js";

export interface DenseKernelParts {
  /** Total multiply-adds of the node's product, from its inputs (throws on bad shapes). */
  readonly macs: (ctx: OpKernelContext) => number;
  /** The XNNPACK / JS kernel: sets the outputs. */
  readonly compute: (ctx: OpKernelContext) => void;
  /**
   * The product on onnxruntime. Validates the inputs first (TF's errors, thrown before any
   * native work); any other failure sends the node to `compute`.
   */
  readonly native: (ctx: OpKernelContext, rt: OrtRuntime) => Promise<Tensor>;
}

/** Per thread: whether a native failure has been logged (once is enough to explain the speed). */
let reported = false;

/**
 * The kernel for a dense op: plain `compute` (via xnnKernel) unless the type is float32 and
 * native kernels are on, then an async kernel trying onnxruntime for large products.
 */
export function denseKernel(float32: boolean, parts: DenseKernelParts): AnyOpKernel {
  if (!float32 || !nativeKernelConfig().native) return xnnKernel(float32, parts.macs, parts.compute);
  return {
    async computeAsync(ctx) {
      const macs = safeMacs(parts.macs, ctx);
      if (macs >= ORT_MIN_MACS) {
        const rt = ortRuntime();
        if (rt !== undefined) {
          const out = await tryNative(ctx, rt, parts);
          if (out !== undefined) {
            ctx.setOutput(0, out);
            return;
          }
        } else {
          report(ctx, `onnxruntime-node did not load (${nativeLoadFailure() ?? "switched off"})`);
        }
      }
      if (!xnnSettled() && macs >= XNN_MIN_MACS) await loadXnn();
      parts.compute(ctx);
    },
  };
}

async function tryNative(
  ctx: OpKernelContext,
  rt: OrtRuntime,
  parts: DenseKernelParts,
): Promise<Tensor | undefined> {
  try {
    return await parts.native(ctx, rt);
  } catch (e) {
    if (isTfError(e)) throw e;
    report(ctx, `onnxruntime failed (${e instanceof Error ? e.message : String(e)})`);
    return undefined;
  }
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
