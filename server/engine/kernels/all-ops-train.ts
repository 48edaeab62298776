// Kernel modules of the "train" group, registered by register-all.ts through all-ops.ts.
// Add one `export * from "./<Op>.js";` line per kernel file.

export * from "./ApplyAdadelta.js";
export * from "./ApplyAdagrad.js";
export * from "./ApplyAdagradDA.js";
export * from "./ApplyAdagradV2.js";
export * from "./ApplyAdam.js";
export * from "./ApplyCenteredRMSProp.js";
export * from "./ApplyFtrl.js";
export * from "./ApplyFtrlV2.js";
export * from "./ApplyMomentum.js";
export * from "./ApplyProximalAdagrad.js";
export * from "./ApplyProximalGradientDescent.js";
export * from "./ApplyRMSProp.js";
export * from "./DynamicStitch.js";
export * from "./Inv.js";
export * from "./InvGrad.js";
export * from "./ParallelDynamicStitch.js";
export * from "./ReciprocalGrad.js";
export * from "./ResourceApplyKerasMomentum.js";
export * from "./ResourceSparseApplyKerasMomentum.js";
export * from "./RsqrtGrad.js";
export * from "./SparseApplyAdadelta.js";
export * from "./SparseApplyAdagrad.js";
export * from "./SparseApplyAdagradDA.js";
export * from "./SparseApplyAdagradV2.js";
export * from "./SparseApplyCenteredRMSProp.js";
export * from "./SparseApplyFtrl.js";
export * from "./SparseApplyFtrlV2.js";
export * from "./SparseApplyMomentum.js";
export * from "./SparseApplyProximalAdagrad.js";
export * from "./SparseApplyProximalGradientDescent.js";
export * from "./SparseApplyRMSProp.js";
export * from "./SqrtGrad.js";
export * from "./UnsortedSegmentSum.js";
export * from "./VariableShape.js";
