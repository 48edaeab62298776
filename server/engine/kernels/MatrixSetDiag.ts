// TF's MatrixSetDiag (v1) and MatrixSetDiagV2 (core/kernels/linalg/matrix_set_diag_op.cc, the
// MatrixSetDiagV3 kernel): v1 replaces the main diagonal; V2 takes V3's inputs with every diagonal
// left-aligned.

import { LEFT_LEFT, mainDiagonal } from "./MatrixDiag.js";
import { matrixSetDiagJob } from "./MatrixSetDiagV3.js";
import { computeJob } from "./util/element-slices.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, POD_TYPES } from "./util/kernel-config.js";

export const matrixSetDiagConfig: KernelConfig = {
  op: {
    name: "MatrixSetDiag",
    inputs: ["input: T", "diagonal: T"],
    outputs: ["output: T"],
    attrs: ["T: type"],
  },
  kernel: cpuKernel("MatrixSetDiag", (c) => {
    checkTypeConstraint(c, "T", POD_TYPES);
    return {
      compute: (ctx) =>
        computeJob(ctx, matrixSetDiagJob(ctx.input(0), ctx.input(1), mainDiagonal(), LEFT_LEFT)),
    };
  }),
};

export const matrixSetDiagV2Config: KernelConfig = {
  op: {
    name: "MatrixSetDiagV2",
    inputs: ["input: T", "diagonal: T", "k: int32"],
    outputs: ["output: T"],
    attrs: ["T: type"],
  },
  kernel: cpuKernel("MatrixSetDiagV2", (c) => {
    checkTypeConstraint(c, "T", POD_TYPES);
    return {
      compute: (ctx) =>
        computeJob(ctx, matrixSetDiagJob(ctx.input(0), ctx.input(1), ctx.input(2), LEFT_LEFT)),
    };
  }),
};
