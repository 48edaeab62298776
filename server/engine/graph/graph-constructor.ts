// TensorFlow's ConvertGraphDefToGraph (core/common_runtime/graph_constructor.cc): turns a client's
// GraphDef into a Graph, checking op registration, attrs, input arity and dtypes, unique names,
// unknown inputs and cycles, with TF's codes and messages.

import { hostname } from "node:os";
import type { GraphDef } from "../../../gen/tensorflow/core/framework/graph_pb.js";
import type { NodeDef } from "../../../gen/tensorflow/core/framework/node_def_pb.js";
import { invalidArgument, notFound, TfError } from "../framework/errors.js";
import {
  addDefaultAttrs,
  inputTypesForNode,
  lookUpOp,
  type OpDefinition,
  opSignatureString,
  outputTypesForNode,
  validateAttrs,
} from "../framework/op-def.js";
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

interface Pending {
  readonly def: NodeDef;
  readonly dataInputs: { node: string; index: number }[];
  readonly controlInputs: string[];
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
  const graph = new Graph();
  const index = new Map<string, number>();
  const pending: Pending[] = [];
  const ops: OpDefinition[] = [];

  // Pass 1: names, ops, attrs, signatures (TF checks these per node before wiring).
  for (let i = 0; i < nodeDefs.length; i++) {
    const def = nodeDefs[i]!;
    if (index.has(def.name)) throw invalidArgument(`Node '${def.name}' is not unique`);
    index.set(def.name, i);
    const op = lookUpOp(def.op) ?? options.lookupOp?.(def.op);
    if (op === undefined) throw opNotRegistered(def.op);
    ops.push(op);
    const dataInputs: { node: string; index: number }[] = [];
    const controlInputs: string[] = [];
    for (const s of def.input) {
      const id = parseTensorName(s);
      if (id.index < 0) controlInputs.push(id.node);
      else dataInputs.push(id);
    }
    pending.push({ def, dataInputs, controlInputs });
  }

  // Pass 2: topological order over non-back edges.
  const n = nodeDefs.length;
  const pendingCount = new Int32Array(n);
  const outputs: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) {
    const p = pending[i]!;
    const merge = isMerge(p.def);
    const inputs = [...p.dataInputs.map((d) => d.node), ...p.controlInputs];
    for (const [k, src] of inputs.entries()) {
      const j = index.get(src);
      if (j === undefined) {
        // TF names the input as written ("x", "x:1", "^x").
        throw invalidArgument(
          `Node '${p.def.name}': Unknown input node '${k < p.dataInputs.length ? src : `^${src}`}'`,
        );
      }
      if (merge && isNextIteration(nodeDefs[j]!)) continue; // back edge
      pendingCount[i]!++;
      outputs[j]!.push(i);
    }
  }
  const ready: number[] = [];
  for (let i = 0; i < n; i++) if (pendingCount[i] === 0) ready.push(i);
  const order: number[] = [];
  while (ready.length > 0) {
    const i = ready.pop()!;
    order.push(i);
    for (const o of outputs[i]!) {
      if (--pendingCount[o]! === 0) ready.push(o);
    }
  }
  if (order.length < n) throw invalidArgument(`${n - order.length} nodes in a cycle`);

  // Pass 3: create nodes (in the client's order, so node ids follow the GraphDef), then edges.
  const nodes: Node[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const { def } = pending[i]!;
    const op = ops[i]!;
    const attrs = addDefaultAttrs(op, def.attr);
    let inputTypes: DataType[];
    let outputTypes: DataType[];
    try {
      inputTypes = inputTypesForNode(op, attrs);
      outputTypes = outputTypesForNode(op, attrs);
    } catch (e) {
      // TF: "No attr named 'T' in NodeDef:\n\t [[{{node b}}]]\n\t [[b]]"
      throw e instanceof TfError ? e.withSuffix(`:${nodeContext(def.name)}\n\t [[${def.name}]]`) : e;
    }
    validateAttrs(op, attrs, def.name);
    const numData = pending[i]!.dataInputs.length;
    if (numData !== inputTypes.length) {
      throw invalidArgument(
        `NodeDef expected inputs '${inputTypes.map(dataTypeString).join(", ")}' do not match ${numData} inputs specified; ` +
          `${opSignatureString(op)}; NodeDef: {{node ${def.name}}}`,
      );
    }
    nodes[i] = graph.addNode({
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
    });
  }
  for (let i = 0; i < n; i++) {
    const p = pending[i]!;
    const dst = nodes[i]!;
    p.dataInputs.forEach((inp, slot) => {
      const src = nodes[index.get(inp.node)!]!;
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
      graph.addEdge(src, inp.index, dst, slot);
    });
    for (const c of p.controlInputs) graph.addControlEdge(nodes[index.get(c)!]!, dst);
  }
  return graph;
}
