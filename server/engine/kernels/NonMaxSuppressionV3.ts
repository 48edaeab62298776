// TF's NonMaxSuppressionV3 on CPU (core/kernels/image/non_max_suppression_op.cc): what
// tf.image.non_max_suppression emits; greedy NMS with an IOU and a score threshold.

import type { Tensor } from "../framework/tensor.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";
import {
  checkIouThreshold,
  checkScores,
  nmsBoxCount,
  nonMaxSuppression,
  scalarInput,
} from "./util/non-max-suppression.js";

export interface NmsInputs {
  readonly boxes: Tensor;
  readonly scores: Tensor;
  readonly maxOutputSize: number;
  readonly iouThreshold: number;
  readonly scoreThreshold: number;
}

/** The checks V3, V4 and V5 share, in TF's order (V3 adds a rank note to its scalar checks). */
export function nmsInputs(inputs: readonly Tensor[], rankNote: boolean): NmsInputs {
  const [boxes, scores, maxOut, iou, score] = inputs as [Tensor, Tensor, Tensor, Tensor, Tensor];
  const maxOutputSize = scalarInput(maxOut, "max_output_size", rankNote);
  const iouThreshold = scalarInput(iou, "iou_threshold", rankNote);
  checkIouThreshold(iouThreshold);
  const scoreThreshold = scalarInput(score, "score_threshold");
  checkScores(scores, nmsBoxCount(boxes));
  return { boxes, scores, maxOutputSize, iouThreshold, scoreThreshold };
}

export const nonMaxSuppressionV3Config: KernelConfig = {
  op: {
    name: "NonMaxSuppressionV3",
    inputs: [
      "boxes: T",
      "scores: T",
      "max_output_size: int32",
      "iou_threshold: T_threshold",
      "score_threshold: T_threshold",
    ],
    outputs: ["selected_indices: int32"],
    attrs: ["T: {half, float} = DT_FLOAT", "T_threshold: {half, float} = DT_FLOAT"],
  },
  kernel: cpuKernel("NonMaxSuppressionV3", (c) => {
    checkTypeConstraint(c, "T", [T.half, T.float]);
    return {
      compute: (ctx) => {
        const n = nmsInputs(
          [0, 1, 2, 3, 4].map((i) => ctx.input(i)),
          true,
        );
        const r = nonMaxSuppression(n.boxes, n.scores, { ...n, softNmsSigma: 0, pad: false });
        ctx.setOutput(0, r.indices);
      },
    };
  }),
};
