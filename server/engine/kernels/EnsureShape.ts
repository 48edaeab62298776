// TF's EnsureShape (core/kernels/shape_ops.cc EnsureShapeOp): passes its input through when the
// input's shape is compatible with the `shape` attr (unknown rank or "?" dims match anything).

import { invalidArgument } from "../framework/errors.js";
import { shapeString } from "../framework/tensor.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";

export const ensureShapeConfig: KernelConfig = {
  op: {
    name: "EnsureShape",
    inputs: ["input: T"],
    outputs: ["output: T"],
    attrs: ["shape: shape", "T: type"],
  },
  kernel: cpuKernel("EnsureShape", (c) => {
    const v = c.attrs.shape;
    const proto = v?.value.case === "shape" ? v.value.value : undefined;
    const dims = proto && !proto.unknownRank ? proto.dim.map((d) => Number(d.size)) : undefined;
    const text = dims ? `[${dims.map((d) => (d < 0 ? "?" : String(d))).join(",")}]` : "<unknown>";
    return {
      compute(ctx) {
        const x = ctx.input(0);
        const ok =
          dims === undefined || (dims.length === x.rank && dims.every((d, i) => d < 0 || d === x.shape[i]));
        if (!ok) {
          throw invalidArgument(
            `Shape of tensor input ${shapeString(x.shape)} is not compatible with expected shape ${text}.`,
          );
        }
        ctx.setOutput(0, x);
      },
    };
  }),
};
