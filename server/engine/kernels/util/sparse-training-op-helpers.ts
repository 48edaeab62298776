// TF's sparse optimizer kernels (core/kernels/training_ops.cc SparseApply<X> and
// ResourceSparseApply<X>): the dense update of Apply<X> (training-op-helpers.ts) applied to the
// rows of the variables named by `indices`, with row i of `grad`, one index after another (so a
// repeated index is updated twice, as in TF's CPU functors). This module holds the shared
// variable access, TF's validation order and texts, and the row loop; each kernels/SparseApply<X>.ts
// supplies its REGISTER_OP signature, its scalar checks and the row update.
//
// Variables get fresh tensors (copy-on-write); when an index is out of range, the optimizers whose
// TF functor checks inside the update loop keep the rows updated before it, the others check every
// index first and change nothing.

import { failedPrecondition, internal, invalidArgument, isTfError, TfCode } from "../../framework/errors.js";
import { getAttrBool } from "../../framework/op-def.js";
import type { OpKernelConstruction, OpKernelContext, RefCell } from "../../framework/op-kernel.js";
import { type NumericArray, sameShape, shapeString, type Tensor } from "../../framework/tensor.js";
import { DataType, dataTypeString } from "../../framework/types.js";
import { readIndexValues } from "../GatherNd.js";
import { checkTypeConstraint, cpuKernel, FLOAT_TYPES, type KernelConfig } from "./kernel-config.js";
import { computeBuffer, finish, numericData, scalarValue } from "./tensor-util.js";
import type { Round, UpdateArgs } from "./training-op-helpers.js";
import { handleFromInput, lookupVar, type Var } from "./variables.js";

/** One scalar input's check: TF's message prefix and, for some, a value condition (CPU only). */
export interface ScalarRule {
  readonly message: string;
  readonly ok?: (value: number, attrs: Readonly<Record<string, boolean>>) => boolean;
}

export interface SparseApplySpec {
  /** The optimizer's name: the ops are SparseApply<name> and ResourceSparseApply<name>. */
  readonly name: string;
  /** Variable inputs in declared order (var first). */
  readonly vars: readonly string[];
  /** The other inputs in declared order, including "grad" and "indices". */
  readonly inputs: readonly string[];
  readonly boolAttrs?: readonly string[];
  /** Scalar checks that differ from "<name> is not a scalar: ". */
  readonly scalars?: Readonly<Record<string, ScalarRule>>;
  /** How TF names a variable in "var and <X> do not have the same shape" when not by its input name. */
  readonly shapeNames?: Readonly<Record<string, string>>;
  /** Whether the kernel rejects a zero inner dimension ("Inner dimension should be greater than zero."). */
  readonly innerCheck: boolean;
  /** Whether TF checks each index as it updates (rows before a bad index stay updated). */
  readonly checkInLoop: boolean;
  /** Whether a bad index is reported as gathers do ("indices[i] = j is not in [0, n)"). */
  readonly gatherIndexMessage?: boolean;
  /** Inputs whose dtype is not T, in REGISTER_OP syntax (AdagradDA's "global_step: int64"). */
  readonly inputTypes?: Readonly<Record<string, string>>;
  /** The dense update of one row (n = the row's length). */
  readonly update: (u: UpdateArgs) => void;
}

interface Slot {
  readonly get: () => Tensor | undefined;
  readonly set: (t: Tensor) => void;
}

const boolAttrName = (spec: string): string => spec.slice(0, spec.indexOf(":")).trim();

function readAttrs(spec: SparseApplySpec, c: OpKernelConstruction): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const a of spec.boolAttrs ?? []) out[boolAttrName(a)] = getAttrBool(c.attrs, boolAttrName(a));
  return out;
}

/** TF's validation, in its order, after the variables were fetched. */
function validate(
  spec: SparseApplySpec,
  ctx: OpKernelContext,
  values: readonly Tensor[],
  attrs: Readonly<Record<string, boolean>>,
): { grad: Tensor; indices: Tensor; inner: number } {
  const v = values[0]!;
  for (let i = 1; i < values.length; i++) {
    if (!sameShape(v.shape, values[i]!.shape)) {
      const name = spec.shapeNames?.[spec.vars[i]!] ?? spec.vars[i]!;
      throw invalidArgument(
        `var and ${name} do not have the same shape${shapeString(v.shape)} ${shapeString(values[i]!.shape)}`,
      );
    }
  }
  if (v.rank < 1) throw invalidArgument("var must be at least 1 dimensional");
  const input = (name: string): Tensor => ctx.input(spec.vars.length + spec.inputs.indexOf(name));
  for (const name of spec.inputs) {
    if (name === "grad" || name === "indices") continue;
    const t = input(name);
    const rule = spec.scalars?.[name];
    const valueOk = rule?.ok === undefined || (t.rank === 0 && rule.ok(scalarValue(t), attrs));
    if (t.rank !== 0 || !valueOk) {
      throw invalidArgument(`${rule?.message ?? `${name} is not a scalar: `}${shapeString(t.shape)}`);
    }
  }
  const grad = input("grad");
  const indices = input("indices");
  if (indices.rank !== 1) throw invalidArgument("indices must be one-dimensional");
  let inner = 1;
  for (let d = 1; d < v.rank; d++) {
    if (v.shape[d] !== grad.shape[d]) throw invalidArgument(`var and grad must match in dimension ${d}`);
    inner *= grad.shape[d]!;
  }
  if (grad.shape[0] !== indices.shape[0]) {
    throw invalidArgument("grad must be the same size as indices in the first dimension.");
  }
  if (spec.innerCheck && inner <= 0) throw invalidArgument("Inner dimension should be greater than zero.");
  return { grad, indices, inner };
}

function outOfRange(spec: SparseApplySpec, index: number, offset: number, rows: number): Error {
  if (spec.gatherIndexMessage) return invalidArgument(`indices[${offset}] = ${index} is not in [0, ${rows})`);
  return invalidArgument(`Index ${index} at offset ${offset} in indices is out of range`);
}

/** The shared Compute: fetch the variables, validate, then update the indexed rows. */
function computeSparseApply(
  spec: SparseApplySpec,
  ctx: OpKernelContext,
  dtype: DataType,
  slots: readonly Slot[],
  attrs: Readonly<Record<string, boolean>>,
): void {
  const values = slots.map((s) => s.get()!);
  for (const t of values) {
    if (t.dtype !== dtype) {
      throw invalidArgument(
        `Trying to read variable with wrong dtype. Expected ${dataTypeString(dtype)} got ${dataTypeString(t.dtype)}`,
      );
    }
  }
  const { grad, indices, inner } = validate(spec, ctx, values, attrs);
  const idx = readIndexValues(indices);
  const rows = values[0]!.shape[0]!;
  if (idx.length === 0) return;
  const firstBad = idx.findIndex((i) => i < 0 || i >= rows);
  if (firstBad >= 0 && !spec.checkInLoop) throw outOfRange(spec, idx[firstBad]!, firstBad, rows);
  const r: Round = dtype === DataType.DT_DOUBLE ? (x) => x : Math.fround;
  const s: Record<string, number> = {};
  for (const [k, name] of spec.inputs.entries()) {
    if (name !== "grad" && name !== "indices") {
      s[name] = r(scalarValue(ctx.input(spec.vars.length + k)));
    }
  }
  const n = values[0]!.numElements;
  const bufs = values.map((t) => {
    const buf = computeBuffer(dtype, n, t.shape) as NumericArray;
    buf.set(numericData(t));
    return buf;
  });
  const g = numericData(grad);
  const count = firstBad >= 0 ? firstBad : idx.length;
  for (let i = 0; i < count; i++) {
    const at = idx[i]! * inner;
    spec.update({
      n: inner,
      vars: bufs.map((b) => b.subarray(at, at + inner)),
      grad: g.subarray(i * inner, i * inner + inner),
      s,
      attrs,
      r,
    });
  }
  for (let i = 0; i < slots.length; i++) slots[i]!.set(finish(dtype, values[i]!.shape, bufs[i]!));
  if (firstBad >= 0) throw outOfRange(spec, idx[firstBad]!, firstBad, rows);
}

const NUMBERTYPE_ATTR = "T: numbertype";
const INDEX_ATTR = "Tindices: {int32, int64}";

/** The SparseApply<X> (ref variables) and ResourceSparseApply<X> (resource variables) configs. */
export function sparseApplyConfigs(spec: SparseApplySpec): { ref: KernelConfig; resource: KernelConfig } {
  const attrSpecs = [NUMBERTYPE_ATTR, INDEX_ATTR, "use_locking: bool = false", ...(spec.boolAttrs ?? [])];
  const otherInputs = spec.inputs.map(
    (i) => spec.inputTypes?.[i] ?? (i === "indices" ? "indices: Tindices" : `${i}: T`),
  );
  const refName = `SparseApply${spec.name}`;
  const resourceName = `ResourceSparseApply${spec.name}`;
  const ref: KernelConfig = {
    op: {
      name: refName,
      inputs: [...spec.vars.map((v) => `${v}: Ref(T)`), ...otherInputs],
      outputs: ["out: Ref(T)"],
      attrs: attrSpecs,
    },
    kernel: cpuKernel(refName, (c) => {
      const dtype = checkTypeConstraint(c, "T", FLOAT_TYPES);
      const attrs = readAttrs(spec, c);
      const requested = c.requestedInputs;
      return {
        compute(ctx) {
          const cells: RefCell[] = spec.vars.map((_, i) => ctx.inputRef(i));
          cells.forEach((cell, i) => {
            // TF's executor refuses an uninitialised ref input before the kernel runs.
            if (cell.value === undefined) {
              throw failedPrecondition(`Attempting to use uninitialized value ${requested[i] ?? ""}`);
            }
          });
          const slots = cells.map(
            (cell): Slot => ({
              get: () => cell.value,
              set: (t) => {
                cell.value = t;
              },
            }),
          );
          ctx.setOutputRef(0, cells[0]!);
          computeSparseApply(spec, ctx, dtype, slots, attrs);
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
      const dtype = checkTypeConstraint(c, "T", FLOAT_TYPES);
      const attrs = readAttrs(spec, c);
      return {
        compute(ctx) {
          const vars = spec.vars.map((_, i) => resourceVarOrInvalid(ctx, i));
          const slots = vars.map(
            (v): Slot => ({
              get: () => v.value,
              set: (t) => {
                v.value = t;
              },
            }),
          );
          computeSparseApply(spec, ctx, dtype, slots, attrs);
        },
      };
    }),
  };
  return { ref, resource };
}

/**
 * TF's GetInputTensorFromVariable for sparse updates: a variable that was never assigned (so does
 * not exist yet) is INTERNAL "Invalid variable reference.".
 */
function resourceVarOrInvalid(ctx: OpKernelContext, i: number): Var {
  let v: Var;
  try {
    v = lookupVar(ctx, handleFromInput(ctx, i));
  } catch (e) {
    if (isTfError(e) && e.code === TfCode.NOT_FOUND) throw internal("Invalid variable reference.");
    throw e;
  }
  if (v.value === undefined) throw internal("Invalid variable reference.");
  return v;
}
