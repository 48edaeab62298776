// In-process sessions for tests: a master (server/engine/master) driven directly with TF's
// CreateSession/RunStep/CloseSession requests, no RPC in between. One place for the request
// plumbing the engine tests share (docs/architecture.md, steps 4-10 of a RunStep).

import assert from "node:assert/strict";
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import type { GraphDef, GraphDefSchema } from "../../gen/tensorflow/core/framework/graph_pb.js";
import type { TensorProto } from "../../gen/tensorflow/core/framework/tensor_pb.js";
import type { ConfigProtoSchema } from "../../gen/tensorflow/core/protobuf/config_pb.js";
import {
  CloseSessionRequestSchema,
  CreateSessionRequestSchema,
  RunStepRequestSchema,
  type RunStepResponse,
} from "../../gen/tensorflow/core/protobuf/master_pb.js";
import {
  type CallContext,
  createMaster,
  type Master,
  type MasterOptions,
} from "../../server/engine/master/master.js";

/** A RunStep request's fields other than its session handle. */
export type StepInit = Omit<MessageInitShape<typeof RunStepRequestSchema>, "$typeName" | "sessionHandle">;

type GraphInit = GraphDef | MessageInitShape<typeof GraphDefSchema>;
type ConfigInit = MessageInitShape<typeof ConfigProtoSchema>;

/** Runs f on a fresh master and closes the master (its sessions and workers) however f ends. */
export async function withMaster<T>(
  f: (m: Master) => Promise<T>,
  options: Partial<MasterOptions> = {},
): Promise<T> {
  const m = createMaster(options);
  try {
    return await f(m);
  } finally {
    await m.close();
  }
}

/** CreateSession on a graph; returns the session handle. */
export async function createSession(m: Master, graphDef: GraphInit, config?: ConfigInit): Promise<string> {
  const req = create(CreateSessionRequestSchema, { graphDef, ...(config ? { config } : {}) });
  return (await m.createSession(req)).sessionHandle;
}

/** RunStep on a session: feeds, fetches, targets and options as in TF's RunStepRequest. */
export function runStep(
  m: Master,
  sessionHandle: string,
  init: StepInit = {},
  ctx?: CallContext,
): Promise<RunStepResponse> {
  return m.runStep(create(RunStepRequestSchema, { sessionHandle, ...init }), ctx);
}

/** CloseSession. */
export async function closeSession(m: Master, sessionHandle: string): Promise<void> {
  await m.closeSession(create(CloseSessionRequestSchema, { sessionHandle }));
}

/** The fetched tensor named `name` (e.g. "y:0") of a step; fails the test when it is missing. */
export function fetched(res: RunStepResponse, name: string): TensorProto {
  const t = res.tensor.find((n) => n.name === name)?.tensor;
  assert.ok(t, `no fetched ${name}`);
  return t;
}

/** A session bound to its master, so steps need not repeat the handle. */
export interface TestSession {
  readonly master: Master;
  readonly handle: string;
  run(init?: StepInit, ctx?: CallContext): Promise<RunStepResponse>;
  /** Runs the step and returns its fetches, in the order asked. */
  fetch(names: readonly string[], init?: Omit<StepInit, "fetch">): Promise<TensorProto[]>;
  close(): Promise<void>;
}

export async function openSession(m: Master, graphDef: GraphInit, config?: ConfigInit): Promise<TestSession> {
  const handle = await createSession(m, graphDef, config);
  return {
    master: m,
    handle,
    run: (init = {}, ctx) => runStep(m, handle, init, ctx),
    async fetch(names, init = {}) {
      const res = await runStep(m, handle, { ...init, fetch: [...names] });
      return names.map((n) => fetched(res, n));
    },
    close: () => closeSession(m, handle),
  };
}

/** Runs f on a session of its own master; the master closes however f ends. */
export function withSession<T>(
  graphDef: GraphInit,
  f: (s: TestSession) => Promise<T>,
  options: Partial<MasterOptions> = {},
): Promise<T> {
  return withMaster(async (m) => f(await openSession(m, graphDef)), options);
}
