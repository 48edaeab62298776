// TF's MatrixDiag (v1) and MatrixDiagV2 (core/kernels/linalg/matrix_diag_op.cc, the same kernel
// as MatrixDiagV3): v1 puts the main diagonal on square matrices with zeros elsewhere; V2 takes
// MatrixDiagV3's inputs with every diagonal left-aligned (it predates the `align` attr).

import { scalar, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { matrixDiagJob } from "./MatrixDiagV3.js";
import { computeJob } from "./util/element-slices.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, POD_TYPES } from "./util/kernel-config.js";
import type { Alignment } from "./util/matrix-diag-util.js";

/** Every diagonal left-aligned: MatrixDiag/V2's packing. */
export const LEFT_LEFT: Alignment = { leftSuper: true, leftSub: true };

export const mainDiagonal = (): Tensor => scalar(DataType.DT_INT32, 0);

export const matrixDiagConfig: KernelConfig = {
  op: { name: "MatrixDiag", inputs: ["diagonal: T"], outputs: ["output: T"], attrs: ["T: type"] },
  kernel: cpuKernel("MatrixDiag", (c) => {
    checkTypeConstraint(c, "T", POD_TYPES);
    return {
      compute(ctx) {
        const d = ctx.input(0);
        const unknown = scalar(DataType.DT_INT32, -1);
        return computeJob(
          ctx,
          matrixDiagJob(d, [mainDiagonal(), unknown, unknown, Tensor.zeros(d.dtype, [])], LEFT_LEFT),
        );
      },
    };
  }),
};

export const matrixDiagV2Config: KernelConfig = {
  op: {
    name: "MatrixDiagV2",
    inputs: ["diagonal: T", "k: int32", "num_rows: int32", "num_cols: int32", "padding_value: T"],
    outputs: ["output: T"],
    attrs: ["T: type"],
  },
  kernel: cpuKernel("MatrixDiagV2", (c) => {
    checkTypeConstraint(c, "T", POD_TYPES);
    return {
      compute: (ctx) =>
        computeJob(
          ctx,
          matrixDiagJob(ctx.input(0), [ctx.input(1), ctx.input(2), ctx.input(3), ctx.input(4)], LEFT_LEFT),
        ),
    };
  }),
};
