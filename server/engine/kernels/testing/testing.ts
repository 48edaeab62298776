// A minimal kernel-test harness: a fake OpKernelContext around one kernel, and tensor builders
// (attrs come from test/support/attr.ts). Test-only; importing it registers every kernel.

import type { AttrValue } from "../../../../gen/tensorflow/core/framework/attr_value_pb.js";
import { attr } from "../../../../test/support/attr.js";
import { failedPrecondition, internal } from "../../framework/errors.js";
import type { FileSandbox } from "../../framework/file-sandbox.js";
import {
  bfloat16ArrayToFloat32,
  float32ToBfloat16Array,
  float32ToHalfArray,
  halfArrayToFloat32,
} from "../../framework/float16.js";
import {
  addDefaultAttrs,
  inputTypesForNode,
  lookUpOp,
  outputTypesForNode,
  validateAttrs,
} from "../../framework/op-def.js";
import {
  type DeviceInfo,
  findKernel,
  finishSlices,
  isAsyncKernel,
  type KernelSlices,
  type OpKernelContext,
  type RefCell,
  type StepContext,
} from "../../framework/op-kernel.js";
import { createResourceMgr, type ResourceMgr } from "../../framework/resource-mgr.js";
import { fromValues, type NumericArray, Tensor } from "../../framework/tensor.js";
import { DataType } from "../../framework/types.js";
import "../register-all.js";

export const testDevice: DeviceInfo = {
  name: "/job:localhost/replica:0/task:0/device:CPU:0",
  type: "CPU",
  incarnation: 1n,
};

export interface RunOptions {
  readonly attrs?: { [name: string]: AttrValue };
  /** Inputs: a Tensor, or a RefCell for ref inputs. */
  readonly inputs?: readonly (Tensor | RefCell)[];
  readonly resources?: ResourceMgr;
  /** The step's file sandbox (ops that touch files are refused without one). */
  readonly files?: FileSandbox;
  readonly nodeName?: string;
  readonly requestedInputs?: readonly string[];
}

export interface RunResult {
  readonly outputs: (Tensor | undefined)[];
  readonly refs: (RefCell | undefined)[];
}

function isRefCell(v: Tensor | RefCell): v is RefCell {
  return !(v instanceof Tensor);
}

/** Constructs the op's kernel (checking attrs like the graph layer would) and computes it once. */
export async function runKernel(op: string, opts: RunOptions = {}): Promise<RunResult> {
  const { kernel, ctx, result } = kernelAndContext(op, opts);
  if (isAsyncKernel(kernel)) await kernel.computeAsync(ctx);
  else await finishSlices(kernel.compute(ctx));
  return result;
}

/**
 * Calls a synchronous kernel's compute once and hands back what it returned (its slices, when it
 * continues in slices) with the outputs it has set so far, for tests that drive slices themselves.
 */
export function startKernel(
  op: string,
  opts: RunOptions = {},
): RunResult & { slices: KernelSlices | undefined } {
  const { kernel, ctx, result } = kernelAndContext(op, opts);
  if (isAsyncKernel(kernel)) throw internal(`${op} is an asynchronous kernel`);
  return { ...result, slices: kernel.compute(ctx) ?? undefined };
}

function kernelAndContext(op: string, opts: RunOptions) {
  const def = lookUpOp(op);
  if (!def) throw internal(`no op ${op}`);
  const reg = findKernel(op, "CPU");
  if (!reg) throw internal(`no kernel ${op}`);
  const nodeName = opts.nodeName ?? op.toLowerCase();
  const attrs = addDefaultAttrs(def, opts.attrs ?? {});
  validateAttrs(def, attrs, nodeName);
  const kernel = reg.create({
    nodeName,
    op,
    opDef: def,
    attrs,
    inputTypes: inputTypesForNode(def, attrs),
    outputTypes: outputTypesForNode(def, attrs),
    requestedInputs: opts.requestedInputs ?? (opts.inputs ?? []).map((_, i) => `in${i}`),
    device: testDevice,
  });
  const inputs = opts.inputs ?? [];
  const outputs: (Tensor | undefined)[] = [];
  const refs: (RefCell | undefined)[] = [];
  const step: StepContext = {
    stepId: 1n,
    signal: new AbortController().signal,
    rendezvous: {
      send() {},
      recv: () => Promise.reject(internal("no rendezvous in kernel tests")),
      abort() {},
    },
    resources: opts.resources ?? createResourceMgr(),
    files: opts.files,
    device: testDevice,
    log: () => {},
  };
  const ctx: OpKernelContext = {
    step,
    nodeName,
    numInputs: inputs.length,
    frameIter: "0:0",
    isInputDead: false,
    hasInput: () => true,
    input(i) {
      const v = inputs[i];
      if (v === undefined) throw internal(`input ${i} missing`);
      if (isRefCell(v)) {
        if (v.value === undefined)
          throw failedPrecondition(`Attempting to use uninitialized value ${v.name}`);
        return v.value;
      }
      return v;
    },
    inputRef(i) {
      const v = inputs[i];
      if (v === undefined || !isRefCell(v)) throw internal(`input ${i} is not a ref`);
      return v;
    },
    setOutput(i, t) {
      outputs[i] = t;
    },
    setOutputRef(i, cell) {
      refs[i] = cell;
    },
    // The test keeps its inputs: a kernel must never write into them.
    forwardableInput: () => undefined,
  };
  return { kernel, ctx, result: { outputs, refs } };
}

/** Runs a kernel and returns output 0. */
export async function run1(op: string, opts: RunOptions = {}): Promise<Tensor> {
  const r = await runKernel(op, opts);
  const t = r.outputs[0];
  if (!t) throw internal(`${op} produced no output 0`);
  return t;
}

/** A resource variable named `name` in `resources` holding `value`; its handle. */
export async function resourceVar(resources: ResourceMgr, name: string, value: Tensor): Promise<Tensor> {
  const h = await run1("VarHandleOp", {
    attrs: { dtype: attr.type(value.dtype), shape: attr.shape(value.shape), shared_name: attr.string(name) },
    resources,
  });
  await runKernel("AssignVariableOp", {
    attrs: { dtype: attr.type(value.dtype) },
    inputs: [h, value],
    resources,
  });
  return h;
}

/** Builds a tensor of any numeric dtype from plain numbers (half/bfloat16 encoded, complex as reals). */
export function tensorOf(dtype: DataType, shape: readonly number[], values: readonly number[]): Tensor {
  if (dtype === DataType.DT_HALF) return new Tensor(dtype, shape, float32ToHalfArray(values));
  if (dtype === DataType.DT_BFLOAT16) return new Tensor(dtype, shape, float32ToBfloat16Array(values));
  if (dtype === DataType.DT_INT64 || dtype === DataType.DT_UINT64) {
    return fromValues(
      dtype,
      shape,
      values.map((v) => BigInt(v)),
    );
  }
  return fromValues(dtype, shape, values);
}

/** A tensor's elements as plain numbers (half/bfloat16 decoded, 64-bit ints converted). */
export function valuesOf(t: Tensor): number[] {
  if (t.dtype === DataType.DT_HALF) return Array.from(halfArrayToFloat32(t.data as Uint16Array));
  if (t.dtype === DataType.DT_BFLOAT16) return Array.from(bfloat16ArrayToFloat32(t.data as Uint16Array));
  if (t.data instanceof BigInt64Array || t.data instanceof BigUint64Array)
    return Array.from(t.data, (v) => Number(v));
  return Array.from(t.data as NumericArray);
}

/** True when |a - b| <= tol·max(1, |b|) elementwise (NaN equals NaN). */
export function allClose(a: readonly number[], b: readonly number[], tol = 1e-6): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (Number.isNaN(x) && Number.isNaN(y)) continue;
    if (x === y) continue;
    if (!(Math.abs(x - y) <= tol * Math.max(1, Math.abs(y)))) return false;
  }
  return true;
}
