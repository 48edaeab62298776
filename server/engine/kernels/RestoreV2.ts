// TF's RestoreV2 (core/kernels/save_restore_v2_ops.cc, RestoreTensorsV2 in
// save_restore_tensor.cc): reads the named tensors, or slices of them, from the V2 checkpoint at
// prefix in the server's file sandbox. Every dtype is checked before anything is read; a prefix
// with no `.index` is read as V1 checkpoint files, as TF does.

import { invalidArgument } from "../framework/errors.js";
import { getAttrTypeList } from "../framework/op-def.js";
import { shapeString } from "../framework/tensor.js";
import { BundleReader, keyText } from "../framework/tensor-bundle/bundle.js";
import { metaFilename } from "../framework/tensor-bundle/naming.js";
import { parseShapeAndSlice } from "../framework/tensor-bundle/tensor-slice.js";
import { dataTypeString } from "../framework/types.js";
import { openV1Checkpoint, restoreV1, saveRestoreInputs } from "./util/checkpoint-util.js";
import { stepFiles } from "./util/file-ops.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";

export const restoreV2Config: KernelConfig = {
  op: {
    name: "RestoreV2",
    inputs: ["prefix: string", "tensor_names: string", "shape_and_slices: string"],
    outputs: ["tensors: dtypes"],
    attrs: ["dtypes: list(type) >= 1"],
    isStateful: true,
  },
  kernel: cpuKernel("RestoreV2", (c) => {
    const dtypes = getAttrTypeList(c.attrs, "dtypes");
    return {
      compute(ctx) {
        const n = ctx.input(1).numElements;
        if (n !== dtypes.length) {
          throw invalidArgument(`Got ${n} tensor names, but ${dtypes.length} expected dtypes.`);
        }
        const { prefix, names, specs } = saveRestoreInputs(ctx, false);
        const files = stepFiles(ctx, "RestoreV2");
        if (!files.exists(metaFilename(prefix))) {
          // As TF: no V2 index there, so prefix is read as V1 checkpoint files (a pattern).
          const v1 = openV1Checkpoint(files, prefix);
          names.forEach((name, i) => {
            ctx.setOutput(i, restoreV1(ctx, v1, prefix, keyText(name), specs[i]!, dtypes[i]!));
          });
          return;
        }
        const reader = new BundleReader(files, prefix);
        const mismatched: string[] = [];
        names.forEach((name, i) => {
          const stored = reader.dtypeAndShape(name).dtype;
          if (stored !== dtypes[i]) {
            mismatched.push(
              `tensor_name = ${keyText(name)}; expected dtype ${dataTypeString(dtypes[i]!)} does not equal original dtype ${dataTypeString(stored)}`,
            );
          }
        });
        if (mismatched.length > 0) throw invalidArgument(mismatched.join("\n"));
        names.forEach((name, i) => {
          const spec = specs[i]!;
          if (spec === "") {
            ctx.setOutput(i, reader.lookup(name));
            return;
          }
          const parsed = parseShapeAndSlice(spec);
          const stored = reader.dtypeAndShape(name).shape;
          if (stored.length !== parsed.shape.length || stored.some((d, k) => d !== parsed.shape[k])) {
            throw invalidArgument(
              `tensor_name = ${keyText(name)}; shape in shape_and_slice spec ${shapeString(parsed.shape)} does not match the shape stored in checkpoint: ${shapeString(stored)}`,
            );
          }
          ctx.setOutput(i, reader.lookupSlice(name, parsed.slice, parsed.sliceShape));
        });
      },
    };
  }),
};
