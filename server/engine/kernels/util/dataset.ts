// TensorFlow's tf.data core (core/framework/dataset.h): a dataset is an immutable description of a
// sequence of elements (tuples of tensors) held in a DT_VARIANT scalar (TF's DatasetVariantWrapper);
// an iterator walks one pass over it. Dataset kernels (RangeDataset, MapDataset, …) only build
// descriptions; nothing runs until an iterator is asked for its next element (IteratorGetNext).
//
// Iterators are asynchronous: a map function or a dataset-producing function runs through the
// function runtime with the step that asked for the element (its rendezvous, cancellation and
// memory account). Elements are materialised lazily, one at a time, so no value in a tensor (a
// huge buffer_size or batch_size) sizes an allocation up front; every tensor an iterator builds is
// charged to the step that builds it (withStepMemory), and tensors a function returns are charged to
// the step once they leave the call (adoptTensors).

import { throwIfAborted } from "../../framework/call-cancellation.js";
import { invalidArgument, isTfError, TfCode } from "../../framework/errors.js";
import type { AttrMap } from "../../framework/op-def.js";
import { getAttrList, getAttrTypeList } from "../../framework/op-def.js";
import type { OpKernelConstruction, OpKernelContext, StepContext } from "../../framework/op-kernel.js";
import { swapStepAccount, Tensor, type VariantValue, valueBytes } from "../../framework/tensor.js";
import { DataType, dataTypeString } from "../../framework/types.js";
import type { PartialShape } from "../../framework/variant.js";
import { recordDataset } from "./dataset-recipe.js";
import { type FunctionCall, instantiateFuncAttr } from "./functional-ops.js";
import { cpuKernel, type KernelConfig } from "./kernel-config.js";
import { withSeedTape } from "./seed-generator.js";
import { isCompatibleWith, partialShapeString } from "./tensor-array.js";

/** One element of a dataset: its components, in the order of the dataset's output_types. */
export type Element = readonly Tensor[];

/** TF's kInfiniteCardinality and kUnknownCardinality. */
export const INFINITE = -1;
export const UNKNOWN = -2;

/** TF's DatasetVariantWrapper type name. */
export const DATASET_TYPE_NAME = "tensorflow::DatasetVariantWrapper";

/** What an iterator sees while it produces an element (TF's IteratorContext). */
export interface IteratorContext {
  readonly step: StepContext;
  /**
   * The functions instantiated for one iterator resource (TF clones the function library runtime
   * per iterator): each MakeIterator starts with new kernels, so a random op in a map function
   * restarts its sequence when the iterator is re-initialised, as in TF.
   */
  readonly functions?: FunctionScope;
  /** What the iterator's pass keeps between GetNexts, counted as long-lived state (see hold). */
  readonly held?: HeldBytes | undefined;
  /** The id of the iterator pass (IteratorPass.id) the element is for; absent outside a pass. */
  readonly passId?: string | undefined;
}

/**
 * What an iterator pass keeps from one GetNext to the next (shuffle buffers, in-memory caches),
 * counted with the iterator in the server's memory ceiling (worker/resource-directory.ts): a
 * step's memory account frees what the step made when it ends. Each buffering iterator counts its
 * own bytes (a Holding) and the pass sums the live ones: an iterator a pass gave up mid-way (the
 * input of a take or a zip) is referred to weakly, and stops counting when its buffer is collected.
 */
export class HeldBytes {
  private readonly holdings = new Set<WeakRef<Holding>>();

  track(h: Holding): void {
    this.holdings.add(new WeakRef(h));
  }

  get bytes(): number {
    let sum = 0;
    for (const ref of this.holdings) {
      const h = ref.deref();
      if (h === undefined) this.holdings.delete(ref);
      else sum += h.bytes;
    }
    return sum;
  }
}

/** The bytes one buffering iterator keeps, reported to the pass it runs in (see HeldBytes). */
export class Holding {
  bytes = 0;
  private pass: HeldBytes | undefined;

  /** Counts an element kept (`sign` 1) or let go of (-1). */
  change(ictx: IteratorContext, e: Element, sign: 1 | -1): void {
    const held = ictx.held;
    if (held !== undefined && held !== this.pass) {
      held.track(this);
      this.pass = held;
    }
    let bytes = 0;
    for (const t of e) bytes += valueBytes(t);
    this.bytes += sign * bytes;
  }
}

/** Function instances of one iterator, by the dataset function they instantiate. */
export type FunctionScope = Map<object, FunctionCall>;

/** One pass over a dataset (TF's IteratorBase). */
export interface DatasetIterator {
  /** The next element, or undefined at the end of the sequence (then always undefined). */
  next(ictx: IteratorContext): Promise<Element | undefined>;
}

/** A dataset (TF's DatasetBase), the value of a DT_VARIANT dataset tensor. */
export abstract class Dataset implements VariantValue {
  readonly typeName = DATASET_TYPE_NAME;

  constructor(
    readonly dtypes: readonly DataType[],
    readonly shapes: readonly PartialShape[],
  ) {}

  /** A new iterator at the start of the sequence; work happens on its first next(). */
  abstract makeIterator(): DatasetIterator;

  /** Number of elements, INFINITE or UNKNOWN (TF's Cardinality). */
  abstract cardinality(): number;

  /** TF's DebugString (the dataset op's name), used in messages. */
  abstract readonly name: string;

  debugString(): string {
    return `${this.name}::Dataset`;
  }
}

export function isDataset(v: unknown): v is Dataset {
  return v instanceof Dataset;
}

/** TF's GetDatasetFromVariantTensor: input i must be a scalar holding a dataset. */
export function datasetInput(ctx: OpKernelContext, i: number): Dataset {
  return datasetFromTensor(ctx.input(i));
}

export function datasetFromTensor(t: Tensor): Dataset {
  if (t.dtype !== DataType.DT_VARIANT || t.rank !== 0) {
    throw invalidArgument("Dataset tensor must be a scalar");
  }
  const v = t.data[0];
  if (!isDataset(v)) throw invalidArgument("Tensor must be a Dataset object.");
  return v;
}

/** A dataset as a DT_VARIANT scalar. */
export function datasetTensor(ds: Dataset): Tensor {
  return new Tensor(DataType.DT_VARIANT, [], [ds]);
}

/** TF's ParseScalarArgument<int64>. */
export function int64Argument(ctx: OpKernelContext, i: number, name: string): number {
  const t = ctx.input(i);
  if (t.rank !== 0) throw invalidArgument(`${name} must be a scalar`);
  const v = (t.data as BigInt64Array)[0]!;
  // Counts and sizes beyond 2^53 behave as "practically unbounded", which a double still orders.
  return Number(v);
}

/** TF's ParseScalarArgument<bool>. */
export function boolArgument(ctx: OpKernelContext, i: number, name: string): boolean {
  const t = ctx.input(i);
  if (t.rank !== 0) throw invalidArgument(`${name} must be a scalar`);
  return (t.data as Uint8Array)[0] !== 0;
}

/** The `output_shapes` (or another list(shape)) attr as partial shapes. */
export function shapeListAttr(attrs: AttrMap, name: string): PartialShape[] {
  return getAttrList(attrs, name).shape.map((s) =>
    s.unknownRank ? undefined : s.dim.map((d) => Number(d.size)),
  );
}

/** The output_types / output_shapes pair most dataset ops carry (Toutput_types for sources). */
export function outputSignature(
  c: OpKernelConstruction,
  typesAttr = "output_types",
): { dtypes: DataType[]; shapes: PartialShape[] } {
  return { dtypes: getAttrTypeList(c.attrs, typesAttr), shapes: shapeListAttr(c.attrs, "output_shapes") };
}

/**
 * A dataset op: its kernel builds a dataset from the node's inputs once per run and outputs it.
 * `make` runs at construction (attrs, functions) and returns what each run does.
 */
export function datasetOp(
  op: KernelConfig["op"],
  make: (c: OpKernelConstruction) => (ctx: OpKernelContext) => Dataset,
): KernelConfig {
  return {
    op,
    kernel: cpuKernel(op.name, (c) => {
      const build = make(c);
      return {
        compute: (ctx) => {
          // The seeds the run draws are those a replay gives back (see dataset-recipe.ts).
          const replay = replaySeeds;
          replaySeeds = undefined;
          const { value: ds, drawn } = withSeedTape(replay, () => build(ctx));
          recordDataset(ds, c, ctx, drawn, datasetOfTensor);
          ctx.setOutput(0, datasetTensor(ds));
        },
      };
    }),
  };
}

let replaySeeds: readonly bigint[] | undefined;

/** The seeds the next dataset kernel run draws: a recipe's, when it is replayed. */
export function replayNextSeeds(seeds: readonly bigint[]): void {
  replaySeeds = seeds;
}

function datasetOfTensor(t: Tensor): Dataset | undefined {
  const v = t.rank === 0 ? t.data[0] : undefined;
  return isDataset(v) ? v : undefined;
}

// ---- memory and time -----------------------------------------------------------------------------

/**
 * Runs `fn` (synchronous) with the step's memory account charged by allocData, as a kernel's
 * compute is: an iterator runs inside an asynchronous kernel, which the executor does not charge.
 */
export function withStepMemory<T>(ictx: IteratorContext, fn: () => T): T {
  const account = ictx.step.memory;
  if (account === undefined) return fn();
  const previous = swapStepAccount(account);
  const track = account.track;
  account.track = false;
  try {
    return fn();
  } finally {
    account.track = track;
    swapStepAccount(previous);
  }
}

/**
 * Charges tensors a function call returned to the step: the call released what it allocated when
 * it ended, and an iterator that keeps them (a buffer, a cache) or passes them on holds them now.
 */
export function adoptTensors(ictx: IteratorContext, tensors: readonly Tensor[]): void {
  const account = ictx.step.memory;
  if (account === undefined) return;
  for (const t of tensors) account.add(account.ownedBytes(t));
}

const YIELD_EVERY_MS = 20;
const lastYield = new WeakMap<StepContext, number>();

/**
 * Called by loops that may pull many elements for one output (filter, skip, repeat of empty
 * inputs): fails when the step is cancelled, and hands the thread back now and then so deadlines
 * and other steps get their turn (promise chains alone never let timers run).
 */
export async function checkpoint(ictx: IteratorContext): Promise<void> {
  const { step } = ictx;
  throwIfAborted(step.signal);
  const now = performance.now();
  const last = lastYield.get(step);
  if (last === undefined) {
    lastYield.set(step, now);
    return;
  }
  if (now - last < YIELD_EVERY_MS) return;
  await new Promise<void>((resolve) => setImmediate(resolve));
  lastYield.set(step, performance.now());
  throwIfAborted(step.signal);
}

// ---- functions ---------------------------------------------------------------------------------

/**
 * TF's CapturedFunction: a `func` attr with the captured inputs (other_arguments) a run of the
 * dataset op bound, called with an element's components followed by the captures.
 */
export interface DatasetFunction extends DatasetFunctionTemplate {
  readonly captured: readonly Tensor[];
}

/** A dataset op's function attr as instantiated at construction (shared by its datasets). */
export interface DatasetFunctionTemplate {
  readonly call: FunctionCall;
  /** Instantiates the function again with new kernels (for an iterator's own FunctionScope). */
  readonly fresh: () => FunctionCall;
  /** The template itself: the key of its instances in a FunctionScope. */
  readonly template: object;
  readonly name: string;
  /** The dataset op and its iterator's name in TF's messages ("MapDataset", "Map"). */
  readonly op: string;
  readonly iteratorName: string;
}

/** The function of attr `attr`, instantiated at construction. */
export function datasetFunctionAttr(c: OpKernelConstruction, attr: string): DatasetFunctionTemplate {
  const v = c.attrs[attr];
  const func = v?.value.case === "func" ? v.value.value : undefined;
  const name = func?.name ?? attr;
  const call = instantiateFuncAttr(c, attr);
  const runtime = c.functions;
  const fresh = (): FunctionCall => {
    const again = runtime?.fresh?.();
    return again !== undefined && func !== undefined ? again.instantiate(func.name, func.attr) : call;
  };
  // TF's iterator names drop "Dataset": MapDataset's iterator is "Map".
  const t = { call, fresh, name, op: c.op, iteratorName: c.op.replace("Dataset", ""), template: {} };
  return { ...t, template: t };
}

/** Inputs [from, from + count) as the captured arguments of a function. */
export function capturedInputs(ctx: OpKernelContext, from: number, count: number): Tensor[] {
  const out: Tensor[] = [];
  for (let i = from; i < from + count; i++) out.push(ctx.input(i));
  return out;
}

/** The dataset a function dataset op makes: its input, its function (with captures), its signature. */
export type FunctionDatasetFactory = (
  input: Dataset,
  fn: DatasetFunction,
  signature: { dtypes: Dataset["dtypes"]; shapes: Dataset["shapes"] },
) => Dataset;

/**
 * A dataset op of TF's one-function shape (FilterDataset, TakeWhileDataset, FlatMapDataset): the
 * input dataset and the function's captured `other_arguments` as inputs; the function, Targuments,
 * the output signature and metadata as attrs, in TF's order.
 */
export function functionDatasetOp(
  name: string,
  funcAttr: string,
  make: FunctionDatasetFactory,
): KernelConfig {
  return datasetOp(
    {
      name,
      inputs: ["input_dataset: variant", "other_arguments: Targuments"],
      outputs: ["handle: variant"],
      attrs: [
        `${funcAttr}: func`,
        "Targuments: list(type) >= 0",
        "output_types: list(type) >= 1",
        "output_shapes: list(shape) >= 1",
        "metadata: string = ''",
      ],
    },
    (c) => {
      const signature = outputSignature(c);
      const fn = datasetFunctionAttr(c, funcAttr);
      const numCaptured = getAttrTypeList(c.attrs, "Targuments").length;
      return (ctx) =>
        make(datasetInput(ctx, 0), { ...fn, captured: capturedInputs(ctx, 1, numCaptured) }, signature);
    },
  );
}

/** The function's instance for this iterator (made on its first call), or the shared one. */
function instanceOf(ictx: IteratorContext, f: DatasetFunction): FunctionCall {
  const scope = ictx.functions;
  if (scope === undefined) return f.call;
  let call = scope.get(f.template);
  if (call === undefined) {
    call = f.fresh();
    scope.set(f.template, call);
  }
  return call;
}

const functionSteps = new WeakMap<StepContext, StepContext>();

/**
 * The step a dataset function runs in: the iterator's step, except that a failing call does not
 * abort the step's rendezvous (as a failed kernel does): the iterator decides what its failure
 * means (ignore_errors skips it, a map ends at OUT_OF_RANGE), as TF's functions run by tf.data do.
 */
function functionStep(step: StepContext): StepContext {
  let s = functionSteps.get(step);
  if (s === undefined) {
    const r = step.rendezvous;
    s = {
      ...step,
      rendezvous: { send: (k, v) => r.send(k, v), recv: (k, sig) => r.recv(k, sig), abort: () => {} },
    };
    functionSteps.set(step, s);
  }
  return s;
}

/** Runs a dataset function on an element; its results are charged to the step. */
export async function callFunction(
  ictx: IteratorContext,
  f: DatasetFunction,
  args: readonly Tensor[],
): Promise<Tensor[]> {
  let rets: Tensor[];
  try {
    rets = await instanceOf(ictx, f)([...args, ...f.captured], functionStep(ictx.step));
  } catch (e) {
    // TF names the transformation whose function failed; OUT_OF_RANGE is a map's end of input.
    if (!isTfError(e) || e.code === TfCode.OUT_OF_RANGE || e.code === TfCode.CANCELLED) throw e;
    throw e.withPrefix(
      `Error in user-defined function passed to ${f.op} transformation with iterator: ` +
        `Iterator::Root::${f.iteratorName}: `,
    );
  }
  adoptTensors(ictx, rets);
  return rets;
}

/** A function that must return one dataset (flat_map, interleave): TF's MakeIteratorFromInputElement. */
export async function callDatasetFunction(
  ictx: IteratorContext,
  f: DatasetFunction,
  args: readonly Tensor[],
): Promise<Dataset> {
  const rets = await callFunction(ictx, f, args);
  const t = rets[0];
  if (rets.length !== 1 || t === undefined || t.dtype !== DataType.DT_VARIANT || t.rank !== 0) {
    throw invalidArgument(
      `Function ${f.name} must return a single scalar of dtype DT_VARIANT, which represents a dataset.`,
    );
  }
  return datasetFromTensor(t);
}

/** TF's VerifyTypesMatch: a function's or dataset's component types against the expected ones. */
export function verifyTypes(expected: readonly DataType[], got: readonly DataType[]): void {
  if (expected.length !== got.length) {
    throw invalidArgument(
      `Number of components does not match: expected ${expected.length} types but got ${got.length}.`,
    );
  }
  got.forEach((t, i) => {
    if (t !== expected[i]) {
      throw invalidArgument(
        `Data type mismatch at component ${i}: expected ${dataTypeString(expected[i]!)} but got ${dataTypeString(t)}.`,
      );
    }
  });
}

/** TF's VerifyShapesCompatible. */
export function verifyShapes(expected: readonly PartialShape[], got: readonly PartialShape[]): void {
  if (expected.length !== got.length) {
    throw invalidArgument(
      `Number of components does not match: expected ${expected.length} shapes but got ${got.length}.`,
    );
  }
  got.forEach((s, i) => {
    if (!isCompatibleWith(expected[i], s)) {
      throw invalidArgument(
        `Incompatible shapes at component ${i}: expected ${partialShapeString(expected[i])} but got ${partialShapeString(s)}.`,
      );
    }
  });
}

/** An element's types and shapes as the iterator's output_types/output_shapes must accept them. */
export function verifyElement(
  dtypes: readonly DataType[],
  shapes: readonly PartialShape[],
  element: Element,
): void {
  verifyTypes(
    dtypes,
    element.map((t) => t.dtype),
  );
  verifyShapes(
    shapes,
    element.map((t) => t.shape),
  );
}

/** A function's results must match the dataset's declared output types (TF's map function check). */
export function checkFunctionOutputs(f: DatasetFunction, dtypes: readonly DataType[], rets: Element): void {
  if (rets.length !== dtypes.length) {
    throw invalidArgument(
      `Function ${f.name} returned ${rets.length} components, but the dataset's output_types has ${dtypes.length}.`,
    );
  }
  rets.forEach((t, i) => {
    if (t.dtype !== dtypes[i]) {
      throw invalidArgument(
        `Function ${f.name} returned a ${dataTypeString(t.dtype)} in component ${i}, but the dataset's output_types has ${dataTypeString(dtypes[i]!)}.`,
      );
    }
  });
}

/** An iterator over a fixed array of elements (cache replays, tests). */
export function arrayIterator(elements: readonly Element[]): DatasetIterator {
  let i = 0;
  return {
    next: async () => (i < elements.length ? elements[i++] : undefined),
  };
}
