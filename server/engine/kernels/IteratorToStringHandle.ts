// TF's IteratorToStringHandle (core/kernels/data/iterator_ops.cc): an iterator's resource handle as
// a serialized ResourceHandleProto, which a client feeds back to IteratorFromStringHandleV2 to pick
// the iterator a step reads (a feedable iterator).

import { toBinary } from "@bufbuild/protobuf";
import { ResourceHandleProtoSchema } from "../../../gen/tensorflow/core/framework/resource_handle_pb.js";
import { Tensor } from "../framework/tensor.js";
import { handleToProto } from "../framework/tensor-proto.js";
import { DataType } from "../framework/types.js";
import { ITERATOR_RESOURCE } from "./util/iterator-resource.js";
import { type KernelConfig, simpleKernel } from "./util/kernel-config.js";
import { lookupResource, resourceHandleInput } from "./util/step-resources.js";

export const IteratorToStringHandleKernel: KernelConfig = {
  op: {
    name: "IteratorToStringHandle",
    inputs: ["resource_handle: resource"],
    outputs: ["string_handle: string"],
    isStateful: true,
  },
  kernel: simpleKernel("IteratorToStringHandle", (ctx) => {
    const h = resourceHandleInput(ctx, 0);
    // TF looks the resource up first, so a handle of a deleted iterator fails here.
    lookupResource(ctx, h, ITERATOR_RESOURCE);
    const bytes = toBinary(ResourceHandleProtoSchema, handleToProto(h));
    ctx.setOutput(0, new Tensor(DataType.DT_STRING, [], [bytes]));
  }),
};
