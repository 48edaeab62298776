// TensorFlow's subgraph::RewriteGraphForExecution (core/graph/subgraph.cc): builds the "client
// graph" of one (feeds, fetches, targets) signature from the session's full graph.
//
//  - every fed tensor n:k is replaced by a client-terminated _Recv "_recv_n_k" whose output takes
//    over all of n:k's data consumers (a fed Placeholder also hands over its control out-edges);
//  - every fetched tensor n:k gets a client-terminated _Send "_send_n_k";
//  - only nodes that fetches and targets depend on (data or control) are kept.
// The checks and their messages follow TF in TF's order; see docs/semantics.md, "RunStep".

import type { AttrValue } from "../../../gen/tensorflow/core/framework/attr_value_pb.js";
import { boolAttr, intAttr, stringAttr, typeAttr } from "../framework/attr-value.js";
import { invalidArgument, notFound } from "../framework/errors.js";
import { lookUpOp } from "../framework/op-def.js";
import { runToEnd, type Sliced, YIELD_EVERY } from "../framework/slices.js";
import { baseType, type DataType } from "../framework/types.js";
import { Graph, type Node } from "./graph.js";
import { parseTensorName, type TensorId } from "./tensor-id.js";

export interface ClientDevice {
  readonly name: string;
  readonly incarnation: bigint;
}

/** CallableOptions.tensor_connection: to_tensor takes the value of from_tensor. */
export interface TensorConnectionSpec {
  readonly from: string;
  readonly to: string;
}

export interface RewriteResult {
  readonly graph: Graph;
  /** Feed string → the dtype the graph expects for it (base type of the fed output). */
  readonly feedTypes: ReadonlyMap<string, DataType>;
  /** Feed strings whose _Recv survived pruning (the others are ignored, like TF). */
  readonly usedFeeds: ReadonlySet<string>;
}

/** Attrs shared by client-terminated _Send/_Recv nodes. */
function transferAttrs(tensorName: string, client: ClientDevice): Record<string, AttrValue> {
  return {
    tensor_name: stringAttr(tensorName),
    send_device: stringAttr(client.name),
    send_device_incarnation: intAttr(BigInt.asIntN(64, client.incarnation)),
    recv_device: stringAttr(client.name),
    client_terminated: boolAttr(true),
  };
}

const key = (id: TensorId) => `${id.node}:${id.index}`;

/** A fed tensor: by the client (_Recv), or by a tensor connection (Identity of `from`). */
interface Fed {
  readonly id: TensorId;
  readonly name: string;
  readonly node: Node;
  readonly dtype: DataType;
  readonly from?: { readonly node: Node; readonly index: number };
}

/** True when `node` depends (data or control, transitively) on `on`, or is it. */
function dependsOn(node: Node, on: Node): boolean {
  const seen = new Set<Node>([node]);
  const stack = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n === on) return true;
    for (const e of n.inEdges) {
      if (!seen.has(e.src)) {
        seen.add(e.src);
        stack.push(e.src);
      }
    }
  }
  return false;
}

/** Validates and rewrites; throws TfError with TF's messages. */
export function rewriteGraphForExecution(
  full: Graph,
  feeds: readonly string[],
  fetches: readonly string[],
  targets: readonly string[],
  client: ClientDevice,
  connections: readonly TensorConnectionSpec[] = [],
): RewriteResult {
  return runToEnd(rewriteGraphForExecutionSliced(full, feeds, fetches, targets, client, connections));
}

/** rewriteGraphForExecution as a sliced pass (framework/slices.ts); `full` is only read. */
// long-function: TF's RewriteGraphForExecution as one sequence of checks and rewrites over shared name maps, each step with TF's own error text; kept in TF's order to compare against subgraph.cc.
export function* rewriteGraphForExecutionSliced(
  full: Graph,
  feeds: readonly string[],
  fetches: readonly string[],
  targets: readonly string[],
  client: ClientDevice,
  connections: readonly TensorConnectionSpec[] = [],
): Sliced<RewriteResult> {
  if (fetches.length === 0 && targets.length === 0) {
    throw invalidArgument("Must specify at least one target to fetch or execute.");
  }
  const feedSet = new Set<string>();
  for (const f of [...connections.map((c) => c.to), ...feeds]) {
    if (feedSet.has(f)) throw invalidArgument(`Endpoint "${f}" fed more than once.`);
    feedSet.add(f);
  }
  for (const f of fetches) {
    if (feedSet.has(f)) throw invalidArgument(`${f} is both fed and fetched.`);
  }

  // Tensor connections (callables): to_tensor's consumers read an Identity of from_tensor.
  const fed = new Map<string, Fed>();
  for (const c of connections) {
    const fromId = parseTensorName(c.from);
    const fromNode = full.find(fromId.node);
    if (fromNode === undefined)
      throw invalidArgument(`Requested tensor connection from unknown node: "${c.to}".`);
    if (fromId.index < 0 || fromId.index >= fromNode.outputTypes.length) {
      throw invalidArgument(
        `Requested tensor connection from unknown edge: "${c.to}" (actual number of outputs = ${fromNode.outputTypes.length}).`,
      );
    }
    const toId = parseTensorName(c.to);
    const toNode = full.find(toId.node);
    if (toNode === undefined || toId.index < 0)
      throw notFound(`FeedInputs: unable to find feed output ${c.to}`);
    if (toId.index >= toNode.outputTypes.length) {
      throw invalidArgument(`FeedInputs: ${c.to} should have output index < ${toNode.outputTypes.length}`);
    }
    if (dependsOn(fromNode, toNode)) {
      throw invalidArgument(
        `Requested Tensor connection between nodes "${toNode.name}" and "${fromNode.name}" would create a cycle.`,
      );
    }
    fed.set(key(toId), {
      id: toId,
      name: c.to,
      node: toNode,
      dtype: baseType(toNode.outputTypes[toId.index]!),
      from: { node: fromNode, index: fromId.index },
    });
  }

  // Feeds.
  const feedTypes = new Map<string, DataType>();
  for (const f of feeds) {
    const id = parseTensorName(f);
    const node = full.find(id.node);
    if (node === undefined || id.index < 0) throw notFound(`FeedInputs: unable to find feed output ${f}`);
    if (id.index >= node.outputTypes.length) {
      throw invalidArgument(`FeedInputs: ${f} should have output index < ${node.outputTypes.length}`);
    }
    const dtype = baseType(node.outputTypes[id.index]!);
    fed.set(key(id), { id, name: f, node, dtype });
    feedTypes.set(f, dtype);
  }

  // Fetches.
  const fetchIds: { id: TensorId; name: string; node: Node }[] = [];
  for (const f of fetches) {
    const id = parseTensorName(f);
    const node = full.find(id.node);
    if (node === undefined) throw notFound(`FetchOutputs node ${f}: not found`);
    if (node.outputTypes.length === 0) {
      throw invalidArgument(
        `Tried to fetch data for '${f}', which produces no output.  To run to a node but not fetch any data, ` +
          `pass '${f}' as an argument to the 'target_node_names' argument of the Session::Run API.`,
      );
    }
    if (id.index < 0 || id.index >= node.outputTypes.length) {
      throw invalidArgument(
        `FetchOutputs ${f}: output index too large, must be < ${node.outputTypes.length}`,
      );
    }
    fetchIds.push({ id, name: f, node });
  }

  // Targets.
  const targetNodes: Node[] = [];
  const missing: string[] = [];
  for (const t of targets) {
    const node = full.find(parseTensorName(t).node);
    if (node === undefined) missing.push(t);
    else targetNodes.push(node);
  }
  if (missing.length > 0) {
    throw notFound(`PruneForTargets: Some target nodes not found: ${missing.map((m) => `${m} `).join("")}`);
  }

  // Fed Placeholders hand their control out-edges to the recv node.
  const fedPlaceholders = new Map<Node, string>(); // node → feed key
  for (const [k, f] of fed) {
    if (f.node.op === "Placeholder" || f.node.op === "PlaceholderV2") fedPlaceholders.set(f.node, k);
  }

  // Nodes with a fed output: only their edges need a feed-key lookup (a string per edge was the
  // costliest part of pruning a large graph).
  const fedNodes = new Set<Node>();
  for (const f of fed.values()) fedNodes.add(f.node);

  // Reverse reachability (prune). Items are original nodes or feed keys (recv nodes).
  const keep = new Set<Node>();
  const keptFeeds = new Set<string>();
  const stack: Node[] = [];
  const visitTensor = (src: Node, index: number) => {
    const k = fedNodes.has(src) ? `${src.name}:${index}` : "";
    const f = k === "" ? undefined : fed.get(k);
    if (f !== undefined) {
      if (!keptFeeds.has(k)) {
        keptFeeds.add(k);
        if (f.from) visitTensor(f.from.node, f.from.index);
      }
    } else if (!keep.has(src)) {
      keep.add(src);
      stack.push(src);
    }
  };
  for (const f of fetchIds) visitTensor(f.node, f.id.index);
  for (const t of targetNodes) {
    if (!keep.has(t)) {
      keep.add(t);
      stack.push(t);
    }
  }
  let visited = 0;
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (++visited % YIELD_EVERY === 0) yield;
    for (const e of n.inEdges) {
      if (e.srcOutput >= 0) visitTensor(e.src, e.srcOutput);
      else {
        const movedTo = fedPlaceholders.get(e.src);
        if (movedTo !== undefined) keptFeeds.add(movedTo);
        else if (!keep.has(e.src)) {
          keep.add(e.src);
          stack.push(e.src);
        }
      }
    }
  }

  // Build the client graph: kept nodes in their original order, then recvs, then sends.
  const g = new Graph();
  const recvOp = lookUpOp("_Recv")!;
  const sendOp = lookUpOp("_Send")!;
  const copies = new Map<Node, Node>();
  let copied = 0;
  for (const n of full.nodes) {
    if (!keep.has(n)) continue;
    if (++copied % YIELD_EVERY === 0) yield;
    copies.set(
      n,
      g.addNode({
        name: n.name,
        op: n.op,
        opDef: n.opDef,
        attrs: n.attrs,
        inputTypes: n.inputTypes,
        outputTypes: n.outputTypes,
        requestedDevice: n.requestedDevice,
        assignedDevice: n.assignedDevice,
        ...(n.originalNames ? { originalNames: n.originalNames } : {}),
      }),
    );
  }
  const recvs = new Map<string, Node>();
  const usedFeeds = new Set<string>();
  const identityOp = lookUpOp("Identity")!;
  const connectionEdges: [Node, Fed["from"] & object][] = [];
  for (const [k, f] of fed) {
    if (!keptFeeds.has(k)) continue;
    if (f.from) {
      const identity = g.addNode({
        name: `_identity_${f.id.node}_${f.id.index}`,
        op: "Identity",
        opDef: identityOp,
        attrs: { T: typeAttr(f.dtype) },
        inputTypes: [f.dtype],
        outputTypes: [f.dtype],
        requestedDevice: f.node.requestedDevice,
        assignedDevice: f.node.assignedDevice,
      });
      recvs.set(k, identity);
      connectionEdges.push([identity, f.from]);
      continue;
    }
    usedFeeds.add(f.name);
    const attrs = { ...transferAttrs(f.name, client), tensor_type: typeAttr(f.dtype) };
    const name = `_recv_${f.id.node}_${f.id.index}`;
    recvs.set(
      k,
      g.addNode({
        name,
        op: "_Recv",
        opDef: recvOp,
        attrs,
        inputTypes: [],
        outputTypes: [f.dtype],
        requestedDevice: client.name,
        assignedDevice: client.name,
      }),
    );
  }
  const source = (src: Node, index: number): [Node, number] => {
    const r = fedNodes.has(src) ? recvs.get(`${src.name}:${index}`) : undefined;
    return r ? [r, 0] : [copies.get(src)!, index];
  };
  for (const [identity, from] of connectionEdges) {
    const [s, i] = source(from.node, from.index);
    g.addEdge(s, i, identity, 0);
  }
  let wired = 0;
  for (const n of full.nodes) {
    const dst = copies.get(n);
    if (dst === undefined) continue;
    if (++wired % YIELD_EVERY === 0) yield;
    for (const e of n.inEdges) {
      if (e.srcOutput >= 0) {
        const [s, i] = source(e.src, e.srcOutput);
        g.addEdge(s, i, dst, e.dstInput);
      }
    }
    for (const e of n.inEdges) {
      if (e.srcOutput >= 0) continue;
      const moved = fedPlaceholders.get(e.src);
      if (moved !== undefined) g.addControlEdge(recvs.get(moved)!, dst);
      else g.addControlEdge(copies.get(e.src)!, dst);
    }
  }
  const sent = new Set<string>();
  for (const f of fetchIds) {
    const name = `_send_${f.id.node}_${f.id.index}`;
    if (sent.has(f.name)) continue;
    sent.add(f.name);
    const [s, i] = source(f.node, f.id.index);
    const dtype = baseType(s.outputTypes[i]!);
    const send = g.addNode({
      name: g.find(name) ? `${name}_${sent.size}` : name,
      op: "_Send",
      opDef: sendOp,
      attrs: { ...transferAttrs(f.name, client), T: typeAttr(dtype) },
      inputTypes: [dtype],
      outputTypes: [],
      requestedDevice: client.name,
      assignedDevice: client.name,
    });
    g.addEdge(s, i, send, 0);
  }
  return { graph: g, feedTypes, usedFeeds };
}
