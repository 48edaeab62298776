// HTTP+JSON routes for the SavedModels under the file sandbox (docs in README "Serving SavedModels"):
//
//   GET  /v1/models                   the SavedModels found, by name (path relative to the root)
//   GET  /v1/models/<name>            its MetaGraphs: tags and signatures
//   POST /v1/models/<name>/sessions   {"tags"?, "config"?} → a session with the variables restored
//                                     and the MetaGraph's signatures (tensor names to feed/fetch)
//
// The session is an ordinary MasterService session, created and restored through the master's
// CreateSession and RunStep (saved-model-loader.ts); clients then call RunStep and CloseSession
// over Connect, gRPC or gRPC-Web as for any other session. Errors answer the Connect error shape
// ({"code": "not_found", "message": ...}) with the matching HTTP status.

import { fromJson, type JsonValue } from "@bufbuild/protobuf";
import { codeToHttpStatus, codeToString } from "@connectrpc/connect/protocol-connect";
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { ConfigProtoSchema } from "../../gen/tensorflow/core/protobuf/config_pb.js";
import { cancelled, invalidArgument, notFound, unimplemented } from "../engine/framework/errors.js";
import { toConnectError } from "../rpc/errors.js";
import {
  loadIntoSession,
  metaGraphJson,
  type SessionMaster,
  selectMetaGraph,
  signaturesJson,
} from "./saved-model-loader.js";
import { type SavedModelStore, variablesPrefix } from "./saved-model-store.js";

export interface ModelRoutesOptions {
  /** The store over the sandbox root; undefined when no model directory is configured. */
  readonly store: SavedModelStore | undefined;
  /** The master sessions are created on; undefined when the app runs an injected engine without one. */
  readonly master: SessionMaster | undefined;
  /**
   * A path inside a model's directory (e.g. "digits/variables/variables") as the file kernels
   * (RestoreV2) are given it: relative to the sandbox root.
   */
  readonly kernelPath?: (modelName: string, relative: string) => string;
  /**
   * The authenticated principal of a request (app.ts); the session is created for it, so its own
   * RunStep and CloseSession find it. Undefined: the master's anonymous principal.
   */
  readonly principalOf?: (request: FastifyRequest) => string | undefined;
}

/** The tags used when a request names none: TF Serving's and saved_model_cli's default. */
export const defaultTags: readonly string[] = ["serve"];

const sessionsSuffix = "/sessions";

export function registerModelRoutes(app: FastifyInstance, options: ModelRoutesOptions): void {
  const { store, master } = options;
  const kernelPath = options.kernelPath ?? ((model, relative) => `${model}/${relative}`);
  const requireStore = (): SavedModelStore => {
    if (store !== undefined) return store;
    throw notFound(
      "No model directory is configured: start tfgate with --files-root DIR to serve the SavedModels under DIR",
    );
  };

  app.get("/v1/models", async (_request, reply) =>
    handle(app.log, reply, async () => ({ models: await requireStore().list() })),
  );

  app.get<{ Params: { "*": string } }>("/v1/models/*", async (request, reply) =>
    handle(app.log, reply, async () => {
      const name = request.params["*"];
      const s = requireStore();
      const model = await s.read(name);
      return {
        name,
        savedModelSchemaVersion: Number(model.savedModelSchemaVersion),
        hasVariables: await s.hasVariables(name),
        metaGraphs: model.metaGraphs.map(metaGraphJson),
      };
    }),
  );

  app.post<{ Params: { "*": string }; Body: unknown }>("/v1/models/*", async (request, reply) =>
    handle(app.log, reply, async () => {
      const path = request.params["*"];
      if (!path.endsWith(sessionsSuffix)) {
        throw notFound(`POST /v1/models/${path}: only POST /v1/models/<name>/sessions exists`);
      }
      const name = path.slice(0, -sessionsSuffix.length);
      const { tags, config } = parseSessionBody(request.body);
      const s = requireStore();
      if (master === undefined) throw unimplemented("This server's engine cannot create sessions for models");
      const meta = selectMetaGraph(await s.read(name), tags, name);
      // A client that disconnects mid-load cancels the restore step, and the session is closed.
      const gone = new AbortController();
      // (The response's "close", not the request's: that one fires once the body has been read.)
      reply.raw.once("close", () => {
        if (!reply.raw.writableFinished)
          gone.abort(cancelled("The client went away while the model was loading"));
      });
      const sessionHandle = await loadIntoSession(master, {
        signal: gone.signal,
        principal: options.principalOf?.(request),
        meta,
        variablesPath: (await s.hasVariables(name)) ? kernelPath(name, variablesPrefix) : undefined,
        assetPath: (file) => kernelPath(name, `assets/${file}`),
        config,
      });
      return {
        sessionHandle,
        model: name,
        tags: [...(meta.metaInfoDef?.tags ?? [])],
        signatures: signaturesJson(meta),
      };
    }),
  );
}

function parseSessionBody(body: unknown): {
  tags: readonly string[];
  config: ReturnType<typeof parseConfig>;
} {
  if (body === undefined || body === null || body === "") return { tags: defaultTags, config: undefined };
  if (typeof body !== "object" || Array.isArray(body)) {
    throw invalidArgument('The request body must be a JSON object like {"tags": ["serve"]}');
  }
  const { tags, config, ...rest } = body as Record<string, unknown>;
  const extra = Object.keys(rest);
  if (extra.length > 0) throw invalidArgument(`Unknown field "${extra[0]}" (expected "tags" and "config")`);
  if (tags !== undefined && !(Array.isArray(tags) && tags.every((t) => typeof t === "string"))) {
    throw invalidArgument('"tags" must be a list of strings, e.g. ["serve"]');
  }
  return { tags: (tags as string[] | undefined) ?? defaultTags, config: parseConfig(config) };
}

function parseConfig(config: unknown) {
  if (config === undefined) return undefined;
  try {
    return fromJson(ConfigProtoSchema, config as JsonValue);
  } catch (e) {
    throw invalidArgument(`"config" is not a ConfigProto in protobuf JSON: ${(e as Error).message}`);
  }
}

/** Runs a route body; TfErrors (and bugs, as INTERNAL) become a Connect-shaped JSON error. */
async function handle<T>(
  log: FastifyBaseLogger,
  reply: FastifyReply,
  f: () => Promise<T>,
): Promise<T | FastifyReply> {
  try {
    return await f();
  } catch (e) {
    // A TfError keeps its code and text; anything else is logged and answers INTERNAL.
    const error = toConnectError(e, log, "models");
    return reply
      .code(codeToHttpStatus(error.code))
      .type("application/json")
      .send({ code: codeToString(error.code), message: error.rawMessage });
  }
}
