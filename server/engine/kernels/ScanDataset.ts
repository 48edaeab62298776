// TF's ScanDataset (core/kernels/data/experimental/scan_dataset_op.cc): a running state through the
// input: f(state, element) returns the new state followed by the output element.

import { invalidArgument } from "../framework/errors.js";
import { getAttrBool, getAttrTypeList } from "../framework/op-def.js";
import type { Tensor } from "../framework/tensor.js";
import { dataTypeString } from "../framework/types.js";
import {
  callFunction,
  capturedInputs,
  Dataset,
  type DatasetFunction,
  type DatasetIterator,
  datasetFunctionAttr,
  datasetInput,
  datasetOp,
  outputSignature,
  UNKNOWN,
} from "./util/dataset.js";

class ScanDatasetValue extends Dataset {
  readonly name = "ScanDataset";

  constructor(
    private readonly input: Dataset,
    private readonly initial: readonly Tensor[],
    private readonly f: DatasetFunction,
    private readonly preserveCardinality: boolean,
    signature: { dtypes: Dataset["dtypes"]; shapes: Dataset["shapes"] },
  ) {
    super(signature.dtypes, signature.shapes);
  }

  cardinality(): number {
    return this.preserveCardinality ? this.input.cardinality() : UNKNOWN;
  }

  makeIterator(): DatasetIterator {
    const input = this.input.makeIterator();
    let state = this.initial;
    return {
      next: async (ictx) => {
        const e = await input.next(ictx);
        if (e === undefined) return undefined;
        const rets = await callFunction(ictx, this.f, [...state, ...e]);
        const n = state.length;
        if (rets.length !== n + this.dtypes.length) {
          throw invalidArgument(
            `Scan function returned ${rets.length} values, expected ${n} state values and ${this.dtypes.length} outputs.`,
          );
        }
        rets.slice(0, n).forEach((t, i) => {
          if (t.dtype !== state[i]!.dtype) {
            throw invalidArgument(
              `State tensor ${i} has type ${dataTypeString(t.dtype)} but the initial state has type ${dataTypeString(state[i]!.dtype)}.`,
            );
          }
        });
        state = rets.slice(0, n);
        return rets.slice(n);
      },
    };
  }
}

export const ScanDatasetKernel = datasetOp(
  {
    name: "ScanDataset",
    inputs: ["input_dataset: variant", "initial_state: Tstate", "other_arguments: Targuments"],
    outputs: ["handle: variant"],
    attrs: [
      "f: func",
      "Tstate: list(type) >= 1",
      "Targuments: list(type) >= 0",
      "output_types: list(type) >= 1",
      "output_shapes: list(shape) >= 1",
      "preserve_cardinality: bool = false",
      "use_default_device: bool = true",
      "metadata: string = ''",
    ],
  },
  (c) => {
    const signature = outputSignature(c);
    const fn = datasetFunctionAttr(c, "f");
    const nState = getAttrTypeList(c.attrs, "Tstate").length;
    const k = getAttrTypeList(c.attrs, "Targuments").length;
    const preserve = getAttrBool(c.attrs, "preserve_cardinality");
    return (ctx) => {
      const input = datasetInput(ctx, 0);
      const initial = capturedInputs(ctx, 1, nState);
      const f = { ...fn, captured: capturedInputs(ctx, 1 + nState, k) };
      return new ScanDatasetValue(input, initial, f, preserve, signature);
    };
  },
);
