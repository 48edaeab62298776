// The stack and TensorArray kernels against TensorFlow 2.21: every graph in
// testdata/loop-fixtures.json (written by gen_loop_fixtures.py in tf.compat.v1 Sessions) runs
// through tfgate's master with the same GraphDef, feeds and fetches, and each step must give TF's
// values or TF's error code and message. The graphs cover each op's results and errors, and v1
// while loops whose gradients TF builds from stacks and TensorArrays (while_loop, map_fn, scan).
//
// Stack and TensorArray names carry a per-process counter ("ta_12"); both sides' messages are
// compared with the counter masked. Also checked here: step-scoped resources do not outlive steps.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { create, fromBinary } from "@bufbuild/protobuf";
import { GraphDefSchema } from "../../../gen/tensorflow/core/framework/graph_pb.js";
import { attr } from "../../../test/support/attr.js";
import { closeSession, createSession, runStep, withMaster } from "../../../test/support/session.js";
import { isTfError, TfCode } from "../framework/errors.js";
import type { OpKernelContext } from "../framework/op-kernel.js";
import { createResourceMgr, createStepContainers, stepContainerName } from "../framework/resource-mgr.js";
import { fromValues, type Tensor } from "../framework/tensor.js";
import { tensorFromProto, tensorToProto } from "../framework/tensor-proto.js";
import { DataType } from "../framework/types.js";
import { createMaster, type Master } from "../master/master.js";
import { testDevice } from "./testing/testing.js";
import { STACK_TYPE, Stack } from "./util/stack.js";
import { lookupResource, stepResourceHandle } from "./util/step-resources.js";

interface FxTensor {
  readonly dtype: DataType;
  readonly shape: number[];
  readonly values: (number | string)[];
}

interface Step {
  readonly targets: string[];
  readonly fetches: string[];
  readonly feeds?: Record<string, FxTensor>;
  readonly outputs?: FxTensor[];
  readonly error?: { readonly code: number; readonly message: string };
}

interface GraphCase {
  readonly name: string;
  readonly graph: string;
  readonly ops: string[];
  readonly names: string[];
  readonly steps: Step[];
}

const fx = JSON.parse(readFileSync(new URL("./testdata/loop-fixtures.json", import.meta.url), "utf8")) as {
  tensorflow: string;
  graphs: GraphCase[];
};

function toTensor(t: FxTensor): Tensor {
  return fromValues(
    t.dtype,
    t.shape,
    t.values.map((v) => (t.dtype === DataType.DT_INT64 ? BigInt(v) : Number(v))),
  );
}

const FLOAT_TYPES: ReadonlySet<DataType> = new Set([DataType.DT_FLOAT, DataType.DT_DOUBLE]);

function assertTensor(got: Tensor, want: FxTensor, what: string): void {
  assert.equal(got.dtype, want.dtype, `${what}: dtype`);
  assert.deepEqual([...got.shape], want.shape, `${what}: shape`);
  const values = Array.from(got.data as ArrayLike<number | bigint>);
  assert.equal(values.length, want.values.length, `${what}: number of values`);
  values.forEach((v, i) => {
    const w = want.values[i]!;
    if (FLOAT_TYPES.has(want.dtype)) {
      // Loop gradients chain float32 sin/mul/add; allow a few ulps of reordering.
      const tol = 1e-5 * Math.max(1, Math.abs(Number(w)));
      assert.ok(Math.abs(Number(v) - Number(w)) <= tol, `${what}[${i}]: ${v} vs TF ${w}`);
    } else {
      assert.equal(String(v), String(w), `${what}[${i}]`);
    }
  });
}

/** Masks the per-process counter of the given stack/TensorArray names ("ta_12" → "ta_#"). */
function maskNames(message: string, names: readonly string[]): string {
  let out = message;
  for (const n of names) out = out.replace(new RegExp(`${n}_\\d+`, "g"), `${n}_#`);
  return out;
}

describe(`stack and TensorArray graphs vs TensorFlow ${fx.tensorflow} (loop fixtures)`, () => {
  let master: Master;
  before(() => {
    master = createMaster();
  });
  after(() => master.close());

  it("cover every stack and TensorArray op", () => {
    const ops = new Set(fx.graphs.flatMap((g) => g.ops));
    for (const op of [
      "StackV2",
      "StackPushV2",
      "StackPopV2",
      "StackCloseV2",
      "TensorArrayV3",
      "TensorArrayWriteV3",
      "TensorArrayReadV3",
      "TensorArrayGatherV3",
      "TensorArrayScatterV3",
      "TensorArraySizeV3",
      "TensorArrayCloseV3",
      "TensorArrayConcatV3",
      "TensorArraySplitV3",
      "TensorArrayGradV3",
      "TensorArrayGradWithShape",
      "Enter",
      "Exit",
    ]) {
      assert.ok(ops.has(op), `no fixture graph uses ${op}`);
    }
  });

  for (const g of fx.graphs) {
    it(`${g.name}: ${g.steps.length} step(s) give TF's values or errors`, async () => {
      const graphDef = fromBinary(GraphDefSchema, Buffer.from(g.graph, "base64"));
      const sessionHandle = await createSession(master, graphDef);
      try {
        // Graphs with variables carry TF's "init" op; run it first, as the generator did.
        if (graphDef.node.some((n) => n.name === "init")) {
          await runStep(master, sessionHandle, { target: ["init"] });
        }
        for (const [k, step] of g.steps.entries()) {
          const run = runStep(master, sessionHandle, {
            feed: Object.entries(step.feeds ?? {}).map(([name, t]) => ({
              name,
              tensor: tensorToProto(toTensor(t)),
            })),
            fetch: step.fetches,
            target: step.targets,
          });
          if (step.error) {
            await assert.rejects(run, (e: unknown) => {
              assert.ok(isTfError(e), String(e));
              assert.equal(e.code, step.error!.code, `step ${k}: ${e.message}`);
              const got = maskNames(e.message, g.names);
              const want = maskNames(step.error!.message, g.names);
              assert.ok(got.includes(want), `step ${k}:\n  got  ${got}\n  want ${want}`);
              return true;
            });
            continue;
          }
          const r = await run;
          step.outputs!.forEach((want, i) => {
            const named = r.tensor.find((t) => t.name === step.fetches[i]);
            assert.ok(named?.tensor, `step ${k}: no ${step.fetches[i]}`);
            assertTensor(tensorFromProto(named.tensor), want, `step ${k} ${step.fetches[i]}`);
          });
        }
      } finally {
        await closeSession(master, sessionHandle);
      }
    });
  }
});

describe("step-scoped resources", () => {
  it("a step's container is removed when its last partition ends, and a stale handle finds nothing", () => {
    const mgr = createResourceMgr();
    const containers = createStepContainers();
    const stepId = 42n;
    const step = {
      stepId,
      signal: new AbortController().signal,
      resources: mgr,
      device: testDevice,
    } as unknown as OpKernelContext["step"];
    const ctx = { step } as OpKernelContext;
    containers.acquire(stepId, mgr);
    containers.acquire(stepId, mgr);
    const key = "_stacksst_0";
    mgr.lookupOrCreate(
      stepContainerName(stepId),
      key,
      STACK_TYPE.name,
      () => new Stack(DataType.DT_FLOAT, "st_0", -1),
    );
    const handle = stepResourceHandle(ctx, STACK_TYPE, key);
    const h = (handle.data as { container: string }[])[0]!;
    assert.equal(h.container, "__per_step_42");
    containers.release(stepId);
    assert.ok(mgr.containers().includes("__per_step_42"), "freed while a partition still runs");
    containers.release(stepId);
    assert.equal(containers.size, 0);
    assert.deepEqual(mgr.containers(), []);
    const lookupCtx = { ...ctx, input: () => handle } as unknown as OpKernelContext;
    assert.throws(
      () => lookupResource(lookupCtx, (handle.data as never[])[0]!, STACK_TYPE),
      (e: unknown) =>
        isTfError(e) &&
        e.code === TfCode.NOT_FOUND &&
        e.message ===
          "Container __per_step_42 does not exist. (Could not find resource: __per_step_42/_stacksst_0)",
    );
  });

  it("a stack handle fetched in one step finds nothing in the next (its container went with the step)", async () => {
    // stack_push_pop's graph: fetch the StackV2 handle with a push, then feed that handle to the
    // pop in another step. Were the first step's container kept, the pop would find its stack.
    const g = fx.graphs.find((x) => x.name === "stack_push_pop")!;
    await withMaster(async (m) => {
      const graphDef = fromBinary(GraphDefSchema, Buffer.from(g.graph, "base64"));
      const sessionHandle = await createSession(m, graphDef);
      const first = await runStep(m, sessionHandle, { fetch: ["StackV2:0", "StackPushV2:0"] });
      const handle = first.tensor.find((t) => t.name === "StackV2:0")!.tensor!;
      assert.equal(handle.dtype, DataType.DT_RESOURCE);
      await assert.rejects(
        runStep(m, sessionHandle, {
          feed: [{ name: "StackV2:0", tensor: handle }],
          fetch: ["StackPopV2_1:0"],
        }),
        (e: unknown) => {
          assert.ok(isTfError(e), String(e));
          assert.equal(e.code, TfCode.NOT_FOUND, e.message);
          assert.match(
            e.message,
            /Container __per_step_\d+ does not exist\. \(Could not find resource: __per_step_\d+\/_stacksst_\d+\)/,
          );
          return true;
        },
      );
    });
  });

  it("a TensorArray of a hostile size is RESOURCE_EXHAUSTED before any slot is made; the session keeps working", async () => {
    await withMaster(
      async (m) => {
        const graphDef = create(GraphDefSchema, {
          node: [
            { name: "size", op: "Placeholder", attr: { dtype: attr.type(DataType.DT_INT32) } },
            {
              name: "ta",
              op: "TensorArrayV3",
              input: ["size"],
              attr: { dtype: attr.type(DataType.DT_FLOAT), dynamic_size: attr.bool(true) },
            },
            { name: "n", op: "TensorArraySizeV3", input: ["ta", "ta:1"] },
          ],
        });
        const sessionHandle = await createSession(m, graphDef);
        const run = (size: number) =>
          runStep(m, sessionHandle, {
            feed: [{ name: "size:0", tensor: tensorToProto(fromValues(DataType.DT_INT32, [], [size])) }],
            fetch: ["n:0"],
          });
        await assert.rejects(run(2 ** 31 - 1), (e: unknown) => {
          assert.ok(isTfError(e), String(e));
          assert.equal(e.code, TfCode.RESOURCE_EXHAUSTED, e.message);
          assert.match(e.message, /OOM when allocating tensor with shape\[2147483647\] and type variant/);
          return true;
        });
        const ok = await run(3);
        assert.deepEqual(Array.from(tensorFromProto(ok.tensor[0]!.tensor!).data as Int32Array), [3]);
      },
      { cpuDevices: 1 },
    );
  });
});
