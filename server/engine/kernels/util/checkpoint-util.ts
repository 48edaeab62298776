// Input checks SaveV2 and RestoreV2 share (ValidateInputs in TF's
// core/kernels/save_restore_v2_ops.cc), and the prefix/name/spec strings they read.

import { invalidArgument, unimplemented } from "../../framework/errors.js";
import type { OpKernelContext } from "../../framework/op-kernel.js";
import { shapeString } from "../../framework/tensor.js";

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

/**
 * The V1 checkpoint ops (Save, SaveSlices, Restore, RestoreSlice: TF's TensorSliceWriter/Reader
 * format) are declared so V1 Saver graphs import and place, and refused when run.
 */
export function v1CheckpointRefusal(op: string): never {
  throw unimplemented(
    `${op} reads or writes the V1 checkpoint format, which tfgate does not implement: save with ` +
      "tf.compat.v1.train.Saver(write_version=tf.compat.v1.train.SaverDef.V2), the default (SaveV2/RestoreV2)",
  );
}
