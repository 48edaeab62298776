// The services tfgate serves, as descriptors: one list that the router (app.ts), health checking and
// server reflection all read, so the three can never disagree about what the port offers.
//
// MasterService is served under two names with one implementation (docs/architecture.md): the .proto's
// package gives `/tensorflow.grpc.MasterService/<Method>` (what generated clients call), while
// TensorFlow's own C++ client calls `/tensorflow.MasterService/<Method>` (master_service_tf.proto
// declares that second service with the same request and response messages).

import type { DescService } from "@bufbuild/protobuf";
import { Health } from "../../gen/grpc/health/v1/health_pb.js";
import { ServerReflection as ServerReflectionV1 } from "../../gen/grpc/reflection/v1/reflection_pb.js";
import { ServerReflection as ServerReflectionV1alpha } from "../../gen/grpc/reflection/v1alpha/reflection_pb.js";
import { MasterService as MasterServiceProtoPath } from "../../gen/tensorflow/core/protobuf/master_service_pb.js";
import { MasterService as MasterServiceTfPath } from "../../gen/tensorflow/core/protobuf/master_service_tf_pb.js";

export { Health, MasterServiceProtoPath, MasterServiceTfPath, ServerReflectionV1, ServerReflectionV1alpha };

/** Every service the port serves, in the order reflection lists them. */
export const servedServices: readonly DescService[] = [
  MasterServiceProtoPath,
  MasterServiceTfPath,
  Health,
  ServerReflectionV1,
  ServerReflectionV1alpha,
];
