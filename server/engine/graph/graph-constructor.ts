// TensorFlow's ConvertGraphDefToGraph (core/common_runtime/graph_constructor.cc): turns a client's
// GraphDef into a Graph, checking op registration, attrs, input arity and dtypes, unique names,
// unknown inputs and cycles, with TF's codes and messages.

import { hostname } from "node:os";
import type { GraphDef } from "../../../gen/tensorflow/core/framework/graph_pb.js";
import type { NodeDef } from "../../../gen/tensorflow/core/framework/node_def_pb.js";
import { invalidArgument, notFound, TfError } from "../framework/errors.js";
import {
  addDefaultAttrs,
  checkAttrKinds,
  inputTypesForNode,
  isAttrKindError,
  lookUpOp,
  type OpDefinition,
  opSignatureString,
  outputTypesForNode,
  validateAttrs,
} from "../framework/op-def.js";
import { runToEnd, type Sliced, YIELD_EVERY } from "../framework/slices.js";
import { baseType, type DataType, dataTypeString } from "../framework/types.js";
import { Graph, isMerge, isNextIteration, type Node } from "./graph.js";
import { parseTensorName } from "./tensor-id.js";
import { nodeContext } from "./validate.js";

/** Looks up ops that are not in the global registry (e.g. functions of the graph's library). */
export type OpLookup = (name: string) => OpDefinition | undefined;

export interface ConvertOptions {
  /** Extra op lookup tried after the registry (function library). */
  readonly lookupOp?: OpLookup;
}

/** TF's TypesCompatible: a ref output may feed a non-ref input of its base type. */
export function typesCompatible(expected: DataType, actual: DataType): boolean {
  return expected === actual || expected === baseType(actual);
}

export function opNotRegistered(op: string): Error {
  return notFound(
    `Op type not registered '${op}' in binary running on ${hostname()}. Make sure the Op and Kernel are ` +
      "registered in the binary running in this process. Note that if you are loading a saved graph which " +
      "used ops from tf.contrib (e.g. `tf.contrib.resampler`), accessing should be done before importing the " +
      "graph, as contrib ops are lazily registered when the module is first accessed.",
  );
}

/**
 * Builds a Graph from nodes. Nodes are created in a topological order (Merge inputs coming from
 * NextIteration are back edges, as in TF), so a cycle without a loop is reported as
 * "N nodes in a cycle".
 */
export function convertGraphDefToGraph(graphDef: GraphDef, options: ConvertOptions = {}): Graph {
  return convertNodeDefs(graphDef.node, options);
}

export function convertNodeDefs(nodeDefs: readonly NodeDef[], options: ConvertOptions = {}): Graph {
  return runToEnd(convertNodeDefsSliced(nodeDefs, options));
}

/** convertNodeDefs as a sliced pass (framework/slices.ts). */
export function* convertNodeDefsSliced(
  nodeDefs: readonly NodeDef[],
  options: ConvertOptions = {},
): Sliced<Graph> {
  const graph = new Graph();
  yield* appendNodeDefsSliced(graph, nodeDefs, options);
  return graph;
}

/**
 * Adds nodes to a graph that already holds valid, converted nodes (ExtendSession's new nodes): the
 * same checks as a conversion of the old and new nodes together, but costing only the new ones.
 * Inputs may name nodes of `graph`; the graph's nodes never name the new ones, so a cycle can only
 * lie among the new nodes. Everything is checked before the graph changes: on error it is untouched.
 * Returns the new nodes (ids follow `nodeDefs`, after the graph's).
 */
export function appendNodeDefs(
  graph: Graph,
  nodeDefs: readonly NodeDef[],
  options: ConvertOptions = {},
): Node[] {
  return runToEnd(appendNodeDefsSliced(graph, nodeDefs, options));
}

/**
 * appendNodeDefs as a sliced pass. The graph changes only after every check passed; a caller
 * sharing the graph keeps other work off it until the pass ends (MasterSession.withGraph).
 */
export function* appendNodeDefsSliced(
  graph: Graph,
  nodeDefs: readonly NodeDef[],
  options: ConvertOptions = {},
): Sliced<Node[]> {
  const pending = yield* readNodeDefs(graph, nodeDefs, options);
  const index = new Map<string, number>();
  for (let i = 0; i < pending.length; i++) {
    index.set(pending[i]!.def.name, i);
    if (i % YIELD_EVERY === 0) yield;
  }
  yield* checkAcyclic(graph, pending, index);
  const specs: NodeSpec[] = [];
  for (let i = 0; i < pending.length; i++) {
    specs.push(nodeSpec(pending[i]!));
    if (i % YIELD_EVERY === 0) yield;
  }
  const edges: { data: InputRef[]; control: InputRef[] }[] = [];
  for (let i = 0; i < pending.length; i++) {
    edges.push(resolveInputs(graph, index, specs, pending[i]!, specs[i]!));
    if (i % YIELD_EVERY === 0) yield;
  }
  // TF reads a graph first and checks its attrs' kinds when it runs (a kernel would misread them);
  // tfgate checks them now, after the inputs are wired (which gives TF's CreateSession texts first),
  // with TF's text, so no kernel ever sees one of the wrong kind.
  for (let i = 0; i < pending.length; i++) {
    checkAttrKinds(pending[i]!.op, specs[i]!.attrs, pending[i]!.def.name);
    if (i % YIELD_EVERY === 0) yield;
  }
  // Everything is checked: from here on nothing throws, and the nodes go in (in slices too; the
  // session keeps other work off its graph meanwhile).
  const nodes: Node[] = [];
  for (let i = 0; i < specs.length; i++) {
    nodes.push(graph.addNode(specs[i]!));
    if (i % YIELD_EVERY === 0) yield;
  }
  const byIndex = (ref: InputRef): Node => (typeof ref.src === "number" ? nodes[ref.src]! : ref.src);
  for (let i = 0; i < edges.length; i++) {
    const inputs = edges[i]!;
    const dst = nodes[i]!;
    for (const ref of inputs.data) graph.addEdge(byIndex(ref), ref.index, dst, ref.slot);
    for (const ref of inputs.control) graph.addControlEdge(byIndex(ref), dst);
    if (i % YIELD_EVERY === 0) yield;
  }
  return nodes;
}

interface Pending {
  readonly def: NodeDef;
  readonly op: OpDefinition;
  readonly dataInputs: { node: string; index: number }[];
  readonly controlInputs: string[];
}

/** Where one input comes from: a node already in the graph, or the index of a new node. */
interface InputRef {
  readonly src: Node | number;
  readonly index: number;
  readonly slot: number;
}

type NodeSpec = Parameters<Graph["addNode"]>[0];

/** Pass 1: names, ops and input lists (TF checks these per node before wiring). */
function* readNodeDefs(
  graph: Graph,
  nodeDefs: readonly NodeDef[],
  options: ConvertOptions,
): Sliced<Pending[]> {
  const names = new Set<string>();
  const pending: Pending[] = [];
  for (const def of nodeDefs) {
    if (pending.length % YIELD_EVERY === 0) yield;
    if (names.has(def.name) || graph.find(def.name) !== undefined) {
      throw invalidArgument(`Node '${def.name}' is not unique`);
    }
    names.add(def.name);
    const op = lookUpOp(def.op) ?? options.lookupOp?.(def.op);
    if (op === undefined) throw opNotRegistered(def.op);
    const dataInputs: { node: string; index: number }[] = [];
    const controlInputs: string[] = [];
    for (const s of def.input) {
      const id = parseTensorName(s);
      if (id.index < 0) controlInputs.push(id.node);
      else dataInputs.push(id);
    }
    pending.push({ def, op, dataInputs, controlInputs });
  }
  return pending;
}

/**
 * Pass 2: every input names a node, and the new nodes have a topological order over non-back edges
 * (Merge inputs coming from NextIteration are back edges, as in TF), else "N nodes in a cycle".
 */
function* checkAcyclic(
  graph: Graph,
  pending: readonly Pending[],
  index: ReadonlyMap<string, number>,
): Sliced<void> {
  const n = pending.length;
  const pendingCount = new Int32Array(n);
  const outputs: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) {
    if (i % YIELD_EVERY === 0) yield;
    const p = pending[i]!;
    // Data inputs, then control inputs (no array built per node: this runs for every node).
    const numData = p.dataInputs.length;
    for (let k = 0; k < numData + p.controlInputs.length; k++) {
      const src = k < numData ? p.dataInputs[k]!.node : p.controlInputs[k - numData]!;
      const j = index.get(src);
      if (j === undefined) {
        if (graph.find(src) !== undefined) continue; // an existing node: already created
        // TF names the input as written ("x", "x:1", "^x").
        throw invalidArgument(
          `Node '${p.def.name}': Unknown input node '${k < p.dataInputs.length ? src : `^${src}`}'`,
        );
      }
      if (isMerge(p.def) && isNextIteration(pending[j]!.def)) continue; // back edge
      pendingCount[i]!++;
      outputs[j]!.push(i);
    }
  }
  const ready: number[] = [];
  for (let i = 0; i < n; i++) if (pendingCount[i] === 0) ready.push(i);
  let ordered = 0;
  while (ready.length > 0) {
    const i = ready.pop()!;
    if (++ordered % YIELD_EVERY === 0) yield;
    for (const o of outputs[i]!) {
      if (--pendingCount[o]! === 0) ready.push(o);
    }
  }
  if (ordered < n) throw invalidArgument(`${n - ordered} nodes in a cycle`);
}

/** Pass 3a: one node's attrs (defaults filled in), input and output types, and input arity. */
function nodeSpec(p: Pending): NodeSpec {
  const { def, op } = p;
  const attrs = addDefaultAttrs(op, def.attr);
  let inputTypes: DataType[];
  let outputTypes: DataType[];
  try {
    inputTypes = inputTypesForNode(op, attrs);
    outputTypes = outputTypesForNode(op, attrs);
  } catch (e) {
    // TF: "No attr named 'T' in NodeDef:\n\t [[{{node b}}]]\n\t [[b]]", and for an attr of the
    // wrong kind "AttrValue had value with type 'string' when 'int' expected\n\t [[{{node b}}]]".
    if (!(e instanceof TfError)) throw e;
    throw isAttrKindError(e.message)
      ? e.withSuffix(nodeContext(def.name))
      : e.withSuffix(`:${nodeContext(def.name)}\n\t [[${def.name}]]`);
  }
  // The kinds of the attrs are checked once the graph is wired (appendNodeDefs), TF's order.
  validateAttrs(op, attrs, def.name, false);
  const numData = p.dataInputs.length;
  if (numData !== inputTypes.length) {
    throw invalidArgument(
      `NodeDef expected inputs '${inputTypes.map(dataTypeString).join(", ")}' do not match ${numData} inputs specified; ` +
        `${opSignatureString(op)}; NodeDef: {{node ${def.name}}}`,
    );
  }
  return {
    name: def.name,
    op: def.op,
    opDef: op,
    attrs,
    inputTypes,
    outputTypes,
    requestedDevice: def.device,
    ...(def.experimentalDebugInfo?.originalNodeNames.length
      ? { originalNames: def.experimentalDebugInfo.originalNodeNames }
      : {}),
  };
}

/** Pass 3b: a node's inputs, each checked against its source's outputs (index and dtype). */
function resolveInputs(
  graph: Graph,
  index: ReadonlyMap<string, number>,
  specs: readonly NodeSpec[],
  p: Pending,
  dst: NodeSpec,
): { data: InputRef[]; control: InputRef[] } {
  const lookup = (name: string): { src: Node | number; name: string; outputTypes: readonly DataType[] } => {
    const j = index.get(name);
    if (j !== undefined) return { src: j, name, outputTypes: specs[j]!.outputTypes };
    const node = graph.find(name)!;
    return { src: node, name, outputTypes: node.outputTypes };
  };
  const data = p.dataInputs.map((inp, slot) => {
    const src = lookup(inp.node);
    if (inp.index >= src.outputTypes.length) {
      throw invalidArgument(
        `Node '${dst.name}': Connecting to invalid output ${inp.index} of source node ${src.name} which has ${src.outputTypes.length} outputs.`,
      );
    }
    const actual = src.outputTypes[inp.index]!;
    const expected = dst.inputTypes[slot]!;
    if (!typesCompatible(expected, actual)) {
      throw invalidArgument(
        `Input ${slot} of node ${dst.name} was passed ${dataTypeString(actual)} from ${src.name}:${inp.index} ` +
          `incompatible with expected ${dataTypeString(expected)}.`,
      );
    }
    return { src: src.src, index: inp.index, slot };
  });
  const control = p.controlInputs.map((c) => ({ src: lookup(c).src, index: -1, slot: -1 }));
  return { data, control };
}
