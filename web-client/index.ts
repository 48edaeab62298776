// tfgate's web client: the generated MasterService client, transports, a Session helper and
// tensor helpers. Works in browsers and in Node; never imports server code.

export {
  createMasterClient,
  createTransport,
  type MasterClient,
  type MasterClientOptions,
  type Protocol,
  type RunArgs,
  Session,
  TfStepError,
} from "./client.js";
export {
  attr,
  broadcastShapes,
  differentiableOps,
  GRAPH_DEF_PRODUCER,
  GradientDescent,
  type GradientsOptions,
  GraphBuilder,
  Operation,
  Output,
  type Shape,
  type TensorLike,
  Variable,
} from "./graph.js";
export { detectGraphDefFormat, formatGraphDef, type GraphDefFormat, parseGraphDef } from "./graphdef-io.js";
export {
  DataType,
  fromTensorProto,
  type Tensor,
  type TensorValues,
  tensor,
  toTensorProto,
} from "./tensor.js";
