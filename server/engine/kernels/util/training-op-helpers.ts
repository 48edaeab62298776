// TF's dense optimizer kernels (core/kernels/training_ops.cc) share one shape: some variable inputs
// (ref `Ref(T)` for Apply*, `resource` handles for ResourceApply*), some scalar hyper-parameters, a
// gradient, and an element-wise update of every variable. This module is that shared machinery,
// with training_op_helpers.h's variable access (GetInputTensorFromVariable) and TF's validation
// texts; each kernels/Apply<X>.ts supplies its REGISTER_OP signature, its check order and the
// update functor.
//
// Numerics: float32 (and half/bfloat16, computed in float32 as Eigen does) round every intermediate
// through Math.fround, so an update is the same float32 expression TF's Eigen functor evaluates;
// float64 computes in JS doubles. Updates write fresh tensors into the variables (TF's copy-on-write
// mode, see variables.ts), so a tensor a reader already got never changes under it.

import { failedPrecondition, invalidArgument } from "../../framework/errors.js";
import { getAttrBool } from "../../framework/op-def.js";
import type { OpKernelContext, RefCell } from "../../framework/op-kernel.js";
import { type NumericArray, sameShape, shapeString, type Tensor } from "../../framework/tensor.js";
import { DataType, dataTypeString } from "../../framework/types.js";
import { checkTypeConstraint, cpuKernel, FLOAT_TYPES, type KernelConfig } from "./kernel-config.js";
import { computeBuffer, finish, numericData, scalarValue } from "./tensor-util.js";
import { handleFromInput, lookupVar, type Var } from "./variables.js";

/** Rounds an intermediate result to the kernel's compute precision. */
export type Round = (x: number) => number;

/** What an update functor gets: the variables' new storage (updated in place), grad and scalars. */
export interface UpdateArgs {
  /** Element count of every variable. */
  readonly n: number;
  /** One buffer per variable input, in input order (var first), holding the current values. */
  readonly vars: readonly NumericArray[];
  /** The gradient's elements (borrowed; do not write). */
  readonly grad: NumericArray;
  /** Scalar inputs by input name (lr, momentum, …), already rounded to T. */
  readonly s: Readonly<Record<string, number>>;
  /** Bool attrs by name (use_nesterov, update_slots, …). */
  readonly attrs: Readonly<Record<string, boolean>>;
  readonly r: Round;
}

/**
 * One validation step, in the kernel's order: "scalar:<input>" (TensorShapeUtils::IsScalar) or
 * "same:<input>" (var.shape().IsSameSize(<input>.shape())).
 */
export type Check = `scalar:${string}` | `same:${string}`;

export interface ApplySpec {
  /** The optimizer's name: the ops are Apply<name> and ResourceApply<name>. */
  readonly name: string;
  /** Every input in declared order: variable inputs first (var, accum, …), then the others. */
  readonly vars: readonly string[];
  readonly inputs: readonly string[];
  /** Extra bool attrs, in REGISTER_OP syntax ("use_nesterov: bool = false"). */
  readonly boolAttrs?: readonly string[];
  /** Validation order after the "uninitialized" checks; default: every scalar, then every shape. */
  readonly checks?: readonly Check[];
  /** Messages for failed scalar checks, when not "<input> is not a scalar: " (Ftrl's wording). */
  readonly scalarMessages?: Readonly<Record<string, string>>;
  /** Conditions a scalar's value must meet too, by input name (TF's "is not a positive scalar"). */
  readonly scalarConditions?: Readonly<Record<string, (value: number) => boolean>>;
  /** The gradient input's name, when not "grad" (ApplyProximalGradientDescent's "delta"). */
  readonly gradName?: string;
  /** Inputs whose dtype is not T, in REGISTER_OP syntax (AdagradDA's "global_step: int64"). */
  readonly inputTypes?: Readonly<Record<string, string>>;
  /** How TF names an input in "var and <X> do not have the same shape" when not by its name. */
  readonly shapeNames?: Readonly<Record<string, string>>;
  /** Dtypes TF registers CPU kernels for (both variants). */
  readonly kernelTypes?: readonly DataType[];
  readonly update: (u: UpdateArgs) => void;
}

const NUMBERTYPE_ATTR = "T: numbertype";

function boolAttrName(spec: string): string {
  return spec.slice(0, spec.indexOf(":")).trim();
}

function defaultChecks(spec: ApplySpec): Check[] {
  const grad = spec.gradName ?? "grad";
  const scalars = spec.inputs.filter((i) => i !== grad).map((i): Check => `scalar:${i}`);
  const shapes = [...spec.vars.slice(1), grad].map((i): Check => `same:${i}`);
  return [...scalars, ...shapes];
}

/** A variable's current value, however it is held. */
interface VarSlot {
  readonly get: () => Tensor | undefined;
  readonly set: (t: Tensor) => void;
}

function refSlot(cell: RefCell): VarSlot {
  return {
    get: () => cell.value,
    set: (t) => {
      cell.value = t;
    },
  };
}

function resourceSlot(v: Var): VarSlot {
  return {
    get: () => v.value,
    set: (t) => {
      v.value = t;
      v.isInitialized = true;
    },
  };
}

/**
 * The shared Compute of Apply<X> and ResourceApply<X>: fetch every variable (lookups first, as TF's
 * GetInputTensorFromVariable does), TF's uninitialized checks naming the requested input, the
 * op's scalar and shape checks, then the update into fresh tensors.
 */
function computeApply(
  spec: ApplySpec,
  ctx: OpKernelContext,
  dtype: DataType,
  slots: readonly VarSlot[],
  requested: readonly string[],
  attrs: Readonly<Record<string, boolean>>,
  checks: readonly Check[],
): void {
  const values: Tensor[] = [];
  for (let i = 0; i < slots.length; i++) {
    const t = slots[i]!.get();
    if (t === undefined) {
      throw failedPrecondition(`Attempting to use uninitialized variables: ${requested[i] ?? ""}`);
    }
    values.push(t);
  }
  for (let i = 0; i < values.length; i++) {
    if (values[i]!.dtype !== dtype) {
      throw invalidArgument(
        `Trying to read variable with wrong dtype. Expected ${dataTypeString(dtype)} got ` +
          dataTypeString(values[i]!.dtype),
      );
    }
  }
  const nv = spec.vars.length;
  const inputIndex = (name: string): number => {
    const v = spec.vars.indexOf(name);
    return v >= 0 ? v : nv + spec.inputs.indexOf(name);
  };
  const tensorOf = (name: string): Tensor => {
    const i = inputIndex(name);
    return i < nv ? values[i]! : ctx.input(i);
  };
  const varShape = values[0]!.shape;
  for (const check of checks) {
    const [kind, name] = check.split(":") as ["scalar" | "same", string];
    const t = tensorOf(name);
    if (kind === "scalar") {
      const condition = spec.scalarConditions?.[name];
      if (t.rank !== 0 || (condition !== undefined && !condition(scalarValue(t)))) {
        const prefix = spec.scalarMessages?.[name] ?? `${name} is not a scalar: `;
        throw invalidArgument(`${prefix}${shapeString(t.shape)}`);
      }
    } else if (!sameShape(varShape, t.shape)) {
      throw invalidArgument(
        `var and ${spec.shapeNames?.[name] ?? name} do not have the same shape${shapeString(varShape)} ${shapeString(t.shape)}`,
      );
    }
  }
  const r: Round = dtype === DataType.DT_DOUBLE ? (x) => x : Math.fround;
  const gradName = spec.gradName ?? "grad";
  const s: Record<string, number> = {};
  for (const name of spec.inputs) {
    if (name !== gradName) s[name] = r(scalarValue(tensorOf(name)));
  }
  const n = values[0]!.numElements;
  const bufs = values.map((t) => {
    const buf = computeBuffer(dtype, n, t.shape) as NumericArray;
    buf.set(numericData(t));
    return buf;
  });
  spec.update({ n, vars: bufs, grad: numericData(tensorOf(gradName)), s, attrs, r });
  for (let i = 0; i < slots.length; i++) slots[i]!.set(finish(dtype, values[i]!.shape, bufs[i]!));
}

/** The Apply<X> (ref variables) and ResourceApply<X> (resource variables) configs of one optimizer. */
export function applyConfigs(spec: ApplySpec): { ref: KernelConfig; resource: KernelConfig } {
  const kernelTypes = spec.kernelTypes ?? FLOAT_TYPES;
  const boolAttrs = spec.boolAttrs ?? [];
  const attrSpecs = [NUMBERTYPE_ATTR, "use_locking: bool = false", ...boolAttrs];
  const checks = spec.checks ?? defaultChecks(spec);
  const otherInputs = spec.inputs.map((i) => spec.inputTypes?.[i] ?? `${i}: T`);
  const readAttrs = (c: { attrs: Parameters<typeof getAttrBool>[0] }) => {
    const out: Record<string, boolean> = {};
    for (const a of boolAttrs) out[boolAttrName(a)] = getAttrBool(c.attrs, boolAttrName(a));
    return out;
  };
  const refName = `Apply${spec.name}`;
  const resourceName = `ResourceApply${spec.name}`;
  const ref: KernelConfig = {
    op: {
      name: refName,
      inputs: [...spec.vars.map((v) => `${v}: Ref(T)`), ...otherInputs],
      outputs: ["out: Ref(T)"],
      attrs: attrSpecs,
    },
    kernel: cpuKernel(refName, (c) => {
      const dtype = checkTypeConstraint(c, "T", kernelTypes);
      const attrs = readAttrs(c);
      const requested = c.requestedInputs;
      return {
        compute(ctx) {
          const cells = spec.vars.map((_, i) => ctx.inputRef(i));
          computeApply(spec, ctx, dtype, cells.map(refSlot), requested, attrs, checks);
          // MaybeForwardRefInputToRefOutput(ctx, 0, 0).
          ctx.setOutputRef(0, cells[0]!);
        },
      };
    }),
  };
  const resource: KernelConfig = {
    op: {
      name: resourceName,
      inputs: [...spec.vars.map((v) => `${v}: resource`), ...otherInputs],
      attrs: attrSpecs,
      isStateful: true,
    },
    kernel: cpuKernel(resourceName, (c) => {
      const dtype = checkTypeConstraint(c, "T", kernelTypes);
      const attrs = readAttrs(c);
      const requested = c.requestedInputs;
      return {
        compute(ctx) {
          const vars = spec.vars.map((_, i) => lookupVar(ctx, handleFromInput(ctx, i)));
          computeApply(spec, ctx, dtype, vars.map(resourceSlot), requested, attrs, checks);
        },
      };
    }),
  };
  return { ref, resource };
}
