// Rebuilds a recorded dataset pipeline (kernels/util/dataset-recipe.ts) on a replacement worker
// thread, so that an iterator keeps its position (docs/architecture.md, "Resources that outlive a
// worker thread"). Each recorded dataset kernel run is run again, inputs first: the kernel is made
// from its op and attrs as the executor makes it, with a function runtime over the recorded
// library, and computed on the recorded input tensors with the random seeds it drew the first time.
// It runs in the step of the GetNext that takes the pass up (its device, file sandbox, memory).

import { createFunctionRuntime } from "../executor/function-runtime.js";
import { internal } from "../framework/errors.js";
import { createFunctionLibrary, type FunctionRuntime } from "../framework/function.js";
import { lookUpOp } from "../framework/op-def.js";
import { findKernel, isAsyncKernel, type OpKernelContext } from "../framework/op-kernel.js";
import type { Tensor } from "../framework/tensor.js";
import {
  type Dataset,
  datasetFromTensor,
  datasetTensor,
  type IteratorContext,
  replayNextSeeds,
} from "../kernels/util/dataset.js";
import {
  type DatasetRecipe,
  type DurablePipeline,
  pipelineLibrary,
  recipeTensor,
} from "../kernels/util/dataset-recipe.js";

/** The dataset a recorded pipeline makes, built again in the step of `ictx`. */
export function rebuildDataset(pipeline: DurablePipeline, ictx: IteratorContext): Dataset {
  const functions = createFunctionRuntime({
    library: createFunctionLibrary(pipelineLibrary(pipeline)),
    device: ictx.step.device,
  });
  return runRecipe(pipeline.recipe, ictx, functions);
}

function runRecipe(r: DatasetRecipe, ictx: IteratorContext, functions: FunctionRuntime): Dataset {
  const inputs: Tensor[] = r.inputs.map((i) =>
    "dataset" in i ? datasetTensor(runRecipe(i.dataset, ictx, functions)) : recipeTensor(i.tensor),
  );
  const reg = findKernel(r.op, ictx.step.device.type);
  const opDef = lookUpOp(r.op);
  if (reg === undefined || opDef === undefined)
    throw internal(`No kernel for ${r.op} to rebuild the dataset with`);
  const kernel = reg.create({
    nodeName: r.nodeName,
    op: r.op,
    opDef,
    attrs: r.attrs,
    inputTypes: r.inputTypes,
    outputTypes: r.outputTypes,
    requestedInputs: r.inputs.map((_, i) => `${r.nodeName}_input_${i}`),
    device: ictx.step.device,
    functions,
  });
  if (isAsyncKernel(kernel)) throw internal(`${r.op} is not a dataset kernel that can be replayed`);
  let out: Tensor | undefined;
  const ctx: OpKernelContext = {
    step: ictx.step,
    nodeName: r.nodeName,
    numInputs: inputs.length,
    input: (i) => inputs[i]!,
    inputRef: () => {
      throw internal(`${r.op} has no ref inputs`);
    },
    setOutput: (_i, t) => {
      out = t;
    },
    setOutputRef: () => {
      throw internal(`${r.op} has no ref outputs`);
    },
    forwardableInput: () => undefined,
    frameIter: "0:0",
    hasInput: () => true,
    isInputDead: false,
  };
  replayNextSeeds(r.seeds);
  kernel.compute(ctx);
  if (out === undefined) throw internal(`${r.op} made no dataset when replayed`);
  return datasetFromTensor(out);
}
