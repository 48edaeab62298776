// TF's InterleaveDataset, ParallelInterleaveDatasetV4 and LegacyParallelInterleaveDatasetV2
// (core/kernels/data/interleave_dataset_op.cc, parallel_interleave_dataset_op.cc,
// experimental/parallel_interleave_dataset_op.cc): f maps input elements to datasets,
// cycle_length of which are open at once; block_length elements are taken from each in turn. A slot whose dataset ends is
// refilled from the input when the cycle comes back to it. The parallel form runs sequentially
// here, which gives TF's order for deterministic (and default) interleaves.
//
// A cycle_length of -1 (AUTOTUNE) is TF's port::MaxParallelism(): this machine's cores.

import { availableParallelism } from "node:os";
import { invalidArgument } from "../framework/errors.js";
import { getAttrTypeList } from "../framework/op-def.js";
import {
  callDatasetFunction,
  capturedInputs,
  checkpoint,
  Dataset,
  type DatasetFunction,
  type DatasetIterator,
  datasetFunctionAttr,
  datasetInput,
  datasetOp,
  int64Argument,
  outputSignature,
  UNKNOWN,
  verifyTypes,
} from "./util/dataset.js";

class InterleaveDatasetValue extends Dataset {
  constructor(
    readonly name: string,
    private readonly input: Dataset,
    private readonly f: DatasetFunction,
    private readonly cycleLength: number,
    private readonly blockLength: number,
    signature: { dtypes: Dataset["dtypes"]; shapes: Dataset["shapes"] },
  ) {
    super(signature.dtypes, signature.shapes);
  }

  cardinality(): number {
    return this.input.cardinality() === 0 ? 0 : UNKNOWN;
  }

  makeIterator(): DatasetIterator {
    const input = this.input.makeIterator();
    // Slots are created as the cycle reaches them, so a huge cycle_length costs nothing up front.
    const slots = new Map<number, DatasetIterator>();
    let cycleIndex = 0;
    let blockIndex = 0;
    let endOfInput = false;
    const advance = () => {
      blockIndex = 0;
      cycleIndex = (cycleIndex + 1) % this.cycleLength;
    };
    return {
      next: async (ictx) => {
        while (!endOfInput || slots.size > 0) {
          const current = slots.get(cycleIndex);
          if (current !== undefined) {
            const e = await current.next(ictx);
            if (e !== undefined) {
              if (++blockIndex === this.blockLength) advance();
              return e;
            }
            slots.delete(cycleIndex);
            advance();
          } else if (!endOfInput) {
            const args = await input.next(ictx);
            if (args === undefined) endOfInput = true;
            else {
              const ds = await callDatasetFunction(ictx, this.f, args);
              verifyTypes(this.dtypes, ds.dtypes);
              slots.set(cycleIndex, ds.makeIterator());
            }
          } else {
            advance();
          }
          await checkpoint(ictx);
        }
        return undefined;
      },
    };
  }
}

function lengthArgument(ctx: Parameters<typeof int64Argument>[0], i: number, name: string): number {
  const n = int64Argument(ctx, i, name);
  if (n === -1) return availableParallelism();
  if (n <= 0) throw invalidArgument(`${name} must be greater than zero.`);
  return n;
}

const INTERLEAVE_ATTRS = [
  "Targuments: list(type) >= 0",
  "output_types: list(type) >= 1",
  "output_shapes: list(shape) >= 1",
  "metadata: string = ''",
];

export const InterleaveDatasetKernel = datasetOp(
  {
    name: "InterleaveDataset",
    inputs: [
      "input_dataset: variant",
      "other_arguments: Targuments",
      "cycle_length: int64",
      "block_length: int64",
    ],
    outputs: ["handle: variant"],
    attrs: ["f: func", ...INTERLEAVE_ATTRS],
  },
  (c) => {
    const signature = outputSignature(c);
    const fn = datasetFunctionAttr(c, "f");
    const k = getAttrTypeList(c.attrs, "Targuments").length;
    return (ctx) => {
      const input = datasetInput(ctx, 0);
      const cycle = lengthArgument(ctx, 1 + k, "cycle_length");
      const block = lengthArgument(ctx, 2 + k, "block_length");
      const f = { ...fn, captured: capturedInputs(ctx, 1, k) };
      return new InterleaveDatasetValue("InterleaveDataset", input, f, cycle, block, signature);
    };
  },
);

export const ParallelInterleaveDatasetV4Kernel = datasetOp(
  {
    name: "ParallelInterleaveDatasetV4",
    inputs: [
      "input_dataset: variant",
      "other_arguments: Targuments",
      "cycle_length: int64",
      "block_length: int64",
      "buffer_output_elements: int64",
      "prefetch_input_elements: int64",
      "num_parallel_calls: int64",
    ],
    outputs: ["handle: variant"],
    attrs: ["f: func", "deterministic: string = 'default'", ...INTERLEAVE_ATTRS],
  },
  (c) => {
    const signature = outputSignature(c);
    const fn = datasetFunctionAttr(c, "f");
    const k = getAttrTypeList(c.attrs, "Targuments").length;
    return (ctx) => {
      const input = datasetInput(ctx, 0);
      const cycle = lengthArgument(ctx, 1 + k, "cycle_length");
      const block = lengthArgument(ctx, 2 + k, "block_length");
      const bufferOutput = int64Argument(ctx, 3 + k, "buffer_output_elements");
      if (bufferOutput <= 0 && bufferOutput !== -1) {
        throw invalidArgument("`buffer_output_elements` must be greater than zero or AUTOTUNE.");
      }
      const prefetchInput = int64Argument(ctx, 4 + k, "prefetch_input_elements");
      if (prefetchInput < 0 && prefetchInput !== -1) {
        throw invalidArgument("`prefetch_input_elements` must be greater than or equal to zero or AUTOTUNE.");
      }
      const parallel = int64Argument(ctx, 5 + k, "num_parallel_calls");
      if (parallel <= 0 && parallel !== -1) {
        throw invalidArgument("num_parallel_calls must be greater than zero.");
      }
      const f = { ...fn, captured: capturedInputs(ctx, 1, k) };
      return new InterleaveDatasetValue("ParallelInterleaveDatasetV4", input, f, cycle, block, signature);
    };
  },
);

export const LegacyParallelInterleaveDatasetV2Kernel = datasetOp(
  {
    name: "LegacyParallelInterleaveDatasetV2",
    inputs: [
      "input_dataset: variant",
      "other_arguments: Targuments",
      "cycle_length: int64",
      "block_length: int64",
      "buffer_output_elements: int64",
      "prefetch_input_elements: int64",
    ],
    outputs: ["handle: variant"],
    attrs: ["f: func", "deterministic: string = 'default'", ...INTERLEAVE_ATTRS],
  },
  (c) => {
    const signature = outputSignature(c);
    const fn = datasetFunctionAttr(c, "f");
    const k = getAttrTypeList(c.attrs, "Targuments").length;
    return (ctx) => {
      const input = datasetInput(ctx, 0);
      const cycle = lengthArgument(ctx, 1 + k, "cycle_length");
      const block = lengthArgument(ctx, 2 + k, "block_length");
      const f = { ...fn, captured: capturedInputs(ctx, 1, k) };
      return new InterleaveDatasetValue(
        "LegacyParallelInterleaveDatasetV2",
        input,
        f,
        cycle,
        block,
        signature,
      );
    };
  },
);
