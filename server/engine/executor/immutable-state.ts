// What an executor knows before any step runs (TF's ImmutableExecutorState,
// core/common_runtime/immutable_executor_state.cc): one item per node with its kernel (created
// once, as TF's GraphMgr::InitItem does), its out edges, its pending count at the start of a step,
// and the static frame it belongs to (TF's BuildControlFlowInfo). Read-only while steps run, so
// one executor can run several steps at once.

import { invalidArgument } from "../framework/errors.js";
import { callKernel, type FunctionRuntime } from "../framework/function.js";
import {
  type AnyOpKernel,
  type DeviceInfo,
  findKernel,
  isAsyncKernel,
  type KernelRegistration,
} from "../framework/op-kernel.js";
import { isRefType } from "../framework/types.js";
import { type Graph, isMerge, isNextIteration, type Node } from "../graph/graph.js";
import { type InternalErrorHook, wrapNodeError } from "./node-error.js";

/** How the executor moves a node's outputs between frames and iterations. */
export enum NodeKind {
  Plain = 0,
  Enter = 1,
  Exit = 2,
  NextIteration = 3,
}

/** One node as the executor runs it (TF's NodeItem). */
export interface Item {
  readonly node: Node;
  readonly kernel: AnyOpKernel;
  readonly isAsync: boolean;
  readonly isMerge: boolean;
  readonly isTransfer: boolean;
  readonly isControlTrigger: boolean;
  /** The outputs the client fetches (they feed a client-terminated _Send); usually none. */
  readonly fetchedOutputs: readonly number[];
  readonly numInputs: number;
  /** Where the node's inputs start in an iteration's input slots. */
  readonly inputStart: number;
  readonly numControlIn: number;
  /** Pending count at the start of a step (data + control in-edges). */
  readonly initialPending: number;
  /** Out edges: [dst item index, dst input slot (-1 control), src output (-1 control)]. */
  readonly out: readonly (readonly [number, number, number])[];
  readonly inputIsRef: readonly boolean[];
  /**
   * Per data input: its value reaches this input slot and no other (see soleReaderInputs), so an
   * owned value there may be written by this node's kernel (OpKernelContext.forwardableInput).
   */
  readonly soleReader: readonly boolean[];
  /**
   * The data inputs whose value is dead once this node has run: read by this input alone, made by
   * a kernel of this partition (not received), and this node's kernel keeps no input
   * (OpKernel.keepsNoInput). An owned value there goes back to the thread's storage pool.
   */
  readonly releasedInputs: readonly number[];
  readonly requestedInputs: readonly string[];
  /** Static frame of the node (index into frames; 0 = root). */
  readonly frame: number;
  readonly kind: NodeKind;
  /** For Enter: the child frame it enters (-1 otherwise), and its is_constant. */
  readonly enterFrame: number;
  readonly enterConstant: boolean;
}

/** A static frame: the root (index 0) or a while loop's frame_name. */
export interface StaticFrame {
  readonly name: string;
  readonly parent: number;
  /** How many Enter nodes feed an instance of this frame (it is done only after all arrived). */
  readonly numEnters: number;
  /** Exit nodes of this frame (each leaves once per finished instance, or dead). */
  readonly exits: readonly number[];
  /** The Enter's parallel_iterations: how many iterations may be alive at once (TF's cap). */
  readonly parallelIterations: number;
}

export interface ImmutableExecutorState {
  readonly graph: Graph;
  /** One item per node, indexed by node id. */
  readonly items: readonly Item[];
  readonly frames: readonly StaticFrame[];
  /** Input slots of all items together (the size of an iteration's input array). */
  readonly totalInputs: number;
  /** Nodes with no in-edges: ready when a step starts. */
  readonly roots: readonly number[];
}

/** What building the items needs from the executor's options. */
export interface ItemBuildOptions {
  readonly device: DeviceInfo;
  readonly functions?: FunctionRuntime | undefined;
  readonly sessionHandle?: string | undefined;
  readonly onInternalError?: InternalErrorHook | undefined;
}

/** Creates every node's kernel (construction errors throw here) and the step-independent state. */
export function buildImmutableState(graph: Graph, options: ItemBuildOptions): ImmutableExecutorState {
  const { frameOf, frames, enterTarget } = analyzeFrames(graph);
  const items: Item[] = [];
  let inputOffset = 0;
  for (const node of graph.nodes) {
    const requestedInputs = requestedInputsOf(node);
    const kernel = createKernel(node, requestedInputs, options);
    const soleReader = soleReaderInputs(node, frameOf);
    items.push({
      node,
      kernel,
      isAsync: isAsyncKernel(kernel),
      isMerge: isMerge(node),
      isTransfer: isTransferOp(node.op),
      isControlTrigger: node.op === "ControlTrigger",
      fetchedOutputs: fetchedOutputsOf(node),
      numInputs: node.inputTypes.length,
      inputStart: inputOffset,
      numControlIn: node.inEdges.filter((e) => e.dstInput < 0).length,
      initialPending: node.inEdges.length,
      out: node.outEdges.map((e) => [e.dst.id, e.dstInput, e.srcOutput] as const),
      inputIsRef: node.inputTypes.map(isRefType),
      soleReader,
      releasedInputs: releasedInputsOf(node, kernel, soleReader),
      requestedInputs,
      frame: frameOf[node.id]!,
      kind: nodeKind(node),
      enterFrame: enterTarget[node.id] ?? -1,
      enterConstant:
        isEnter(node) &&
        node.attrs.is_constant?.value.case === "b" &&
        node.attrs.is_constant.value.value === true,
    });
    inputOffset += node.inputTypes.length;
  }
  const roots = items.filter((it) => it.initialPending === 0).map((it) => it.node.id);
  return { graph, items, frames, totalInputs: inputOffset, roots };
}

/** The outputs of `node` that feed a client-terminated _Send (subgraph.ts's fetch nodes). */
function fetchedOutputsOf(node: Node): number[] {
  const fetched: number[] = [];
  for (const e of node.outEdges) {
    const dst = e.dst;
    const clientSend =
      dst.op === "_Send" &&
      dst.attrs.client_terminated?.value.case === "b" &&
      dst.attrs.client_terminated.value.value === true;
    if (clientSend && e.srcOutput >= 0 && !fetched.includes(e.srcOutput)) fetched.push(e.srcOutput);
  }
  return fetched;
}

/**
 * For each data input of `node`, whether the value arriving there is read by this input alone: its
 * source is a plain node of the same frame (Enter, Exit and NextIteration pass a value on to other
 * iterations or frames; a Merge passes one of several) whose output has no other out edge (a fetch
 * or another device's _Send is an out edge too). Such a value reaches exactly one input slot per
 * iteration, which is what TF's forward_input asks of the buffer's reference count.
 */
function soleReaderInputs(node: Node, frameOf: ArrayLike<number>): boolean[] {
  const sole: boolean[] = new Array(node.inputTypes.length).fill(false);
  for (const e of node.inEdges) {
    if (e.dstInput < 0 || isRefType(node.inputTypes[e.dstInput]!)) continue;
    const src = e.src;
    if (nodeKind(src) !== NodeKind.Plain || isMerge(src) || frameOf[src.id] !== frameOf[node.id]) continue;
    let readers = 0;
    for (const out of src.outEdges) if (out.srcOutput === e.srcOutput) readers++;
    sole[e.dstInput] = readers === 1;
  }
  return sole;
}

/** Item.releasedInputs: sole readers of values a kernel here made, when the kernel keeps none. */
function releasedInputsOf(node: Node, kernel: AnyOpKernel, soleReader: readonly boolean[]): number[] {
  if (isAsyncKernel(kernel) || kernel.keepsNoInput !== true) return [];
  const released: number[] = [];
  for (const e of node.inEdges) {
    if (e.dstInput >= 0 && soleReader[e.dstInput] === true && !isTransferOp(e.src.op))
      released.push(e.dstInput);
  }
  return released;
}

function isTransferOp(op: string): boolean {
  return op === "_Send" || op === "_Recv" || op === "_HostSend" || op === "_HostRecv";
}

/** The names of a node's data inputs as its NodeDef spells them ("x", "y:1"), for messages. */
function requestedInputsOf(node: Node): string[] {
  const requested: string[] = new Array(node.inputTypes.length).fill("");
  for (const e of node.inEdges) {
    if (e.dstInput >= 0)
      requested[e.dstInput] = e.srcOutput === 0 ? e.src.name : `${e.src.name}:${e.srcOutput}`;
  }
  return requested;
}

function createKernel(
  node: Node,
  requestedInputs: readonly string[],
  options: ItemBuildOptions,
): AnyOpKernel {
  const reg = node.opDef.isFunction
    ? functionCallKernel(options.functions)
    : findKernel(node.op, options.device.type);
  if (reg === undefined) {
    throw invalidArgument(
      `No OpKernel was registered to support Op '${node.op}' used by {{node ${node.name}}} with these attrs.  ` +
        `Registered devices: [${options.device.type}]`,
    );
  }
  try {
    return reg.create({
      nodeName: node.name,
      op: node.op,
      opDef: node.opDef,
      attrs: node.attrs,
      inputTypes: node.inputTypes,
      outputTypes: node.outputTypes,
      requestedInputs,
      device: options.device,
      functions: options.functions,
      sessionHandle: options.sessionHandle,
    });
  } catch (e) {
    throw wrapNodeError(e, node, options.onInternalError);
  }
}

/** The kernel of a node that calls a library function by name (TF's CallOp). */
function functionCallKernel(functions: FunctionRuntime | undefined): KernelRegistration | undefined {
  if (functions === undefined) return undefined;
  return {
    op: "",
    deviceTypes: ["CPU"],
    create: (c) => callKernel(functions.instantiate(c.op, c.attrs)),
  };
}

function nodeKind(node: Node): NodeKind {
  if (isEnter(node)) return NodeKind.Enter;
  if (isExit(node)) return NodeKind.Exit;
  if (isNextIteration(node)) return NodeKind.NextIteration;
  return NodeKind.Plain;
}

function isEnter(n: { op: string }): boolean {
  return n.op === "Enter" || n.op === "RefEnter";
}

function isExit(n: { op: string }): boolean {
  return n.op === "Exit" || n.op === "RefExit";
}

interface MutableFrame {
  name: string;
  parent: number;
  numEnters: number;
  exits: number[];
  parallelIterations: number;
}

/**
 * TF's BuildControlFlowInfo: the static frame of every node (breadth-first from the sources; Enter
 * opens its frame_name, Exit returns to the parent), with each frame's Enter count and Exits.
 */
function analyzeFrames(graph: Graph): {
  frameOf: Int32Array;
  frames: StaticFrame[];
  enterTarget: (number | undefined)[];
} {
  const n = graph.nodes.length;
  const frameOf = new Int32Array(n).fill(-1);
  const enterTarget: (number | undefined)[] = new Array(n);
  const frames: MutableFrame[] = [{ name: "", parent: -1, numEnters: 0, exits: [], parallelIterations: 1 }];
  const byName = new Map<string, number>();
  const queue: number[] = [];
  for (const node of graph.nodes) {
    if (node.inEdges.length === 0) {
      frameOf[node.id] = 0;
      queue.push(node.id);
    }
  }
  for (let q = 0; q < queue.length; q++) {
    const node = graph.nodes[queue[q]!]!;
    const here = frameOf[node.id]!;
    let out = here;
    if (isEnter(node)) {
      out = frameForEnter(node, here, frames, byName);
      enterTarget[node.id] = out;
    } else if (isExit(node)) {
      out = frames[here]!.parent;
      if (out < 0) throw invalidArgument(`Exit node ${node.name} is not inside a while loop frame`);
    }
    for (const e of node.outEdges) {
      if (frameOf[e.dst.id] === -1) {
        frameOf[e.dst.id] = out;
        queue.push(e.dst.id);
      }
    }
  }
  for (const node of graph.nodes) {
    if (frameOf[node.id] === -1) frameOf[node.id] = 0; // unreachable from sources (back edges only)
    if (isEnter(node)) frames[enterTarget[node.id]!]!.numEnters++;
    if (isExit(node)) frames[frameOf[node.id]!]!.exits.push(node.id);
  }
  return { frameOf, frames, enterTarget };
}

/** The frame an Enter opens (its frame_name), created on first sight with its parallel_iterations. */
function frameForEnter(
  node: Node,
  parent: number,
  frames: MutableFrame[],
  byName: Map<string, number>,
): number {
  const name =
    node.attrs.frame_name?.value.case === "s"
      ? new TextDecoder().decode(node.attrs.frame_name.value.value)
      : "";
  let f = byName.get(name);
  if (f === undefined) {
    f = frames.length;
    const pi = node.attrs.parallel_iterations?.value;
    const parallelIterations = pi?.case === "i" && pi.value > 0n ? Number(pi.value) : 10;
    frames.push({ name, parent, numEnters: 0, exits: [], parallelIterations });
    byName.set(name, f);
  }
  return f;
}
