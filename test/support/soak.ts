// The soak load (docs/security.md, "Soak"): many sessions stepping at once for a bounded time over
// gRPC, each step checkable. Every session owns one int64 resource variable (its own shared_name)
// that each step increments with AssignAddVariableOp and then reads, so session i's k-th step must
// return exactly k: a value out of sequence is a lost, duplicated or reordered step, and any error
// is a failed one. Used by test/soak.test.ts (small) and scripts/soak.ts (1,000 sessions).

import { create } from "@bufbuild/protobuf";
import { type Client, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { AttrValueSchema } from "../../gen/tensorflow/core/framework/attr_value_pb.js";
import { TensorShapeProtoSchema } from "../../gen/tensorflow/core/framework/tensor_shape_pb.js";
import { MasterServiceProtoPath } from "../../server/rpc/services.js";
import { attr } from "./attr.js";
import { constNode, DataType, graph, node, tensorValues } from "./graphs.js";

type MasterClient = Client<typeof MasterServiceProtoPath>;

/** A session's counter: `init` sets it to 0, fetching `read:0` after `inc` gives the count. */
export function counterGraph(sharedName: string) {
  const I64 = DataType.DT_INT64;
  const scalar = create(AttrValueSchema, {
    value: { case: "shape", value: create(TensorShapeProtoSchema, { dim: [] }) },
  });
  return graph(
    node("v", "VarHandleOp", {
      attrs: { dtype: attr.type(I64), shape: scalar, shared_name: attr.string(sharedName) },
    }),
    constNode("zero", I64, [], [0]),
    constNode("one", I64, [], [1]),
    node("init", "AssignVariableOp", { inputs: ["v", "zero"], attrs: { dtype: attr.type(I64) } }),
    node("inc", "AssignAddVariableOp", { inputs: ["v", "one"], attrs: { dtype: attr.type(I64) } }),
    node("read", "ReadVariableOp", { inputs: ["v", "^inc"], attrs: { dtype: attr.type(I64) } }),
  );
}

export interface SoakOptions {
  readonly baseUrl: string;
  readonly sessions: number;
  /** Stepping stops this long after the last session started. */
  readonly seconds: number;
  /** HTTP/2 connections the sessions are spread over. */
  readonly connections: number;
  /** Called once every session has made its first step, and at the end (e.g. to sample RSS). */
  readonly onWarm?: () => void;
}

export interface SoakResult {
  readonly steps: number;
  readonly failed: number;
  /** Steps whose value was not the one expected (lost, duplicated or reordered). */
  readonly outOfSequence: number;
  /** The first few problems, for the report. */
  readonly problems: readonly string[];
  readonly stepsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

// long-function: one soak run reads top to bottom: open the sessions, warm up, step until the deadline, close.
export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const clients: MasterClient[] = Array.from({ length: options.connections }, () =>
    createClient(MasterServiceProtoPath, createGrpcTransport({ baseUrl: options.baseUrl })),
  );
  const problems: string[] = [];
  const note = (p: string) => {
    if (problems.length < 20) problems.push(p);
  };
  const latencies: number[] = [];
  let steps = 0;
  let failed = 0;
  let outOfSequence = 0;
  const handles: string[] = [];
  const counts: number[] = [];
  const step = async (i: number): Promise<void> => {
    const client = clients[i % clients.length]!;
    const t0 = performance.now();
    try {
      const r = await client.runStep({ sessionHandle: handles[i]!, fetch: ["read:0"] });
      latencies.push(performance.now() - t0);
      steps++;
      const got = Number(tensorValues(r.tensor[0]?.tensor)[0]);
      counts[i] = (counts[i] ?? 0) + 1;
      if (got !== counts[i]) {
        outOfSequence++;
        note(`session ${i}: step ${counts[i]} returned ${got}`);
        counts[i] = got;
      }
    } catch (e) {
      failed++;
      note(`session ${i}: ${ConnectError.from(e).message}`);
    }
  };
  try {
    // Sessions open a few at a time, as clients arriving would (and within --max-sessions).
    for (let first = 0; first < options.sessions; first += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, options.sessions - first) }, async (_, k) => {
          const i = first + k;
          const client = clients[i % clients.length]!;
          const { sessionHandle } = await client.createSession({ graphDef: counterGraph(`counter_${i}`) });
          handles[i] = sessionHandle;
          await client.runStep({ sessionHandle, target: ["init"] });
        }),
      );
    }
    await Promise.all(handles.map((_, i) => step(i)));
    options.onWarm?.();
    latencies.length = 0;
    const began = performance.now();
    const deadline = began + options.seconds * 1000;
    const before = steps;
    await Promise.all(
      handles.map(async (_, i) => {
        while (performance.now() < deadline) await step(i);
      }),
    );
    const elapsed = (performance.now() - began) / 1000;
    latencies.sort((a, b) => a - b);
    return {
      steps,
      failed,
      outOfSequence,
      problems,
      stepsPerSecond: (steps - before) / elapsed,
      p50Ms: percentile(latencies, 0.5),
      p99Ms: percentile(latencies, 0.99),
    };
  } finally {
    await Promise.allSettled(
      handles.map((h, i) => clients[i % clients.length]!.closeSession({ sessionHandle: h })),
    );
  }
}
