// TF's ScatterNd update family (core/kernels/scatter_nd_op.cc, scatter_nd_util.cc): slices of a
// ref variable (ScatterNd<Kind>), a resource variable (ResourceScatterNd<Kind>) or a copy of a
// tensor (TensorScatter<Kind>) addressed by the innermost dimension of indices, combined with the
// matching slices of updates (replaced, added, subtracted, min or max, see scatter-functor.ts).
//
// TF's CPU functor updates every in-range slice and reports the last out-of-range one, so a ref or
// resource variable keeps the good updates when the op fails. Every index is checked before the
// update runs, as an ElementJob (scatter-functor.ts scatterRowsJob): in slices over large tensors,
// a variable's new value stored when it ends (computeScatterUpdate).

import { invalidArgument } from "../../framework/errors.js";
import type { KernelSlices, OpKernelContext } from "../../framework/op-kernel.js";
import { shapeString, type Tensor } from "../../framework/tensor.js";
import { DataType } from "../../framework/types.js";
import { indexPosition, readIndexValues } from "../GatherNd.js";
import { computeJob, runWhole } from "./element-slices.js";
import {
  ALL_TYPES,
  checkTypeConstraint,
  cpuKernel,
  type KernelConfig,
  NUMBER_TYPES,
  REAL_NUMBER_TYPES,
} from "./kernel-config.js";
import {
  checkVarDtype,
  computeScatterUpdate,
  type ScatterJob,
  type ScatterKind,
  type ScatterResult,
  scatterRowsJob,
  uninitializedRef,
} from "./scatter-functor.js";
import { handleFromInput, initializedVar } from "./variables.js";

export type ScatterNdKind = Extract<ScatterKind, "Update" | "Add" | "Sub" | "Min" | "Max">;

const product = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

/** TF's ValidEmptyOutputShape: indices or updates for an empty output are an error. */
function validEmptyOutput(params: Tensor, indices: Tensor, updates: Tensor): boolean {
  if (indices.numElements === 0 && updates.numElements === 0) return true;
  return params.numElements !== 0;
}

/** scatter_nd_util.cc ValidateScatterNdUpdateShape. */
function validateUpdateShape(
  params: readonly number[],
  indices: readonly number[],
  updates: readonly number[],
): void {
  const sliceDim = indices.length > 1 ? indices[indices.length - 1]! : 1;
  const batchDim = indices.length > 1 ? indices.length - 1 : 1;
  const prefixError = () =>
    invalidArgument(
      `Dimensions [0,${batchDim}) of indices[shape=${shapeString(indices)}] must match dimensions [0,${batchDim}) of updates[shape=${shapeString(updates)}]`,
    );
  const suffixError = () =>
    invalidArgument(
      `Dimensions [${sliceDim},${params.length}) of input[shape=${shapeString(params)}] must match dimensions [${sliceDim},${updates.length}) of updates[shape=${shapeString(updates)}]`,
    );
  if (updates.length < batchDim) throw prefixError();
  if (params.length < sliceDim + (updates.length - batchDim)) throw suffixError();
  if (updates.length !== batchDim + params.length - sliceDim) throw suffixError();
  for (let d = 0; d < batchDim; d++) if (updates[d] !== indices[d]) throw prefixError();
  for (let d = 0; d < updates.length - batchDim; d++) {
    if (updates[d + batchDim] !== params[d + sliceDim]) throw suffixError();
  }
}

/** scatter_nd_op.cc PrepareAndValidateInputs, for the ref and resource variants. */
export function validateVariableInputs(params: Tensor, indices: Tensor, updates: Tensor): void {
  if (params.rank < 1) {
    throw invalidArgument(`Output must be at least 1-D, got shape: ${shapeString(params.shape)}`);
  }
  if (!validEmptyOutput(params, indices, updates)) {
    throw invalidArgument(
      `Indices and updates specified for empty output.  indices shape: ${shapeString(indices.shape)}`,
    );
  }
  // TF reads dim 0 of both (a scalar's is undefined there; here it counts as 1).
  const ni = indices.shape[0] ?? 1;
  const nu = updates.shape[0] ?? 1;
  if (ni !== nu) {
    throw invalidArgument(
      `Dimensions [0,1) of indices[shape=${shapeString(indices.shape)}] = ${ni} must match dimensions [0,1) of updates[shape=${shapeString(updates.shape)}] = ${nu}`,
    );
  }
  validateUpdateShape(params.shape, indices.shape, updates.shape);
}

/** TensorScatterOp's checks (scatter_nd_op.cc), which word the shape errors differently. */
function validateTensorInputs(tensor: Tensor, indices: Tensor, updates: Tensor): void {
  if (indices.rank < 1) {
    throw invalidArgument(`Indices shape must have rank at least one. Found:${shapeString(indices.shape)}`);
  }
  if (updates.rank < 1) {
    throw invalidArgument(`Updates shape must have rank at least one. Found:${shapeString(updates.shape)}`);
  }
  if (!validEmptyOutput(tensor, indices, updates)) {
    throw invalidArgument("Indices and updates specified for empty output shape");
  }
  const outer = indices.rank - 1;
  for (let i = 0; i < outer; i++) {
    if (indices.shape[i] !== updates.shape[i]) {
      throw invalidArgument(
        `Outer dimensions of indices and update must match. Indices shape: ${shapeString(indices.shape)}, updates shape:${shapeString(updates.shape)}`,
      );
    }
  }
  const ix = indices.shape[outer]!;
  if (updates.rank - outer !== tensor.rank - ix) {
    throw invalidArgument(
      `Inner dimensions of output shape must match inner dimensions of updates shape. Output: ${shapeString(tensor.shape)} updates: ${shapeString(updates.shape)}`,
    );
  }
  for (let i = 0; i + outer < updates.rank; i++) {
    if (updates.shape[i + outer] !== tensor.shape[ix + i]) {
      throw invalidArgument(
        `The inner ${tensor.rank - ix} dimensions of output.shape=${shapeString(tensor.shape)} must match the inner ${updates.rank - outer} dimensions of updates.shape=${shapeString(updates.shape)}`,
      );
    }
  }
}

/**
 * The update itself (after validation): each index tuple becomes a slice number of params viewed
 * as [prefix, slice]; out-of-range tuples are skipped and the last one reported.
 */
export function scatterNdInto(
  params: Tensor,
  indices: Tensor,
  updates: Tensor,
  kind: ScatterNdKind,
): ScatterResult {
  const { job, bad } = scatterNdIntoJob(params, indices, updates, kind);
  return { value: runWhole(job), bad };
}

/** scatterNdInto as a ScatterJob: every index tuple checked now, the slices updated by the job. */
export function scatterNdIntoJob(
  params: Tensor,
  indices: Tensor,
  updates: Tensor,
  kind: ScatterNdKind,
): ScatterJob {
  const sliceDim = indices.rank > 1 ? indices.shape[indices.rank - 1]! : 1;
  const prefix = params.shape.slice(0, sliceDim);
  const rows = product(prefix);
  const raw = readIndexValues(indices);
  const n = sliceDim === 0 ? indices.numElements : raw.length / sliceDim;
  const flat: number[] = [];
  for (let i = 0; i < n; i++) {
    let offset = 0;
    let ok = true;
    for (let d = 0; d < sliceDim; d++) {
      const v = raw[i * sliceDim + d]!;
      if (v < 0 || v >= prefix[d]!) ok = false;
      offset = offset * prefix[d]! + v;
    }
    flat.push(ok ? offset : -1);
  }
  return scatterRowsJob(params, rows, flat, updates, kind, false);
}

/** TF's "indices[1] = [4] does not index into shape [4,3]". */
function badIndexError(params: Tensor, indices: Tensor, bad: number): Error {
  const sliceDim = indices.rank > 1 ? indices.shape[indices.rank - 1]! : 1;
  const raw = readIndexValues(indices).slice(bad * sliceDim, bad * sliceDim + sliceDim);
  const batch = indices.rank > 1 ? indices.shape.slice(0, -1) : indices.shape;
  return invalidArgument(
    `indices${indexPosition(batch, bad)} = [${raw.join(", ")}] does not index into shape ${shapeString(params.shape)}`,
  );
}

export function finishScatter(params: Tensor, indices: Tensor, r: ScatterResult): void {
  if (r.bad >= 0) throw badIndexError(params, indices, r.bad);
}

/**
 * The compute of an op making a new tensor (TensorScatter<Kind>, ScatterNdNonAliasingAdd): a bad
 * index fails it before any work (TF sets no output then), else the job runs (computeJob).
 */
export function computeTensorScatter(
  ctx: OpKernelContext,
  input: Tensor,
  indices: Tensor,
  updates: Tensor,
  kind: ScatterNdKind,
): undefined | KernelSlices {
  const { job, bad } = scatterNdIntoJob(input, indices, updates, kind);
  if (bad >= 0) throw badIndexError(input, indices, bad);
  return computeJob(ctx, job);
}

/** The ref and resource forms' checks and scatter of a variable's value. */
function prepareVariable(params: Tensor, indices: Tensor, updates: Tensor, kind: ScatterNdKind): ScatterJob {
  validateVariableInputs(params, indices, updates);
  return scatterNdIntoJob(params, indices, updates, kind);
}

export const INDEX_ATTR = "Tindices: {int32, int64}";
export const POLICY_ATTR = "bad_indices_policy: string = ''";

/** Dtypes TF registers CPU kernels for (scatter_nd_op.cc). */
function kernelTypes(kind: ScatterNdKind): readonly DataType[] {
  if (kind === "Update") return ALL_TYPES.filter((t) => t !== DataType.DT_RESOURCE);
  return kind === "Min" || kind === "Max" ? REAL_NUMBER_TYPES : NUMBER_TYPES;
}

/** ScatterNd<Kind> (ref), ResourceScatterNd<Kind> and TensorScatter<Kind>. */
export function scatterNdConfigs(kind: ScatterNdKind): {
  ref: KernelConfig;
  resource: KernelConfig;
  tensor: KernelConfig;
} {
  const types = kernelTypes(kind);
  const refName = `ScatterNd${kind}`;
  const resourceName = `ResourceScatterNd${kind}`;
  const tensorName = `TensorScatter${kind}`;
  const ref: KernelConfig = {
    op: {
      name: refName,
      inputs: ["ref: Ref(T)", "indices: Tindices", "updates: T"],
      outputs: ["output_ref: Ref(T)"],
      attrs: [
        kind === "Update" ? "T: type" : "T: numbertype",
        INDEX_ATTR,
        `use_locking: bool = ${kind === "Update"}`,
        POLICY_ATTR,
      ],
    },
    kernel: cpuKernel(refName, (c) => {
      checkTypeConstraint(c, "T", types);
      const input0 = c.requestedInputs[0] ?? "";
      return {
        compute(ctx) {
          const cell = ctx.inputRef(0);
          const [indices, updates] = [ctx.input(1), ctx.input(2)];
          return computeScatterUpdate(
            () => {
              if (cell.value === undefined) throw uninitializedRef(input0);
              return cell.value;
            },
            (params) => prepareVariable(params, indices, updates, kind),
            (value) => {
              cell.value = value;
              ctx.setOutputRef(0, cell);
            },
            (params, bad) => badIndexError(params, indices, bad),
          );
        },
      };
    }),
  };
  const resource: KernelConfig = {
    op: {
      name: resourceName,
      inputs: ["ref: resource", "indices: Tindices", "updates: T"],
      attrs: ["T: type", INDEX_ATTR, "use_locking: bool = true", POLICY_ATTR],
      isStateful: true,
    },
    kernel: cpuKernel(resourceName, (c) => {
      const dtype = checkTypeConstraint(c, "T", types);
      return {
        compute(ctx) {
          const v = initializedVar(ctx, handleFromInput(ctx, 0));
          const [indices, updates] = [ctx.input(1), ctx.input(2)];
          return computeScatterUpdate(
            () => checkVarDtype(v.value, dtype),
            (params) => prepareVariable(params, indices, updates, kind),
            (value) => {
              v.value = value;
            },
            (params, bad) => badIndexError(params, indices, bad),
          );
        },
      };
    }),
  };
  const tensor: KernelConfig = {
    op: {
      name: tensorName,
      inputs: ["tensor: T", "indices: Tindices", "updates: T"],
      outputs: ["output: T"],
      attrs: [
        "T: type",
        kind === "Update" ? "Tindices: {int16, int32, int64, uint16}" : INDEX_ATTR,
        POLICY_ATTR,
      ],
    },
    kernel: cpuKernel(tensorName, (c) => {
      checkTypeConstraint(c, "T", types);
      return {
        compute(ctx) {
          const input = ctx.input(0);
          const indices = ctx.input(1);
          const updates = ctx.input(2);
          validateTensorInputs(input, indices, updates);
          return computeTensorScatter(ctx, input, indices, updates, kind);
        },
      };
    }),
  };
  return { ref, resource, tensor };
}
