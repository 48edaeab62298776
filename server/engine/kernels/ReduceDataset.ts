// TF's ReduceDataset and DatasetToSingleElement (core/kernels/data/reduce_dataset_op.cc,
// dataset_ops.cc): kernels that consume a whole dataset in one step. ReduceDataset folds
// f(state, element) → state over it (Dataset.reduce); DatasetToSingleElement outputs its only
// element (get_single_element), INVALID_ARGUMENT when it has none or more than one.

import { invalidArgument } from "../framework/errors.js";
import { getAttrTypeList } from "../framework/op-def.js";
import type { OpKernelConstruction } from "../framework/op-kernel.js";
import type { Tensor } from "../framework/tensor.js";
import {
  callFunction,
  capturedInputs,
  checkpoint,
  datasetFunctionAttr,
  datasetInput,
  outputSignature,
  verifyElement,
  verifyTypes,
} from "./util/dataset.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";

export const ReduceDatasetKernel: KernelConfig = {
  op: {
    name: "ReduceDataset",
    inputs: ["input_dataset: variant", "initial_state: Tstate", "other_arguments: Targuments"],
    outputs: ["components: output_types"],
    attrs: [
      "f: func",
      "Tstate: list(type) >= 1",
      "Targuments: list(type) >= 0",
      "output_types: list(type) >= 1",
      "output_shapes: list(shape) >= 1",
      "use_inter_op_parallelism: bool = true",
      "metadata: string = ''",
    ],
    isStateful: true,
  },
  kernel: cpuKernel("ReduceDataset", (c: OpKernelConstruction) => {
    const { dtypes, shapes } = outputSignature(c);
    const fn = datasetFunctionAttr(c, "f");
    const nState = getAttrTypeList(c.attrs, "Tstate").length;
    const k = getAttrTypeList(c.attrs, "Targuments").length;
    return {
      async computeAsync(ctx) {
        const it = datasetInput(ctx, 0).makeIterator();
        let state: Tensor[] = capturedInputs(ctx, 1, nState);
        const f = { ...fn, captured: capturedInputs(ctx, 1 + nState, k) };
        const ictx = { step: ctx.step };
        for (;;) {
          const e = await it.next(ictx);
          if (e === undefined) break;
          const next = await callFunction(ictx, f, [...state, ...e]);
          verifyTypes(
            state.map((t) => t.dtype),
            next.map((t) => t.dtype),
          );
          state = next;
          await checkpoint(ictx);
        }
        verifyElement(dtypes, shapes, state);
        state.forEach((t, i) => {
          ctx.setOutput(i, t);
        });
      },
    };
  }),
};

export const DatasetToSingleElementKernel: KernelConfig = {
  op: {
    name: "DatasetToSingleElement",
    inputs: ["dataset: variant"],
    outputs: ["components: output_types"],
    attrs: ["output_types: list(type) >= 1", "output_shapes: list(shape) >= 1", "metadata: string = ''"],
    isStateful: true,
  },
  kernel: cpuKernel("DatasetToSingleElement", (c: OpKernelConstruction) => {
    const { dtypes, shapes } = outputSignature(c);
    return {
      async computeAsync(ctx) {
        const it = datasetInput(ctx, 0).makeIterator();
        const ictx = { step: ctx.step };
        const e = await it.next(ictx);
        if (e === undefined) throw invalidArgument("Dataset was empty.");
        if ((await it.next(ictx)) !== undefined) throw invalidArgument("Dataset had more than one element.");
        verifyElement(dtypes, shapes, e);
        e.forEach((t, i) => {
          ctx.setOutput(i, t);
        });
      },
    };
  }),
};
