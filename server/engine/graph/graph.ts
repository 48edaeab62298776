// TensorFlow's Graph (core/graph/graph.h): nodes with typed outputs and data/control edges.
//
// A Graph is built from a GraphDef by graph-constructor.ts; afterwards it only grows, by the nodes
// an ExtendSession appends (graph-constructor.ts appendNodeDefs); rewrites (subgraph, partition)
// build new graphs. Node ids are dense indices into
// `nodes`, so per-node state in the executor is plain arrays.

import type { AttrMap, OpDefinition } from "../framework/op-def.js";
import type { DataType } from "../framework/types.js";

/** An edge src:srcOutput → dst:dstInput; both slots are -1 for a control edge. */
export interface Edge {
  readonly src: Node;
  readonly srcOutput: number;
  readonly dst: Node;
  readonly dstInput: number;
}

export interface Node {
  readonly id: number;
  readonly name: string;
  readonly op: string;
  readonly opDef: OpDefinition;
  /** Attrs with op defaults filled in. */
  readonly attrs: AttrMap;
  readonly inputTypes: readonly DataType[];
  readonly outputTypes: readonly DataType[];
  /** The device the client asked for (NodeDef.device), "" when unconstrained. */
  readonly requestedDevice: string;
  /** Full device name chosen by the placer; "" before placement. */
  assignedDevice: string;
  /**
   * NodeDef.experimental_debug_info.original_node_names: the names a node had before a rewrite
   * (a node inlined from a function keeps its name in the function). Errors name the last one.
   */
  readonly originalNames?: readonly string[] | undefined;
  /** Data in-edges indexed by input slot, then control in-edges. */
  readonly inEdges: Edge[];
  readonly outEdges: Edge[];
}

export function isControlEdge(e: Edge): boolean {
  return e.srcOutput < 0;
}

export class Graph {
  readonly nodes: Node[] = [];
  private readonly byName = new Map<string, Node>();

  addNode(
    n: Omit<Node, "id" | "inEdges" | "outEdges" | "assignedDevice"> & { assignedDevice?: string },
  ): Node {
    // Every field spelled out (not spread): one object shape for every node, and no per-node
    // property copying loop, which made this the costliest line of a large CreateSession.
    const node: Node = {
      id: this.nodes.length,
      name: n.name,
      op: n.op,
      opDef: n.opDef,
      attrs: n.attrs,
      inputTypes: n.inputTypes,
      outputTypes: n.outputTypes,
      requestedDevice: n.requestedDevice,
      assignedDevice: n.assignedDevice ?? "",
      originalNames: n.originalNames,
      inEdges: [],
      outEdges: [],
    };
    this.nodes.push(node);
    this.byName.set(node.name, node);
    return node;
  }

  addEdge(src: Node, srcOutput: number, dst: Node, dstInput: number): Edge {
    const e: Edge = { src, srcOutput, dst, dstInput };
    src.outEdges.push(e);
    dst.inEdges.push(e);
    return e;
  }

  addControlEdge(src: Node, dst: Node): Edge {
    return this.addEdge(src, -1, dst, -1);
  }

  /**
   * Removes the nodes from id `size` on and their edges: undoes an append (ExtendSession's new
   * nodes) that failed later. Nodes before `size` never have edges from the removed ones.
   */
  truncate(size: number): void {
    for (const node of this.nodes.splice(size)) {
      this.byName.delete(node.name);
      for (const e of node.inEdges) {
        if (e.src.id < size) e.src.outEdges.splice(e.src.outEdges.indexOf(e), 1);
      }
    }
  }

  find(name: string): Node | undefined {
    return this.byName.get(name);
  }

  get size(): number {
    return this.nodes.length;
  }
}

/** The data in-edge feeding input slot i of node, if any. */
export function inputEdge(node: Node, i: number): Edge | undefined {
  for (const e of node.inEdges) if (e.dstInput === i) return e;
  return undefined;
}

export function isMerge(n: { op: string }): boolean {
  return n.op === "Merge" || n.op === "RefMerge";
}

export function isNextIteration(n: { op: string }): boolean {
  return n.op === "NextIteration" || n.op === "RefNextIteration";
}

export function isSwitch(n: { op: string }): boolean {
  return n.op === "Switch" || n.op === "RefSwitch";
}

/**
 * How TF's errors locate a node: "{{node n}}", where n is its original name when it has one (a node
 * inlined from a function is named as in the function, as a TF 2.21 master reports it).
 */
export function errorLocation(node: Pick<Node, "name" | "originalNames">): string {
  const names = node.originalNames;
  return `{{node ${names !== undefined && names.length > 0 ? names[names.length - 1] : node.name}}}`;
}
