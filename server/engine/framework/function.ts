// TensorFlow's FunctionLibraryDefinition (core/framework/function.h): the functions of a graph's
// library, each callable by name as an op whose signature is the FunctionDef's OpDef, and the
// FunctionRuntime interface kernels use to call one (TF's FunctionLibraryRuntime).

import type { FunctionDef, FunctionDefLibrary } from "../../../gen/tensorflow/core/framework/function_pb.js";
import type { OpDef } from "../../../gen/tensorflow/core/framework/op_def_pb.js";
import { invalidArgument } from "./errors.js";
import { functionDefsEqual } from "./function-def-equal.js";
import { type ArgSpec, type AttrMap, type AttrSpec, isAttrType, type OpDefinition } from "./op-def.js";
import type { AsyncOpKernel, StepContext } from "./op-kernel.js";
import type { Tensor } from "./tensor.js";
import { DataType } from "./types.js";

export interface FunctionLibrary {
  /** The library as it came (copied into partition GraphDefs). */
  readonly proto: FunctionDefLibrary | undefined;
  find(name: string): FunctionDef | undefined;
  /** The op a function call node runs, derived from the function's signature. */
  opDef(name: string): OpDefinition | undefined;
}

/** Calls functions on one device (TF's FunctionLibraryRuntime). */
export interface FunctionRuntime {
  readonly library: FunctionLibrary;
  /**
   * Instantiates `name` for the call's attrs (once per distinct attrs) and returns a runner.
   * Throws INVALID_ARGUMENT for unknown or recursive functions.
   */
  instantiate(
    name: string,
    attrs: AttrMap,
  ): (args: readonly Tensor[], step: StepContext) => Promise<Tensor[]>;
  /**
   * A runtime over the same library and device with nothing instantiated yet: its functions get
   * new kernels (fresh kernel state, e.g. a random op's generator), as TF's cloned
   * FunctionLibraryRuntime gives each tf.data iterator.
   */
  fresh?(): FunctionRuntime;
}

/** The kernel of a function call: inputs in order as arguments, results as outputs. */
export function callKernel(
  run: (args: readonly Tensor[], step: StepContext) => Promise<Tensor[]>,
): AsyncOpKernel {
  return {
    async computeAsync(ctx) {
      const args: Tensor[] = [];
      for (let i = 0; i < ctx.numInputs; i++) args.push(ctx.input(i));
      const outs = await run(args, ctx.step);
      outs.forEach((t, i) => {
        ctx.setOutput(i, t);
      });
    },
  };
}

/** Builds the library view; duplicate names must be equal definitions (TF's AddFunctionDef). */
export function createFunctionLibrary(proto: FunctionDefLibrary | undefined): FunctionLibrary {
  const byName = new Map<string, FunctionDef>();
  for (const f of proto?.function ?? []) {
    const name = f.signature?.name ?? "";
    const prev = byName.get(name);
    if (prev && !functionDefsEqual(prev, f)) {
      throw invalidArgument(
        `Cannot add function '${name}' because a different function with the same name already exists.`,
      );
    }
    byName.set(name, f);
  }
  const ops = new Map<string, OpDefinition>();
  return {
    proto,
    find: (name) => byName.get(name),
    opDef(name) {
      let op = ops.get(name);
      if (op === undefined) {
        const f = byName.get(name);
        if (f?.signature === undefined) return undefined;
        op = opDefinitionFromProto(f.signature, true);
        ops.set(name, op);
      }
      return op;
    },
  };
}

/** An OpDefinition from an OpDef proto (a function signature). */
export function opDefinitionFromProto(def: OpDef, isFunction: boolean): OpDefinition {
  const arg = (a: OpDef["inputArg"][number]): ArgSpec => {
    const spec: { -readonly [K in keyof ArgSpec]: ArgSpec[K] } = { name: a.name, isRef: a.isRef };
    if (a.typeListAttr !== "") spec.typeListAttr = a.typeListAttr;
    else if (a.typeAttr !== "") spec.typeAttr = a.typeAttr;
    else spec.dtype = a.type as DataType;
    if (a.numberAttr !== "") spec.numberAttr = a.numberAttr;
    return spec;
  };
  const attrs: AttrSpec[] = def.attr.map((a) => {
    const type = a.type;
    if (!isAttrType(type)) {
      throw invalidArgument(`Function ${def.name}: attr ${a.name} has unknown type '${type}'`);
    }
    const spec: { -readonly [K in keyof AttrSpec]: AttrSpec[K] } = { name: a.name, type };
    if (a.defaultValue !== undefined) spec.defaultValue = a.defaultValue;
    if (a.allowedValues?.value.case === "list" && a.allowedValues.value.value.type.length > 0) {
      spec.allowedTypes = [...a.allowedValues.value.value.type];
    }
    if (a.hasMinimum) spec.minimum = Number(a.minimum);
    return spec;
  });
  return {
    name: def.name,
    inputs: def.inputArg.map(arg),
    outputs: def.outputArg.map(arg),
    attrs,
    isStateful: def.isStateful || isFunction,
    isCommutative: false,
    isAggregate: false,
    isDistributedCommunication: false,
    allowsUninitializedInput: false,
    ...(isFunction ? { isFunction: true } : {}),
  };
}

export { DataType };
