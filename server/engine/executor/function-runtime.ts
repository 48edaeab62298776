// TensorFlow's FunctionLibraryRuntime (core/common_runtime/function.cc) for one device: instantiates
// a FunctionDef for a call's attrs as a graph (_Arg → body → _Retval), builds an executor for it
// once, and runs it per call with the caller's step (same rendezvous, resources, cancellation).
// Recursion (a function reaching itself through calls) is rejected at instantiation.

import { create } from "@bufbuild/protobuf";
import { toText } from "@bufbuild/protobuf/txtpb";
import { type AttrValue, AttrValueSchema } from "../../../gen/tensorflow/core/framework/attr_value_pb.js";
import type { FunctionDef } from "../../../gen/tensorflow/core/framework/function_pb.js";
import { type NodeDef, NodeDefSchema } from "../../../gen/tensorflow/core/framework/node_def_pb.js";
import { intAttr, typeAttr } from "../framework/attr-value.js";
import { internal, invalidArgument, isTfError } from "../framework/errors.js";
import type { FunctionLibrary, FunctionRuntime } from "../framework/function.js";
import {
  type AttrMap,
  addDefaultAttrs,
  lookUpOp,
  type OpDefinition,
  outputTypesForNode,
} from "../framework/op-def.js";
import type { DeviceInfo, StepContext } from "../framework/op-kernel.js";
import type { Tensor } from "../framework/tensor.js";
import type { DataType } from "../framework/types.js";
import { convertNodeDefs, opNotRegistered } from "../graph/graph-constructor.js";
import { createExecutor, type Executor } from "./executor.js";

export interface FunctionRuntimeOptions {
  readonly library: FunctionLibrary;
  readonly device: DeviceInfo;
  readonly onInternalError?: (node: string, error: unknown) => void;
}

export function createFunctionRuntime(options: FunctionRuntimeOptions): FunctionRuntime {
  const { library } = options;
  const cache = new Map<string, (args: readonly Tensor[], step: StepContext) => Promise<Tensor[]>>();
  const instantiating: string[] = [];
  const lookupOp = (name: string): OpDefinition | undefined => lookUpOp(name) ?? library.opDef(name);

  const runtime: FunctionRuntime = {
    library,
    instantiate(name, attrs) {
      const fdef = library.find(name);
      if (fdef?.signature === undefined) {
        throw invalidArgument(`Function ${name} is not defined in the graph's function library.`);
      }
      const key = `${name}\u0000${Object.keys(attrs)
        .sort()
        .map((k) => `${k}=${toText(AttrValueSchema, attrs[k]!).trim()}`)
        .join(";")}`;
      const cached = cache.get(key);
      if (cached) return cached;
      if (instantiating.includes(name)) {
        throw invalidArgument(
          `Function ${name} is recursive: it calls itself through ${[...instantiating, name].join(" -> ")}. ` +
            "Recursive functions are not supported.",
        );
      }
      instantiating.push(name);
      try {
        const { nodes, numArgs, numRets } = instantiateBody(fdef, attrs, lookupOp);
        const graph = convertNodeDefs(nodes, { lookupOp });
        for (const n of graph.nodes) n.assignedDevice = options.device.name;
        const executor: Executor = createExecutor(graph, {
          device: options.device,
          functions: runtime,
          ...(options.onInternalError ? { onInternalError: options.onInternalError } : {}),
        });
        const run = async (args: readonly Tensor[], step: StepContext): Promise<Tensor[]> => {
          if (args.length !== numArgs)
            throw internal(`Function ${name} expects ${numArgs} arguments, got ${args.length}`);
          const rets: (Tensor | undefined)[] = new Array(numRets);
          await executor.run({ ...step, callFrame: { args, rets } });
          return rets.map((t, i) => {
            if (t === undefined) throw invalidArgument(`Function ${name} did not produce its output ${i}`);
            return t;
          });
        };
        cache.set(key, run);
        return run;
      } catch (e) {
        throw isTfError(e) && !e.message.startsWith(`Function ${name}`) && !e.message.includes("recursive")
          ? e.withPrefix(`Function ${name}: `)
          : e;
      } finally {
        instantiating.pop();
      }
    },
  };
  return runtime;
}

/** Expands the signature for the call's attrs and rewrites the body into plain NodeDefs. */
function instantiateBody(
  fdef: FunctionDef,
  callAttrs: AttrMap,
  lookupOp: (name: string) => OpDefinition | undefined,
): { nodes: NodeDef[]; numArgs: number; numRets: number } {
  const sig = fdef.signature!;
  const attrs: { [k: string]: AttrValue } = { ...fdef.attr, ...callAttrs };
  for (const a of sig.attr) if (attrs[a.name] === undefined && a.defaultValue) attrs[a.name] = a.defaultValue;
  const argTypes = (arg: (typeof sig.inputArg)[number]): DataType[] => {
    if (arg.typeListAttr) {
      const v = attrs[arg.typeListAttr];
      if (v?.value.case !== "list") throw invalidArgument(`Missing attr ${arg.typeListAttr}`);
      return [...v.value.value.type];
    }
    let t = arg.type as DataType;
    if (arg.typeAttr) {
      const v = attrs[arg.typeAttr];
      if (v?.value.case !== "type") throw invalidArgument(`Missing attr ${arg.typeAttr}`);
      t = v.value.value;
    }
    let n = 1;
    if (arg.numberAttr) {
      const v = attrs[arg.numberAttr];
      if (v?.value.case !== "i") throw invalidArgument(`Missing attr ${arg.numberAttr}`);
      n = Number(v.value.value);
    }
    return new Array<DataType>(n).fill(t);
  };

  const nodes: NodeDef[] = [];
  // Function inputs: "x" (or "x:k" for list args) → the _Arg node.
  const argNames = new Map<string, string[]>();
  let index = 0;
  for (const arg of sig.inputArg) {
    const names: string[] = [];
    for (const [k, t] of argTypes(arg).entries()) {
      const name = `_arg_${arg.name}_${k}`;
      names.push(name);
      nodes.push(
        create(NodeDefSchema, { name, op: "_Arg", attr: { T: typeAttr(t), index: intAttr(index++) } }),
      );
    }
    argNames.set(arg.name, names);
  }
  const numArgs = index;

  // Body nodes' output-arg ranges, to turn "node:out_arg:k" into "node:<flat index>".
  const outputRanges = new Map<string, Map<string, number>>();
  for (const nd of fdef.nodeDef) {
    const op = lookupOp(nd.op);
    if (!op) continue; // convertNodeDefs reports unknown ops
    const full = addDefaultAttrs(op, substitute(nd.attr, attrs));
    const ranges = new Map<string, number>();
    let start = 0;
    for (const out of op.outputs) {
      ranges.set(out.name, start);
      start += outputTypesForNode({ ...op, outputs: [out] }, full).length;
    }
    outputRanges.set(nd.name, ranges);
  }
  const rewrite = (input: string): string => {
    if (input.startsWith("^")) {
      const src = input.slice(1);
      return argNames.has(src) ? `^${argNames.get(src)![0]}` : input;
    }
    const parts = input.split(":");
    if (parts.length === 1 || (parts.length === 2 && argNames.has(parts[0]!))) {
      const names = argNames.get(parts[0]!);
      if (!names) throw invalidArgument(`Function input '${input}' does not name an argument`);
      return names[parts.length === 2 ? Number(parts[1]) : 0]!;
    }
    if (parts.length !== 3) throw invalidArgument(`Malformed function input '${input}'`);
    const [node, outArg, k] = parts as [string, string, string];
    const start = outputRanges.get(node)?.get(outArg);
    if (start === undefined) {
      // A body node whose op is not registered has no known outputs: name the op, as TF does.
      const unknownOp = fdef.nodeDef.find((nd) => nd.name === node && !lookupOp(nd.op))?.op;
      if (unknownOp !== undefined) throw opNotRegistered(unknownOp);
      throw invalidArgument(`Function input '${input}' names an unknown node output`);
    }
    const flat = start + Number(k);
    return flat === 0 ? node : `${node}:${flat}`;
  };
  for (const nd of fdef.nodeDef) {
    nodes.push(
      create(NodeDefSchema, {
        name: nd.name,
        op: nd.op,
        input: nd.input.map(rewrite),
        attr: substitute(nd.attr, attrs),
        device: "",
      }),
    );
  }
  // Function outputs: ret[out_arg] = "node:out:k" → _Retval nodes.
  let ret = 0;
  for (const arg of sig.outputArg) {
    const source = fdef.ret[arg.name];
    if (source === undefined)
      throw invalidArgument(`Function ${sig.name} has no ret for output '${arg.name}'`);
    const types = argTypes(arg);
    for (const [k, t] of types.entries()) {
      const src = rewrite(
        types.length > 1
          ? `${source.split(":").slice(0, 2).join(":")}:${Number(source.split(":")[2] ?? 0) + k}`
          : source,
      );
      nodes.push(
        create(NodeDefSchema, {
          name: `_retval_${arg.name}_${k}`,
          op: "_Retval",
          input: [src],
          attr: { T: typeAttr(t), index: intAttr(ret++) },
        }),
      );
    }
  }
  return { nodes, numArgs, numRets: ret };
}

/** Replaces attr placeholders ("$T" / AttrValue.placeholder) with the call's values. */
function substitute(
  attrs: { [k: string]: AttrValue },
  values: { [k: string]: AttrValue },
): { [k: string]: AttrValue } {
  const out: { [k: string]: AttrValue } = {};
  for (const [k, v] of Object.entries(attrs)) {
    if (v.value.case === "placeholder") {
      const r = values[v.value.value];
      if (r === undefined) throw invalidArgument(`Attr placeholder '${v.value.value}' has no value`);
      out[k] = r;
    } else {
      out[k] = v;
    }
  }
  return out;
}
