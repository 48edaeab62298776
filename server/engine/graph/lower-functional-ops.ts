// TensorFlow's LowerFunctionalOpsPass (core/common_runtime/lower_functional_ops.cc, lower_if_op.cc,
// lower_while_op.cc, function_utils' InlineFunctionBody): before placement, If/StatelessIf and
// While/StatelessWhile nodes marked `_lower_using_switch_merge` (what tf.cond and tf.while_loop
// build in a TF 2.x graph) become v1 control flow with their branch and body functions inlined:
//
//   If:    Switch(pred, pred) → pivots; each input through Switch(x, pred); the then branch inlined
//          on the true outputs, the else branch on the false ones; Merge per output.
//   While: Enter → Merge ← NextIteration; the cond inlined on the Merges → LoopCond; Switch per loop
//          variable; the body inlined on the true outputs → NextIteration; Exit on the false ones.
//
// The lowered op leaves an IdentityN of its name over the new outputs (so a fetch or a control edge
// naming it still works); data consumers read the Merges or Exits directly, as in TF. The inlined
// nodes are then placed and partitioned like any others, so a body's nodes may sit on other devices
// and loops run in frames with TF's parallel_iterations, in bounded memory. Nested functional ops
// inside inlined bodies are lowered in turn. Case, ops without the marker and ops whose predicate is
// not a bool keep their kernels (kernels/If.ts, While.ts, Case.ts), which compute the same values.

import { create } from "@bufbuild/protobuf";
import {
  type AttrValue,
  AttrValue_ListValueSchema,
  AttrValueSchema,
  type NameAttrList,
} from "../../../gen/tensorflow/core/framework/attr_value_pb.js";
import {
  type NodeDef,
  NodeDef_ExperimentalDebugInfoSchema,
  NodeDefSchema,
} from "../../../gen/tensorflow/core/framework/node_def_pb.js";
import { boolAttr, intAttr, stringAttr, typeAttr } from "../framework/attr-value.js";
import { invalidArgument } from "../framework/errors.js";
import type { FunctionLibrary } from "../framework/function.js";
import type { OpDefinition } from "../framework/op-def.js";
import { runToEnd, type Sliced, YIELD_EVERY } from "../framework/slices.js";
import { DataType } from "../framework/types.js";
import { instantiateBody } from "./function-body.js";

export interface LowerOptions {
  readonly library: FunctionLibrary;
  readonly lookupOp: (name: string) => OpDefinition | undefined;
  /**
   * Most nodes the lowered graph may have (default 1,000,000): inlining multiplies a function's
   * nodes by its call sites at every level, so a small hostile library could otherwise expand
   * into billions of nodes.
   */
  readonly maxNodes?: number;
}

const LOWERED_OPS = new Set(["If", "StatelessIf", "While", "StatelessWhile"]);

/** Whether TF's pass would lower this node (and tfgate can: a bool predicate, loop variables). */
function isLowerable(n: NodeDef): boolean {
  if (!LOWERED_OPS.has(n.op)) return false;
  const mark = n.attr._lower_using_switch_merge;
  if (mark?.value.case !== "b" || !mark.value.value) return false;
  if (n.op.endsWith("If"))
    return n.attr.Tcond?.value.case === "type" && n.attr.Tcond.value.value === DataType.DT_BOOL;
  return typeList(n, "T").length > 0;
}

/**
 * Returns the nodes with every lowerable functional op lowered (the input array when there is
 * none). Throws INVALID_ARGUMENT for a branch or body that names a missing function, for a function
 * that reaches itself through the ops it contains, and past `maxNodes`.
 */
export function lowerFunctionalOps(nodes: readonly NodeDef[], options: LowerOptions): readonly NodeDef[] {
  return runToEnd(lowerFunctionalOpsSliced(nodes, options));
}

/** lowerFunctionalOps in slices (framework/slices.ts): a big graph is scanned, and lowered, in pieces. */
export function* lowerFunctionalOpsSliced(
  nodes: readonly NodeDef[],
  options: LowerOptions,
): Sliced<readonly NodeDef[]> {
  let any = false;
  for (let i = 0; i < nodes.length && !any; i++) {
    if (i % YIELD_EVERY === 0) yield;
    any = isLowerable(nodes[i]!);
  }
  if (!any) return nodes;
  const names = new Set<string>();
  for (const n of nodes) {
    if (names.size % YIELD_EVERY === 0) yield;
    names.add(n.name);
  }
  const maxNodes = options.maxNodes ?? 1_000_000;
  const lowering: Lowering = { options, names, renames: new Map(), counter: 0, chains: new Map() };
  const out: NodeDef[] = [];
  const queue = [...nodes];
  // Lowered ops append their inlined bodies to the queue, so nested ones are lowered too.
  for (let i = 0; i < queue.length; i++) {
    if (i % YIELD_EVERY === 0) yield;
    const n = queue[i]!;
    if (!isLowerable(n)) {
      out.push(n);
      continue;
    }
    queue.push(...(n.op.endsWith("If") ? lowerIf(lowering, n) : lowerWhile(lowering, n)));
    if (queue.length > maxNodes) {
      throw invalidArgument(
        `Graph has more than ${maxNodes} nodes once its functional control flow is inlined, more than this server's limit of ${maxNodes}`,
      );
    }
  }
  const renamed: NodeDef[] = [];
  for (const n of out) {
    if (renamed.length % YIELD_EVERY === 0) yield;
    renamed.push(renameInputs(n, lowering.renames));
  }
  return renamed;
}

interface Lowering {
  readonly options: LowerOptions;
  readonly names: Set<string>;
  /** Data inputs "op:k" of lowered ops → the tensor that now carries that output. */
  readonly renames: Map<string, string>;
  counter: number;
  /** For inlined nodes: the functions they were inlined through, outermost first. */
  readonly chains: Map<NodeDef, readonly string[]>;
}

/** A fresh node name under `base/` (TF's Graph::NewName makes "base/infix/_N"). */
function newName(l: Lowering, base: string, infix: string): string {
  let name = `${base}/${infix}`;
  while (l.names.has(name)) name = `${base}/${infix}/_${l.counter++}`;
  l.names.add(name);
  return name;
}

function node(
  name: string,
  op: string,
  input: string[],
  attr: { [k: string]: AttrValue },
  device: string,
): NodeDef {
  return create(NodeDefSchema, { name, op, input, attr, device });
}

function typeList(n: NodeDef, attr: string): DataType[] {
  const v = n.attr[attr];
  return v?.value.case === "list" ? [...v.value.value.type] : [];
}

function typeListAttr(types: readonly DataType[]): AttrValue {
  return create(AttrValueSchema, {
    value: { case: "list", value: create(AttrValue_ListValueSchema, { type: [...types] }) },
  });
}

function funcAttr(n: NodeDef, attr: string): NameAttrList {
  const v = n.attr[attr];
  if (v?.value.case !== "func")
    throw invalidArgument(`${n.op} ${n.name}: attr '${attr}' must name a function`);
  return v.value.value;
}

const dataInputs = (n: NodeDef) => n.input.filter((i) => !i.startsWith("^"));
const controlInputs = (n: NodeDef) => n.input.filter((i) => i.startsWith("^"));
const canonical = (tensor: string) => (tensor.includes(":") ? tensor : `${tensor}:0`);

function renameInputs(n: NodeDef, renames: ReadonlyMap<string, string>): NodeDef {
  if (renames.size === 0 || !n.input.some((i) => !i.startsWith("^") && renames.has(canonical(i)))) return n;
  const input = n.input.map((i) => (i.startsWith("^") ? i : (renames.get(canonical(i)) ?? i)));
  return create(NodeDefSchema, { ...n, input });
}

/** The outputs of an inlined call, and a node to wait on for its side effects (control_ret). */
interface Inlined {
  readonly nodes: NodeDef[];
  readonly outputs: string[];
  readonly controlOutput: string | undefined;
}

/**
 * Inlines `fn` called with `inputs` under the name `prefix` (TF's InlineFunctionBody): arguments
 * become Identity nodes, results are the tensors the _Retvals read, body nodes are renamed
 * "prefix/name" and take the caller's device when they request none. Nodes with no input at all
 * get a control edge from `anchor`, so that they run in the caller's frame and branch.
 */
function inlineCall(
  l: Lowering,
  caller: NodeDef,
  fn: NameAttrList,
  prefix: string,
  inputs: readonly string[],
  anchor: string,
  device: string,
): Inlined {
  const chain = [...(l.chains.get(caller) ?? []), fn.name];
  if (chain.indexOf(fn.name) < chain.length - 1) {
    throw invalidArgument(
      `Function ${fn.name} is recursive: it calls itself through ${chain.join(" -> ")}. Recursive functions are not supported.`,
    );
  }
  const fdef = l.options.library.find(fn.name);
  if (fdef?.signature === undefined) {
    throw invalidArgument(`Function ${fn.name} is not defined in the graph's function library.`);
  }
  const body = instantiateBody(fdef, fn.attr, l.options.lookupOp);
  if (body.numArgs !== inputs.length) {
    throw invalidArgument(`Function ${fn.name} expects ${body.numArgs} arguments, got ${inputs.length}`);
  }
  const inBody = new Set(body.nodes.map((n) => n.name));
  const rename = (input: string) => {
    const control = input.startsWith("^");
    const name = control ? input.slice(1) : input;
    return inBody.has(name.split(":")[0]!) ? `${control ? "^" : ""}${prefix}/${name}` : input;
  };
  const nodes: NodeDef[] = [];
  const outputs: string[] = new Array(body.numRets);
  for (const n of body.nodes) {
    if (n.op === "_Retval") {
      outputs[Number(n.attr.index?.value.value ?? 0)] = rename(n.input[0]!);
      continue;
    }
    const name = `${prefix}/${n.name}`;
    l.names.add(name);
    if (n.op === "_Arg") {
      const index = Number(n.attr.index?.value.value ?? 0);
      nodes.push(node(name, "Identity", [inputs[index]!], { T: n.attr.T! }, device));
      continue;
    }
    const input = n.input.length === 0 ? [`^${anchor}`] : n.input.map(rename);
    const inlined = node(name, n.op, input, colocatedInBody(n.attr, inBody, prefix), n.device || device);
    // As TF's inliner records it: errors name the node as its function does.
    inlined.experimentalDebugInfo = create(NodeDef_ExperimentalDebugInfoSchema, {
      originalNodeNames: [n.name],
      originalFuncNames: [fn.name],
    });
    l.chains.set(inlined, chain);
    nodes.push(inlined);
  }
  const controlRets = Object.values(fdef.controlRet).map((n) => `^${prefix}/${n}`);
  let controlOutput: string | undefined;
  if (controlRets.length > 0) {
    controlOutput = newName(l, prefix, "output_control_node");
    nodes.push(node(controlOutput, "NoOp", controlRets, {}, device));
  }
  return { nodes, outputs, controlOutput };
}

/** A body node's "_class" colocation constraints ("loc:@x") renamed with the call's prefix. */
function colocatedInBody(
  attr: { [k: string]: AttrValue },
  inBody: ReadonlySet<string>,
  prefix: string,
): { [k: string]: AttrValue } {
  const cls = attr._class;
  if (cls?.value.case !== "list") return attr;
  const s = cls.value.value.s.map((b) => {
    const text = new TextDecoder().decode(b);
    const target = text.startsWith("loc:@") ? text.slice(5) : undefined;
    return target !== undefined && inBody.has(target)
      ? new TextEncoder().encode(`loc:@${prefix}/${target}`)
      : b;
  });
  return {
    ...attr,
    _class: create(AttrValueSchema, {
      value: { case: "list", value: create(AttrValue_ListValueSchema, { s }) },
    }),
  };
}

/** TF's LowerIfOp. Returns the new nodes; the If's outputs are renamed to the Merges. */
function lowerIf(l: Lowering, n: NodeDef): NodeDef[] {
  const [pred, ...args] = dataInputs(n);
  const device = n.device;
  const outTypes = typeList(n, "Tout");
  const inTypes = typeList(n, "Tin");
  const bool = typeAttr(DataType.DT_BOOL);
  const nodes: NodeDef[] = [];
  // The predicate's own Switch gives the two pivots every node of a branch depends on.
  const switchPred = newName(l, n.name, "switch_pred");
  nodes.push(node(switchPred, "Switch", [pred!, pred!, ...controlInputs(n)], { T: bool }, device));
  const pivotF = newName(l, n.name, "pivot_f");
  const pivotT = newName(l, n.name, "pivot_t");
  nodes.push(node(pivotF, "Identity", [`${switchPred}:0`], { T: bool }, device));
  nodes.push(node(pivotT, "Identity", [`${switchPred}:1`], { T: bool }, device));
  const switches = args.map((arg, i) => {
    const name = newName(l, n.name, `input_${i}`);
    nodes.push(node(name, "Switch", [arg, pred!, ...controlInputs(n)], { T: typeAttr(inTypes[i]!) }, device));
    return name;
  });
  const thenCall = inlineCall(
    l,
    n,
    funcAttr(n, "then_branch"),
    newName(l, n.name, "then"),
    switches.map((s) => `${s}:1`),
    pivotT,
    device,
  );
  const elseCall = inlineCall(
    l,
    n,
    funcAttr(n, "else_branch"),
    newName(l, n.name, "else"),
    switches.map((s) => `${s}:0`),
    pivotF,
    device,
  );
  nodes.push(...thenCall.nodes, ...elseCall.nodes);
  const merges = outTypes.map((t, i) => {
    const name = newName(l, n.name, `output_${i}`);
    nodes.push(
      node(
        name,
        "Merge",
        [thenCall.outputs[i]!, elseCall.outputs[i]!],
        { T: typeAttr(t), N: intAttr(2) },
        device,
      ),
    );
    l.renames.set(`${n.name}:${i}`, `${name}:0`);
    return name;
  });
  // Fires once the taken branch's side effects (its control_ret) are done; a control edge from the
  // If waits for it.
  const executed = newName(l, n.name, "branch_executed");
  const branchControls = [thenCall.controlOutput, elseCall.controlOutput].flatMap((c) =>
    c ? [`^${c}`] : [],
  );
  nodes.push(
    node(executed, "Merge", [pivotT, pivotF, ...branchControls], { T: bool, N: intAttr(2) }, device),
  );
  nodes.push(
    loweredOutput(
      n.name,
      merges.map((m) => `${m}:0`),
      outTypes,
      executed,
      device,
    ),
  );
  return nodes;
}

/** The node that keeps the lowered op's name: an IdentityN of its outputs (a NoOp when none). */
function loweredOutput(
  name: string,
  outputs: readonly string[],
  types: readonly DataType[],
  after: string | undefined,
  device: string,
): NodeDef {
  const control = after === undefined ? [] : [`^${after}`];
  if (outputs.length === 0) return node(name, "NoOp", control, {}, device);
  return node(name, "IdentityN", [...outputs, ...control], { T: typeListAttr(types) }, device);
}

/** TF's LowerWhileOp. Returns the new nodes; the While's outputs are renamed to the Exits. */
function lowerWhile(l: Lowering, n: NodeDef): NodeDef[] {
  const inputs = dataInputs(n);
  const types = typeList(n, "T");
  const device = n.device;
  const parallel = n.attr.parallel_iterations ?? intAttr(10);
  const nodes: NodeDef[] = [];
  const controls = controlInputs(n);
  let loopControl: string[] = [];
  if (controls.length > 0) {
    const name = newName(l, n.name, "LoopControlInputs");
    nodes.push(node(name, "NoOp", controls, {}, device));
    loopControl = [`^${name}`];
  }
  const T = (i: number) => typeAttr(types[i]!);
  const enters = inputs.map((input, i) => {
    const name = newName(l, n.name, "enter");
    const attr = {
      T: T(i),
      frame_name: stringAttr(n.name),
      is_constant: boolAttr(false),
      parallel_iterations: parallel,
    };
    nodes.push(node(name, "Enter", [input, ...loopControl], attr, device));
    return name;
  });
  const merges = enters.map(() => newName(l, n.name, "merge"));
  const cond = inlineCall(l, n, funcAttr(n, "cond"), newName(l, n.name, "cond"), merges, merges[0]!, device);
  const loopCond = newName(l, n.name, "LoopCond");
  nodes.push(...cond.nodes, node(loopCond, "LoopCond", [cond.outputs[0]!], {}, device));
  const switches = merges.map((merge, i) => {
    const name = newName(l, n.name, "switch");
    nodes.push(node(name, "Switch", [merge, loopCond], { T: T(i) }, device));
    return name;
  });
  const bodyControl = newName(l, n.name, "loop_body_control");
  nodes.push(node(bodyControl, "Identity", [`${switches[0]}:1`], { T: T(0) }, device));
  const body = inlineCall(
    l,
    n,
    funcAttr(n, "body"),
    newName(l, n.name, "body"),
    switches.map((s) => `${s}:1`),
    bodyControl,
    device,
  );
  nodes.push(...body.nodes);
  if (body.outputs.length !== inputs.length) {
    throw invalidArgument(
      `While loop body returned ${body.outputs.length} arguments. Expected: ${inputs.length}`,
    );
  }
  const exits = switches.map((s, i) => {
    const nextIteration = newName(l, n.name, "next_iteration");
    nodes.push(node(nextIteration, "NextIteration", [body.outputs[i]!], { T: T(i) }, device));
    nodes.push(node(merges[i]!, "Merge", [enters[i]!, nextIteration], { T: T(i), N: intAttr(2) }, device));
    const exit = newName(l, n.name, "exit");
    nodes.push(node(exit, "Exit", [`${s}:0`], { T: T(i) }, device));
    l.renames.set(`${n.name}:${i}`, `${exit}:0`);
    return `${exit}:0`;
  });
  nodes.push(loweredOutput(n.name, exits, types, undefined, device));
  return nodes;
}
