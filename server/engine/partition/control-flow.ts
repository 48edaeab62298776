// TensorFlow's AddControlFlow (core/graph/graph_partition.cc) and BuildControlFlowInfo
// (core/graph/control_flow.cc): what lets a v1 while-loop frame span devices.
//
// A device that holds part of a frame but not its LoopCond cannot tell by itself whether another
// iteration starts, so TF gives it a synthetic "control loop" that runs in the frame on behalf of
// the leader (the device with the LoopCond):
//
//   Const (root frame) → _cloop Enter → _cloop Merge ⇄ _cloop NextIteration
//                                           ↓              ↑
//                                       _cloop Switch(pred = LoopCond, sent from the leader) :1
//
// Every node of the frame on that device that receives a value across devices gets a control edge
// from the control loop's Merge (Partition moves it onto the _Recv), so the _Recv runs once per
// iteration, in that iteration. Nested frames stack: the outer control loop's Merge feeds the inner
// one's Enter. There is no _cloop Exit: the last iteration's pred is false, the Switch's true output
// is dead, the dead NextIteration ends the loop there (as in TF).
//
// Before that TF's OptimizeControlFlowColocation moves Switch next to its data input, Exit next to
// its input, and (non-ref) Enter and NextIteration next to their first data consumer, which keeps
// a loop's own plumbing on one device as far as it can.

import { create } from "@bufbuild/protobuf";
import { type AttrValue, AttrValueSchema } from "../../../gen/tensorflow/core/framework/attr_value_pb.js";
import { TensorProtoSchema } from "../../../gen/tensorflow/core/framework/tensor_pb.js";
import { TensorShapeProtoSchema } from "../../../gen/tensorflow/core/framework/tensor_shape_pb.js";
import { boolAttr, intAttr, stringAttr, typeAttr } from "../framework/attr-value.js";
import { invalidArgument } from "../framework/errors.js";
import type { AttrMap } from "../framework/op-def.js";
import { runToEnd, type Sliced, YIELD_EVERY } from "../framework/slices.js";
import { DataType, isRefType } from "../framework/types.js";
import { type Graph, isNextIteration, isSwitch, type Node } from "../graph/graph.js";

/** A node of the graph being partitioned: an original node, or one AddControlFlow added. */
export interface PartNode {
  readonly id: number;
  readonly name: string;
  readonly op: string;
  /** The device it runs on (after OptimizeControlFlowColocation). */
  readonly device: string;
  readonly attrs: AttrMap;
  readonly inputTypes: readonly DataType[];
  readonly outputTypes: readonly DataType[];
  /** Data in-edges (slot order), then control in-edges. */
  readonly inEdges: PartEdge[];
  readonly outEdges: PartEdge[];
  /** True for the Merge of a control loop (its control edges become ^merge on _Recv nodes). */
  readonly isControlLoopMerge: boolean;
  /** The graph node's original names (graph.ts), carried into the partition's NodeDef. */
  readonly originalNames?: readonly string[];
}

/** src:srcOutput → dst:dstInput; both slots -1 for a control edge. */
export interface PartEdge {
  readonly src: PartNode;
  readonly srcOutput: number;
  readonly dst: PartNode;
  readonly dstInput: number;
}

export interface ControlFlowOptions {
  /**
   * Names the nodes AddControlFlow adds. TF's master names them "<prefix>_S<n>" (it adds the
   * control flow when it partitions by task; the workers' per-device pass does not add it again).
   */
  readonly newName: (prefix: string) => string;
}

/**
 * The graph to partition: the placed graph with TF's control-flow colocation applied and, for every
 * frame that spans devices, the control loops added. Throws TF's INVALID_ARGUMENT for malformed
 * frames.
 */
export function addControlFlow(graph: Graph, options: ControlFlowOptions): PartNode[] {
  return runToEnd(addControlFlowSliced(graph, options));
}

/** addControlFlow as a sliced pass (framework/slices.ts); `graph` is only read. */
// long-function: TF's AddControlFlow (graph_partition.cc): the per-frame control loops are built from shared per-device maps in TF's order; split, the state would travel through many parameters.
export function* addControlFlowSliced(graph: Graph, options: ControlFlowOptions): Sliced<PartNode[]> {
  const devices = graph.nodes.map((n) => n.assignedDevice);
  yield* optimizeControlFlowColocation(graph, devices);
  let k = 0;
  const nodes: PartNode[] = [];
  for (const n of graph.nodes) {
    if (++k % YIELD_EVERY === 0) yield;
    nodes.push({
      id: n.id,
      name: n.name,
      op: n.op,
      device: devices[n.id]!,
      attrs: n.attrs,
      inputTypes: n.inputTypes,
      outputTypes: n.outputTypes,
      inEdges: [],
      outEdges: [],
      isControlLoopMerge: false,
      ...(n.originalNames ? { originalNames: n.originalNames } : {}),
    });
  }
  const originalEdges: PartEdge[] = [];
  for (const dst of graph.nodes) {
    if (++k % YIELD_EVERY === 0) yield;
    for (const e of dst.inEdges)
      originalEdges.push(connect(nodes[e.src.id]!, e.srcOutput, nodes[dst.id]!, e.dstInput));
  }
  // Always, as TF's AddControlFlow does: a node fed from two frames fails here, not in a hung step.
  const cf = yield* buildControlFlowInfo(graph);
  if (!devices.some((d) => d !== devices[0])) return nodes; // one device: nothing spans devices

  // Frame info of the nodes added below (they belong to the frame they were made for).
  const frameOfNew = new Map<number, number>(); // added node id → frame node id (-1 root)
  const frameNodeOf = (id: number): number => (id < graph.nodes.length ? cf.frame[id]! : frameOfNew.get(id)!);
  const frameName = (frameNode: number): string => (frameNode < 0 ? "" : cf.frameName[frameNode]!);
  const parentOf = (frameNode: number): number => (frameNode < 0 ? -1 : cf.parentFrame[frameNode]!);
  /** The frame a node's outputs live in (TF's OutputFrame: an Exit's are in the parent frame). */
  const outputFrame = (n: PartNode): number => (isExit(n) ? parentOf(frameNodeOf(n.id)) : frameNodeOf(n.id));
  /** The frame a node's inputs come from (TF's InputFrame: an Enter's are in the parent frame). */
  const inputFrame = (n: PartNode): number => (isEnter(n) ? parentOf(frameNodeOf(n.id)) : frameNodeOf(n.id));

  const loopCondOf = new Map<string, PartNode>();
  for (const n of graph.nodes) {
    if (n.op === "LoopCond" && cf.frame[n.id]! >= 0) loopCondOf.set(frameName(cf.frame[n.id]!), nodes[n.id]!);
  }

  const add = (
    name: string,
    op: string,
    device: string,
    attrs: AttrMap,
    inputTypes: DataType[],
    outputTypes: DataType[],
    frameNode: number,
  ): PartNode => {
    const n: PartNode = {
      id: nodes.length,
      name,
      op,
      device,
      attrs,
      inputTypes,
      outputTypes,
      inEdges: [],
      outEdges: [],
      isControlLoopMerge: op === "Merge" && name.startsWith("_cloop"),
    };
    nodes.push(n);
    frameOfNew.set(n.id, frameNode);
    return n;
  };

  interface ControlLoop {
    readonly enter: PartNode;
    readonly merge: PartNode;
  }
  const controlLoops = new Map<string, ControlLoop>(); // "<frame>$$<device>"
  const F = DataType.DT_FLOAT;
  const T = { T: typeAttr(F) };

  /** TF's AddControlLoop: Enter → Merge ⇄ NextIteration ← Switch:1, the Switch gated by loopCond. */
  const addControlLoop = (frameNode: number, dst: PartNode, loopCond: PartNode): ControlLoop => {
    // A frame node is the Enter that opened the frame; the control loop copies its parallel_iterations.
    const parallelIterations = graph.nodes[frameNode]!.attrs.parallel_iterations ?? intAttr(10);
    const enterName = `_cloop${options.newName(dst.name)}`;
    const mergeName = `_cloop${options.newName(dst.name)}`;
    const switchName = `_cloop${options.newName(dst.name)}`;
    const nextName = `_cloop${options.newName(dst.name)}`;
    const attrs = {
      ...T,
      frame_name: stringAttr(frameName(frameNode)),
      is_constant: boolAttr(false),
      parallel_iterations: parallelIterations,
    };
    const enter = add(enterName, "Enter", dst.device, attrs, [F], [F], frameNode);
    const merge = add(
      mergeName,
      "Merge",
      dst.device,
      { ...T, N: intAttr(2) },
      [F, F],
      [F, DataType.DT_INT32],
      frameNode,
    );
    const sw = add(switchName, "Switch", dst.device, T, [F, DataType.DT_BOOL], [F, F], frameNode);
    const next = add(nextName, "NextIteration", dst.device, T, [F], [F], frameNode);
    connect(merge, 0, sw, 0);
    connect(loopCond, 0, sw, 1);
    connect(sw, 1, next, 0);
    connect(enter, 0, merge, 0);
    connect(next, 0, merge, 1);
    return { enter, merge };
  };

  /** Cross-device edges whose ends are in the same (non-root) frame, in TF's sense. */
  const inFrameCrossDevice = (e: PartEdge): number | undefined => {
    if (e.src.device === e.dst.device) return undefined;
    const srcFrame = outputFrame(e.src);
    const dstFrame = inputFrame(e.dst);
    if (srcFrame < 0 || frameName(srcFrame) !== frameName(dstFrame)) return undefined;
    return srcFrame;
  };

  for (const e of originalEdges) {
    if (++k % YIELD_EVERY === 0) yield;
    const start = inFrameCrossDevice(e);
    if (start === undefined) continue;
    let frame = start;
    let child: ControlLoop | undefined;
    for (;;) {
      const name = frameName(frame);
      if (name === "") {
        // The root: the outermost control loop starts from a Const on the destination device.
        if (child !== undefined) {
          const c = add(
            options.newName(e.dst.name),
            "Const",
            e.dst.device,
            emptyFloatConstAttrs(),
            [],
            [F],
            -1,
          );
          connect(c, 0, child.enter, 0);
        }
        break;
      }
      const key = `${name}$$${e.dst.device}`;
      const existing = controlLoops.get(key);
      if (existing !== undefined) {
        if (child !== undefined) connect(existing.merge, 0, child.enter, 0);
        break;
      }
      const loopCond = loopCondOf.get(name);
      if (loopCond === undefined)
        throw invalidArgument(`A cross-device loop must have a pivot predicate: ${name}`);
      const loop = addControlLoop(frame, e.dst, loopCond);
      controlLoops.set(key, loop);
      if (child !== undefined) connect(loop.merge, 0, child.enter, 0);
      frame = parentOf(frame);
      child = loop;
    }
  }

  // On the destination device, a control edge from the control loop's Merge to the destination of
  // every in-frame cross-device edge (the new ones included: the LoopCond → _cloop Switch edges).
  // Partition turns each into ^merge on the _Recv it creates for the edge.
  const allEdges: PartEdge[] = [];
  for (const n of nodes) allEdges.push(...n.inEdges);
  for (const e of allEdges) {
    if (++k % YIELD_EVERY === 0) yield;
    const frame = inFrameCrossDevice(e);
    if (frame === undefined) continue;
    const loop = controlLoops.get(`${frameName(frame)}$$${e.dst.device}`)!;
    connect(loop.merge, -1, e.dst, -1);
  }
  return nodes;
}

function connect(src: PartNode, srcOutput: number, dst: PartNode, dstInput: number): PartEdge {
  const e: PartEdge = { src, srcOutput, dst, dstInput };
  src.outEdges.push(e);
  if (dstInput >= 0) {
    // Keep data in-edges before control in-edges, in slot order.
    const at = dst.inEdges.findIndex((x) => x.dstInput < 0 || x.dstInput > dstInput);
    if (at < 0) dst.inEdges.push(e);
    else dst.inEdges.splice(at, 0, e);
  } else {
    dst.inEdges.push(e);
  }
  return e;
}

/** The dummy Const TF adds (DT_FLOAT, shape [0]). */
export function emptyFloatConstAttrs(): AttrMap {
  return {
    dtype: typeAttr(DataType.DT_FLOAT),
    value: create(AttrValueSchema, {
      value: {
        case: "tensor",
        value: create(TensorProtoSchema, {
          dtype: DataType.DT_FLOAT,
          tensorShape: create(TensorShapeProtoSchema, { dim: [{ size: 0n }] }),
        }),
      },
    }) as AttrValue,
  };
}

/**
 * TF's OptimizeControlFlowColocation, as a pre-order DFS from the sources (TF walks from its
 * SOURCE node; a stack, so the last out-edge is explored first).
 */
function* optimizeControlFlowColocation(graph: Graph, devices: string[]): Sliced<void> {
  const visited = new Uint8Array(graph.nodes.length);
  const stack: Node[] = graph.nodes.filter((n) => n.inEdges.length === 0);
  const visit = (node: Node) => {
    if (isSwitch(node)) {
      const data = node.inEdges.find((e) => e.dstInput === 0);
      if (data) devices[node.id] = devices[data.src.id]!;
    } else if (isExit(node)) {
      const data = node.inEdges.find((e) => e.dstInput >= 0);
      if (data) devices[node.id] = devices[data.src.id]!;
    } else if ((isEnter(node) && !isRefType(node.inputTypes[0]!)) || isNextIteration(node)) {
      const out = node.outEdges.find((e) => e.dstInput >= 0);
      if (out) devices[node.id] = devices[out.dst.id]!;
    }
  };
  let k = 0;
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (visited[n.id]) continue;
    if (++k % YIELD_EVERY === 0) yield;
    visited[n.id] = 1;
    visit(n);
    for (const e of n.outEdges) if (!visited[e.dst.id]) stack.push(e.dst);
  }
}

/** Per node: its frame (the Enter node that opened it, -1 for the root) and the frame's parent. */
interface ControlFlowInfo {
  /** Node id → frame node id (-1 root). The Enter of a frame is its own frame node. */
  readonly frame: Int32Array;
  /** Frame node id → its parent's frame node id (-1 root); indexed by node id. */
  readonly parentFrame: Int32Array;
  /** Frame node id → frame_name (only meaningful for frame nodes). */
  readonly frameName: string[];
}

/**
 * TF's BuildControlFlowInfo: breadth-first from the sources, an Enter opens its frame_name, an
 * Exit returns to the parent frame; a node reached from two frames is INVALID_ARGUMENT.
 */
// long-function: TF's BuildControlFlowInfo, one breadth-first walk with its frame checks, as a sliced pass.
function* buildControlFlowInfo(graph: Graph): Sliced<ControlFlowInfo> {
  const n = graph.nodes.length;
  const frame = new Int32Array(n).fill(-1);
  const parentFrame = new Int32Array(n).fill(-1);
  const frameName: string[] = new Array(n).fill("");
  const parentNode = new Int32Array(n).fill(-2); // -2 = not reached yet
  const queue: number[] = [];
  for (const node of graph.nodes) {
    if (node.inEdges.length === 0) {
      parentNode[node.id] = -1;
      queue.push(node.id);
    }
  }
  const nameOf = (f: number) => (f < 0 ? "" : frameName[f]!);
  const mismatch = (out: Node, curr: Node, currFrame: string, otherFrame: string) =>
    invalidArgument(
      `${formatNode(out)} has inputs from different frames. The input ${formatNode(curr)} is in frame '${currFrame}'. The input ${formatNode(graph.nodes[parentNode[out.id]!]!)} is in frame '${otherFrame}'.`,
    );
  for (let q = 0; q < queue.length; q++) {
    if (q % YIELD_EVERY === 0) yield;
    const curr = graph.nodes[queue[q]!]!;
    let f = frame[curr.id]!;
    if (isExit(curr)) f = f < 0 ? -1 : parentFrame[f]!; // an Exit's outputs are in the parent frame
    const currFrameName = nameOf(f);
    for (const e of curr.outEdges) {
      const out = e.dst;
      const visited = parentNode[out.id] !== -2;
      if (isEnter(out)) {
        if (visited) {
          const outer = parentFrame[out.id]!;
          if (nameOf(outer) !== currFrameName) throw mismatch(out, curr, currFrameName, nameOf(outer));
        } else {
          const name = enterFrameName(out);
          if (name === "") throw invalidArgument(`The Enter ${formatNode(out)} must have a frame name.`);
          frame[out.id] = out.id;
          parentFrame[out.id] = f;
          frameName[out.id] = name;
        }
      } else if (visited) {
        if (nameOf(frame[out.id]!) !== currFrameName) {
          throw mismatch(out, curr, currFrameName, nameOf(frame[out.id]!));
        }
      } else {
        frame[out.id] = f;
      }
      if (!visited) {
        parentNode[out.id] = curr.id;
        queue.push(out.id);
      }
    }
  }
  return { frame, parentFrame, frameName };
}

/** TF's FormatNodeForError. */
function formatNode(node: Node): string {
  return `{{node ${node.name}}}`;
}

function enterFrameName(node: Node): string {
  const v = node.attrs.frame_name?.value;
  return v?.case === "s" ? new TextDecoder().decode(v.value) : "";
}

function isEnter(n: { op: string }): boolean {
  return n.op === "Enter" || n.op === "RefEnter";
}

function isExit(n: { op: string }): boolean {
  return n.op === "Exit" || n.op === "RefExit";
}
