// How a dataset was made, kept so that an iterator can be rebuilt with its position on a replacement
// worker thread (docs/architecture.md, "Resources that outlive a worker thread"). TF keeps an
// iterator's position with its checkpointing (each iterator's SaveInternal/RestoreInternal in
// core/kernels/data/*_dataset_op.cc, the dataset graph in core/data/serialization_utils.cc); here
// the position is kept by replay: a dataset's recipe is the dataset kernel that made it (op, attrs,
// input tensors, the datasets it consumed as recipes, the random seeds it drew, the state of the
// seed generators it was given) and the function
// library its functions come from; a rebuilt iterator runs the recipe again and skips the elements
// the old one had produced. That is exact only where the pipeline is deterministic, so a dataset
// has no recipe when one of its inputs cannot be kept (a resource other than a seed generator or a
// memory cache, a variant that is not a dataset, a dataset without a recipe), and a recipe is refused for replay
// when a function it calls holds an unseeded random op (its seeds are drawn by the kernel, not
// recorded). Sources are read again when replayed (files may have changed, as TF's own restore
// re-reads them).
//
// Recording costs one small object per dataset kernel run (it refers to the input tensors, which
// the dataset holds anyway); only MakeIterator's dataset is made durable, once per MakeIterator.

import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import {
  type FunctionDefLibrary,
  FunctionDefLibrarySchema,
} from "../../../../gen/tensorflow/core/framework/function_pb.js";
import type { AttrMap } from "../../framework/op-def.js";
import type { OpKernelConstruction, OpKernelContext } from "../../framework/op-kernel.js";
import { crossingStorage, type ResourceHandle, Tensor, type TensorData } from "../../framework/tensor.js";
import { DataType } from "../../framework/types.js";
import {
  DUMMY_MEMORY_CACHE_NAME,
  isMemoryCache,
  MEMORY_CACHE_RESOURCE,
  type MemoryCache,
} from "./memory-cache.js";
import {
  DUMMY_SEED_GENERATOR_NAME,
  isSeedGenerator,
  SEED_GENERATOR_RESOURCE,
  type SeedGeneratorState,
} from "./seed-generator.js";

/** A tensor as a recipe keeps it (structured-clone-able). */
export interface RecipeTensor {
  readonly dtype: DataType;
  readonly shape: readonly number[];
  readonly data: TensorData;
}

/** One input of a recorded dataset kernel run. */
export type RecipeInput =
  | { readonly dataset: DatasetRecipe }
  /** A seed-generator resource, as it was when the run took it (replayed with a private copy). */
  | { readonly seedGenerator: SeedGeneratorState }
  /**
   * A memory-cache resource (AnonymousMemoryCache), kept itself with the durable resources: its
   * handle, and whether it was complete when the pass started (then every iterator of the pass
   * over it read it; see memory-cache.ts for when a replay is exact otherwise).
   */
  | { readonly memoryCache: { readonly handle: RecipeTensor; readonly complete: boolean } }
  | { readonly tensor: RecipeTensor };

/** A dataset kernel run, as a replacement thread can run it again (structured-clone-able). */
export interface DatasetRecipe {
  readonly op: string;
  readonly nodeName: string;
  readonly attrs: AttrMap;
  readonly inputTypes: readonly DataType[];
  readonly outputTypes: readonly DataType[];
  readonly inputs: readonly RecipeInput[];
  /** The random seeds the run drew (seed-generator.ts), given back to it when replayed. */
  readonly seeds: readonly bigint[];
}

/** A pipeline as a replacement thread rebuilds it: its last dataset and the function library. */
export interface DurablePipeline {
  readonly recipe: DatasetRecipe;
  /** The graph's FunctionDefLibrary (binary), when a dataset kernel of the pipeline calls functions. */
  readonly library: Uint8Array | undefined;
}

/**
 * What a dataset keeps in its thread: its kernel run with the tensors themselves (made durable only
 * when MakeIterator keeps a pass over it) and the library objects its functions come from.
 */
interface Recorded {
  readonly run: Omit<DatasetRecipe, "inputs">;
  readonly inputs: readonly (
    | { readonly dataset: Recorded }
    | { readonly tensor: Tensor }
    | { readonly seedGenerator: SeedGeneratorState }
    | { readonly memoryCache: { readonly handle: Tensor; readonly cache: MemoryCache } }
  )[];
  readonly libraries: ReadonlySet<FunctionDefLibrary>;
}

const recorded = new WeakMap<object, Recorded | null>();

/** The recipe of a dataset (null: it cannot be replayed), unless it already has one. */
export function recordDataset(
  ds: object,
  c: OpKernelConstruction,
  ctx: OpKernelContext,
  seeds: readonly bigint[],
  datasetOf: (t: Tensor) => object | undefined,
): void {
  if (recorded.has(ds)) return;
  recorded.set(ds, recipeOf(c, ctx, seeds, datasetOf));
}

function recipeOf(
  c: OpKernelConstruction,
  ctx: OpKernelContext,
  seeds: readonly bigint[],
  datasetOf: (t: Tensor) => object | undefined,
): Recorded | null {
  const inputs: Recorded["inputs"][number][] = [];
  const libraries = new Set<FunctionDefLibrary>();
  const proto = c.functions?.library.proto;
  if (proto !== undefined && usesFunctions(c.attrs)) libraries.add(proto);
  for (let i = 0; i < ctx.numInputs; i++) {
    const t = ctx.input(i);
    if (t.dtype === DataType.DT_VARIANT) {
      const inner = datasetOf(t);
      const r = inner === undefined ? undefined : recorded.get(inner);
      if (r === undefined || r === null) return null;
      inputs.push({ dataset: r });
      for (const l of r.libraries) libraries.add(l);
      continue;
    }
    if (t.dtype === DataType.DT_RESOURCE) {
      const input = resourceInput(ctx, t);
      if (input === undefined) return null;
      inputs.push(input);
      continue;
    }
    inputs.push({ tensor: t });
  }
  const { op, nodeName, attrs, inputTypes, outputTypes } = c;
  return { run: { op, nodeName, attrs, inputTypes, outputTypes, seeds }, inputs, libraries };
}

/**
 * A resource input as a recipe keeps it: a dummy seed generator's or memory cache's handle (it
 * names no resource) as is; a seed generator as its state now, before the pass over this dataset
 * draws from it, so a replay draws the same seeds from a copy; a memory cache as its handle (the
 * cache itself is a durable resource); undefined for any other resource (state not kept here).
 */
function resourceInput(ctx: OpKernelContext, t: Tensor): Recorded["inputs"][number] | undefined {
  const h = (t.data as readonly ResourceHandle[])[0];
  if (t.rank !== 0 || h === undefined) return undefined;
  if (h.name === DUMMY_SEED_GENERATOR_NAME || h.name === DUMMY_MEMORY_CACHE_NAME) return { tensor: t };
  if (h.hashCode === MEMORY_CACHE_RESOURCE.hash) {
    const cache = ctx.step.resources.peek(h.container, h.name, MEMORY_CACHE_RESOURCE.name);
    return isMemoryCache(cache) ? { memoryCache: { handle: t, cache } } : undefined;
  }
  if (h.hashCode !== SEED_GENERATOR_RESOURCE.hash) return undefined;
  const gen = ctx.step.resources.peek(h.container, h.name, SEED_GENERATOR_RESOURCE.name);
  return isSeedGenerator(gen) ? { seedGenerator: gen.state } : undefined;
}

/** A recorded run as a structured-clone-able recipe, made when a pass over it starts. */
function toRecipe(r: Recorded): DatasetRecipe {
  const inputs = r.inputs.map((i): RecipeInput => {
    if ("dataset" in i) return { dataset: toRecipe(i.dataset) };
    if ("seedGenerator" in i) return i;
    if ("memoryCache" in i) {
      const { handle, cache } = i.memoryCache;
      return { memoryCache: { handle: recipeTensorOf(handle), complete: cache.elements !== undefined } };
    }
    return { tensor: recipeTensorOf(i.tensor) };
  });
  return { ...r.run, inputs };
}

const recipeTensorOf = (t: Tensor): RecipeTensor => ({
  dtype: t.dtype,
  shape: t.shape,
  data: crossingStorage(t.data),
});

function usesFunctions(attrs: AttrMap): boolean {
  return Object.values(attrs).some(
    (v) => v.value.case === "func" || (v.value.case === "list" && v.value.value.func.length > 0),
  );
}

/**
 * The durable form of a dataset's pipeline, or undefined when it cannot be replayed exactly: no
 * recipe, functions from more than one library, or a function that draws its own random seeds.
 */
export function durablePipeline(ds: object): DurablePipeline | undefined {
  const r = recorded.get(ds);
  if (r === undefined || r === null || r.libraries.size > 1) return undefined;
  const [proto] = r.libraries;
  const recipe = toRecipe(r);
  if (proto !== undefined && !functionsReplayable(recipe, proto)) return undefined;
  return {
    recipe,
    library: proto === undefined ? undefined : toBinary(FunctionDefLibrarySchema, proto),
  };
}

/** The library of a durable pipeline, as the replay builds its function runtime from it. */
export function pipelineLibrary(p: DurablePipeline): FunctionDefLibrary {
  return p.library === undefined
    ? create(FunctionDefLibrarySchema)
    : fromBinary(FunctionDefLibrarySchema, p.library);
}

/** A recorded input tensor as a tensor again. */
export function recipeTensor(t: RecipeTensor): Tensor {
  return new Tensor(t.dtype, t.shape, t.data);
}

/** Bytes a durable pipeline holds (its input tensors and library), as the memory ceiling counts them. */
export function pipelineBytes(p: DurablePipeline): number {
  const visit = (r: DatasetRecipe): number =>
    256 +
    r.inputs.reduce((sum, i) => {
      if ("dataset" in i) return sum + visit(i.dataset);
      if ("seedGenerator" in i || "memoryCache" in i) return sum + 32;
      const d = i.tensor.data;
      return sum + (ArrayBuffer.isView(d) ? d.byteLength : 8 * d.length + objectBytes(d));
    }, 0);
  return visit(p.recipe) + (p.library?.byteLength ?? 0);
}

function objectBytes(d: TensorData): number {
  let n = 0;
  for (const e of d as readonly unknown[]) if (e instanceof Uint8Array) n += e.byteLength;
  return n;
}

/**
 * False when a function the pipeline calls (directly or through other library functions) holds
 * a random op with seed and seed2 both 0: that op draws its own seeds when instantiated, so a
 * replay would not give the same elements.
 */
function functionsReplayable(recipe: DatasetRecipe, library: FunctionDefLibrary): boolean {
  const byName = new Map(library.function.map((f) => [f.signature?.name ?? "", f]));
  const pending: string[] = [];
  const addFuncs = (attrs: AttrMap) => {
    for (const v of Object.values(attrs)) {
      if (v.value.case === "func") pending.push(v.value.value.name);
      else if (v.value.case === "list") for (const f of v.value.value.func) pending.push(f.name);
    }
  };
  const visit = (r: DatasetRecipe) => {
    addFuncs(r.attrs);
    for (const i of r.inputs) if ("dataset" in i) visit(i.dataset);
  };
  visit(recipe);
  const seen = new Set<string>();
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    const f = byName.get(name);
    if (f === undefined) continue;
    for (const n of f.nodeDef) {
      if (drawsOwnSeeds(n.attr)) return false;
      if (byName.has(n.op)) pending.push(n.op);
      addFuncs(n.attr);
    }
  }
  return true;
}

function drawsOwnSeeds(attrs: AttrMap): boolean {
  const seed = attrs.seed?.value;
  if (seed?.case !== "i") return false;
  const seed2 = attrs.seed2?.value;
  return seed.value === 0n && (seed2 === undefined || (seed2.case === "i" && seed2.value === 0n));
}
