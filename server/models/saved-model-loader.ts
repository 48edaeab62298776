// Loading a SavedModel into a session the way TF's loader does (cc/saved_model/loader.cc
// LoadSavedModel, python/saved_model/loader_impl.py): pick the MetaGraph whose tag set equals the
// requested one, CreateSession with its graph, run the SaverDef's restore op with the checkpoint
// prefix fed to its filename tensor (and asset paths fed), then run the init op. Every step is an
// ordinary Master call (CreateSession, RunStep), so the session is a plain session a client then
// drives with RunStep like any other; nothing here runs a graph itself.
//
// Also the JSON description of MetaGraphs and signatures that /v1/models answers with.

import { create } from "@bufbuild/protobuf";
import { TensorProtoSchema } from "../../gen/tensorflow/core/framework/tensor_pb.js";
import type { TensorShapeProto } from "../../gen/tensorflow/core/framework/tensor_shape_pb.js";
import { DataType, DataTypeSchema } from "../../gen/tensorflow/core/framework/types_pb.js";
import type { ConfigProto } from "../../gen/tensorflow/core/protobuf/config_pb.js";
import {
  CloseSessionRequestSchema,
  CreateSessionRequestSchema,
  RunStepRequestSchema,
} from "../../gen/tensorflow/core/protobuf/master_pb.js";
import type {
  MetaGraphDef,
  SignatureDef,
  TensorInfo,
} from "../../gen/tensorflow/core/protobuf/meta_graph_pb.js";
import {
  type NamedTensorProto,
  NamedTensorProtoSchema,
} from "../../gen/tensorflow/core/protobuf/named_tensor_pb.js";
import type { SavedModel } from "../../gen/tensorflow/core/protobuf/saved_model_pb.js";
import { notFound } from "../engine/framework/errors.js";
import type { CallContext, Master } from "../engine/master/master.js";

/** What loading needs from the master: the ordinary session calls. */
export type SessionMaster = Pick<Master, "createSession" | "runStep" | "closeSession">;

/** The signature key TF2 exports use for their init op (not a callable signature). */
export const initOpSignatureKey = "__saved_model_init_op";

// --- Choosing a MetaGraph -----------------------------------------------------------------------

const tagSetKey = (tags: readonly string[]) => JSON.stringify([...new Set(tags)].sort());

/** The MetaGraph whose tag set equals `tags` (TF's FindMetaGraphDef); NOT_FOUND otherwise. */
export function selectMetaGraph(model: SavedModel, tags: readonly string[], name: string): MetaGraphDef {
  const wanted = tagSetKey(tags);
  const found = model.metaGraphs.find((m) => tagSetKey(m.metaInfoDef?.tags ?? []) === wanted);
  if (found !== undefined) return found;
  const available = model.metaGraphs.map((m) => `{${(m.metaInfoDef?.tags ?? []).join(", ")}}`).join(", ");
  throw notFound(
    `Model "${name}" has no MetaGraph with tags {${[...new Set(tags)].sort().join(", ")}}; ` +
      `its tag sets are: ${available === "" ? "none" : available}`,
  );
}

// --- Describing signatures ----------------------------------------------------------------------

/** One signature input or output as JSON. */
export interface TensorInfoJson {
  /** The graph tensor ("node:0") for dense tensors. */
  readonly name?: string;
  /** The three tensors of a SparseTensor. */
  readonly cooSparse?: { values: string; indices: string; denseShape: string };
  /** The component tensors of a composite (ragged...) tensor. */
  readonly composite?: { typeSpecClass: string; components: readonly TensorInfoJson[] };
  /** "DT_FLOAT" etc. */
  readonly dtype: string;
  /** Dimensions, -1 for unknown ones; null when even the rank is unknown. */
  readonly shape: readonly number[] | null;
}

export interface SignatureJson {
  readonly methodName: string;
  readonly inputs: Readonly<Record<string, TensorInfoJson>>;
  readonly outputs: Readonly<Record<string, TensorInfoJson>>;
}

export interface MetaGraphJson {
  readonly tags: readonly string[];
  readonly tensorflowVersion: string;
  readonly signatures: Readonly<Record<string, SignatureJson>>;
}

/** "DT_FLOAT" for 1 (the enum's JSON name); the number for values this schema does not know. */
export function dtypeName(dtype: DataType): string {
  return DataTypeSchema.value[dtype]?.name ?? String(dtype);
}

function shapeJson(shape: TensorShapeProto | undefined): number[] | null {
  if (shape === undefined || shape.unknownRank) return null;
  return shape.dim.map((d) => Number(d.size));
}

export function tensorInfoJson(info: TensorInfo): TensorInfoJson {
  const base = { dtype: dtypeName(info.dtype), shape: shapeJson(info.tensorShape) };
  switch (info.encoding.case) {
    case "name":
      return { name: info.encoding.value, ...base };
    case "cooSparse": {
      const c = info.encoding.value;
      return {
        cooSparse: {
          values: c.valuesTensorName,
          indices: c.indicesTensorName,
          denseShape: c.denseShapeTensorName,
        },
        ...base,
      };
    }
    case "compositeTensor": {
      const c = info.encoding.value;
      const typeSpecClass = c.typeSpec?.typeSpecClassName || String(c.typeSpec?.typeSpecClass ?? 0);
      return { composite: { typeSpecClass, components: c.components.map(tensorInfoJson) }, ...base };
    }
    default:
      return base;
  }
}

const mapValues = <T, U>(record: Record<string, T>, f: (v: T) => U): Record<string, U> =>
  Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((k) => [k, f(record[k] as T)]),
  );

export function signatureJson(sig: SignatureDef): SignatureJson {
  return {
    methodName: sig.methodName,
    inputs: mapValues(sig.inputs, tensorInfoJson),
    outputs: mapValues(sig.outputs, tensorInfoJson),
  };
}

/** The callable signatures of a MetaGraph (the init-op pseudo-signature left out), by key. */
export function signaturesJson(meta: MetaGraphDef): Record<string, SignatureJson> {
  const { [initOpSignatureKey]: _init, ...callable } = meta.signatureDef;
  return mapValues(callable, signatureJson);
}

export function metaGraphJson(meta: MetaGraphDef): MetaGraphJson {
  return {
    tags: [...(meta.metaInfoDef?.tags ?? [])],
    tensorflowVersion: meta.metaInfoDef?.tensorflowVersion ?? "",
    signatures: signaturesJson(meta),
  };
}

// --- Loading into a session ---------------------------------------------------------------------

export interface LoadRequest {
  readonly meta: MetaGraphDef;
  /** The checkpoint prefix as kernels resolve it (inside the sandbox), or undefined: no variables. */
  readonly variablesPath: string | undefined;
  /** Asset file name (relative to assets/) → path as kernels resolve it. */
  readonly assetPath: (filename: string) => string;
  readonly config?: ConfigProto | undefined;
  /** The caller went away: the restore or init step is cancelled and the session closed. */
  readonly signal?: AbortSignal | undefined;
  /** Who the session is for (the master's tenants); undefined: anonymous. */
  readonly principal?: string | undefined;
}

/** The init op TF's loader runs after restoring (GetInitOp): signature, then the two collections. */
export function initOpName(meta: MetaGraphDef): string | undefined {
  const sig = meta.signatureDef[initOpSignatureKey]?.outputs[initOpSignatureKey]?.encoding;
  if (sig?.case === "name") return sig.value;
  for (const key of ["saved_model_main_op", "legacy_init_op"]) {
    const kind = meta.collectionDef[key]?.kind;
    if (kind?.case === "nodeList" && kind.value.value.length > 0) return kind.value.value[0];
  }
  return undefined;
}

const enc = new TextEncoder();

function stringFeed(name: string, value: string): NamedTensorProto {
  return create(NamedTensorProtoSchema, {
    name,
    tensor: create(TensorProtoSchema, {
      dtype: DataType.DT_STRING,
      tensorShape: {},
      stringVal: [enc.encode(value)],
    }),
  });
}

function assetFeeds(req: LoadRequest): NamedTensorProto[] {
  return req.meta.assetFileDef.flatMap((a) =>
    a.tensorInfo?.encoding.case === "name"
      ? [stringFeed(a.tensorInfo.encoding.value, req.assetPath(a.filename))]
      : [],
  );
}

/**
 * CreateSession with the MetaGraph's graph, restore, init. Returns the session handle; on failure
 * the session is closed again and the error (a TfError from the master) is rethrown.
 */
export async function loadIntoSession(master: SessionMaster, req: LoadRequest): Promise<string> {
  const caller = req.principal === undefined ? {} : { principal: req.principal };
  const { sessionHandle } = await master.createSession(
    create(CreateSessionRequestSchema, { graphDef: req.meta.graphDef, config: req.config }),
    caller,
  );
  try {
    const assets = assetFeeds(req);
    const saver = req.meta.saverDef;
    if (req.variablesPath !== undefined && saver !== undefined && saver.restoreOpName !== "") {
      await runTarget(
        master,
        sessionHandle,
        saver.restoreOpName,
        [stringFeed(saver.filenameTensorName, req.variablesPath), ...assets],
        { ...caller, signal: req.signal },
      );
    }
    const init = initOpName(req.meta);
    if (init !== undefined)
      await runTarget(master, sessionHandle, init, assets, { ...caller, signal: req.signal });
    return sessionHandle;
  } catch (e) {
    await master
      .closeSession(create(CloseSessionRequestSchema, { sessionHandle }), caller)
      .catch(() => undefined);
    throw e;
  }
}

async function runTarget(
  master: SessionMaster,
  sessionHandle: string,
  target: string,
  feed: NamedTensorProto[],
  ctx: CallContext,
): Promise<void> {
  await master.runStep(create(RunStepRequestSchema, { sessionHandle, feed, target: [target] }), ctx);
}
