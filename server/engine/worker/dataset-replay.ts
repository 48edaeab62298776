// Rebuilds a recorded dataset pipeline (kernels/util/dataset-recipe.ts) on a replacement worker
// thread, so that an iterator keeps its position (docs/architecture.md, "Resources that outlive a
// worker thread"). Each recorded dataset kernel run is run again, inputs first: the kernel is made
// from its op and attrs as the executor makes it, with a function runtime over the recorded
// library, and computed on the recorded input tensors with the random seeds it drew the first time
// (and copies of the seed generators it was given, as they were then). A memory cache it was given
// is the durable resource itself, restored with the others, when the pass's iterators over it read
// on the replacement what they read on the old thread.
// It runs in the step of the GetNext that takes the pass up (its device, file sandbox, memory).

import { createFunctionRuntime } from "../executor/function-runtime.js";
import { failedPrecondition, internal } from "../framework/errors.js";
import { createFunctionLibrary, type FunctionRuntime } from "../framework/function.js";
import { lookUpOp } from "../framework/op-def.js";
import { findKernel, isAsyncKernel, type OpKernelContext } from "../framework/op-kernel.js";
import { stepContainerName, uniqueResourceName } from "../framework/resource-mgr.js";
import { type ResourceHandle, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
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
  type RecipeTensor,
  recipeTensor,
} from "../kernels/util/dataset-recipe.js";
import { isMemoryCache, MEMORY_CACHE_RESOURCE } from "../kernels/util/memory-cache.js";
import {
  SEED_GENERATOR_RESOURCE,
  type SeedGeneratorState,
  seedGeneratorFrom,
} from "../kernels/util/seed-generator.js";

/**
 * A handle to a copy of a seed generator as the recorded run found it, in the step's container:
 * the rebuilt dataset draws from the copy what the first one drew, and the shared generator,
 * restored where it had got to, is left alone.
 */
function seedGeneratorCopy(state: SeedGeneratorState, ictx: IteratorContext): Tensor {
  const { step } = ictx;
  const container = stepContainerName(step.stepId);
  const name = uniqueResourceName("_ReplayedSeedGenerator");
  step.resources.lookupOrCreate(container, name, SEED_GENERATOR_RESOURCE.name, () =>
    seedGeneratorFrom(state),
  );
  const handle: ResourceHandle = {
    device: step.device.name,
    container,
    name,
    hashCode: SEED_GENERATOR_RESOURCE.hash,
    maybeTypeName: SEED_GENERATOR_RESOURCE.name,
  };
  return new Tensor(DataType.DT_RESOURCE, [], [handle]);
}

/**
 * The handle of a memory cache the recorded run was given, once the replay is known to be exact:
 * the cache was complete when the pass started (its iterators over it all read it), it is still
 * incomplete (they all wrote, and a writer's elements are the input's), or the pass's only writer
 * completed it (what it reads back is what it wrote). A cache completed by another writer would
 * have this pass's writers read what they did not write.
 */
function memoryCacheHandle(c: { handle: RecipeTensor; complete: boolean }, ictx: IteratorContext): Tensor {
  const handle = recipeTensor(c.handle);
  const h = (handle.data as readonly ResourceHandle[])[0]!;
  const cache = ictx.step.resources.peek(h.container, h.name, MEMORY_CACHE_RESOURCE.name);
  if (
    isMemoryCache(cache) &&
    !c.complete &&
    cache.elements !== undefined &&
    cache.completedFor !== ictx.passId
  ) {
    throw failedPrecondition(
      "the memory cache it reads was completed by another iterator while this pass was writing it",
    );
  }
  return handle;
}

/** The dataset a recorded pipeline makes, built again in the step of `ictx`. */
export function rebuildDataset(pipeline: DurablePipeline, ictx: IteratorContext): Dataset {
  const functions = createFunctionRuntime({
    library: createFunctionLibrary(pipelineLibrary(pipeline)),
    device: ictx.step.device,
  });
  return runRecipe(pipeline.recipe, ictx, functions);
}

function runRecipe(r: DatasetRecipe, ictx: IteratorContext, functions: FunctionRuntime): Dataset {
  const inputs: Tensor[] = r.inputs.map((i) => {
    if ("dataset" in i) return datasetTensor(runRecipe(i.dataset, ictx, functions));
    if ("seedGenerator" in i) return seedGeneratorCopy(i.seedGenerator, ictx);
    if ("memoryCache" in i) return memoryCacheHandle(i.memoryCache, ictx);
    return recipeTensor(i.tensor);
  });
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
