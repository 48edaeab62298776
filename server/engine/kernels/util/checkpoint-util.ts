// What the checkpoint kernels share: the input checks of SaveV2 and RestoreV2 (ValidateInputs in
// TF's core/kernels/save_restore_v2_ops.cc), and the V1 save and restore (SaveTensors and
// RestoreTensor in core/kernels/save_restore_tensor.cc) behind Save, SaveSlices, Restore,
// RestoreSlice and RestoreV2's fallback for a prefix without a V2 index.

import { invalidArgument, notFound } from "../../framework/errors.js";
import { getAttrType } from "../../framework/op-def.js";
import type { KernelRegistration, OpKernelContext } from "../../framework/op-kernel.js";
import { shapeString, type Tensor } from "../../framework/tensor.js";
import type { BundleFiles } from "../../framework/tensor-bundle/bundle.js";
import { compareBytes } from "../../framework/tensor-bundle/coding.js";
import { fullSlice, parseShapeAndSlice } from "../../framework/tensor-bundle/tensor-slice.js";
import {
  buildV1Checkpoint,
  V1CheckpointReader,
  type V1Slice,
} from "../../framework/tensor-bundle/v1-checkpoint.js";
import { type DataType, dataTypeString } from "../../framework/types.js";
import { globFiles, type KernelFiles, stepFiles } from "./file-ops.js";
import { cpuKernel } from "./kernel-config.js";

const utf8 = new TextDecoder();

export interface SaveRestoreInputs {
  readonly prefix: string;
  readonly names: readonly Uint8Array[];
  readonly specs: readonly string[];
}

export function saveRestoreInputs(ctx: OpKernelContext, isSave: boolean): SaveRestoreInputs {
  const FIXED = 3;
  const prefix = ctx.input(0);
  const names = ctx.input(1);
  const specs = ctx.input(2);
  const n = names.numElements;
  if (prefix.numElements !== 1) {
    throw invalidArgument(`Input prefix should have a single element, got ${prefix.numElements} instead.`);
  }
  if (names.rank !== 1 || specs.rank !== 1) {
    throw invalidArgument(
      `Input tensor_names and shape_and_slices should be an 1-D tensors, got ${shapeString(names.shape)} and ${shapeString(specs.shape)} instead.`,
    );
  }
  if (n !== specs.numElements) {
    throw invalidArgument(
      `tensor_names and shape_and_slices have different number of elements: ${n} vs. ${specs.numElements}`,
    );
  }
  if (isSave && ctx.numInputs !== n + FIXED) {
    throw invalidArgument(`Got ${n} tensor names but ${ctx.numInputs - FIXED} tensors.`);
  }
  return {
    prefix: utf8.decode((prefix.data as Uint8Array[])[0]!),
    names: names.data as Uint8Array[],
    specs: (specs.data as Uint8Array[]).map((s) => utf8.decode(s)),
  };
}

/** TF's SaveTensors (core/kernels/save_restore_tensor.cc): the V1 save of Save and SaveSlices. */
export function saveV1(ctx: OpKernelContext, withSlices: boolean, files: BundleFiles): void {
  const filename = ctx.input(0);
  if (filename.numElements !== 1) {
    throw invalidArgument(
      `Input 0 (filename) must be a string scalar; got a tensor of ${filename.numElements}elements`,
    );
  }
  const fixed = withSlices ? 3 : 2;
  const names = ctx.input(1).data as Uint8Array[];
  const n = names.length;
  let specs: string[] = [];
  if (withSlices) {
    const s = ctx.input(2);
    if (s.numElements !== n) {
      throw invalidArgument(
        `Expected ${n} elements for the tensor shapes and slices but got ${s.numElements}`,
      );
    }
    specs = (s.data as Uint8Array[]).map((b) => utf8.decode(b));
  }
  if (ctx.numInputs !== n + fixed) {
    throw invalidArgument(
      `Expected totally ${n + fixed} inputs as input #1 (which is a string tensor of saved names) contains ${n} names, but received ${ctx.numInputs} inputs`,
    );
  }
  // TF saves in name order (a restore of the whole file then reads it front to back).
  const order = names.map((_, i) => i).sort((a, b) => compareBytes(names[a]!, names[b]!));
  const slices: V1Slice[] = order.map((i) => {
    const tensor = ctx.input(i + fixed);
    const spec = specs[i] ?? "";
    if (spec === "") return { name: names[i]!, shape: tensor.shape, slice: fullSlice(tensor.rank), tensor };
    const parsed = parseShapeAndSlice(spec);
    if (!sameDims(parsed.sliceShape, tensor.shape)) {
      throw invalidArgument(
        `Slice in shape_and_slice specification does not match the shape of the tensor to  save: ${spec}, tensor: ${shapeString(tensor.shape)}`,
      );
    }
    return { name: names[i]!, shape: parsed.shape, slice: parsed.slice, tensor };
  });
  files.writeAtomic(utf8.decode((filename.data as Uint8Array[])[0]!), buildV1Checkpoint(slices));
}

function sameDims(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** The V1 reader of every file matching pattern (TF's TensorSliceReader constructor). */
export function openV1Checkpoint(files: KernelFiles, pattern: string): V1CheckpointReader {
  const matched = globFiles(files, pattern);
  if (matched.length === 0) {
    throw notFound(
      `Unsuccessful TensorSliceReader constructor: Failed to find any matching files for ${pattern}`,
    );
  }
  return new V1CheckpointReader(matched.map((name) => ({ name, bytes: files.readFile(name) })));
}

/** TF's RestoreTensor: output `index` of a V1 restore (tensor name i, optional shape_and_slice). */
export function restoreV1(
  ctx: OpKernelContext,
  reader: V1CheckpointReader,
  pattern: string,
  name: string,
  spec: string,
  want: DataType,
): Tensor {
  const stored = reader.has(name);
  if (stored === undefined) throw notFound(`Tensor name "${name}" not found in checkpoint files ${pattern}`);
  if (stored.dtype !== want) {
    throw invalidArgument(
      `Expected to restore a tensor of type ${dataTypeString(want)}, got a tensor of type ${dataTypeString(stored.dtype)} instead: tensor_name = ${name}`,
    );
  }
  let slice = fullSlice(stored.shape.length);
  let outShape = stored.shape;
  if (spec !== "") {
    const parsed = parseShapeAndSlice(spec);
    if (!sameDims(parsed.shape, stored.shape)) {
      throw invalidArgument(
        `Shape in shape_and_slice spec does not match the shape in the save file: ${shapeString(parsed.shape)}, save file shape: ${shapeString(stored.shape)}`,
      );
    }
    slice = parsed.slice;
    outShape = parsed.sliceShape;
  }
  void ctx;
  return reader.copySlice(name, slice, outShape);
}

/**
 * The kernel of Restore and RestoreSlice (TF's RestoreTensor in save_restore_tensor.cc): one
 * tensor, or with `withSlice` the slice named by input 2, from the V1 checkpoint files matching
 * file_pattern in the sandbox.
 */
export function restoreV1Kernel(op: "Restore" | "RestoreSlice", withSlice: boolean): KernelRegistration {
  return cpuKernel(op, (c) => {
    const dt = getAttrType(c.attrs, "dt");
    return {
      compute(ctx) {
        const pattern = ctx.input(0);
        if (pattern.numElements !== 1) {
          throw invalidArgument(
            `Input 0 (file_pattern) must be a string scalar; got a tensor of ${pattern.numElements} elements`,
          );
        }
        const names = ctx.input(1);
        if (names.numElements < 1) {
          throw invalidArgument("Input 1 (file_pattern) must be a have at least 1 elements");
        }
        const files = stepFiles(ctx, op);
        const p = utf8.decode((pattern.data as Uint8Array[])[0]!);
        const name = utf8.decode((names.data as Uint8Array[])[0]!);
        const spec = withSlice
          ? utf8.decode((ctx.input(2).data as Uint8Array[])[0] ?? new Uint8Array(0))
          : "";
        ctx.setOutput(0, restoreV1(ctx, openV1Checkpoint(files, p), p, name, spec, dt));
      },
    };
  });
}
