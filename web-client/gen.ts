// The generated MasterService and the TensorFlow messages it carries (`@tfgate/web-client/gen`),
// for callers who use the raw client (createMasterClient) or build messages with create().

export * from "../gen/tensorflow/core/framework/attr_value_pb.js";
export * from "../gen/tensorflow/core/framework/device_attributes_pb.js";
export * from "../gen/tensorflow/core/framework/function_pb.js";
export * from "../gen/tensorflow/core/framework/graph_pb.js";
export * from "../gen/tensorflow/core/framework/node_def_pb.js";
export * from "../gen/tensorflow/core/framework/step_stats_pb.js";
export * from "../gen/tensorflow/core/framework/summary_pb.js";
export * from "../gen/tensorflow/core/framework/tensor_pb.js";
export * from "../gen/tensorflow/core/framework/tensor_shape_pb.js";
export * from "../gen/tensorflow/core/framework/types_pb.js";
export * from "../gen/tensorflow/core/protobuf/config_pb.js";
export * from "../gen/tensorflow/core/protobuf/master_pb.js";
export * from "../gen/tensorflow/core/protobuf/master_service_pb.js";
export * from "../gen/tensorflow/core/protobuf/named_tensor_pb.js";
export { Code as TfCode, CodeSchema as TfCodeSchema } from "../gen/xla/tsl/protobuf/error_codes_pb.js";
export * from "../gen/xla/tsl/protobuf/histogram_pb.js";
