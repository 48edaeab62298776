// Kernel registration plumbing shared by every kernels/<Op>.ts (TF's REGISTER_OP +
// REGISTER_KERNEL_BUILDER pair, tfjs's KernelConfig).
//
// A kernel file exports a pure implementation and a KernelConfig; importing it has no side effects.
// register-all.ts defines every op and registers every kernel once.

import { invalidArgument } from "../../framework/errors.js";
import { getAttrType, type OpDeclaration } from "../../framework/op-def.js";
import type {
  AnyOpKernel,
  KernelRegistration,
  OpKernelConstruction,
  OpKernelContext,
} from "../../framework/op-kernel.js";
import { DataType, dataTypeString } from "../../framework/types.js";

/** One op: its REGISTER_OP declaration and its CPU kernel. */
export interface KernelConfig {
  readonly op: OpDeclaration;
  readonly kernel: KernelRegistration;
}

export const CPU = "CPU";

/** A CPU kernel registration. */
export function cpuKernel(op: string, create: (c: OpKernelConstruction) => AnyOpKernel): KernelRegistration {
  return { op, deviceTypes: [CPU], create };
}

/** A CPU kernel with no construction-time state whose compute is `compute`. */
export function simpleKernel(op: string, compute: (ctx: OpKernelContext) => void): KernelRegistration {
  return cpuKernel(op, () => ({ compute }));
}

const dtName = (t: DataType) => `DT_${dataTypeString(t).toUpperCase()}`;

/**
 * TF's kernel lookup failure when a type attr is outside the kernel's TypeConstraint (the op may
 * allow more types than TF has CPU kernels for, e.g. RealDiv on int32). TF 2.21 reports it as
 * INVALID_ARGUMENT "No OpKernel was registered to support Op …" (observed); TF lists every attr
 * of the node, we list the constrained one.
 */
export function checkTypeConstraint(
  c: OpKernelConstruction,
  attr: string,
  allowed: readonly DataType[],
): DataType {
  const t = getAttrType(c.attrs, attr);
  if (!allowed.includes(t)) {
    throw invalidArgument(
      `No OpKernel was registered to support Op '${c.op}' used by {{node ${c.nodeName}}} with these attrs: ` +
        `[${attr}=${dtName(t)}]\nRegistered devices: [CPU]\nRegistered kernels:\n` +
        allowed.map((a) => `  device='CPU'; ${attr} in [${dtName(a)}]`).join("\n"),
    );
  }
  return t;
}

/** Shorthand type lists (TF's TF_CALL_* groups). */
export const T = {
  float: DataType.DT_FLOAT,
  double: DataType.DT_DOUBLE,
  half: DataType.DT_HALF,
  bfloat16: DataType.DT_BFLOAT16,
  int8: DataType.DT_INT8,
  int16: DataType.DT_INT16,
  int32: DataType.DT_INT32,
  int64: DataType.DT_INT64,
  uint8: DataType.DT_UINT8,
  uint16: DataType.DT_UINT16,
  uint32: DataType.DT_UINT32,
  uint64: DataType.DT_UINT64,
  complex64: DataType.DT_COMPLEX64,
  complex128: DataType.DT_COMPLEX128,
  bool: DataType.DT_BOOL,
  string: DataType.DT_STRING,
} as const;

export const FLOAT_TYPES: readonly DataType[] = [T.float, T.double, T.half, T.bfloat16];
export const INT_TYPES: readonly DataType[] = [
  T.int8,
  T.int16,
  T.int32,
  T.int64,
  T.uint8,
  T.uint16,
  T.uint32,
  T.uint64,
];
export const COMPLEX_TYPES: readonly DataType[] = [T.complex64, T.complex128];
/** TF_CALL_REAL_NUMBER_TYPES. */
export const REAL_NUMBER_TYPES: readonly DataType[] = [...FLOAT_TYPES, ...INT_TYPES];
/** TF_CALL_NUMBER_TYPES. */
export const NUMBER_TYPES: readonly DataType[] = [...REAL_NUMBER_TYPES, ...COMPLEX_TYPES];
/** TF_CALL_POD_TYPES-ish: everything with fixed-size storage plus bool. */
export const POD_TYPES: readonly DataType[] = [...NUMBER_TYPES, T.bool];
/** TF_CALL_ALL_TYPES plus resource (what Identity-like kernels accept). */
export const ALL_TYPES: readonly DataType[] = [...POD_TYPES, T.string, DataType.DT_RESOURCE];

export function typeListString(types: readonly DataType[]): string {
  return types.map(dataTypeString).join(", ");
}
