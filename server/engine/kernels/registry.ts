// Every kernel module, listed by file name: importing this defines nothing by itself;
// register-all.ts defines the ops and registers the kernels of `kernelConfigs`. Adding an op means
// adding its module here (registry.test.ts fails for a kernels/*.ts file or an exported
// KernelConfig that is not listed). Shared helpers live in util/, test support in testing/.

import { ArgKernel } from "./_Arg.js";
import { hostRecvKernel, recvKernel } from "./_Recv.js";
import { RetvalKernel } from "./_Retval.js";
import { hostSendKernel, sendKernel } from "./_Send.js";
import { absConfig } from "./Abs.js";
import { acosConfig } from "./Acos.js";
import { acoshConfig } from "./Acosh.js";
import { addConfig } from "./Add.js";
import { addNConfig } from "./AddN.js";
import { addV2Config } from "./AddV2.js";
import { adjustContrastv2Config } from "./AdjustContrastv2.js";
import { adjustHueConfig } from "./AdjustHue.js";
import { adjustSaturationConfig } from "./AdjustSaturation.js";
import { allConfig, anyConfig } from "./All.js";
import { angleConfig } from "./Angle.js";
import { AnonymousIteratorV2Kernel, AnonymousIteratorV3Kernel } from "./AnonymousIteratorV3.js";
import { applyAdadeltaConfig, resourceApplyAdadeltaConfig } from "./ApplyAdadelta.js";
import { applyAdagradConfig, resourceApplyAdagradConfig } from "./ApplyAdagrad.js";
import { applyAdagradDAConfig, resourceApplyAdagradDAConfig } from "./ApplyAdagradDA.js";
import { applyAdagradV2Config, resourceApplyAdagradV2Config } from "./ApplyAdagradV2.js";
import { applyAdamConfig, resourceApplyAdamConfig } from "./ApplyAdam.js";
import { applyCenteredRMSPropConfig, resourceApplyCenteredRMSPropConfig } from "./ApplyCenteredRMSProp.js";
import { applyFtrlConfig, resourceApplyFtrlConfig } from "./ApplyFtrl.js";
import { applyFtrlV2Config, resourceApplyFtrlV2Config } from "./ApplyFtrlV2.js";
import { applyGradientDescentConfig, resourceApplyGradientDescentConfig } from "./ApplyGradientDescent.js";
import { applyMomentumConfig, resourceApplyMomentumConfig } from "./ApplyMomentum.js";
import { applyProximalAdagradConfig, resourceApplyProximalAdagradConfig } from "./ApplyProximalAdagrad.js";
import {
  applyProximalGradientDescentConfig,
  resourceApplyProximalGradientDescentConfig,
} from "./ApplyProximalGradientDescent.js";
import { applyRMSPropConfig, resourceApplyRMSPropConfig } from "./ApplyRMSProp.js";
import { argMaxConfig, argMinConfig } from "./ArgMax.js";
import { asinConfig } from "./Asin.js";
import { asinhConfig } from "./Asinh.js";
import { asStringConfig } from "./AsString.js";
import { assertConfig } from "./Assert.js";
import { assignConfig } from "./Assign.js";
import { assignAddConfig, assignSubConfig } from "./AssignAdd.js";
import { assignAddVariableOpConfig, assignSubVariableOpConfig } from "./AssignAddVariableOp.js";
import { assignVariableOpConfig } from "./AssignVariableOp.js";
import { atanConfig } from "./Atan.js";
import { atan2Config } from "./Atan2.js";
import { atanhConfig } from "./Atanh.js";
import { audioSummaryConfig } from "./AudioSummary.js";
import { audioSummaryV2Config } from "./AudioSummaryV2.js";
import { avgPoolConfig } from "./AvgPool.js";
import { avgPool3DConfig } from "./AvgPool3D.js";
import { avgPool3DGradConfig } from "./AvgPool3DGrad.js";
import { avgPoolGradConfig } from "./AvgPoolGrad.js";
import {
  BarrierCloseKernel,
  BarrierIncompleteSizeKernel,
  BarrierInsertManyKernel,
  BarrierKernel,
  BarrierReadySizeKernel,
  BarrierTakeManyKernel,
} from "./BarrierOps.js";
import { BatchDatasetKernel, BatchDatasetV2Kernel } from "./BatchDatasetV2.js";
import { batchMatMulConfig, batchMatMulV2Config } from "./BatchMatMulV2.js";
import { batchToSpaceConfig } from "./BatchToSpace.js";
import { batchToSpaceNDConfig } from "./BatchToSpaceND.js";
import { besselI0eConfig } from "./BesselI0e.js";
import { besselI1eConfig } from "./BesselI1e.js";
import { betaincConfig } from "./Betainc.js";
import { biasAddConfig } from "./BiasAdd.js";
import { biasAddGradConfig } from "./BiasAddGrad.js";
import { bincountConfig } from "./Bincount.js";
import { bitcastConfig } from "./Bitcast.js";
import { bitwiseAndConfig } from "./BitwiseAnd.js";
import { bitwiseOrConfig } from "./BitwiseOr.js";
import { bitwiseXorConfig } from "./BitwiseXor.js";
import { broadcastArgsConfig } from "./BroadcastArgs.js";
import { broadcastGradientArgsConfig } from "./BroadcastGradientArgs.js";
import { broadcastToConfig } from "./BroadcastTo.js";
import { bucketizeConfig } from "./Bucketize.js";
import {
  AnonymousMemoryCacheKernel,
  CacheDatasetKernel,
  CacheDatasetV2Kernel,
  DeleteMemoryCacheKernel,
  DummyMemoryCacheKernel,
} from "./CacheDataset.js";
import { CaseKernel, StatelessCaseKernel } from "./Case.js";
import { castConfig } from "./Cast.js";
import { ceilConfig } from "./Ceil.js";
import { checkNumericsConfig } from "./CheckNumerics.js";
import { choleskyConfig } from "./Cholesky.js";
import { choleskyGradConfig } from "./CholeskyGrad.js";
import { clipByValueConfig } from "./ClipByValue.js";
import { complexConfig } from "./Complex.js";
import { complexAbsConfig } from "./ComplexAbs.js";
import { ConcatenateDatasetKernel } from "./ConcatenateDataset.js";
import { concatOffsetConfig } from "./ConcatOffset.js";
import { concatConfig, concatV2Config } from "./ConcatV2.js";
import { conjConfig } from "./Conj.js";
import { conjugateTransposeConfig } from "./ConjugateTranspose.js";
import { constConfig } from "./Const.js";
import { ControlTriggerKernel } from "./ControlTrigger.js";
import { conv2DConfig } from "./Conv2D.js";
import { conv2DBackpropFilterConfig } from "./Conv2DBackpropFilter.js";
import { conv2DBackpropInputConfig } from "./Conv2DBackpropInput.js";
import { conv3DConfig } from "./Conv3D.js";
import { conv3DBackpropFilterV2Config } from "./Conv3DBackpropFilterV2.js";
import { conv3DBackpropInputV2Config } from "./Conv3DBackpropInputV2.js";
import { cosConfig } from "./Cos.js";
import { coshConfig } from "./Cosh.js";
import { cropAndResizeConfig } from "./CropAndResize.js";
import { cropAndResizeGradBoxesConfig } from "./CropAndResizeGradBoxes.js";
import { cropAndResizeGradImageConfig } from "./CropAndResizeGradImage.js";
import { crossConfig } from "./Cross.js";
import { cumprodConfig } from "./Cumprod.js";
import { cumsumConfig } from "./Cumsum.js";
import { DatasetCardinalityKernel } from "./DatasetCardinality.js";
import { decodeAndCropJpegConfig } from "./DecodeAndCropJpeg.js";
import { decodeBase64Config } from "./DecodeBase64.js";
import { decodeBmpConfig } from "./DecodeBmp.js";
import { decodeCSVConfig } from "./DecodeCSV.js";
import { decodeGifConfig } from "./DecodeGif.js";
import { decodeImageConfig } from "./DecodeImage.js";
import { decodeJpegConfig } from "./DecodeJpeg.js";
import { decodeJSONExampleConfig } from "./DecodeJSONExample.js";
import { decodePngConfig } from "./DecodePng.js";
import { decodeRawConfig } from "./DecodeRaw.js";
import { DeleteIteratorKernel } from "./DeleteIterator.js";
import { denseBincountConfig } from "./DenseBincount.js";
import { denseToDenseSetOperationConfig } from "./DenseToDenseSetOperation.js";
import { denseToSparseSetOperationConfig } from "./DenseToSparseSetOperation.js";
import { depthToSpaceConfig } from "./DepthToSpace.js";
import { depthwiseConv2dNativeConfig } from "./DepthwiseConv2dNative.js";
import { depthwiseConv2dNativeBackpropFilterConfig } from "./DepthwiseConv2dNativeBackpropFilter.js";
import { depthwiseConv2dNativeBackpropInputConfig } from "./DepthwiseConv2dNativeBackpropInput.js";
import { diagConfig } from "./Diag.js";
import { diagPartConfig } from "./DiagPart.js";
import { digammaConfig } from "./Digamma.js";
import { DirectedInterleaveDatasetKernel } from "./DirectedInterleaveDataset.js";
import { disableCopyOnReadConfig } from "./DisableCopyOnRead.js";
import { divConfig } from "./Div.js";
import { divNoNanConfig } from "./DivNoNan.js";
import { drawBoundingBoxesConfig, drawBoundingBoxesV2Config } from "./DrawBoundingBoxes.js";
import { dynamicPartitionConfig } from "./DynamicPartition.js";
import { dynamicStitchConfig } from "./DynamicStitch.js";
import { einsumConfig } from "./Einsum.js";
import { eluConfig } from "./Elu.js";
import { eluGradConfig } from "./EluGrad.js";
import { emptyTensorListConfig } from "./EmptyTensorList.js";
import { encodeBase64Config } from "./EncodeBase64.js";
import { encodeJpegConfig } from "./EncodeJpeg.js";
import { encodeJpegVariableQualityConfig } from "./EncodeJpegVariableQuality.js";
import { encodePngConfig } from "./EncodePng.js";
import { ensureShapeConfig } from "./EnsureShape.js";
import { equalConfig, notEqualConfig } from "./Equal.js";
import { erfConfig } from "./Erf.js";
import { erfcConfig } from "./Erfc.js";
import { expConfig } from "./Exp.js";
import { expandDimsConfig, squeezeConfig } from "./ExpandDims.js";
import { expm1Config } from "./Expm1.js";
import { extractImagePatchesConfig } from "./ExtractImagePatches.js";
import { extractJpegShapeConfig } from "./ExtractJpegShape.js";
import { fftConfig } from "./FFT.js";
import { fft2dConfig } from "./FFT2D.js";
import { fft3dConfig } from "./FFT3D.js";
import { fifoQueueConfig, fifoQueueV2Config } from "./FIFOQueueV2.js";
import { fillConfig, onesLikeConfig, zerosLikeConfig } from "./Fill.js";
import { FilterDatasetKernel } from "./FilterDataset.js";
import { fingerprintConfig } from "./Fingerprint.js";
import {
  FixedLengthRecordDatasetKernel,
  FixedLengthRecordDatasetV2Kernel,
} from "./FixedLengthRecordDataset.js";
import { FlatMapDatasetKernel } from "./FlatMapDataset.js";
import { floorConfig } from "./Floor.js";
import { floorDivConfig } from "./FloorDiv.js";
import { floorModConfig } from "./FloorMod.js";
import { fusedBatchNormGradV3Config } from "./FusedBatchNormGradV3.js";
import { fusedBatchNormV3Config } from "./FusedBatchNormV3.js";
import { gatherNdConfig } from "./GatherNd.js";
import { gatherV2Config } from "./GatherV2.js";
import { greaterConfig } from "./Greater.js";
import { greaterEqualConfig } from "./GreaterEqual.js";
import { GroupByWindowDatasetKernel } from "./GroupByWindowDataset.js";
import { guaranteeConstConfig } from "./GuaranteeConst.js";
import { hashTableConfig, hashTableV2Config } from "./HashTableV2.js";
import { histogramFixedWidthConfig } from "./HistogramFixedWidth.js";
import { histogramSummaryConfig } from "./HistogramSummary.js";
import { hsvToRgbConfig } from "./HSVToRGB.js";
import {
  identityConfig,
  preventGradientConfig,
  refIdentityConfig,
  snapshotConfig,
  stopGradientConfig,
} from "./Identity.js";
import { identityNConfig } from "./IdentityN.js";
import { ifftConfig } from "./IFFT.js";
import { ifft2dConfig } from "./IFFT2D.js";
import { ifft3dConfig } from "./IFFT3D.js";
import { IfKernel, StatelessIfKernel } from "./If.js";
import { igammaOpConfig } from "./Igamma.js";
import { igammacOpConfig } from "./Igammac.js";
import { igammaGradAConfig } from "./IgammaGradA.js";
import { IgnoreErrorsDatasetKernel } from "./IgnoreErrorsDataset.js";
import { imagConfig } from "./Imag.js";
import { imageSummaryConfig } from "./ImageSummary.js";
import {
  initializeTableFromTextFileConfig,
  initializeTableFromTextFileV2Config,
} from "./InitializeTableFromTextFileV2.js";
import { initializeTableConfig, initializeTableV2Config } from "./InitializeTableV2.js";
import { inTopKConfig } from "./InTopK.js";
import { inTopKV2Config } from "./InTopKV2.js";
import {
  InterleaveDatasetKernel,
  LegacyParallelInterleaveDatasetV2Kernel,
  ParallelInterleaveDatasetV4Kernel,
} from "./InterleaveDataset.js";
import { invConfig } from "./Inv.js";
import { invertConfig } from "./Invert.js";
import { invertPermutationConfig } from "./InvertPermutation.js";
import { invGradConfig } from "./InvGrad.js";
import { irfftConfig } from "./IRFFT.js";
import { irfft2dConfig } from "./IRFFT2D.js";
import { irfft3dConfig } from "./IRFFT3D.js";
import { isFiniteConfig } from "./IsFinite.js";
import { isInfConfig } from "./IsInf.js";
import { isNanConfig } from "./IsNan.js";
import { isVariableInitializedConfig } from "./IsVariableInitialized.js";
import {
  IteratorFromStringHandleKernel,
  IteratorFromStringHandleV2Kernel,
} from "./IteratorFromStringHandleV2.js";
import { IteratorGetNextKernel, IteratorGetNextSyncKernel } from "./IteratorGetNext.js";
import { IteratorGetNextAsOptionalKernel } from "./IteratorGetNextAsOptional.js";
import { IteratorToStringHandleKernel } from "./IteratorToStringHandle.js";
import { IteratorKernel, IteratorV2Kernel } from "./IteratorV2.js";
import { l2LossConfig } from "./L2Loss.js";
import { leakyReluConfig } from "./LeakyRelu.js";
import { leakyReluGradConfig } from "./LeakyReluGrad.js";
import { leftShiftConfig } from "./LeftShift.js";
import { lessConfig } from "./Less.js";
import { lessEqualConfig } from "./LessEqual.js";
import { lgammaConfig } from "./Lgamma.js";
import { linSpaceConfig } from "./LinSpace.js";
import { listDiffConfig } from "./ListDiff.js";
import { logConfig } from "./Log.js";
import { log1pConfig } from "./Log1p.js";
import { logicalAndConfig } from "./LogicalAnd.js";
import { logicalNotConfig } from "./LogicalNot.js";
import { logicalOrConfig } from "./LogicalOr.js";
import { logMatrixDeterminantConfig } from "./LogMatrixDeterminant.js";
import { lookupTableExportConfig, lookupTableExportV2Config } from "./LookupTableExportV2.js";
import { lookupTableFindConfig, lookupTableFindV2Config } from "./LookupTableFindV2.js";
import { lookupTableImportConfig, lookupTableImportV2Config } from "./LookupTableImportV2.js";
import { lookupTableInsertConfig, lookupTableInsertV2Config } from "./LookupTableInsertV2.js";
import { lookupTableRemoveV2Config } from "./LookupTableRemoveV2.js";
import { lookupTableSizeConfig, lookupTableSizeV2Config } from "./LookupTableSizeV2.js";
import { lowerBoundConfig } from "./LowerBound.js";
import { lrnConfig } from "./LRN.js";
import { lrnGradConfig } from "./LRNGrad.js";
import { luConfig } from "./Lu.js";
import {
  EnterKernel,
  ExitKernel,
  LoopCondKernel,
  NextIterationKernel,
  RefEnterKernel,
  RefExitKernel,
  RefNextIterationKernel,
} from "./loop-ops.js";
import { MakeIteratorKernel } from "./MakeIterator.js";
import { MapAndBatchDatasetKernel } from "./MapAndBatchDataset.js";
import { MapDatasetKernel, ParallelMapDatasetKernel, ParallelMapDatasetV2Kernel } from "./MapDataset.js";
import {
  MapClearKernel,
  MapIncompleteSizeKernel,
  MapPeekKernel,
  MapSizeKernel,
  MapStageKernel,
  MapUnstageKernel,
  MapUnstageNoKeyKernel,
  OrderedMapClearKernel,
  OrderedMapIncompleteSizeKernel,
  OrderedMapPeekKernel,
  OrderedMapSizeKernel,
  OrderedMapStageKernel,
  OrderedMapUnstageKernel,
  OrderedMapUnstageNoKeyKernel,
} from "./MapStageOps.js";
import { matchingFilesConfig } from "./MatchingFiles.js";
import { matMulConfig } from "./MatMul.js";
import { matrixBandPartConfig } from "./MatrixBandPart.js";
import { matrixDeterminantConfig } from "./MatrixDeterminant.js";
import { matrixDiagConfig, matrixDiagV2Config } from "./MatrixDiag.js";
import { matrixDiagPartConfig, matrixDiagPartV2Config } from "./MatrixDiagPart.js";
import { matrixDiagPartV3Config } from "./MatrixDiagPartV3.js";
import { matrixDiagV3Config } from "./MatrixDiagV3.js";
import { matrixInverseConfig } from "./MatrixInverse.js";
import { matrixSetDiagConfig, matrixSetDiagV2Config } from "./MatrixSetDiag.js";
import { matrixSetDiagV3Config } from "./MatrixSetDiagV3.js";
import { matrixSolveConfig } from "./MatrixSolve.js";
import { matrixSolveLsConfig } from "./MatrixSolveLs.js";
import { matrixTriangularSolveConfig } from "./MatrixTriangularSolve.js";
import { maxConfig } from "./Max.js";
import { maximumConfig } from "./Maximum.js";
import { maxPoolConfig } from "./MaxPool.js";
import { maxPool3DConfig } from "./MaxPool3D.js";
import { maxPool3DGradConfig } from "./MaxPool3DGrad.js";
import { maxPoolGradConfig } from "./MaxPoolGrad.js";
import { maxPoolGradWithArgmaxConfig } from "./MaxPoolGradWithArgmax.js";
import { maxPoolWithArgmaxConfig } from "./MaxPoolWithArgmax.js";
import { meanConfig } from "./Mean.js";
import { MergeKernel, RefMergeKernel } from "./Merge.js";
import { mergeSummaryConfig } from "./MergeSummary.js";
import { mergeV2CheckpointsConfig } from "./MergeV2Checkpoints.js";
import { minConfig } from "./Min.js";
import { minimumConfig } from "./Minimum.js";
import { mirrorPadConfig } from "./MirrorPad.js";
import { mirrorPadGradConfig } from "./MirrorPadGrad.js";
import { modConfig } from "./Mod.js";
import { mulConfig } from "./Mul.js";
import { mulNoNanConfig } from "./MulNoNan.js";
import { multinomialConfig } from "./Multinomial.js";
import {
  mutableHashTableOfTensorsConfig,
  mutableHashTableOfTensorsV2Config,
} from "./MutableHashTableOfTensorsV2.js";
import { mutableHashTableConfig, mutableHashTableV2Config } from "./MutableHashTableV2.js";
import { negConfig } from "./Neg.js";
import { nonMaxSuppressionV3Config } from "./NonMaxSuppressionV3.js";
import { nonMaxSuppressionV4Config } from "./NonMaxSuppressionV4.js";
import { nonMaxSuppressionV5Config } from "./NonMaxSuppressionV5.js";
import { noOpConfig } from "./NoOp.js";
import { oneHotConfig } from "./OneHot.js";
import { OneShotIteratorKernel } from "./OneShotIterator.js";
import {
  OptionalFromValueKernel,
  OptionalGetValueKernel,
  OptionalHasValueKernel,
  OptionalNoneKernel,
} from "./Optional.js";
import { packConfig, unpackConfig } from "./Pack.js";
import { padConfig } from "./Pad.js";
import { PaddedBatchDatasetKernel, PaddedBatchDatasetV2Kernel } from "./PaddedBatchDatasetV2.js";
import { paddingFifoQueueConfig, paddingFifoQueueV2Config } from "./PaddingFIFOQueueV2.js";
import { padV2Config } from "./PadV2.js";
import { ParallelBatchDatasetKernel } from "./ParallelBatchDataset.js";
import { parallelDynamicStitchConfig } from "./ParallelDynamicStitch.js";
import { parseExampleConfig } from "./ParseExample.js";
import { parseExampleV2Config } from "./ParseExampleV2.js";
import { parseSequenceExampleV2Config } from "./ParseSequenceExampleV2.js";
import { parseSingleExampleConfig } from "./ParseSingleExample.js";
import { PartitionedCallKernel, StatefulPartitionedCallKernel } from "./PartitionedCall.js";
import { placeholderConfig, placeholderV2Config } from "./Placeholder.js";
import { placeholderWithDefaultConfig } from "./PlaceholderWithDefault.js";
import { polygammaConfig } from "./Polygamma.js";
import { populationCountConfig } from "./PopulationCount.js";
import { powConfig } from "./Pow.js";
import { printConfig } from "./Print.js";
import { printV2Config } from "./PrintV2.js";
import { priorityQueueConfig, priorityQueueV2Config } from "./PriorityQueueV2.js";
import { prodConfig } from "./Prod.js";
import { eagerPyFuncConfig, pyFuncConfig } from "./PyFunc.js";
import {
  ExperimentalMaxIntraOpParallelismDatasetKernel,
  ExperimentalPrivateThreadPoolDatasetKernel,
  MaxIntraOpParallelismDatasetKernel,
  ModelDatasetKernel,
  OptionsDatasetKernel,
  PrefetchDatasetKernel,
  PrivateThreadPoolDatasetKernel,
  RewriteDatasetKernel,
} from "./pass-through-datasets.js";
import { qrConfig } from "./Qr.js";
import { queueCloseConfig, queueCloseV2Config } from "./QueueCloseV2.js";
import { queueDequeueManyConfig, queueDequeueManyV2Config } from "./QueueDequeueManyV2.js";
import { queueDequeueUpToConfig, queueDequeueUpToV2Config } from "./QueueDequeueUpToV2.js";
import { queueDequeueConfig, queueDequeueV2Config } from "./QueueDequeueV2.js";
import { queueEnqueueManyConfig, queueEnqueueManyV2Config } from "./QueueEnqueueManyV2.js";
import { queueEnqueueConfig, queueEnqueueV2Config } from "./QueueEnqueueV2.js";
import { queueIsClosedConfig, queueIsClosedV2Config } from "./QueueIsClosedV2.js";
import { queueSizeConfig, queueSizeV2Config } from "./QueueSizeV2.js";
import { raggedBincountConfig } from "./RaggedBincount.js";
import { raggedGatherConfig } from "./RaggedGather.js";
import { raggedRangeConfig } from "./RaggedRange.js";
import { raggedTensorToSparseConfig } from "./RaggedTensorToSparse.js";
import { raggedTensorToTensorConfig } from "./RaggedTensorToTensor.js";
import { RandomDatasetKernel, RandomDatasetV2Kernel } from "./RandomDataset.js";
import { randomGammaConfig } from "./RandomGamma.js";
import { randomGammaGradConfig } from "./RandomGammaGrad.js";
import { randomPoissonV2Config } from "./RandomPoissonV2.js";
import { randomShuffleConfig } from "./RandomShuffle.js";
import { randomShuffleQueueConfig, randomShuffleQueueV2Config } from "./RandomShuffleQueueV2.js";
import { randomStandardNormalConfig } from "./RandomStandardNormal.js";
import { randomUniformConfig } from "./RandomUniform.js";
import { randomUniformIntConfig } from "./RandomUniformInt.js";
import { rangeConfig } from "./Range.js";
import { RangeDatasetKernel } from "./RangeDataset.js";
import { readFileConfig } from "./ReadFile.js";
import { readVariableOpConfig } from "./ReadVariableOp.js";
import { realConfig } from "./Real.js";
import { realDivConfig } from "./RealDiv.js";
import { reciprocalConfig } from "./Reciprocal.js";
import { reciprocalGradConfig } from "./ReciprocalGrad.js";
import { DatasetToSingleElementKernel, ReduceDatasetKernel } from "./ReduceDataset.js";
import { reduceJoinConfig } from "./ReduceJoin.js";
import { regexFullMatchConfig, staticRegexFullMatchConfig } from "./RegexFullMatch.js";
import { regexReplaceConfig, staticRegexReplaceConfig } from "./RegexReplace.js";
import { reluConfig } from "./Relu.js";
import { relu6Config } from "./Relu6.js";
import { relu6GradConfig } from "./Relu6Grad.js";
import { reluGradConfig } from "./ReluGrad.js";
import { RepeatDatasetKernel } from "./RepeatDataset.js";
import { reshapeConfig } from "./Reshape.js";
import { resizeAreaConfig } from "./ResizeArea.js";
import { resizeBicubicConfig } from "./ResizeBicubic.js";
import { resizeBicubicGradConfig } from "./ResizeBicubicGrad.js";
import { resizeBilinearConfig } from "./ResizeBilinear.js";
import { resizeBilinearGradConfig } from "./ResizeBilinearGrad.js";
import { resizeNearestNeighborConfig } from "./ResizeNearestNeighbor.js";
import { resizeNearestNeighborGradConfig } from "./ResizeNearestNeighborGrad.js";
import { resourceApplyKerasMomentumConfig } from "./ResourceApplyKerasMomentum.js";
import { resourceGatherConfig } from "./ResourceGather.js";
import { resourceGatherNdConfig } from "./ResourceGatherNd.js";
import { resourceSparseApplyKerasMomentumConfig } from "./ResourceSparseApplyKerasMomentum.js";
import { resourceStridedSliceAssignConfig } from "./ResourceStridedSliceAssign.js";
import { restoreConfig } from "./Restore.js";
import { restoreSliceConfig } from "./RestoreSlice.js";
import { restoreV2Config } from "./RestoreV2.js";
import { reverseConfig } from "./Reverse.js";
import { reverseSequenceConfig } from "./ReverseSequence.js";
import { reverseV2Config } from "./ReverseV2.js";
import { rfftConfig } from "./RFFT.js";
import { rfft2dConfig } from "./RFFT2D.js";
import { rfft3dConfig } from "./RFFT3D.js";
import { rgbToHsvConfig } from "./RGBToHSV.js";
import { rightShiftConfig } from "./RightShift.js";
import { rintConfig } from "./Rint.js";
import { rollConfig } from "./Roll.js";
import { roundConfig } from "./Round.js";
import { rsqrtConfig } from "./Rsqrt.js";
import { rsqrtGradConfig } from "./RsqrtGrad.js";
import {
  sampleDistortedBoundingBoxConfig,
  sampleDistortedBoundingBoxV2Config,
} from "./SampleDistortedBoundingBox.js";
import { saveConfig } from "./Save.js";
import { saveSlicesConfig } from "./SaveSlices.js";
import { saveV2Config } from "./SaveV2.js";
import { scalarSummaryConfig } from "./ScalarSummary.js";
import { scaleAndTranslateConfig } from "./ScaleAndTranslate.js";
import { scaleAndTranslateGradConfig } from "./ScaleAndTranslateGrad.js";
import { ScanDatasetKernel } from "./ScanDataset.js";
import { resourceScatterAddConfig, scatterAddConfig } from "./ScatterAdd.js";
import { resourceScatterDivConfig, scatterDivConfig } from "./ScatterDiv.js";
import { resourceScatterMaxConfig, scatterMaxConfig } from "./ScatterMax.js";
import { resourceScatterMinConfig, scatterMinConfig } from "./ScatterMin.js";
import { resourceScatterMulConfig, scatterMulConfig } from "./ScatterMul.js";
import { scatterNdConfig } from "./ScatterNd.js";
import { resourceScatterNdAddConfig, scatterNdAddConfig, tensorScatterAddConfig } from "./ScatterNdAdd.js";
import { resourceScatterNdMaxConfig, scatterNdMaxConfig, tensorScatterMaxConfig } from "./ScatterNdMax.js";
import { resourceScatterNdMinConfig, scatterNdMinConfig, tensorScatterMinConfig } from "./ScatterNdMin.js";
import { scatterNdNonAliasingAddConfig } from "./ScatterNdNonAliasingAdd.js";
import { resourceScatterNdSubConfig, scatterNdSubConfig, tensorScatterSubConfig } from "./ScatterNdSub.js";
import {
  resourceScatterNdUpdateConfig,
  scatterNdUpdateConfig,
  tensorScatterUpdateConfig,
} from "./ScatterNdUpdate.js";
import { resourceScatterSubConfig, scatterSubConfig } from "./ScatterSub.js";
import { resourceScatterUpdateConfig, scatterUpdateConfig } from "./ScatterUpdate.js";
import {
  AnonymousSeedGeneratorKernel,
  DeleteSeedGeneratorKernel,
  DummySeedGeneratorKernel,
} from "./SeedGeneratorOps.js";
import { segmentMaxConfig } from "./SegmentMax.js";
import { segmentMeanConfig } from "./SegmentMean.js";
import { segmentMinConfig } from "./SegmentMin.js";
import { segmentProdConfig } from "./SegmentProd.js";
import { segmentSumConfig } from "./SegmentSum.js";
import { selectConfig, selectV2Config } from "./Select.js";
import { selfAdjointEigV2Config } from "./SelfAdjointEigV2.js";
import { seluConfig } from "./Selu.js";
import { seluGradConfig } from "./SeluGrad.js";
import { setSizeConfig } from "./SetSize.js";
import { rankConfig, shapeConfig, shapeNConfig, sizeConfig } from "./Shape.js";
import { ShardDatasetKernel } from "./ShardDataset.js";
import { shardedFilenameConfig } from "./ShardedFilename.js";
import { shardedFilespecConfig } from "./ShardedFilespec.js";
import { ShuffleDatasetKernel, ShuffleDatasetV2Kernel, ShuffleDatasetV3Kernel } from "./ShuffleDataset.js";
import { sigmoidConfig } from "./Sigmoid.js";
import { sigmoidGradConfig } from "./SigmoidGrad.js";
import { signConfig } from "./Sign.js";
import { sinConfig } from "./Sin.js";
import { sinhConfig } from "./Sinh.js";
import { SkipDatasetKernel } from "./SkipDataset.js";
import { sliceConfig } from "./Slice.js";
import { logSoftmaxConfig, softmaxConfig } from "./Softmax.js";
import { softmaxCrossEntropyWithLogitsConfig } from "./SoftmaxCrossEntropyWithLogits.js";
import { softplusConfig } from "./Softplus.js";
import { softplusGradConfig } from "./SoftplusGrad.js";
import { softsignConfig } from "./Softsign.js";
import { softsignGradConfig } from "./SoftsignGrad.js";
import { spaceToBatchConfig } from "./SpaceToBatch.js";
import { spaceToBatchNDConfig } from "./SpaceToBatchND.js";
import { spaceToDepthConfig } from "./SpaceToDepth.js";
import { sparseAddConfig } from "./SparseAdd.js";
import { sparseAddGradConfig } from "./SparseAddGrad.js";
import { resourceSparseApplyAdadeltaConfig, sparseApplyAdadeltaConfig } from "./SparseApplyAdadelta.js";
import { resourceSparseApplyAdagradConfig, sparseApplyAdagradConfig } from "./SparseApplyAdagrad.js";
import { resourceSparseApplyAdagradDAConfig, sparseApplyAdagradDAConfig } from "./SparseApplyAdagradDA.js";
import { resourceSparseApplyAdagradV2Config, sparseApplyAdagradV2Config } from "./SparseApplyAdagradV2.js";
import {
  resourceSparseApplyCenteredRMSPropConfig,
  sparseApplyCenteredRMSPropConfig,
} from "./SparseApplyCenteredRMSProp.js";
import { resourceSparseApplyFtrlConfig, sparseApplyFtrlConfig } from "./SparseApplyFtrl.js";
import { resourceSparseApplyFtrlV2Config, sparseApplyFtrlV2Config } from "./SparseApplyFtrlV2.js";
import { resourceSparseApplyMomentumConfig, sparseApplyMomentumConfig } from "./SparseApplyMomentum.js";
import {
  resourceSparseApplyProximalAdagradConfig,
  sparseApplyProximalAdagradConfig,
} from "./SparseApplyProximalAdagrad.js";
import {
  resourceSparseApplyProximalGradientDescentConfig,
  sparseApplyProximalGradientDescentConfig,
} from "./SparseApplyProximalGradientDescent.js";
import { resourceSparseApplyRMSPropConfig, sparseApplyRMSPropConfig } from "./SparseApplyRMSProp.js";
import { sparseBincountConfig } from "./SparseBincount.js";
import { sparseConcatConfig } from "./SparseConcat.js";
import { sparseDenseCwiseAddConfig } from "./SparseDenseCwiseAdd.js";
import { sparseDenseCwiseDivConfig } from "./SparseDenseCwiseDiv.js";
import { sparseDenseCwiseMulConfig } from "./SparseDenseCwiseMul.js";
import { sparseFillEmptyRowsConfig } from "./SparseFillEmptyRows.js";
import { sparseFillEmptyRowsGradConfig } from "./SparseFillEmptyRowsGrad.js";
import { sparseMatMulConfig } from "./SparseMatMul.js";
import { sparseReduceMaxConfig } from "./SparseReduceMax.js";
import { sparseReduceMaxSparseConfig } from "./SparseReduceMaxSparse.js";
import { sparseReduceSumConfig } from "./SparseReduceSum.js";
import { sparseReduceSumSparseConfig } from "./SparseReduceSumSparse.js";
import { sparseReorderConfig } from "./SparseReorder.js";
import { sparseReshapeConfig } from "./SparseReshape.js";
import { sparseSegmentMeanConfig } from "./SparseSegmentMean.js";
import { sparseSegmentMeanGradConfig } from "./SparseSegmentMeanGrad.js";
import { sparseSegmentMeanGradV2Config } from "./SparseSegmentMeanGradV2.js";
import { sparseSegmentMeanWithNumSegmentsConfig } from "./SparseSegmentMeanWithNumSegments.js";
import { sparseSegmentSqrtNConfig } from "./SparseSegmentSqrtN.js";
import { sparseSegmentSqrtNGradConfig } from "./SparseSegmentSqrtNGrad.js";
import { sparseSegmentSqrtNGradV2Config } from "./SparseSegmentSqrtNGradV2.js";
import { sparseSegmentSqrtNWithNumSegmentsConfig } from "./SparseSegmentSqrtNWithNumSegments.js";
import { sparseSegmentSumConfig } from "./SparseSegmentSum.js";
import { sparseSegmentSumGradConfig } from "./SparseSegmentSumGrad.js";
import { sparseSegmentSumGradV2Config } from "./SparseSegmentSumGradV2.js";
import { sparseSegmentSumWithNumSegmentsConfig } from "./SparseSegmentSumWithNumSegments.js";
import { sparseSliceConfig } from "./SparseSlice.js";
import { sparseSliceGradConfig } from "./SparseSliceGrad.js";
import { sparseSoftmaxConfig } from "./SparseSoftmax.js";
import { sparseSoftmaxCrossEntropyWithLogitsConfig } from "./SparseSoftmaxCrossEntropyWithLogits.js";
import { sparseSparseMaximumConfig } from "./SparseSparseMaximum.js";
import { sparseSparseMinimumConfig } from "./SparseSparseMinimum.js";
import { sparseSplitConfig } from "./SparseSplit.js";
import { sparseTensorDenseAddConfig } from "./SparseTensorDenseAdd.js";
import { sparseTensorDenseMatMulConfig } from "./SparseTensorDenseMatMul.js";
import { sparseToDenseConfig } from "./SparseToDense.js";
import { sparseToSparseSetOperationConfig } from "./SparseToSparseSetOperation.js";
import { splitConfig } from "./Split.js";
import { splitVConfig } from "./SplitV.js";
import { sqrtConfig } from "./Sqrt.js";
import { sqrtGradConfig } from "./SqrtGrad.js";
import { squareConfig } from "./Square.js";
import { squaredDifferenceConfig } from "./SquaredDifference.js";
import { stackCloseV2Config } from "./StackCloseV2.js";
import { stackPopV2Config } from "./StackPopV2.js";
import { stackPushV2Config } from "./StackPushV2.js";
import { stackV2Config } from "./StackV2.js";
import {
  StageClearKernel,
  StageKernel,
  StagePeekKernel,
  StageSizeKernel,
  UnstageKernel,
} from "./StageOps.js";
import { statelessMultinomialConfig } from "./StatelessMultinomial.js";
import { statelessRandomBinomialConfig } from "./StatelessRandomBinomial.js";
import { statelessRandomGammaV2Config } from "./StatelessRandomGammaV2.js";
import { statelessRandomGammaV3Config } from "./StatelessRandomGammaV3.js";
import { statelessRandomGetAlgConfig } from "./StatelessRandomGetAlg.js";
import { statelessRandomGetKeyCounterConfig } from "./StatelessRandomGetKeyCounter.js";
import { statelessRandomGetKeyCounterAlgConfig } from "./StatelessRandomGetKeyCounterAlg.js";
import { statelessRandomNormalConfig } from "./StatelessRandomNormal.js";
import { statelessRandomNormalV2Config } from "./StatelessRandomNormalV2.js";
import { statelessRandomPoissonConfig } from "./StatelessRandomPoisson.js";
import { statelessRandomUniformConfig } from "./StatelessRandomUniform.js";
import { statelessRandomUniformFullIntConfig } from "./StatelessRandomUniformFullInt.js";
import { statelessRandomUniformFullIntV2Config } from "./StatelessRandomUniformFullIntV2.js";
import { statelessRandomUniformIntConfig } from "./StatelessRandomUniformInt.js";
import { statelessRandomUniformIntV2Config } from "./StatelessRandomUniformIntV2.js";
import { statelessRandomUniformV2Config } from "./StatelessRandomUniformV2.js";
import { statelessShuffleConfig } from "./StatelessShuffle.js";
import { statelessTruncatedNormalConfig } from "./StatelessTruncatedNormal.js";
import { statelessTruncatedNormalV2Config } from "./StatelessTruncatedNormalV2.js";
import { stridedSliceConfig } from "./StridedSlice.js";
import { stridedSliceAssignConfig } from "./StridedSliceAssign.js";
import { stridedSliceGradConfig } from "./StridedSliceGrad.js";
import { stringFormatConfig } from "./StringFormat.js";
import { stringJoinConfig } from "./StringJoin.js";
import { stringLengthConfig } from "./StringLength.js";
import { stringLowerConfig } from "./StringLower.js";
import { stringNGramsConfig } from "./StringNGrams.js";
import { stringSplitConfig } from "./StringSplit.js";
import { stringSplitV2Config } from "./StringSplitV2.js";
import { stringStripConfig } from "./StringStrip.js";
import { stringToHashBucketConfig } from "./StringToHashBucket.js";
import { stringToHashBucketFastConfig } from "./StringToHashBucketFast.js";
import { stringToHashBucketStrongConfig } from "./StringToHashBucketStrong.js";
import { stringToNumberConfig } from "./StringToNumber.js";
import { stringUpperConfig } from "./StringUpper.js";
import { subConfig } from "./Sub.js";
import { substrConfig } from "./Substr.js";
import { sumConfig } from "./Sum.js";
import { svdConfig } from "./Svd.js";
import { RefSwitchKernel, SwitchKernel } from "./Switch.js";
import { TakeDatasetKernel } from "./TakeDataset.js";
import { TakeWhileDatasetKernel } from "./TakeWhileDataset.js";
import { tanConfig } from "./Tan.js";
import { tanhConfig } from "./Tanh.js";
import { tanhGradConfig } from "./TanhGrad.js";
import { tensorArrayCloseV3Config } from "./TensorArrayCloseV3.js";
import { tensorArrayConcatV3Config } from "./TensorArrayConcatV3.js";
import { tensorArrayGatherV3Config } from "./TensorArrayGatherV3.js";
import { tensorArrayGradV3Config } from "./TensorArrayGradV3.js";
import { tensorArrayGradWithShapeConfig } from "./TensorArrayGradWithShape.js";
import { tensorArrayReadV3Config } from "./TensorArrayReadV3.js";
import { tensorArrayScatterV3Config } from "./TensorArrayScatterV3.js";
import { tensorArraySizeV3Config } from "./TensorArraySizeV3.js";
import { tensorArraySplitV3Config } from "./TensorArraySplitV3.js";
import { tensorArrayV3Config } from "./TensorArrayV3.js";
import { tensorArrayWriteV3Config } from "./TensorArrayWriteV3.js";
import { TensorDatasetKernel } from "./TensorDataset.js";
import { tensorListConcatConfig } from "./TensorListConcat.js";
import { tensorListConcatListsConfig } from "./TensorListConcatLists.js";
import { tensorListConcatV2Config } from "./TensorListConcatV2.js";
import { tensorListElementShapeConfig } from "./TensorListElementShape.js";
import { tensorListFromTensorConfig } from "./TensorListFromTensor.js";
import { tensorListGatherConfig } from "./TensorListGather.js";
import { tensorListGetItemConfig } from "./TensorListGetItem.js";
import { tensorListLengthConfig } from "./TensorListLength.js";
import { tensorListPopBackConfig } from "./TensorListPopBack.js";
import { tensorListPushBackConfig } from "./TensorListPushBack.js";
import { tensorListPushBackBatchConfig } from "./TensorListPushBackBatch.js";
import { tensorListReserveConfig } from "./TensorListReserve.js";
import { tensorListResizeConfig } from "./TensorListResize.js";
import { tensorListScatterConfig } from "./TensorListScatter.js";
import { tensorListScatterIntoExistingListConfig } from "./TensorListScatterIntoExistingList.js";
import { tensorListScatterV2Config } from "./TensorListScatterV2.js";
import { tensorListSetItemConfig } from "./TensorListSetItem.js";
import { tensorListSplitConfig } from "./TensorListSplit.js";
import { tensorListStackConfig } from "./TensorListStack.js";
import { TensorSliceDatasetKernel } from "./TensorSliceDataset.js";
import { tensorSummaryConfig } from "./TensorSummary.js";
import { tensorSummaryV2Config } from "./TensorSummaryV2.js";
import { TextLineDatasetKernel } from "./TextLineDataset.js";
import { TFRecordDatasetKernel, TFRecordDatasetV2Kernel } from "./TFRecordDataset.js";
import { tileConfig } from "./Tile.js";
import { topKV2Config } from "./TopKV2.js";
import { transposeConfig } from "./Transpose.js";
import { tridiagonalSolveConfig } from "./TridiagonalSolve.js";
import { truncateDivConfig } from "./TruncateDiv.js";
import { truncatedNormalConfig } from "./TruncatedNormal.js";
import { truncateModConfig } from "./TruncateMod.js";
import { UnbatchDatasetKernel } from "./UnbatchDataset.js";
import { unicodeDecodeConfig, unicodeDecodeWithOffsetsConfig } from "./UnicodeDecode.js";
import { unicodeEncodeConfig } from "./UnicodeEncode.js";
import { unicodeTranscodeConfig } from "./UnicodeTranscode.js";
import { uniqueConfig } from "./Unique.js";
import { UniqueDatasetKernel } from "./UniqueDataset.js";
import { uniqueV2Config } from "./UniqueV2.js";
import { uniqueWithCountsConfig } from "./UniqueWithCounts.js";
import { uniqueWithCountsV2Config } from "./UniqueWithCountsV2.js";
import { unravelIndexConfig } from "./UnravelIndex.js";
import { unsortedSegmentJoinConfig } from "./UnsortedSegmentJoin.js";
import { unsortedSegmentMaxConfig } from "./UnsortedSegmentMax.js";
import { unsortedSegmentMinConfig } from "./UnsortedSegmentMin.js";
import { unsortedSegmentProdConfig } from "./UnsortedSegmentProd.js";
import { unsortedSegmentSumConfig } from "./UnsortedSegmentSum.js";
import { upperBoundConfig } from "./UpperBound.js";
import type { KernelConfig } from "./util/kernel-config.js";
import { varHandleOpConfig } from "./VarHandleOp.js";
import { destroyResourceOpConfig, varIsInitializedOpConfig } from "./VarIsInitializedOp.js";
import { variableShapeConfig } from "./VariableShape.js";
import { variableConfig, variableV2Config } from "./VariableV2.js";
import { whereConfig } from "./Where.js";
import { StatelessWhileKernel, WhileKernel } from "./While.js";
import { WindowDatasetKernel } from "./WindowDataset.js";
import { writeFileConfig } from "./WriteFile.js";
import { xdivyConfig } from "./Xdivy.js";
import { xlog1pyConfig } from "./Xlog1py.js";
import { xlogyConfig } from "./Xlogy.js";
import { zetaConfig } from "./Zeta.js";
import { ZipDatasetKernel } from "./ZipDataset.js";

/** Every op definition and CPU kernel tfgate has, in the order of the imports above. */
export const kernelConfigs: readonly KernelConfig[] = [
  absConfig,
  acosConfig,
  acoshConfig,
  addConfig,
  addNConfig,
  addV2Config,
  adjustContrastv2Config,
  adjustHueConfig,
  adjustSaturationConfig,
  allConfig,
  anyConfig,
  angleConfig,
  AnonymousIteratorV2Kernel,
  AnonymousIteratorV3Kernel,
  applyAdadeltaConfig,
  resourceApplyAdadeltaConfig,
  applyAdagradConfig,
  resourceApplyAdagradConfig,
  applyAdagradDAConfig,
  resourceApplyAdagradDAConfig,
  applyAdagradV2Config,
  resourceApplyAdagradV2Config,
  applyAdamConfig,
  resourceApplyAdamConfig,
  applyCenteredRMSPropConfig,
  resourceApplyCenteredRMSPropConfig,
  applyFtrlConfig,
  resourceApplyFtrlConfig,
  applyFtrlV2Config,
  resourceApplyFtrlV2Config,
  applyGradientDescentConfig,
  resourceApplyGradientDescentConfig,
  applyMomentumConfig,
  resourceApplyMomentumConfig,
  applyProximalAdagradConfig,
  resourceApplyProximalAdagradConfig,
  applyProximalGradientDescentConfig,
  resourceApplyProximalGradientDescentConfig,
  applyRMSPropConfig,
  resourceApplyRMSPropConfig,
  argMaxConfig,
  argMinConfig,
  asStringConfig,
  asinConfig,
  asinhConfig,
  assertConfig,
  assignConfig,
  assignAddConfig,
  assignSubConfig,
  assignAddVariableOpConfig,
  assignSubVariableOpConfig,
  assignVariableOpConfig,
  atanConfig,
  atan2Config,
  atanhConfig,
  audioSummaryConfig,
  audioSummaryV2Config,
  avgPoolConfig,
  avgPool3DConfig,
  avgPool3DGradConfig,
  avgPoolGradConfig,
  BatchDatasetKernel,
  BatchDatasetV2Kernel,
  batchMatMulConfig,
  batchMatMulV2Config,
  batchToSpaceConfig,
  batchToSpaceNDConfig,
  besselI0eConfig,
  besselI1eConfig,
  betaincConfig,
  biasAddConfig,
  biasAddGradConfig,
  bincountConfig,
  bitcastConfig,
  bitwiseAndConfig,
  bitwiseOrConfig,
  bitwiseXorConfig,
  broadcastArgsConfig,
  broadcastGradientArgsConfig,
  broadcastToConfig,
  bucketizeConfig,
  AnonymousMemoryCacheKernel,
  CacheDatasetKernel,
  CacheDatasetV2Kernel,
  DeleteMemoryCacheKernel,
  DummyMemoryCacheKernel,
  CaseKernel,
  StatelessCaseKernel,
  castConfig,
  ceilConfig,
  checkNumericsConfig,
  choleskyConfig,
  choleskyGradConfig,
  clipByValueConfig,
  complexConfig,
  complexAbsConfig,
  concatOffsetConfig,
  concatConfig,
  concatV2Config,
  ConcatenateDatasetKernel,
  conjConfig,
  conjugateTransposeConfig,
  constConfig,
  ControlTriggerKernel,
  conv2DConfig,
  conv2DBackpropFilterConfig,
  conv2DBackpropInputConfig,
  conv3DConfig,
  conv3DBackpropFilterV2Config,
  conv3DBackpropInputV2Config,
  cosConfig,
  coshConfig,
  cropAndResizeConfig,
  cropAndResizeGradBoxesConfig,
  cropAndResizeGradImageConfig,
  crossConfig,
  cumprodConfig,
  cumsumConfig,
  DatasetCardinalityKernel,
  decodeAndCropJpegConfig,
  decodeBase64Config,
  decodeBmpConfig,
  decodeCSVConfig,
  decodeGifConfig,
  decodeImageConfig,
  decodeJSONExampleConfig,
  decodeJpegConfig,
  decodePngConfig,
  decodeRawConfig,
  DeleteIteratorKernel,
  denseBincountConfig,
  denseToDenseSetOperationConfig,
  denseToSparseSetOperationConfig,
  depthToSpaceConfig,
  depthwiseConv2dNativeConfig,
  depthwiseConv2dNativeBackpropFilterConfig,
  depthwiseConv2dNativeBackpropInputConfig,
  diagConfig,
  diagPartConfig,
  digammaConfig,
  DirectedInterleaveDatasetKernel,
  disableCopyOnReadConfig,
  divConfig,
  divNoNanConfig,
  drawBoundingBoxesConfig,
  drawBoundingBoxesV2Config,
  dynamicPartitionConfig,
  dynamicStitchConfig,
  einsumConfig,
  eluConfig,
  eluGradConfig,
  emptyTensorListConfig,
  encodeBase64Config,
  encodeJpegConfig,
  encodeJpegVariableQualityConfig,
  encodePngConfig,
  ensureShapeConfig,
  equalConfig,
  notEqualConfig,
  erfConfig,
  erfcConfig,
  expConfig,
  expandDimsConfig,
  squeezeConfig,
  expm1Config,
  extractImagePatchesConfig,
  extractJpegShapeConfig,
  fftConfig,
  fft2dConfig,
  fft3dConfig,
  fifoQueueConfig,
  fifoQueueV2Config,
  fillConfig,
  onesLikeConfig,
  zerosLikeConfig,
  FilterDatasetKernel,
  fingerprintConfig,
  FixedLengthRecordDatasetKernel,
  FixedLengthRecordDatasetV2Kernel,
  FlatMapDatasetKernel,
  floorConfig,
  floorDivConfig,
  floorModConfig,
  fusedBatchNormGradV3Config,
  fusedBatchNormV3Config,
  gatherNdConfig,
  gatherV2Config,
  greaterConfig,
  greaterEqualConfig,
  GroupByWindowDatasetKernel,
  guaranteeConstConfig,
  hsvToRgbConfig,
  hashTableConfig,
  hashTableV2Config,
  histogramFixedWidthConfig,
  histogramSummaryConfig,
  ifftConfig,
  ifft2dConfig,
  ifft3dConfig,
  irfftConfig,
  irfft2dConfig,
  irfft3dConfig,
  identityConfig,
  preventGradientConfig,
  refIdentityConfig,
  snapshotConfig,
  stopGradientConfig,
  identityNConfig,
  IfKernel,
  StatelessIfKernel,
  igammaOpConfig,
  igammaGradAConfig,
  igammacOpConfig,
  IgnoreErrorsDatasetKernel,
  imagConfig,
  imageSummaryConfig,
  inTopKConfig,
  inTopKV2Config,
  initializeTableFromTextFileConfig,
  initializeTableFromTextFileV2Config,
  initializeTableConfig,
  initializeTableV2Config,
  InterleaveDatasetKernel,
  LegacyParallelInterleaveDatasetV2Kernel,
  ParallelInterleaveDatasetV4Kernel,
  invConfig,
  invGradConfig,
  invertConfig,
  invertPermutationConfig,
  isFiniteConfig,
  isInfConfig,
  isNanConfig,
  isVariableInitializedConfig,
  IteratorFromStringHandleKernel,
  IteratorFromStringHandleV2Kernel,
  IteratorGetNextKernel,
  IteratorGetNextSyncKernel,
  IteratorGetNextAsOptionalKernel,
  IteratorToStringHandleKernel,
  IteratorKernel,
  IteratorV2Kernel,
  l2LossConfig,
  lrnConfig,
  lrnGradConfig,
  leakyReluConfig,
  leakyReluGradConfig,
  leftShiftConfig,
  lessConfig,
  lessEqualConfig,
  lgammaConfig,
  linSpaceConfig,
  listDiffConfig,
  logConfig,
  log1pConfig,
  logMatrixDeterminantConfig,
  logicalAndConfig,
  logicalNotConfig,
  logicalOrConfig,
  lookupTableExportConfig,
  lookupTableExportV2Config,
  lookupTableFindConfig,
  lookupTableFindV2Config,
  lookupTableImportConfig,
  lookupTableImportV2Config,
  lookupTableInsertConfig,
  lookupTableInsertV2Config,
  lookupTableRemoveV2Config,
  lookupTableSizeConfig,
  lookupTableSizeV2Config,
  lowerBoundConfig,
  luConfig,
  MakeIteratorKernel,
  MapAndBatchDatasetKernel,
  MapDatasetKernel,
  ParallelMapDatasetKernel,
  ParallelMapDatasetV2Kernel,
  matMulConfig,
  matchingFilesConfig,
  matrixBandPartConfig,
  matrixDeterminantConfig,
  matrixDiagConfig,
  matrixDiagV2Config,
  matrixDiagPartConfig,
  matrixDiagPartV2Config,
  matrixDiagPartV3Config,
  matrixDiagV3Config,
  matrixInverseConfig,
  matrixSetDiagConfig,
  matrixSetDiagV2Config,
  matrixSetDiagV3Config,
  matrixSolveConfig,
  matrixSolveLsConfig,
  matrixTriangularSolveConfig,
  maxConfig,
  maxPoolConfig,
  maxPool3DConfig,
  maxPool3DGradConfig,
  maxPoolGradConfig,
  maxPoolGradWithArgmaxConfig,
  maxPoolWithArgmaxConfig,
  maximumConfig,
  meanConfig,
  MergeKernel,
  RefMergeKernel,
  mergeSummaryConfig,
  mergeV2CheckpointsConfig,
  minConfig,
  minimumConfig,
  mirrorPadConfig,
  mirrorPadGradConfig,
  modConfig,
  mulConfig,
  mulNoNanConfig,
  multinomialConfig,
  mutableHashTableOfTensorsConfig,
  mutableHashTableOfTensorsV2Config,
  mutableHashTableConfig,
  mutableHashTableV2Config,
  negConfig,
  noOpConfig,
  nonMaxSuppressionV3Config,
  nonMaxSuppressionV4Config,
  nonMaxSuppressionV5Config,
  oneHotConfig,
  OneShotIteratorKernel,
  OptionalFromValueKernel,
  OptionalGetValueKernel,
  OptionalHasValueKernel,
  OptionalNoneKernel,
  packConfig,
  unpackConfig,
  padConfig,
  padV2Config,
  PaddedBatchDatasetKernel,
  PaddedBatchDatasetV2Kernel,
  paddingFifoQueueConfig,
  paddingFifoQueueV2Config,
  ParallelBatchDatasetKernel,
  parallelDynamicStitchConfig,
  parseExampleConfig,
  parseExampleV2Config,
  parseSequenceExampleV2Config,
  parseSingleExampleConfig,
  PartitionedCallKernel,
  StatefulPartitionedCallKernel,
  placeholderConfig,
  placeholderV2Config,
  placeholderWithDefaultConfig,
  polygammaConfig,
  populationCountConfig,
  powConfig,
  printConfig,
  printV2Config,
  priorityQueueConfig,
  priorityQueueV2Config,
  prodConfig,
  eagerPyFuncConfig,
  pyFuncConfig,
  qrConfig,
  queueCloseConfig,
  queueCloseV2Config,
  queueDequeueManyConfig,
  queueDequeueManyV2Config,
  queueDequeueUpToConfig,
  queueDequeueUpToV2Config,
  queueDequeueConfig,
  queueDequeueV2Config,
  queueEnqueueManyConfig,
  queueEnqueueManyV2Config,
  queueEnqueueConfig,
  queueEnqueueV2Config,
  queueIsClosedConfig,
  queueIsClosedV2Config,
  queueSizeConfig,
  queueSizeV2Config,
  rfftConfig,
  rfft2dConfig,
  rfft3dConfig,
  rgbToHsvConfig,
  raggedBincountConfig,
  raggedGatherConfig,
  raggedRangeConfig,
  raggedTensorToSparseConfig,
  raggedTensorToTensorConfig,
  RandomDatasetKernel,
  RandomDatasetV2Kernel,
  randomGammaConfig,
  randomGammaGradConfig,
  randomPoissonV2Config,
  randomShuffleConfig,
  randomShuffleQueueConfig,
  randomShuffleQueueV2Config,
  randomStandardNormalConfig,
  randomUniformConfig,
  randomUniformIntConfig,
  rangeConfig,
  RangeDatasetKernel,
  readFileConfig,
  readVariableOpConfig,
  realConfig,
  realDivConfig,
  reciprocalConfig,
  reciprocalGradConfig,
  DatasetToSingleElementKernel,
  ReduceDatasetKernel,
  reduceJoinConfig,
  regexFullMatchConfig,
  staticRegexFullMatchConfig,
  regexReplaceConfig,
  staticRegexReplaceConfig,
  reluConfig,
  relu6Config,
  relu6GradConfig,
  reluGradConfig,
  RepeatDatasetKernel,
  reshapeConfig,
  resizeAreaConfig,
  resizeBicubicConfig,
  resizeBicubicGradConfig,
  resizeBilinearConfig,
  resizeBilinearGradConfig,
  resizeNearestNeighborConfig,
  resizeNearestNeighborGradConfig,
  resourceApplyKerasMomentumConfig,
  resourceGatherConfig,
  resourceGatherNdConfig,
  resourceSparseApplyKerasMomentumConfig,
  resourceStridedSliceAssignConfig,
  restoreConfig,
  restoreSliceConfig,
  restoreV2Config,
  reverseConfig,
  reverseSequenceConfig,
  reverseV2Config,
  rightShiftConfig,
  rintConfig,
  rollConfig,
  roundConfig,
  rsqrtConfig,
  rsqrtGradConfig,
  sampleDistortedBoundingBoxConfig,
  sampleDistortedBoundingBoxV2Config,
  saveConfig,
  saveSlicesConfig,
  saveV2Config,
  scalarSummaryConfig,
  scaleAndTranslateConfig,
  scaleAndTranslateGradConfig,
  ScanDatasetKernel,
  resourceScatterAddConfig,
  scatterAddConfig,
  resourceScatterDivConfig,
  scatterDivConfig,
  resourceScatterMaxConfig,
  scatterMaxConfig,
  resourceScatterMinConfig,
  scatterMinConfig,
  resourceScatterMulConfig,
  scatterMulConfig,
  scatterNdConfig,
  resourceScatterNdAddConfig,
  scatterNdAddConfig,
  tensorScatterAddConfig,
  resourceScatterNdMaxConfig,
  scatterNdMaxConfig,
  tensorScatterMaxConfig,
  resourceScatterNdMinConfig,
  scatterNdMinConfig,
  tensorScatterMinConfig,
  scatterNdNonAliasingAddConfig,
  resourceScatterNdSubConfig,
  scatterNdSubConfig,
  tensorScatterSubConfig,
  resourceScatterNdUpdateConfig,
  scatterNdUpdateConfig,
  tensorScatterUpdateConfig,
  resourceScatterSubConfig,
  scatterSubConfig,
  resourceScatterUpdateConfig,
  scatterUpdateConfig,
  AnonymousSeedGeneratorKernel,
  DeleteSeedGeneratorKernel,
  DummySeedGeneratorKernel,
  StageKernel,
  UnstageKernel,
  StagePeekKernel,
  StageSizeKernel,
  StageClearKernel,
  MapStageKernel,
  MapUnstageKernel,
  MapPeekKernel,
  MapUnstageNoKeyKernel,
  MapSizeKernel,
  MapIncompleteSizeKernel,
  MapClearKernel,
  OrderedMapStageKernel,
  OrderedMapUnstageKernel,
  OrderedMapPeekKernel,
  OrderedMapUnstageNoKeyKernel,
  OrderedMapSizeKernel,
  OrderedMapIncompleteSizeKernel,
  OrderedMapClearKernel,
  BarrierKernel,
  BarrierInsertManyKernel,
  BarrierTakeManyKernel,
  BarrierCloseKernel,
  BarrierIncompleteSizeKernel,
  BarrierReadySizeKernel,
  segmentMaxConfig,
  segmentMeanConfig,
  segmentMinConfig,
  segmentProdConfig,
  segmentSumConfig,
  selectConfig,
  selectV2Config,
  selfAdjointEigV2Config,
  seluConfig,
  seluGradConfig,
  setSizeConfig,
  rankConfig,
  shapeConfig,
  shapeNConfig,
  sizeConfig,
  ShardDatasetKernel,
  shardedFilenameConfig,
  shardedFilespecConfig,
  ShuffleDatasetKernel,
  ShuffleDatasetV2Kernel,
  ShuffleDatasetV3Kernel,
  sigmoidConfig,
  sigmoidGradConfig,
  signConfig,
  sinConfig,
  sinhConfig,
  SkipDatasetKernel,
  sliceConfig,
  logSoftmaxConfig,
  softmaxConfig,
  softmaxCrossEntropyWithLogitsConfig,
  softplusConfig,
  softplusGradConfig,
  softsignConfig,
  softsignGradConfig,
  spaceToBatchConfig,
  spaceToBatchNDConfig,
  spaceToDepthConfig,
  sparseAddConfig,
  sparseAddGradConfig,
  resourceSparseApplyAdadeltaConfig,
  sparseApplyAdadeltaConfig,
  resourceSparseApplyAdagradConfig,
  sparseApplyAdagradConfig,
  resourceSparseApplyAdagradDAConfig,
  sparseApplyAdagradDAConfig,
  resourceSparseApplyAdagradV2Config,
  sparseApplyAdagradV2Config,
  resourceSparseApplyCenteredRMSPropConfig,
  sparseApplyCenteredRMSPropConfig,
  resourceSparseApplyFtrlConfig,
  sparseApplyFtrlConfig,
  resourceSparseApplyFtrlV2Config,
  sparseApplyFtrlV2Config,
  resourceSparseApplyMomentumConfig,
  sparseApplyMomentumConfig,
  resourceSparseApplyProximalAdagradConfig,
  sparseApplyProximalAdagradConfig,
  resourceSparseApplyProximalGradientDescentConfig,
  sparseApplyProximalGradientDescentConfig,
  resourceSparseApplyRMSPropConfig,
  sparseApplyRMSPropConfig,
  sparseBincountConfig,
  sparseConcatConfig,
  sparseDenseCwiseAddConfig,
  sparseDenseCwiseDivConfig,
  sparseDenseCwiseMulConfig,
  sparseFillEmptyRowsConfig,
  sparseFillEmptyRowsGradConfig,
  sparseMatMulConfig,
  sparseReduceMaxConfig,
  sparseReduceMaxSparseConfig,
  sparseReduceSumConfig,
  sparseReduceSumSparseConfig,
  sparseReorderConfig,
  sparseReshapeConfig,
  sparseSegmentMeanConfig,
  sparseSegmentMeanGradConfig,
  sparseSegmentMeanGradV2Config,
  sparseSegmentMeanWithNumSegmentsConfig,
  sparseSegmentSqrtNConfig,
  sparseSegmentSqrtNGradConfig,
  sparseSegmentSqrtNGradV2Config,
  sparseSegmentSqrtNWithNumSegmentsConfig,
  sparseSegmentSumConfig,
  sparseSegmentSumGradConfig,
  sparseSegmentSumGradV2Config,
  sparseSegmentSumWithNumSegmentsConfig,
  sparseSliceConfig,
  sparseSliceGradConfig,
  sparseSoftmaxConfig,
  sparseSoftmaxCrossEntropyWithLogitsConfig,
  sparseSparseMaximumConfig,
  sparseSparseMinimumConfig,
  sparseSplitConfig,
  sparseTensorDenseAddConfig,
  sparseTensorDenseMatMulConfig,
  sparseToDenseConfig,
  sparseToSparseSetOperationConfig,
  splitConfig,
  splitVConfig,
  sqrtConfig,
  sqrtGradConfig,
  squareConfig,
  squaredDifferenceConfig,
  stackCloseV2Config,
  stackPopV2Config,
  stackPushV2Config,
  stackV2Config,
  statelessMultinomialConfig,
  statelessRandomBinomialConfig,
  statelessRandomGammaV2Config,
  statelessRandomGammaV3Config,
  statelessRandomGetAlgConfig,
  statelessRandomGetKeyCounterConfig,
  statelessRandomGetKeyCounterAlgConfig,
  statelessRandomNormalConfig,
  statelessRandomNormalV2Config,
  statelessRandomPoissonConfig,
  statelessRandomUniformConfig,
  statelessRandomUniformFullIntConfig,
  statelessRandomUniformFullIntV2Config,
  statelessRandomUniformIntConfig,
  statelessRandomUniformIntV2Config,
  statelessRandomUniformV2Config,
  statelessShuffleConfig,
  statelessTruncatedNormalConfig,
  statelessTruncatedNormalV2Config,
  stridedSliceConfig,
  stridedSliceAssignConfig,
  stridedSliceGradConfig,
  stringFormatConfig,
  stringJoinConfig,
  stringLengthConfig,
  stringLowerConfig,
  stringNGramsConfig,
  stringSplitConfig,
  stringSplitV2Config,
  stringStripConfig,
  stringToHashBucketConfig,
  stringToHashBucketFastConfig,
  stringToHashBucketStrongConfig,
  stringToNumberConfig,
  stringUpperConfig,
  subConfig,
  substrConfig,
  sumConfig,
  svdConfig,
  RefSwitchKernel,
  SwitchKernel,
  TFRecordDatasetKernel,
  TFRecordDatasetV2Kernel,
  TakeDatasetKernel,
  TakeWhileDatasetKernel,
  tanConfig,
  tanhConfig,
  tanhGradConfig,
  tensorArrayCloseV3Config,
  tensorArrayConcatV3Config,
  tensorArrayGatherV3Config,
  tensorArrayGradV3Config,
  tensorArrayGradWithShapeConfig,
  tensorArrayReadV3Config,
  tensorArrayScatterV3Config,
  tensorArraySizeV3Config,
  tensorArraySplitV3Config,
  tensorArrayV3Config,
  tensorArrayWriteV3Config,
  TensorDatasetKernel,
  tensorListConcatConfig,
  tensorListConcatListsConfig,
  tensorListConcatV2Config,
  tensorListElementShapeConfig,
  tensorListFromTensorConfig,
  tensorListGatherConfig,
  tensorListGetItemConfig,
  tensorListLengthConfig,
  tensorListPopBackConfig,
  tensorListPushBackConfig,
  tensorListPushBackBatchConfig,
  tensorListReserveConfig,
  tensorListResizeConfig,
  tensorListScatterConfig,
  tensorListScatterIntoExistingListConfig,
  tensorListScatterV2Config,
  tensorListSetItemConfig,
  tensorListSplitConfig,
  tensorListStackConfig,
  TensorSliceDatasetKernel,
  tensorSummaryConfig,
  tensorSummaryV2Config,
  TextLineDatasetKernel,
  tileConfig,
  topKV2Config,
  transposeConfig,
  tridiagonalSolveConfig,
  truncateDivConfig,
  truncateModConfig,
  truncatedNormalConfig,
  UnbatchDatasetKernel,
  unicodeDecodeConfig,
  unicodeDecodeWithOffsetsConfig,
  unicodeEncodeConfig,
  unicodeTranscodeConfig,
  uniqueConfig,
  UniqueDatasetKernel,
  uniqueV2Config,
  uniqueWithCountsConfig,
  uniqueWithCountsV2Config,
  unravelIndexConfig,
  unsortedSegmentJoinConfig,
  unsortedSegmentMaxConfig,
  unsortedSegmentMinConfig,
  unsortedSegmentProdConfig,
  unsortedSegmentSumConfig,
  upperBoundConfig,
  varHandleOpConfig,
  destroyResourceOpConfig,
  varIsInitializedOpConfig,
  variableShapeConfig,
  variableConfig,
  variableV2Config,
  whereConfig,
  StatelessWhileKernel,
  WhileKernel,
  WindowDatasetKernel,
  writeFileConfig,
  xdivyConfig,
  xlog1pyConfig,
  xlogyConfig,
  zetaConfig,
  ZipDatasetKernel,
  ArgKernel,
  hostRecvKernel,
  recvKernel,
  RetvalKernel,
  hostSendKernel,
  sendKernel,
  EnterKernel,
  ExitKernel,
  LoopCondKernel,
  NextIterationKernel,
  RefEnterKernel,
  RefExitKernel,
  RefNextIterationKernel,
  ExperimentalMaxIntraOpParallelismDatasetKernel,
  ExperimentalPrivateThreadPoolDatasetKernel,
  MaxIntraOpParallelismDatasetKernel,
  ModelDatasetKernel,
  OptionsDatasetKernel,
  PrefetchDatasetKernel,
  PrivateThreadPoolDatasetKernel,
  RewriteDatasetKernel,
];
