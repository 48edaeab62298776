// TF's MapDataset, ParallelMapDataset and ParallelMapDatasetV2 (core/kernels/data/map_dataset_op.cc,
// parallel_map_dataset_op.cc): each element is f(element, *captured). The parallel form runs its
// calls one after another here, which is TF's order for deterministic (and default) maps.
//
// A function that raises OUT_OF_RANGE ends the sequence, unless preserve_cardinality is set (what
// tf.data sets), where TF reports it as INVALID_ARGUMENT so the cardinality stays what it says.

import { invalidArgument, isTfError, TfCode } from "../framework/errors.js";
import { getAttrBool, getAttrTypeList } from "../framework/op-def.js";
import type { OpKernelContext } from "../framework/op-kernel.js";
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

/** The three forms: MapDataset, ParallelMapDataset (int32 num_parallel_calls), ParallelMapDatasetV2. */
type MapForm = "map" | "parallelV1" | "parallelV2";

const mapAttrs = (form: MapForm): string[] => [
  "f: func",
  "Targuments: list(type) >= 0",
  "output_types: list(type) >= 1",
  "output_shapes: list(shape) >= 1",
  "use_inter_op_parallelism: bool = true",
  ...(form === "parallelV2" ? ["deterministic: string = 'default'"] : []),
  ...(form === "parallelV1" ? ["sloppy: bool = false"] : []),
  "preserve_cardinality: bool = false",
  ...(form === "parallelV2" ? ["use_unbounded_threadpool: bool = false"] : []),
  ...(form === "map" ? ["force_synchronous: bool = false"] : []),
  "metadata: string = ''",
];

function numParallelCalls(ctx: OpKernelContext, i: number, form: MapForm): number {
  const t = ctx.input(i);
  if (t.rank !== 0) throw invalidArgument("num_parallel_calls must be a scalar");
  return form === "parallelV1" ? (t.data as Int32Array)[0]! : Number((t.data as BigInt64Array)[0]!);
}

function mapKernel(op: string, form: MapForm) {
  const parallel = form !== "map";
  return datasetOp(
    {
      name: op,
      inputs: [
        "input_dataset: variant",
        "other_arguments: Targuments",
        ...(form === "parallelV1" ? ["num_parallel_calls: int32"] : []),
        ...(form === "parallelV2" ? ["num_parallel_calls: int64"] : []),
      ],
      outputs: ["handle: variant"],
      attrs: mapAttrs(form),
    },
    (c) => {
      const signature = outputSignature(c);
      const fn = datasetFunctionAttr(c, "f");
      const numCaptured = getAttrTypeList(c.attrs, "Targuments").length;
      const preserve = getAttrBool(c.attrs, "preserve_cardinality");
      return (ctx) => {
        const input = datasetInput(ctx, 0);
        if (parallel) {
          const n = numParallelCalls(ctx, 1 + numCaptured, form);
          if (n <= 0 && n !== -1) throw invalidArgument("num_parallel_calls must be greater than zero.");
        }
        const f = { ...fn, captured: capturedInputs(ctx, 1, numCaptured) };
        return new MapDatasetValue(op, input, f, preserve, signature);
      };
    },
  );
}

export const MapDatasetKernel = mapKernel("MapDataset", "map");
export const ParallelMapDatasetKernel = mapKernel("ParallelMapDataset", "parallelV1");
export const ParallelMapDatasetV2Kernel = mapKernel("ParallelMapDatasetV2", "parallelV2");
