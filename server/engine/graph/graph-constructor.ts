// TensorFlow's ConvertGraphDefToGraph (core/common_runtime/graph_constructor.cc): turns a client's
// GraphDef into a Graph, checking op registration, attrs, input arity and dtypes, unique names,
// unknown inputs and cycles, with TF's codes and messages.

import { hostname } from "node:os";
import type { GraphDef } from "../../../gen/tensorflow/core/framework/graph_pb.js";
import type { NodeDef } from "../../../gen/tensorflow/core/framework/node_def_pb.js";
import { invalidArgument, notFound, TfError } from "../framework/errors.js";
import {
  checkAttrKinds,
  inputTypesForNode,
  isAttrKindError,
  lookUpOp,
  type OpDefinition,
  opSignatureString,
  outputTypesForNode,
  validateAttrs,
  withDefaultAttrs,
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
  const { pending, index } = yield* readNodeDefs(graph, nodeDefs, options);
  yield* checkAcyclic(graph, pending, index);
  const specs: NodeSpec[] = [];
  for (let i = 0; i < pending.length; i++) {
    specs.push(nodeSpec(pending[i]!));
    if (i % YIELD_EVERY === 0) yield;
  }
  for (let i = 0; i < pending.length; i++) {
    checkInputs(graph, index, specs, pending[i]!, specs[i]!);
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
  // Inputs are looked up again here rather than kept from the checks: a list of resolved inputs
  // per node would be 2N more objects surviving the build.
  const source = (name: string): Node => {
    const j = index.get(name);
    return j !== undefined ? nodes[j]! : graph.find(name)!;
  };
  for (let i = 0; i < pending.length; i++) {
    const p = pending[i]!;
    const dst = nodes[i]!;
    for (let slot = 0; slot < p.dataInputs.length; slot++) {
      const input = p.dataInputs[slot]!;
      graph.addEdge(source(input.node), input.index, dst, slot);
    }
    for (const name of p.controlInputs) graph.addControlEdge(source(name), dst);
    if (i % YIELD_EVERY === 0) yield;
  }
  return nodes;
}

interface Pending {
  readonly def: NodeDef;
  readonly op: OpDefinition;
  readonly dataInputs: { node: string; index: number }[];
  readonly controlInputs: readonly string[];
}

type NodeSpec = Parameters<Graph["addNode"]>[0];

/**
 * Pass 1: names, ops and input lists (TF checks these per node before wiring); `index` maps each
 * new node's name to its position.
 */
function* readNodeDefs(
  graph: Graph,
  nodeDefs: readonly NodeDef[],
  options: ConvertOptions,
): Sliced<{ pending: Pending[]; index: Map<string, number> }> {
  const index = new Map<string, number>();
  const pending: Pending[] = [];
  for (const def of nodeDefs) {
    if (pending.length % YIELD_EVERY === 0) yield;
    if (index.has(def.name) || graph.find(def.name) !== undefined) {
      throw invalidArgument(`Node '${def.name}' is not unique`);
    }
    index.set(def.name, pending.length);
    const op = lookUpOp(def.op) ?? options.lookupOp?.(def.op);
    if (op === undefined) throw opNotRegistered(def.op);
    const dataInputs: { node: string; index: number }[] = [];
    let controlInputs: string[] | undefined;
    for (const s of def.input) {
      const id = parseTensorName(s);
      if (id.index >= 0) dataInputs.push(id);
      else if (controlInputs === undefined) controlInputs = [id.node];
      else controlInputs.push(id.node);
    }
    pending.push({ def, op, dataInputs, controlInputs: controlInputs ?? noControlInputs });
  }
  return { pending, index };
}

/** The control inputs of the many nodes that have none: one shared, never-written list. */
const noControlInputs: readonly string[] = Object.freeze([]);

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
  // The edges among new nodes as (source, destination) pairs, then grouped by source in flat
  // arrays (no array per node: this runs for every node of a big graph).
  const from: number[] = [];
  const to: number[] = [];
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
      from.push(j);
      to.push(i);
    }
  }
  const start = new Int32Array(n + 1);
  for (const j of from) start[j + 1]!++;
  for (let i = 0; i < n; i++) start[i + 1]! += start[i]!;
  const outputs = new Int32Array(from.length);
  const fill = start.slice(0, n);
  for (let e = 0; e < from.length; e++) outputs[fill[from[e]!]!++] = to[e]!;
  const ready: number[] = [];
  for (let i = 0; i < n; i++) if (pendingCount[i] === 0) ready.push(i);
  let ordered = 0;
  while (ready.length > 0) {
    const i = ready.pop()!;
    if (++ordered % YIELD_EVERY === 0) yield;
    for (let e = start[i]!; e < start[i + 1]!; e++) {
      const o = outputs[e]!;
      if (--pendingCount[o]! === 0) ready.push(o);
    }
  }
  if (ordered < n) throw invalidArgument(`${n - ordered} nodes in a cycle`);
}

/** Pass 3a: one node's attrs (defaults filled in), input and output types, and input arity. */
function nodeSpec(p: Pending): NodeSpec {
  const { def, op } = p;
  const attrs = withDefaultAttrs(op, def.attr);
  let inputTypes: readonly DataType[];
  let outputTypes: readonly DataType[];
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
function checkInputs(
  graph: Graph,
  index: ReadonlyMap<string, number>,
  specs: readonly NodeSpec[],
  p: Pending,
  dst: NodeSpec,
): void {
  for (let slot = 0; slot < p.dataInputs.length; slot++) {
    const inp = p.dataInputs[slot]!;
    const j = index.get(inp.node);
    const outputTypes = j !== undefined ? specs[j]!.outputTypes : graph.find(inp.node)!.outputTypes;
    if (inp.index >= outputTypes.length) {
      throw invalidArgument(
        `Node '${dst.name}': Connecting to invalid output ${inp.index} of source node ${inp.node} which has ${outputTypes.length} outputs.`,
      );
    }
    const actual = outputTypes[inp.index]!;
    const expected = dst.inputTypes[slot]!;
    if (!typesCompatible(expected, actual)) {
      throw invalidArgument(
        `Input ${slot} of node ${dst.name} was passed ${dataTypeString(actual)} from ${inp.node}:${inp.index} ` +
          `incompatible with expected ${dataTypeString(expected)}.`,
      );
    }
  }
}
