// TF's MatrixDiagPart (v1) and MatrixDiagPartV2 (core/kernels/linalg/matrix_diag_op.cc, the
// MatrixDiagPartV3 kernel): v1 reads the main diagonal; V2 takes V3's inputs with every diagonal
// left-aligned.

import { Tensor } from "../framework/tensor.js";
import { LEFT_LEFT, mainDiagonal } from "./MatrixDiag.js";
import { matrixDiagPartJob } from "./MatrixDiagPartV3.js";
import { computeJob } from "./util/element-slices.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, POD_TYPES } from "./util/kernel-config.js";

export const matrixDiagPartConfig: KernelConfig = {
  op: { name: "MatrixDiagPart", inputs: ["input: T"], outputs: ["diagonal: T"], attrs: ["T: type"] },
  kernel: cpuKernel("MatrixDiagPart", (c) => {
    checkTypeConstraint(c, "T", POD_TYPES);
    return {
      compute(ctx) {
        const x = ctx.input(0);
        return computeJob(ctx, matrixDiagPartJob(x, mainDiagonal(), Tensor.zeros(x.dtype, []), LEFT_LEFT));
      },
    };
  }),
};

export const matrixDiagPartV2Config: KernelConfig = {
  op: {
    name: "MatrixDiagPartV2",
    inputs: ["input: T", "k: int32", "padding_value: T"],
    outputs: ["diagonal: T"],
    attrs: ["T: type"],
  },
  kernel: cpuKernel("MatrixDiagPartV2", (c) => {
    checkTypeConstraint(c, "T", POD_TYPES);
    return {
      compute: (ctx) =>
        computeJob(ctx, matrixDiagPartJob(ctx.input(0), ctx.input(1), ctx.input(2), LEFT_LEFT)),
    };
  }),
};
