// TensorFlow's FunctionLibraryRuntime (core/common_runtime/function.cc) for one device: instantiates
// a FunctionDef for a call's attrs as a graph (_Arg → body → _Retval), builds an executor for it
// once, and runs it per call with the caller's step (same rendezvous, resources, cancellation).
// Recursion (a function reaching itself through calls) is rejected at instantiation.

import { toText } from "@bufbuild/protobuf/txtpb";
import { AttrValueSchema } from "../../../gen/tensorflow/core/framework/attr_value_pb.js";
import { internal, invalidArgument, isTfError } from "../framework/errors.js";
import type { FunctionLibrary, FunctionRuntime } from "../framework/function.js";
import { lookUpOp, type OpDefinition } from "../framework/op-def.js";
import type { DeviceInfo, StepContext } from "../framework/op-kernel.js";
import type { Tensor } from "../framework/tensor.js";
import { instantiateBody } from "../graph/function-body.js";
import { convertNodeDefs } from "../graph/graph-constructor.js";
import { lowerFunctionalOps } from "../graph/lower-functional-ops.js";
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
    fresh: () => createFunctionRuntime(options),
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
        const body = instantiateBody(fdef, attrs, lookupOp);
        const { numArgs, numRets } = body;
        const nodes = lowerFunctionalOps(body.nodes, { library, lookupOp });
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
