// TF's NonMaxSuppressionV4 on CPU (core/kernels/image/non_max_suppression_op.cc): V3 plus the
// count of valid outputs, optionally padding the indices with zeros to max_output_size
// (tf.image.non_max_suppression_padded).

import { getAttrBool } from "../framework/op-def.js";
import { Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { nmsInputs } from "./NonMaxSuppressionV3.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";
import { nonMaxSuppression } from "./util/non-max-suppression.js";

export function int32Scalar(v: number): Tensor {
  const t = Tensor.zeros(DataType.DT_INT32, []);
  (t.data as Int32Array)[0] = v;
  return t;
}

export const nonMaxSuppressionV4Config: KernelConfig = {
  op: {
    name: "NonMaxSuppressionV4",
    inputs: [
      "boxes: T",
      "scores: T",
      "max_output_size: int32",
      "iou_threshold: T_threshold",
      "score_threshold: T_threshold",
    ],
    outputs: ["selected_indices: int32", "valid_outputs: int32"],
    attrs: [
      "T: {half, float} = DT_FLOAT",
      "T_threshold: {half, float} = DT_FLOAT",
      "pad_to_max_output_size: bool = false",
    ],
  },
  kernel: cpuKernel("NonMaxSuppressionV4", (c) => {
    checkTypeConstraint(c, "T", [T.half, T.float]);
    const pad = getAttrBool(c.attrs, "pad_to_max_output_size");
    return {
      compute: (ctx) => {
        const n = nmsInputs(
          [0, 1, 2, 3, 4].map((i) => ctx.input(i)),
          false,
        );
        const r = nonMaxSuppression(n.boxes, n.scores, { ...n, softNmsSigma: 0, pad });
        ctx.setOutput(0, r.indices);
        ctx.setOutput(1, int32Scalar(r.valid));
      },
    };
  }),
};
