// TF's NonMaxSuppressionV5 on CPU (core/kernels/image/non_max_suppression_op.cc): V4 with the
// selected scores and soft-NMS (tf.image.non_max_suppression_with_scores): with sigma > 0 a
// candidate's score decays by exp(-sim²/2σ) per overlapping selection instead of being dropped.

import { invalidArgument } from "../framework/errors.js";
import { getAttrBool } from "../framework/op-def.js";
import type { Tensor } from "../framework/tensor.js";
import { nmsInputs } from "./NonMaxSuppressionV3.js";
import { int32Scalar } from "./NonMaxSuppressionV4.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";
import { checkIouThreshold, nonMaxSuppression, scalarInput } from "./util/non-max-suppression.js";

export const nonMaxSuppressionV5Config: KernelConfig = {
  op: {
    name: "NonMaxSuppressionV5",
    inputs: [
      "boxes: T",
      "scores: T",
      "max_output_size: int32",
      "iou_threshold: T",
      "score_threshold: T",
      "soft_nms_sigma: T",
    ],
    outputs: ["selected_indices: int32", "selected_scores: T", "valid_outputs: int32"],
    attrs: ["T: {half, float} = DT_FLOAT", "pad_to_max_output_size: bool = false"],
  },
  kernel: cpuKernel("NonMaxSuppressionV5", (c) => {
    checkTypeConstraint(c, "T", [T.half, T.float]);
    const pad = getAttrBool(c.attrs, "pad_to_max_output_size");
    return {
      compute: (ctx) => {
        const inputs: Tensor[] = [0, 1, 2, 3, 4, 5].map((i) => ctx.input(i));
        // TF reads sigma after the score threshold and before the box checks.
        const head = nmsHead(inputs);
        const n = nmsInputs(inputs, false);
        const r = nonMaxSuppression(n.boxes, n.scores, { ...n, softNmsSigma: head, pad });
        ctx.setOutput(0, r.indices);
        ctx.setOutput(1, r.scores);
        ctx.setOutput(2, int32Scalar(r.valid));
      },
    };
  }),
};

/** The checks before soft_nms_sigma's, then soft_nms_sigma's own. */
function nmsHead(inputs: readonly Tensor[]): number {
  scalarInput(inputs[2]!, "max_output_size");
  checkIouThreshold(scalarInput(inputs[3]!, "iou_threshold"));
  scalarInput(inputs[4]!, "score_threshold");
  const sigma = scalarInput(inputs[5]!, "soft_nms_sigma");
  if (!(sigma >= 0)) throw invalidArgument("soft_nms_sigma_val must be >= 0");
  return sigma;
}
