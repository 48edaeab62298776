// TF's Placeholder / PlaceholderV2 (core/kernels/constant_op.cc PlaceholderOp). The executor replaces
// fed placeholders with _Recv nodes, so computing one always means it was not fed.

import { invalidArgument } from "../framework/errors.js";
import type { AttrMap } from "../framework/op-def.js";
import { getAttrType } from "../framework/op-def.js";
import { dataTypeString } from "../framework/types.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";

/** PartialTensorShape::DebugString of a shape attr: "[?,3]", "<unknown>"; undefined when absent. */
export function partialShapeString(attrs: AttrMap, name: string): { dims: number; text: string } {
  const v = attrs[name];
  if (v === undefined || v.value.case !== "shape" || v.value.value.unknownRank)
    return { dims: -1, text: "<unknown>" };
  const dims = v.value.value.dim.map((d) => (d.size < 0n ? "?" : d.size.toString()));
  return { dims: dims.length, text: `[${dims.join(",")}]` };
}

/** The error a computed (unfed) placeholder reports. */
export function placeholderError(nodeName: string, attrs: AttrMap): Error {
  const dtype = dataTypeString(getAttrType(attrs, "dtype"));
  const shape = partialShapeString(attrs, "shape");
  const suffix = shape.dims > 0 ? ` and shape ${shape.text}` : "";
  return invalidArgument(
    `You must feed a value for placeholder tensor '${nodeName}' with dtype ${dtype}${suffix}`,
  );
}

function placeholderKernel(op: string) {
  return cpuKernel(op, (c) => {
    const err = placeholderError(c.nodeName, c.attrs);
    return {
      compute() {
        throw err;
      },
    };
  });
}

export const placeholderConfig: KernelConfig = {
  op: {
    name: "Placeholder",
    outputs: ["output: dtype"],
    attrs: ["dtype: type", "shape: shape = { unknown_rank: true }"],
  },
  kernel: placeholderKernel("Placeholder"),
};

export const placeholderV2Config: KernelConfig = {
  op: { name: "PlaceholderV2", outputs: ["output: dtype"], attrs: ["dtype: type", "shape: shape"] },
  kernel: placeholderKernel("PlaceholderV2"),
};
