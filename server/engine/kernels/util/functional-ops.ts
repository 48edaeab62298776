// What TensorFlow's functional control-flow kernels share (core/kernels/functional_ops.cc): turning
// a predicate into a bool, instantiating a func attr on the kernel's device, and checking a branch's
// or body's results against the op's output types.
//
// These kernels run If/Case/While as calls into the function runtime. A session graph runs most of
// them lowered to Switch/Merge/Enter/Exit frames instead (graph/lower-functional-ops.ts), as TF
// does for ops marked `_lower_using_switch_merge`; the kernels run the rest, with the same results.

import { internal, invalidArgument } from "../../framework/errors.js";
import { type AttrMap, getAttrList } from "../../framework/op-def.js";
import type { OpKernelConstruction, OpKernelContext, StepContext } from "../../framework/op-kernel.js";
import type { Tensor } from "../../framework/tensor.js";
import { DataType, dataTypeString } from "../../framework/types.js";

export type FunctionCall = (args: readonly Tensor[], step: StepContext) => Promise<Tensor[]>;

/** The function named by a `func` attr (or one entry of a `list(func)` attr), instantiated. */
export function instantiateFuncAttr(c: OpKernelConstruction, attr: string, index?: number): FunctionCall {
  const v = c.attrs[attr];
  let func: { name: string; attr: AttrMap } | undefined;
  if (index === undefined && v?.value.case === "func") func = v.value.value;
  if (index !== undefined && v?.value.case === "list") func = v.value.value.func[index];
  if (func === undefined) throw invalidArgument(`${c.op} ${c.nodeName}: attr '${attr}' must name a function`);
  if (c.functions === undefined) throw internal("No function library");
  return c.functions.instantiate(func.name, func.attr);
}

/**
 * Number of functions in a `list(func)` attr. An attr of another type fails as TF's GetNodeAttr
 * does, and a list naming no function is refused, so a kernel never indexes an empty branch list.
 */
export function funcListLength(c: OpKernelConstruction, attr: string): number {
  const n = getAttrList(c.attrs, attr).func.length;
  if (n === 0) throw invalidArgument(`Length for attr '${attr}' of 0 must be at least minimum 1`);
  return n;
}

/**
 * TF's ToBool: a scalar is true when non-zero (a string when non-empty); a tensor of any other
 * rank is true when it has elements.
 */
export function toBool(t: Tensor): boolean {
  if (t.rank > 0) return t.numElements > 0;
  switch (t.dtype) {
    case DataType.DT_FLOAT:
    case DataType.DT_DOUBLE:
    case DataType.DT_INT32:
    case DataType.DT_UINT8:
    case DataType.DT_INT16:
    case DataType.DT_INT8:
    case DataType.DT_BOOL:
      return (t.data as ArrayLike<number>)[0] !== 0;
    case DataType.DT_INT64:
      return (t.data as BigInt64Array)[0] !== 0n;
    case DataType.DT_STRING:
      return (t.data as Uint8Array[])[0]!.length > 0;
    default:
      throw invalidArgument(`${dataTypeString(t.dtype)} cannot be converted to a boolean`);
  }
}

/** The kernel's inputs from `start` on (the arguments of a branch or loop body). */
export function inputsFrom(ctx: OpKernelContext, start: number): Tensor[] {
  const args: Tensor[] = [];
  for (let i = start; i < ctx.numInputs; i++) args.push(ctx.input(i));
  return args;
}

/** TF's SetOutputs: the function's results must match the op's outputs in number and type. */
export function setFunctionOutputs(
  ctx: OpKernelContext,
  outputTypes: readonly DataType[],
  rets: readonly Tensor[],
): void {
  if (rets.length !== outputTypes.length) {
    throw internal(`Expect to produce ${outputTypes.length} tensors, but only get ${rets.length}`);
  }
  rets.forEach((t, i) => {
    if (t.dtype !== outputTypes[i]) {
      throw internal(
        `Expect ${i}-th output is of type ${dataTypeString(outputTypes[i]!)} but get ${dataTypeString(t.dtype)}`,
      );
    }
    ctx.setOutput(i, t);
  });
}
