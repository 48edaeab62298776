// The master's view of ConfigProto: the server default merged with a CreateSession request's config
// (TF's grpc_master_service: config = default_session_config; config.MergeFrom(request.config)).

import { clone, create, merge } from "@bufbuild/protobuf";
import { type ConfigProto, ConfigProtoSchema } from "../../../gen/tensorflow/core/protobuf/config_pb.js";

/**
 * proto3 MergeFrom: set scalars override, repeated fields append, maps and messages merge.
 * Neither argument is modified.
 */
export function mergeConfig(defaults: ConfigProto, request: ConfigProto | undefined): ConfigProto {
  const out = clone(ConfigProtoSchema, defaults);
  if (request !== undefined) merge(ConfigProtoSchema, out, request);
  return out;
}

export function emptyConfig(): ConfigProto {
  return create(ConfigProtoSchema);
}
