// TF's MapDataset and ParallelMapDatasetV2 (core/kernels/data/map_dataset_op.cc,
// parallel_map_dataset_op.cc): each element is f(element, *captured). The parallel form runs its
// calls one after another here, which is TF's order for deterministic (and default) maps.
//
// A function that raises OUT_OF_RANGE ends the sequence, unless preserve_cardinality is set (what
// tf.data sets), where TF reports it as INVALID_ARGUMENT so the cardinality stays what it says.

import { invalidArgument, isTfError, TfCode } from "../framework/errors.js";
import { getAttrBool, getAttrTypeList } from "../framework/op-def.js";
import {
  callFunction,
  capturedInputs,
  checkFunctionOutputs,
  Dataset,
  type DatasetFunction,
  type DatasetIterator,
  datasetFunctionAttr,
  datasetInput,
  datasetOp,
  int64Argument,
  outputSignature,
} from "./util/dataset.js";

export class MapDatasetValue extends Dataset {
  constructor(
    readonly name: string,
    private readonly input: Dataset,
    private readonly f: DatasetFunction,
    private readonly preserveCardinality: boolean,
    signature: { dtypes: Dataset["dtypes"]; shapes: Dataset["shapes"] },
  ) {
    super(signature.dtypes, signature.shapes);
  }

  cardinality(): number {
    return this.preserveCardinality ? this.input.cardinality() : -2;
  }

  makeIterator(): DatasetIterator {
    const input = this.input.makeIterator();
    let done = false;
    return {
      next: async (ictx) => {
        if (done) return undefined;
        const element = await input.next(ictx);
        if (element === undefined) {
          done = true;
          return undefined;
        }
        let rets: Awaited<ReturnType<typeof callFunction>>;
        try {
          rets = await callFunction(ictx, this.f, element);
        } catch (e) {
          if (!isTfError(e) || e.code !== TfCode.OUT_OF_RANGE) throw e;
          if (this.preserveCardinality) {
            throw invalidArgument(`Function invocation produced OutOfRangeError: ${e.message}`);
          }
          done = true;
          return undefined;
        }
        checkFunctionOutputs(this.f, this.dtypes, rets);
        return rets;
      },
    };
  }
}

const mapAttrs = (parallel: boolean): string[] => [
  "f: func",
  "Targuments: list(type) >= 0",
  "output_types: list(type) >= 1",
  "output_shapes: list(shape) >= 1",
  "use_inter_op_parallelism: bool = true",
  ...(parallel ? ["deterministic: string = 'default'"] : []),
  "preserve_cardinality: bool = false",
  ...(parallel ? ["use_unbounded_threadpool: bool = false"] : ["force_synchronous: bool = false"]),
  "metadata: string = ''",
];

function mapKernel(op: string, parallel: boolean) {
  return datasetOp(
    {
      name: op,
      inputs: [
        "input_dataset: variant",
        "other_arguments: Targuments",
        ...(parallel ? ["num_parallel_calls: int64"] : []),
      ],
      outputs: ["handle: variant"],
      attrs: mapAttrs(parallel),
    },
    (c) => {
      const signature = outputSignature(c);
      const fn = datasetFunctionAttr(c, "f");
      const numCaptured = getAttrTypeList(c.attrs, "Targuments").length;
      const preserve = getAttrBool(c.attrs, "preserve_cardinality");
      return (ctx) => {
        const input = datasetInput(ctx, 0);
        if (parallel) {
          const n = int64Argument(ctx, 1 + numCaptured, "num_parallel_calls");
          if (n <= 0 && n !== -1) throw invalidArgument("num_parallel_calls must be greater than zero.");
        }
        const f = { ...fn, captured: capturedInputs(ctx, 1, numCaptured) };
        return new MapDatasetValue(op, input, f, preserve, signature);
      };
    },
  );
}

export const MapDatasetKernel = mapKernel("MapDataset", false);
export const ParallelMapDatasetV2Kernel = mapKernel("ParallelMapDatasetV2", true);
