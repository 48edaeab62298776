// TF's GroupByWindowDataset (core/kernels/data/experimental/group_by_window_dataset_op.cc):
// group_by_window and bucket_by_sequence_length. key_func sorts input elements into groups; a
// group that reaches window_size_func(key) elements is flushed: reduce_func(key, window dataset)
// gives a dataset whose elements are the output. When the input ends, the remaining groups are
// flushed in ascending key order (TF keeps them in an ordered map).

import { invalidArgument } from "../framework/errors.js";
import { getAttrTypeList } from "../framework/op-def.js";
import { Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import {
  arrayIterator,
  callDatasetFunction,
  callFunction,
  capturedInputs,
  checkpoint,
  Dataset,
  type DatasetFunction,
  type DatasetIterator,
  datasetFunctionAttr,
  datasetInput,
  datasetOp,
  datasetTensor,
  type Element,
  type IteratorContext,
  outputSignature,
  UNKNOWN,
  verifyTypes,
} from "./util/dataset.js";

/** One flushed group, as the dataset reduce_func receives. */
class GroupDataset extends Dataset {
  readonly name = "GroupByWindowDataset";

  constructor(
    private readonly elements: readonly Element[],
    signature: { dtypes: Dataset["dtypes"]; shapes: Dataset["shapes"] },
  ) {
    super(signature.dtypes, signature.shapes);
  }

  cardinality(): number {
    return this.elements.length;
  }

  makeIterator(): DatasetIterator {
    return arrayIterator(this.elements);
  }
}

interface Funcs {
  readonly key: DatasetFunction;
  readonly reduce: DatasetFunction;
  readonly windowSize: DatasetFunction;
}

const scalarInt64 = (rets: readonly Tensor[]): bigint | undefined => {
  const t = rets[0];
  if (rets.length !== 1 || t === undefined || t.dtype !== DataType.DT_INT64 || t.numElements !== 1)
    return undefined;
  return (t.data as BigInt64Array)[0]!;
};

const keyTensor = (key: bigint) => new Tensor(DataType.DT_INT64, [], BigInt64Array.of(key));

class GroupByWindowDatasetValue extends Dataset {
  readonly name = "GroupByWindowDataset";

  constructor(
    private readonly input: Dataset,
    private readonly f: Funcs,
    signature: { dtypes: Dataset["dtypes"]; shapes: Dataset["shapes"] },
  ) {
    super(signature.dtypes, signature.shapes);
  }

  cardinality(): number {
    return this.input.cardinality() === 0 ? 0 : UNKNOWN;
  }

  makeIterator(): DatasetIterator {
    const input = this.input.makeIterator();
    const groups = new Map<bigint, Element[]>();
    const windowSizes = new Map<bigint, number>();
    let current: DatasetIterator | undefined;
    let endOfInput = false;
    const flush = async (ictx: IteratorContext, key: bigint): Promise<DatasetIterator> => {
      const group = new GroupDataset(groups.get(key) ?? [], {
        dtypes: this.input.dtypes,
        shapes: this.input.shapes,
      });
      groups.delete(key);
      windowSizes.delete(key);
      const ds = await callDatasetFunction(ictx, this.f.reduce, [keyTensor(key), datasetTensor(group)]);
      verifyTypes(this.dtypes, ds.dtypes);
      return ds.makeIterator();
    };
    return {
      next: async (ictx) => {
        for (;;) {
          if (current !== undefined) {
            const e = await current.next(ictx);
            if (e !== undefined) return e;
            current = undefined;
          }
          while (!endOfInput && current === undefined) {
            const e = await input.next(ictx);
            if (e === undefined) {
              endOfInput = true;
              break;
            }
            const key = scalarInt64(await callFunction(ictx, this.f.key, e));
            if (key === undefined) throw invalidArgument("`key_func` must return a scalar int64.");
            let size = windowSizes.get(key);
            if (size === undefined) {
              const n = scalarInt64(await callFunction(ictx, this.f.windowSize, [keyTensor(key)]));
              if (n === undefined) throw invalidArgument("`window_size_func` must return a scalar int64.");
              if (n <= 0n) throw invalidArgument(`Window size must be greater than zero, but got ${n}.`);
              size = Number(n);
              windowSizes.set(key, size);
            }
            let group = groups.get(key);
            if (group === undefined) {
              group = [];
              groups.set(key, group);
            }
            group.push(e);
            if (group.length === size) current = await flush(ictx, key);
            await checkpoint(ictx);
          }
          if (current === undefined) {
            if (groups.size === 0) return undefined;
            let smallest = groups.keys().next().value as bigint;
            for (const k of groups.keys()) if (k < smallest) smallest = k;
            current = await flush(ictx, smallest);
          }
        }
      },
    };
  }
}

export const GroupByWindowDatasetKernel = datasetOp(
  {
    name: "GroupByWindowDataset",
    inputs: [
      "input_dataset: variant",
      "key_func_other_arguments: Tkey_func_other_arguments",
      "reduce_func_other_arguments: Treduce_func_other_arguments",
      "window_size_func_other_arguments: Twindow_size_func_other_arguments",
    ],
    outputs: ["handle: variant"],
    attrs: [
      "key_func: func",
      "reduce_func: func",
      "window_size_func: func",
      "Tkey_func_other_arguments: list(type) >= 0",
      "Treduce_func_other_arguments: list(type) >= 0",
      "Twindow_size_func_other_arguments: list(type) >= 0",
      "output_types: list(type) >= 1",
      "output_shapes: list(shape) >= 1",
      "metadata: string = ''",
    ],
  },
  (c) => {
    const signature = outputSignature(c);
    const key = datasetFunctionAttr(c, "key_func");
    const reduce = datasetFunctionAttr(c, "reduce_func");
    const windowSize = datasetFunctionAttr(c, "window_size_func");
    const nKey = getAttrTypeList(c.attrs, "Tkey_func_other_arguments").length;
    const nReduce = getAttrTypeList(c.attrs, "Treduce_func_other_arguments").length;
    const nWindow = getAttrTypeList(c.attrs, "Twindow_size_func_other_arguments").length;
    return (ctx) => {
      const input = datasetInput(ctx, 0);
      const funcs: Funcs = {
        key: { ...key, captured: capturedInputs(ctx, 1, nKey) },
        reduce: { ...reduce, captured: capturedInputs(ctx, 1 + nKey, nReduce) },
        windowSize: { ...windowSize, captured: capturedInputs(ctx, 1 + nKey + nReduce, nWindow) },
      };
      return new GroupByWindowDatasetValue(input, funcs, signature);
    };
  },
);
