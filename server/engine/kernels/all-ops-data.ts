// Kernel modules of the "data" group (tf.data datasets and iterators), registered by
// register-all.ts through all-ops.ts. Add one `export * from "./<Op>.js";` line per kernel file.

export * from "./AnonymousIteratorV3.js";
export * from "./BatchDatasetV2.js";
export * from "./CacheDataset.js";
export * from "./ConcatenateDataset.js";
export * from "./DatasetCardinality.js";
export * from "./DeleteIterator.js";
export * from "./FilterDataset.js";
export * from "./FixedLengthRecordDataset.js";
export * from "./FlatMapDataset.js";
export * from "./InterleaveDataset.js";
export * from "./IteratorFromStringHandleV2.js";
export * from "./IteratorGetNext.js";
export * from "./IteratorGetNextAsOptional.js";
export * from "./IteratorToStringHandle.js";
export * from "./IteratorV2.js";
export * from "./MakeIterator.js";
export * from "./MapDataset.js";
export * from "./OneShotIterator.js";
export * from "./PaddedBatchDatasetV2.js";
export * from "./pass-through-datasets.js";
export * from "./RangeDataset.js";
export * from "./RepeatDataset.js";
export * from "./SeedGeneratorOps.js";
export * from "./ShuffleDataset.js";
export * from "./SkipDataset.js";
export * from "./TakeDataset.js";
export * from "./TensorDataset.js";
export * from "./TensorSliceDataset.js";
export * from "./TextLineDataset.js";
export * from "./TFRecordDataset.js";
export * from "./ZipDataset.js";
