// Whether a step's feeds can outlive it: the question a transport asks before it uses a request
// body's memory again (docs/architecture.md, "Tensor bytes").
//
// A fed tensor may be adopted straight from the request's memory, and every value made from it
// without a copy (Identity, Reshape, a cwise kernel writing in place) is that memory too. Within a
// step such values only flow along data edges; what can keep one past the step is a stateful op
// (queues, TensorArrays, stacks, iterators, tables, resource variables), an op that writes a ref
// variable (Assign, the scatters and the apply ops) or is handed a resource, or a function call,
// whose body is not looked into. So when nothing stateful and no function call lies
// downstream of any feed, a successful step leaves no reference to the feeds' memory but the
// fetches it returns, which the response holds until it is written.

import { type Sliced, YIELD_EVERY } from "../framework/slices.js";
import { DataType, isRefType } from "../framework/types.js";
import type { Graph, Node } from "../graph/graph.js";

/** The client-terminated _Recv nodes that stand for the feeds in a rewritten client graph. */
function feedRecvs(graph: Graph): Node[] {
  return graph.nodes.filter((n) => n.op === "_Recv");
}

/** True when `node` can keep an input beyond the step (see the header). */
function mayKeepInputs(node: Node): boolean {
  // The client-terminated _Send of a fetch is stateful by its op def, but what it carries goes to
  // the response, which the transport writes before it frees anything.
  if (node.op === "_Send") return false;
  if (node.opDef.isStateful || node.opDef.isFunction === true) return true;
  // TF does not mark every op that changes state as stateful: Assign and the other updates of a
  // ref variable are not, and an op given a resource handle may store into what it names.
  if (node.inputTypes.some((t) => isRefType(t) || t === DataType.DT_RESOURCE)) return true;
  return node.opDef.attrs.some((a) => a.type === "func" || a.type === "list(func)");
}

/**
 * True when no value derived from a feed of `graph` (a client graph rewritten for execution, whose
 * feeds are client-terminated _Recv nodes) can outlive a step that completes. A pass in slices:
 * the feeds of a big graph may reach all of it.
 */
export function* feedsEndWithStep(graph: Graph): Sliced<boolean> {
  const seen = new Set<Node>();
  const pending = feedRecvs(graph);
  while (pending.length > 0) {
    const node = pending.pop()!;
    for (const e of node.outEdges) {
      if (e.srcOutput < 0 || seen.has(e.dst)) continue;
      seen.add(e.dst);
      if (mayKeepInputs(e.dst)) return false;
      pending.push(e.dst);
      if (seen.size % YIELD_EVERY === 0) yield;
    }
  }
  return true;
}
