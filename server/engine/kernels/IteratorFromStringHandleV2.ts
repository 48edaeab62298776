// TF's IteratorFromStringHandle and IteratorFromStringHandleV2 (core/kernels/data/iterator_ops.cc
// IteratorFromStringHandleOp): the resource handle an IteratorToStringHandle string names, checked
// against this device, an existing iterator and (when the attrs are set) its signature.

import { fromBinary } from "@bufbuild/protobuf";
import { ResourceHandleProtoSchema } from "../../../gen/tensorflow/core/framework/resource_handle_pb.js";
import { invalidArgument } from "../framework/errors.js";
import type { OpKernelConstruction } from "../framework/op-kernel.js";
import { Tensor } from "../framework/tensor.js";
import { handleFromProto } from "../framework/tensor-proto.js";
import { DataType } from "../framework/types.js";
import { outputSignature, verifyShapes, verifyTypes } from "./util/dataset.js";
import { lookupIterator } from "./util/iterator-resource.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";

function fromStringHandleKernel(op: string): KernelConfig {
  return {
    op: {
      name: op,
      inputs: ["string_handle: string"],
      outputs: ["resource_handle: resource"],
      attrs: ["output_types: list(type) >= 0 = []", "output_shapes: list(shape) >= 0 = []"],
      isStateful: true,
    },
    kernel: cpuKernel(op, (c: OpKernelConstruction) => {
      const { dtypes, shapes } = outputSignature(c);
      return {
        compute(ctx) {
          const t = ctx.input(0);
          if (t.rank !== 0) {
            throw invalidArgument(`string_handle must be a scalar, but got shape [${t.shape.join(",")}]`);
          }
          let h: ReturnType<typeof handleFromProto>;
          try {
            h = handleFromProto(fromBinary(ResourceHandleProtoSchema, (t.data as Uint8Array[])[0]!));
          } catch {
            throw invalidArgument("Could not parse string_handle as a valid ResourceHandle");
          }
          const device = ctx.step.device.name;
          if (h.device !== device) {
            throw invalidArgument(
              `Attempted create an iterator on device "${device}" from handle defined on device "${h.device}"`,
            );
          }
          const r = lookupIterator(ctx, h);
          if (dtypes.length > 0) verifyTypes(dtypes, r.dtypes);
          if (shapes.length > 0) verifyShapes(shapes, r.shapes);
          ctx.setOutput(0, new Tensor(DataType.DT_RESOURCE, [], [h]));
        },
      };
    }),
  };
}

export const IteratorFromStringHandleKernel = fromStringHandleKernel("IteratorFromStringHandle");
export const IteratorFromStringHandleV2Kernel = fromStringHandleKernel("IteratorFromStringHandleV2");
