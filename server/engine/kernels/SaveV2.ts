// TF's SaveV2 (core/kernels/save_restore_v2_ops.cc): writes the named tensors (or slices of them,
// per shape_and_slices) as a V2 checkpoint (framework/tensor-bundle/bundle.ts) under prefix, in the
// server's file sandbox.

import { invalidArgument } from "../framework/errors.js";
import { shapeString } from "../framework/tensor.js";
import { BundleWriter } from "../framework/tensor-bundle/bundle.js";
import { parseShapeAndSlice } from "../framework/tensor-bundle/tensor-slice.js";
import { saveRestoreInputs } from "./util/checkpoint-util.js";
import { stepFiles } from "./util/file-ops.js";
import { type KernelConfig, simpleKernel } from "./util/kernel-config.js";

export const saveV2Config: KernelConfig = {
  op: {
    name: "SaveV2",
    inputs: ["prefix: string", "tensor_names: string", "shape_and_slices: string", "tensors: dtypes"],
    attrs: ["dtypes: list(type) >= 1"],
    isStateful: true,
  },
  kernel: simpleKernel("SaveV2", (ctx) => {
    const { prefix, names, specs } = saveRestoreInputs(ctx, true);
    const writer = new BundleWriter(stepFiles(ctx, "SaveV2"), prefix);
    names.forEach((name, i) => {
      const t = ctx.input(i + 3);
      const spec = specs[i]!;
      if (spec === "") {
        writer.add(name, t);
        return;
      }
      const parsed = parseShapeAndSlice(spec);
      const same = parsed.sliceShape.length === t.rank && parsed.sliceShape.every((d, k) => d === t.shape[k]);
      if (!same) {
        throw invalidArgument(
          `Slice in shape_and_slice specification does not match the shape of the tensor to  save: ${spec}, tensor: ${shapeString(t.shape)}`,
        );
      }
      writer.addSlice(name, parsed.shape, parsed.slice, t);
    });
    writer.finish();
  }),
};
