// Kernel modules of the "loops" group (functional If/Case/While, stacks and TensorArrays: what
// TF1 and TF2 loops and their gradients use), registered by register-all.ts through all-ops.ts.
// Add one `export * from "./<Op>.js";` line per kernel file.

export * from "./Case.js";
export * from "./EmptyTensorList.js";
export * from "./If.js";
export * from "./Optional.js";
export * from "./StackCloseV2.js";
export * from "./StackPopV2.js";
export * from "./StackPushV2.js";
export * from "./StackV2.js";
export * from "./TensorArrayCloseV3.js";
export * from "./TensorArrayConcatV3.js";
export * from "./TensorArrayGatherV3.js";
export * from "./TensorArrayGradV3.js";
export * from "./TensorArrayGradWithShape.js";
export * from "./TensorArrayReadV3.js";
export * from "./TensorArrayScatterV3.js";
export * from "./TensorArraySizeV3.js";
export * from "./TensorArraySplitV3.js";
export * from "./TensorArrayV3.js";
export * from "./TensorArrayWriteV3.js";
export * from "./TensorListConcat.js";
export * from "./TensorListConcatLists.js";
export * from "./TensorListConcatV2.js";
export * from "./TensorListElementShape.js";
export * from "./TensorListFromTensor.js";
export * from "./TensorListGather.js";
export * from "./TensorListGetItem.js";
export * from "./TensorListLength.js";
export * from "./TensorListPopBack.js";
export * from "./TensorListPushBack.js";
export * from "./TensorListPushBackBatch.js";
export * from "./TensorListReserve.js";
export * from "./TensorListResize.js";
export * from "./TensorListScatter.js";
export * from "./TensorListScatterIntoExistingList.js";
export * from "./TensorListScatterV2.js";
export * from "./TensorListSetItem.js";
export * from "./TensorListSplit.js";
export * from "./TensorListStack.js";
export * from "./While.js";
