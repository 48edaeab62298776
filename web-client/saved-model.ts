// SavedModels served by a tfgate server (started with --files-root DIR): list and describe them,
// and load one into a session whose signatures run by their own input and output names.
//
// Loading is one HTTP call, POST /v1/models/<name>/sessions: the server creates an ordinary
// session from the MetaGraph, restores the variables from the model's checkpoint and runs its init
// op, as TF's loader would, and answers with the session handle and the signatures' tensor names.
// Everything after that is the MasterService (RunStep, CloseSession) through `Session`.

import { create, toJson } from "@bufbuild/protobuf";
import type { Transport } from "@connectrpc/connect";
import { ConfigProtoSchema } from "../gen/tensorflow/core/protobuf/config_pb.js";
import {
  type CallArgs,
  type ConfigInput,
  type MasterClient,
  Session,
  TfCode,
  TfError,
  transportBaseUrl,
} from "./client.js";
import {
  DataType,
  type HostTensor,
  type Tensor,
  type TensorInit,
  type TensorInput,
  tensor,
} from "./tensor.js";

/** One input or output of a signature, as the server describes it. */
export interface SignatureTensor {
  /** The graph tensor ("x:0") of a dense input or output. */
  readonly name?: string;
  /** The three tensors of a SparseTensor (not fed or fetched by `run`). */
  readonly cooSparse?: { readonly values: string; readonly indices: string; readonly denseShape: string };
  /** "DT_FLOAT", … */
  readonly dtype: string;
  /** Dimensions, -1 where unknown; null when the rank is unknown. */
  readonly shape: readonly number[] | null;
}

export interface Signature {
  /** e.g. "tensorflow/serving/predict". */
  readonly methodName: string;
  readonly inputs: Readonly<Record<string, SignatureTensor>>;
  readonly outputs: Readonly<Record<string, SignatureTensor>>;
}

export interface MetaGraphInfo {
  readonly tags: readonly string[];
  readonly tensorflowVersion: string;
  readonly signatures: Readonly<Record<string, Signature>>;
}

/** GET /v1/models/<name>. */
export interface SavedModelInfo {
  readonly name: string;
  readonly savedModelSchemaVersion: number;
  readonly hasVariables: boolean;
  readonly metaGraphs: readonly MetaGraphInfo[];
}

export interface SavedModelOptions extends CallArgs {
  /** The MetaGraph's tag set. Default ["serve"]. */
  readonly tags?: readonly string[];
  /** ConfigProto for the session. */
  readonly config?: ConfigInput;
  /**
   * The server's URL, needed only when `target` was not made by this package's `createTransport`
   * or `createMasterClient` (which remember it).
   */
  readonly baseUrl?: string;
}

/** Where the models routes of `target`'s server are. */
function baseUrlOf(target: Transport | MasterClient | string, explicit: string | undefined): string {
  const url = explicit ?? (typeof target === "string" ? target : transportBaseUrl(target));
  if (url === undefined) {
    throw new Error(
      "tfgate web client: pass { baseUrl } for a transport not made by createTransport/createMasterClient",
    );
  }
  return url.replace(/\/+$/, "");
}

/** "/v1/models/a/b" with every segment escaped (a name is a path under the server's model root). */
const modelPath = (name: string) => `/v1/models/${name.split("/").map(encodeURIComponent).join("/")}`;

/** A models-route call; an error answer ({code, message}) rejects with TfError. */
async function callModels<T>(url: string, init: RequestInit & CallArgs): Promise<T> {
  const signals = [
    init.signal,
    init.timeoutMs === undefined ? undefined : AbortSignal.timeout(init.timeoutMs),
  ];
  const live = signals.filter((s): s is AbortSignal => s instanceof AbortSignal);
  const signal = live.length === 0 ? undefined : live.length === 1 ? live[0] : AbortSignal.any(live);
  const res = await fetch(url, { ...init, ...(signal ? { signal } : {}) });
  const body = (await res.json().catch(() => undefined)) as { code?: string; message?: string } | undefined;
  if (!res.ok) {
    const name = (body?.code ?? "unknown").toUpperCase() as keyof typeof TfCode;
    const code =
      typeof TfCode[name] === "number" && TfCode[name] !== TfCode.OK ? TfCode[name] : TfCode.UNKNOWN;
    throw new TfError(code, body?.message ?? `HTTP ${res.status} from ${url}`);
  }
  return body as T;
}

/** GET /v1/models: the names of the SavedModels the server serves. */
export async function listSavedModels(
  target: Transport | MasterClient | string,
  args: CallArgs & { baseUrl?: string } = {},
): Promise<string[]> {
  const res = await callModels<{ models: { name: string }[] }>(
    `${baseUrlOf(target, args.baseUrl)}/v1/models`,
    args,
  );
  return res.models.map((m) => m.name);
}

/** GET /v1/models/<name>: MetaGraphs, tags and signatures. */
export async function describeSavedModel(
  target: Transport | MasterClient | string,
  name: string,
  args: CallArgs & { baseUrl?: string } = {},
): Promise<SavedModelInfo> {
  return callModels<SavedModelInfo>(`${baseUrlOf(target, args.baseUrl)}${modelPath(name)}`, args);
}

/** A session holding a loaded SavedModel MetaGraph; see `Session.fromSavedModel`. */
export class SavedModelSession {
  constructor(
    /** The underlying session (RunStep by tensor names, close, …). */
    readonly session: Session,
    readonly model: string,
    readonly tags: readonly string[],
    readonly signatures: Readonly<Record<string, Signature>>,
  ) {}

  /**
   * Runs a signature: `inputs` keyed by the signature's input names (values as for `tensor()`,
   * converted to the input's dtype when they carry none); resolves to every output (or the ones
   * named in `outputs`) keyed by the signature's output names.
   */
  async run(
    signatureKey: string,
    inputs: Readonly<Record<string, TensorInput>>,
    args: CallArgs & { readonly outputs?: readonly string[] } = {},
  ): Promise<Record<string, HostTensor>> {
    const sig = this.signatures[signatureKey];
    if (sig === undefined) {
      throw new TfError(
        TfCode.NOT_FOUND,
        `Model "${this.model}" has no signature "${signatureKey}"; it has: ${Object.keys(this.signatures).join(", ")}`,
      );
    }
    const feeds: Record<string, Tensor> = {};
    for (const [key, value] of Object.entries(inputs)) {
      const input = sig.inputs[key];
      if (input?.name === undefined) {
        throw new TfError(
          TfCode.INVALID_ARGUMENT,
          input === undefined
            ? `Signature "${signatureKey}" has no input "${key}"; its inputs are: ${Object.keys(sig.inputs).join(", ")}`
            : `Input "${key}" of signature "${signatureKey}" is not a dense tensor`,
        );
      }
      feeds[input.name] = withDtype(value, input.dtype);
    }
    const wanted = args.outputs ?? Object.keys(sig.outputs);
    const fetches: Record<string, string> = {};
    for (const key of wanted) {
      const name = sig.outputs[key]?.name;
      if (name === undefined) {
        throw new TfError(
          TfCode.INVALID_ARGUMENT,
          `Signature "${signatureKey}" has no dense output "${key}"`,
        );
      }
      fetches[key] = name;
    }
    return this.session.run({ ...args, feeds, fetches });
  }

  close(args: CallArgs = {}): Promise<void> {
    return this.session.close(args);
  }
}

/** A value with no dtype of its own takes the signature input's dtype. */
function withDtype(value: TensorInput, dtypeName: string): Tensor {
  const dtype = (DataType as Record<string, DataType | undefined>)[dtypeName];
  const hasDtype =
    typeof value === "object" && value !== null && "dtype" in value && value.dtype !== undefined;
  if (hasDtype || dtype === undefined) return tensor(value);
  const isInit =
    typeof value === "object" && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value);
  if (isInit && "values" in value) {
    const init = value as TensorInit;
    return tensor(init.values as TensorInput, init.shape, dtype);
  }
  return tensor(value, undefined, dtype);
}

/** POST /v1/models/<name>/sessions, then a Session on the handle. */
export async function loadSavedModel(
  target: Transport | MasterClient,
  name: string,
  options: SavedModelOptions = {},
): Promise<SavedModelSession> {
  const { tags, config, baseUrl, ...args } = options;
  const res = await callModels<{
    sessionHandle: string;
    tags: string[];
    signatures: Record<string, Signature>;
  }>(`${baseUrlOf(target, baseUrl)}${modelPath(name)}/sessions`, {
    ...args,
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      ...(tags ? { tags } : {}),
      ...(config ? { config: toJson(ConfigProtoSchema, create(ConfigProtoSchema, config)) } : {}),
    }),
  });
  return new SavedModelSession(Session.attach(target, res.sessionHandle), name, res.tags, res.signatures);
}
