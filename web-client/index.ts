// tfgate's web client: the generated MasterService client, transports, a Session helper and
// tensor helpers. Works in browsers and in Node; never imports server code.

export { attr } from "./attrs.js";
export { GRAPH_DEF_PRODUCER, GraphBuilder } from "./builder.js";
export {
  type CallArgs,
  Callable,
  type CallableArgs,
  type ConfigInput,
  createMasterClient,
  createTransport,
  type Fetched,
  type Fetches,
  type GraphInput,
  type MasterClient,
  type MasterClientOptions,
  newRequestId,
  PartialRun,
  type PartialRunArgs,
  type Protocol,
  type RunArgs,
  type RunOptionsInput,
  type RunResult,
  Session,
  TfCode,
  type TfCodeName,
  TfError,
  TfStepError,
  type TraceLevel,
  transportBaseUrl,
} from "./client.js";
export {
  type CondBranch,
  CondContext,
  type LoopBodyFn,
  type LoopCondFn,
  WhileContext,
  type WhileLoopOptions,
} from "./control-flow.js";
export { differentiableOps } from "./gradient-table.js";
export {
  type ControlFlowContext,
  type GradientsOptions,
  Operation,
  Output,
  type Shape,
  type TensorLike,
  Variable,
} from "./graph-types.js";
export { detectGraphDefFormat, formatGraphDef, type GraphDefFormat, parseGraphDef } from "./graphdef-io.js";
export { Adam, type AdamOptions, GradientDescent } from "./optimizers.js";
export {
  describeSavedModel,
  listSavedModels,
  type MetaGraphInfo,
  type SavedModelInfo,
  type SavedModelOptions,
  SavedModelSession,
  type Signature,
  type SignatureTensor,
} from "./saved-model.js";
export { broadcastShapes } from "./shapes.js";
export {
  DataType,
  type DTypeLike,
  type DTypeName,
  dtypeNames,
  fromTensorProto,
  HostTensor,
  type NestedArray,
  type Scalar,
  type Tensor,
  type TensorInit,
  type TensorInput,
  type TensorValues,
  tensor,
  toDataType,
  toTensorProto,
} from "./tensor.js";
