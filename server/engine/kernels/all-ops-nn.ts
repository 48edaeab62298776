// Kernel modules of the "nn" group, registered by register-all.ts through all-ops.ts.
// Add one `export * from "./<Op>.js";` line per kernel file.

export * from "./AvgPool.js";
export * from "./AvgPoolGrad.js";
export * from "./BiasAddGrad.js";
export * from "./Conv2D.js";
export * from "./Conv2DBackpropFilter.js";
export * from "./Conv2DBackpropInput.js";
export * from "./DepthwiseConv2dNative.js";
export * from "./DepthwiseConv2dNativeBackpropFilter.js";
export * from "./DepthwiseConv2dNativeBackpropInput.js";
export * from "./Elu.js";
export * from "./EluGrad.js";
export * from "./FusedBatchNormGradV3.js";
export * from "./FusedBatchNormV3.js";
export * from "./L2Loss.js";
export * from "./LeakyRelu.js";
export * from "./LeakyReluGrad.js";
export * from "./LRN.js";
export * from "./LRNGrad.js";
export * from "./MaxPool.js";
export * from "./MaxPoolGrad.js";
export * from "./Relu6Grad.js";
export * from "./ReluGrad.js";
export * from "./Selu.js";
export * from "./SeluGrad.js";
export * from "./SigmoidGrad.js";
export * from "./SoftmaxCrossEntropyWithLogits.js";
export * from "./Softplus.js";
export * from "./SoftplusGrad.js";
export * from "./Softsign.js";
export * from "./SoftsignGrad.js";
export * from "./SparseSoftmaxCrossEntropyWithLogits.js";
export * from "./TanhGrad.js";
