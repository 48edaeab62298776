// The gradient TensorArray creation shared by TensorArrayGradV3 and TensorArrayGradWithShape
// (core/kernels/tensor_array_ops.cc TensorArrayGradOp): one gradient array per (forward array,
// source), found or created in the step's container, the same size as the forward array, summing
// repeated writes, with the forward array's written shapes so unwritten gradients read as zeros.

import { invalidArgument } from "../../framework/errors.js";
import type { OpKernelContext } from "../../framework/op-kernel.js";
import { lookupOrCreateStepResource, resourceHandleInput, stepResourceHandle } from "./step-resources.js";
import {
  flowScalar,
  TENSOR_ARRAY_GRADS,
  TENSOR_ARRAY_TYPE,
  TENSOR_ARRAYS,
  TensorArray,
  tensorArrayFromInput,
} from "./tensor-array.js";

/** Creates (or finds) the gradient array of input 0's array for `source`; sets both outputs. */
export function computeTensorArrayGrad(
  ctx: OpKernelContext,
  source: string,
  shapeToPrepend: readonly number[] | undefined,
): void {
  const h = resourceHandleInput(ctx, 0);
  if (!h.name.startsWith(TENSOR_ARRAYS)) throw invalidArgument(`Wrong input container. ${h.name}`);
  const forwardName = h.name.slice(TENSOR_ARRAYS.length);
  const forward = tensorArrayFromInput(ctx);
  // Once gradients are computed the forward array may no longer grow.
  forward.disableDynamicSize();
  const size = forward.size();
  const markedSize = forward.getMarkedSize();
  if (!forward.gradientsAllowed) {
    throw invalidArgument(
      `Unable to create a gradients TensorArray for ${forwardName}.  Perhaps you used the multiple_writes_aggregate ` +
        "flag on a previous write?  Gradient calculation is impossible when multiple writes are performed to the same index.",
    );
  }
  const name = `${forwardName}@${source}`;
  const key = `${TENSOR_ARRAY_GRADS}${name}`;
  const elemShape = forward.elemShape;
  lookupOrCreateStepResource(ctx, TENSOR_ARRAY_TYPE, key, () => {
    const grad = new TensorArray({
      dtype: forward.dtype,
      name,
      size,
      elementShape: shapeToPrepend && elemShape !== undefined ? [...shapeToPrepend, ...elemShape] : elemShape,
      identicalElementShapes: forward.identicalElementShapes,
      dynamicSize: false,
      multipleWritesAggregate: true,
      isGrad: true,
      markedSize,
      clearAfterRead: true,
    });
    grad.copyShapesFrom(forward, shapeToPrepend);
    return grad;
  });
  ctx.setOutput(0, stepResourceHandle(ctx, TENSOR_ARRAY_TYPE, key));
  ctx.setOutput(1, flowScalar());
}
