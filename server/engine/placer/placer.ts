// TensorFlow's Placer (core/common_runtime/placer.cc): assigns every node of a graph a device,
// honouring colocation groups (colocation-graph.ts), requested devices, kernel availability and
// allow_soft_placement, with TF's heuristics and TF 2.21's error texts.
//
//  1. Stateful nodes placed by an earlier Create/Extend get their old device back (TF's
//     GraphExecutionState::RestoreStatefulNodes); nodes that carry a device keep it.
//  2. The ColocationGraph is built: resource/ref edges, then `_class` "loc:@…" groups. Errors here
//     come back as TF returns them (no "Cannot assign a device …" prefix).
//  3. First pass, in TF's node order: every node except "generators" (no inputs, one non-ref
//     output: Const, Placeholder, VarHandleOp …) gets the first candidate device of its group,
//     except that metadata ops (Shape, Size, Rank; Heuristic B) and a lone Identity between nodes
//     with equal requested devices (MatchIdentityOperation) follow their input's device when allowed.
//  4. Second pass: generators go to their consumers' device when all consumers share one and it is
//     allowed (Heuristic A), else to the first candidate.
// Each assignment pins the node's whole group to that device. Errors while choosing a device are
// INVALID_ARGUMENT "Cannot assign a device for operation <n>: …".
//
// The Placer is built with default_local_device = nullptr (as the master's is), so the first
// candidate is simply the first device in priority order.

import type { Device } from "../device/device-set.js";
import { TfError } from "../framework/errors.js";
import { runToEnd, type Sliced, YIELD_EVERY } from "../framework/slices.js";
import { DataType, isRefType } from "../framework/types.js";
import { type Edge, type Graph, isMerge, isNextIteration, type Node } from "../graph/graph.js";
import { ColocationGraph, kColocationAttrName, kColocationGroupPrefix } from "./colocation-graph.js";
import { attachDef } from "./node-summary.js";

export interface PlacerOptions {
  readonly allowSoftPlacement: boolean;
  readonly logDevicePlacement: boolean;
  /** Devices of stateful nodes from an earlier placement, by node name. */
  readonly previousPlacement?: ReadonlyMap<string, string>;
  readonly log?: (message: string) => void;
}

/** TF's metadata node class (graph.cc kNodeClassTable: NC_METADATA). */
const metadataOps: ReadonlySet<string> = new Set(["Shape", "Size", "Rank"]);
/** TF's NC_IDENTITY (REF_CLASS("Identity")). */
const identityOps: ReadonlySet<string> = new Set(["Identity", "RefIdentity"]);

/** TF's IsGeneratorNode: no data inputs and exactly one non-reference output. */
export function isGeneratorNode(node: Node): boolean {
  return node.inputTypes.length === 0 && node.outputTypes.length === 1 && !isRefType(node.outputTypes[0]!);
}

/** An in-edge Convert() cannot create when its destination is created: NextIteration → Merge. */
function isBackEdge(src: Node, dst: Node): boolean {
  return isMerge(dst) && isNextIteration(src);
}

/**
 * TF's node order: GraphConstructor creates nodes in topological order, always taking the ready
 * node listed first in the GraphDef, and adds each node's in-edges when it creates the node (loop
 * back edges last). Graph ids here follow the GraphDef instead, so the order is recomputed.
 */
export function tfNodeOrder(graph: Graph, first = 0): NodeOrder {
  return runToEnd(tfNodeOrderSliced(graph, first));
}

interface NodeOrder {
  order: Node[];
  /** The graph's own data edges (not copies), in TF's order. */
  dataEdges: Edge[];
}

// long-function: one topological sort with its heap helpers inline, as a sliced pass.
function* tfNodeOrderSliced(graph: Graph, first = 0): Sliced<NodeOrder> {
  // With `first`, only nodes from that id on are ordered (and only edges among them listed): the
  // nodes an ExtendSession appended, whose inputs from earlier nodes are all created already.
  const n = graph.size;
  const pending = new Int32Array(n);
  for (let id = first; id < n; id++) {
    if (id % YIELD_EVERY === 0) yield;
    const node = graph.nodes[id]!;
    for (const e of node.inEdges) if (e.src.id >= first && !isBackEdge(e.src, node)) pending[node.id]!++;
  }
  // A binary min-heap of ready node ids.
  const heap: number[] = [];
  const push = (v: number) => {
    heap.push(v);
    let i = heap.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (heap[p]! <= v) break;
      heap[i] = heap[p]!;
      i = p;
    }
    heap[i] = v;
  };
  const pop = (): number => {
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= heap.length) break;
        const c = l + 1 < heap.length && heap[l + 1]! < heap[l]! ? l + 1 : l;
        if (heap[c]! >= last) break;
        heap[i] = heap[c]!;
        i = c;
      }
      heap[i] = last;
    }
    return top;
  };
  for (let i = first; i < n; i++) if (pending[i] === 0) push(i);
  const order: Node[] = [];
  const dataEdges: Edge[] = [];
  const backEdges: Edge[] = [];
  while (heap.length > 0) {
    const node = graph.nodes[pop()]!;
    if (order.push(node) % YIELD_EVERY === 0) yield;
    for (const e of node.inEdges) {
      if (e.dstInput < 0 || e.src.id < first) continue;
      (isBackEdge(e.src, node) ? backEdges : dataEdges).push(e);
    }
    for (const e of node.outEdges) {
      if (!isBackEdge(node, e.dst) && --pending[e.dst.id]! === 0) push(e.dst.id);
    }
  }
  // The graph constructor rejects cycles; keep any stragglers so every node is still placed.
  if (order.length < n - first) {
    const seen = new Set(order);
    for (const node of graph.nodes.slice(first)) if (!seen.has(node)) order.push(node);
  }
  for (const e of backEdges) dataEdges.push(e);
  return { order, dataEdges };
}

/** TF's MatchIdentityOperation: an unconstrained Identity whose input and consumer ask for the
 * same device. A node without consumers has one out-edge, to _SINK, whose requested device is "". */
function matchIdentityOperation(node: Node): boolean {
  if (!identityOps.has(node.op)) return false;
  if (node.assignedDevice !== "" || node.requestedDevice !== "") return false;
  if (node.inEdges.length !== 1 || node.outEdges.length > 1) return false;
  const outputRequested = node.outEdges.length === 1 ? node.outEdges[0]!.dst.requestedDevice : "";
  return node.inEdges[0]!.src.requestedDevice === outputRequested;
}

/** TF's Placer::CanAssignToDevice. */
function canAssignToDevice(name: string, devices: readonly Device[]): boolean {
  return name !== "" && devices.some((d) => d.name === name);
}

/**
 * Assigns node.assignedDevice for every node of graph. `devices` must be in priority order (TF's
 * DeviceSet::PrioritizedDevices). Throws TfError: INVALID_ARGUMENT for placement errors,
 * FAILED_PRECONDITION without devices, INTERNAL for an impossible restored placement. On error the
 * graph is left partly placed and must be discarded.
 */
export function placeGraph(graph: Graph, devices: readonly Device[], options: PlacerOptions): void {
  runToEnd(placeFrom(graph, 0, devices, options));
}

/** placeGraph as a sliced pass (framework/slices.ts). */
export function placeGraphSliced(
  graph: Graph,
  devices: readonly Device[],
  options: PlacerOptions,
): Sliced<void> {
  return placeFrom(graph, 0, devices, options);
}

/**
 * Places the nodes an ExtendSession appended (ids from `first` on) to a graph whose earlier nodes
 * are placed, with the same result as placing the whole graph again, provided
 * `appendedNodesAreIndependent` held before and `earlierGeneratorsStay` holds after. Why that
 * suffices: the earlier nodes only have earlier inputs and lower ids, so TF's order places all of
 * them before any new one; a rebuild would give them the same devices as long as no new node shares
 * a colocation group with one of them (groups decide candidates) and the heuristics that look at a
 * node's consumers (generators, Identity) decide as before. Same errors and contract as placeGraph.
 */
export function placeAppended(
  graph: Graph,
  first: number,
  devices: readonly Device[],
  options: PlacerOptions,
): void {
  runToEnd(placeFrom(graph, first, devices, options));
}

/** placeAppended as a sliced pass. */
export function placeAppendedSliced(
  graph: Graph,
  first: number,
  devices: readonly Device[],
  options: PlacerOptions,
): Sliced<void> {
  return placeFrom(graph, first, devices, options);
}

/**
 * Whether the nodes from id `first` on can be placed by `placeAppended`: `earlierGroups` holds the
 * colocation group names of the earlier nodes (their names and `_class` "loc:@" entries).
 */
export function appendedNodesAreIndependent(
  graph: Graph,
  first: number,
  earlierGroups: ReadonlySet<string>,
): boolean {
  const generators = new Set<Node>();
  for (let id = first; id < graph.size; id++) {
    const node = graph.nodes[id]!;
    for (const group of colocationGroups(node)) if (earlierGroups.has(group)) return false;
    for (const [k, e] of node.inEdges.entries()) {
      if (e.src.id >= first) continue;
      // A ref or resource input joins the two nodes' groups.
      if (e.dstInput >= 0) {
        const t = node.inputTypes[e.dstInput]!;
        if (t === DataType.DT_RESOURCE || isRefType(t)) return false;
      }
      if (
        identityOps.has(e.src.op) &&
        identityMatches(e.src, first, true) !== identityMatches(e.src, first, false)
      ) {
        return false;
      }
      if (!isGeneratorNode(e.src)) continue;
      // A rebuild places an earlier generator after every non-generator: metadata ops and
      // Identity would find it unplaced, and a generator consumer would find it placed or not
      // depending on order.
      if (k === 0 && (metadataOps.has(node.op) || identityOps.has(node.op))) return false;
      if (isGeneratorNode(node)) return false;
      if (!generators.has(e.src)) {
        generators.add(e.src);
        if (e.src.outEdges.some((o) => o.dst.id < first && isGeneratorNode(o.dst))) return false;
      }
    }
  }
  return true;
}

/**
 * After `placeAppended`: whether a rebuild would leave every earlier generator that new nodes
 * consume where it is. Heuristic A puts a generator with all consumers on one device T there when
 * its group allows T, else on its group's first candidate; the group's candidates are not known
 * here, only that the generator's device is one of them, so the answer is "yes" only when the old
 * and new consumers settle it either way.
 */
export function earlierGeneratorsStay(graph: Graph, first: number): boolean {
  const seen = new Set<Node>();
  for (let id = first; id < graph.size; id++) {
    for (const e of graph.nodes[id]!.inEdges) {
      const g = e.src;
      if (g.id >= first || seen.has(g) || !isGeneratorNode(g)) continue;
      seen.add(g);
      if (!generatorStays(g, first)) return false;
    }
  }
  return true;
}

/** One device shared by all `edges`' consumers, undefined when they differ. */
function sharedConsumerDevice(edges: readonly Edge[]): string | undefined {
  const device = edges[0]?.dst.assignedDevice;
  return device !== undefined && edges.every((e) => e.dst.assignedDevice === device) ? device : undefined;
}

function generatorStays(g: Node, first: number): boolean {
  const here = g.assignedDevice;
  const all = sharedConsumerDevice(g.outEdges);
  const oldEdges = g.outEdges.filter((e) => e.dst.id < first);
  const old = sharedConsumerDevice(oldEdges);
  if (all === here) return true; // Heuristic A picks `here`, a candidate.
  if (all === undefined) {
    // A rebuild takes the first candidate; `here` is it unless the old consumers agreed on it.
    return old !== here;
  }
  // All consumers now on `all` ≠ here: the old ones were too, and `here` was chosen over `all`,
  // so `all` is not a candidate. Without old consumers nothing tells.
  return oldEdges.length > 0;
}

/**
 * MatchIdentityOperation as a placement from scratch evaluates it for an earlier Identity, with
 * all its consumers (`withNew`) or only the earlier ones.
 */
function identityMatches(node: Node, first: number, withNew: boolean): boolean {
  if (node.requestedDevice !== "" || node.inEdges.length !== 1) return false;
  const out = withNew ? node.outEdges : node.outEdges.filter((e) => e.dst.id < first);
  if (out.length > 1) return false;
  const outputRequested = out.length === 1 ? out[0]!.dst.requestedDevice : "";
  return node.inEdges[0]!.src.requestedDevice === outputRequested;
}

/** The colocation groups a node joins: its own name and its `_class` "loc:@" entries. */
export function colocationGroups(node: Node): string[] {
  const groups = [node.name];
  const attr = node.attrs[kColocationAttrName];
  if (attr?.value.case === "list") {
    for (const raw of attr.value.value.s) {
      const spec = utf8.decode(raw);
      if (spec.startsWith(kColocationGroupPrefix)) groups.push(spec.slice(kColocationGroupPrefix.length));
    }
  }
  return groups;
}

const utf8 = new TextDecoder();

// long-function: TF's two placement passes over one colocation graph, as a sliced pass.
function* placeFrom(
  graph: Graph,
  first: number,
  devices: readonly Device[],
  options: PlacerOptions,
): Sliced<void> {
  for (let id = first; id < graph.size; id++) {
    if (id % YIELD_EVERY === 0) yield;
    const node = graph.nodes[id]!;
    const prev = options.previousPlacement?.get(node.name);
    if (prev !== undefined && node.opDef.isStateful) node.assignedDevice = prev;
  }
  const { order, dataEdges } = yield* tfNodeOrderSliced(graph, first);
  // TF's node ids (for messages), by node id: an array, not a map of 100,000 entries.
  const tfIds = new Int32Array(graph.size - first);
  for (let i = 0; i < order.length; i++) {
    if (i % YIELD_EVERY === 0) yield;
    tfIds[order[i]!.id - first] = first + i + 2;
  }
  const tfIdOf = (node: Node) => (node.id >= first ? tfIds[node.id - first]! : node.id);
  const colocation = new ColocationGraph(order, dataEdges, tfIdOf, devices, options);
  yield* colocation.initializeSliced();

  const log = (node: Node) => {
    if (options.logDevicePlacement) options.log?.(`${node.name}: (${node.op}): ${node.assignedDevice}`);
  };
  const candidates = (node: Node): readonly Device[] => {
    try {
      return colocation.devicesForNode(node);
    } catch (e) {
      if (!(e instanceof TfError)) throw e;
      throw new TfError(
        e.code,
        attachDef(`Cannot assign a device for operation ${node.name}: ${e.message}`, node.name),
      );
    }
  };
  const assign = (node: Node, device: string) => {
    node.assignedDevice = device;
    colocation.limitToAssignedDevice(node);
    log(node);
  };

  const secondPass: Node[] = [];
  let k = 0;
  for (const node of order) {
    if (++k % YIELD_EVERY === 0) yield;
    if (node.assignedDevice !== "") {
      colocation.limitToAssignedDevice(node);
      log(node);
      continue;
    }
    if (isGeneratorNode(node)) {
      secondPass.push(node);
      continue;
    }
    const devs = candidates(node);
    let chosen: string | undefined;
    // Heuristic B (metadata ops) and MatchIdentityOperation: stay with the input when allowed.
    if (metadataOps.has(node.op) || matchIdentityOperation(node)) {
      const input = node.inEdges[0]?.src;
      if (input !== undefined && canAssignToDevice(input.assignedDevice, devs)) chosen = input.assignedDevice;
    }
    assign(node, chosen ?? devs[0]!.name);
  }

  for (const node of secondPass) {
    if (++k % YIELD_EVERY === 0) yield;
    const devs = candidates(node);
    let chosen: string | undefined;
    // Heuristic A: a generator goes where all its consumers (data and control) are. Without
    // consumers its only out-edge is to _SINK, which has no device.
    if (node.outEdges.length > 0) {
      const target = node.outEdges[0]!.dst.assignedDevice;
      if (node.outEdges.every((e) => e.dst.assignedDevice === target) && canAssignToDevice(target, devs)) {
        chosen = target;
      }
    }
    assign(node, chosen ?? devs[0]!.name);
  }
}
