// Hostile-input campaign kept as tests (bounded, fixed seed): random and mutated protobuf and JSON
// bodies for every MasterService method over Connect binary, Connect JSON and gRPC; random graphs
// from the op registry with random attrs and edges; random TensorProtos as feeds. Each input gets an
// answer or a clear TF error code (never INTERNAL/UNKNOWN, never an escaping exception, never a
// hang), and a canary session created first still answers correctly afterwards. `npm run fuzz`
// runs the same properties far longer (scripts/fuzz.ts).

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { create } from "@bufbuild/protobuf";
import fc from "fast-check";
import type { AttrValue } from "../gen/tensorflow/core/framework/attr_value_pb.js";
import { CreateSessionRequestSchema } from "../gen/tensorflow/core/protobuf/master_pb.js";
import { createMaster, type Master } from "../server/engine/master/master.js";
import { attr } from "./support/attr.js";
import {
  boundedOutcome,
  type Canary,
  createCanary,
  describeGraphCase,
  describeTensor,
  Figures,
  fuzzableOps,
  genGraphCase,
  h2Connector,
  outcomeOf,
  postWire,
  resetMethod,
  runFeedCase,
  runGraphCase,
  tensorProtoArb,
  wireCaseArb,
  wireMethods,
} from "./support/fuzz.js";
import { constNode, DataType, linearGraph, node } from "./support/graphs.js";
import { masterClient, type RunningServer, startServer } from "./support/server.js";

const seed = 20261206;
const hangMs = 15_000;

function assertClean(f: Figures): void {
  const summary = f.findings
    .map((x) => `${x.property}: ${JSON.stringify(x.outcome)} <- ${x.input}`)
    .join("\n");
  assert.equal(f.crashes + f.hangs + f.internal, 0, `findings:\n${summary}`);
}

const limits = { maxTensorBytes: 64 * 1024 ** 2, maxStepBytes: 256 * 1024 ** 2, cpuDevices: 1 };

describe("in-process engine (no worker threads)", () => {
  let master: Master;
  let canary: Canary;
  before(async () => {
    master = createMaster({ ...limits, workerThreads: false });
    canary = await createCanary(master);
  });
  after(() => master.close());

  test("random graphs from the op registry", async () => {
    const f = new Figures();
    const ops = fuzzableOps();
    await fc.assert(
      fc.asyncProperty(fc.gen(), async (g) => {
        const c = genGraphCase(g, ops, 4);
        f.record("graph", await outcomeOf(() => runGraphCase(master, c, 5000), hangMs), () =>
          describeGraphCase(c),
        );
      }),
      { seed, numRuns: 300 },
    );
    assertClean(f);
    await canary.check();
  });

  test("random TensorProtos as feeds", async () => {
    const f = new Figures();
    const { sessionHandle } = await master.createSession(
      create(CreateSessionRequestSchema, { graphDef: linearGraph() }),
    );
    await fc.assert(
      fc.asyncProperty(tensorProtoArb, async (t) => {
        f.record("feed", await outcomeOf(() => runFeedCase(master, sessionHandle, t), hangMs), () =>
          describeTensor(t),
        );
      }),
      { seed, numRuns: 300 },
    );
    assertClean(f);
    await canary.check();
  });
});

describe("findings of the campaign, kept as regressions", () => {
  let master: Master;
  before(() => {
    master = createMaster({ ...limits, workerThreads: false });
  });
  after(() => master.close());

  const caseNode = (branches: AttrValue) =>
    node("n0", "StatelessCase", {
      inputs: ["c_s", "c_s"],
      attrs: {
        Tin: attr.typeList([DataType.DT_INT32]),
        Tout: attr.typeList([DataType.DT_INT32]),
        branches,
      },
    });
  for (const [name, branches] of [
    ["a float", attr.float(1e-283)],
    ["a list of ints", attr.intList([3])],
  ] as const) {
    test(`StatelessCase whose branches attr is ${name}: INVALID_ARGUMENT, not a kernel crash`, async () => {
      const o = await outcomeOf(
        () =>
          runGraphCase(
            master,
            {
              nodes: [constNode("c_s", DataType.DT_INT32, [], [2]), caseNode(branches)],
              feeds: [],
              fetches: ["n0:0"],
              targets: [],
            },
            5000,
          ),
        hangMs,
      );
      assert.equal(o.kind === "error" ? o.code : o.kind, "INVALID_ARGUMENT", JSON.stringify(o));
    });
  }
});

describe("in-process engine (worker threads)", () => {
  let master: Master;
  let canary: Canary;
  before(async () => {
    master = createMaster({ ...limits, workerThreads: true });
    canary = await createCanary(master);
  });
  after(() => master.close());

  test("a sample of random graphs and feeds", async () => {
    const f = new Figures();
    const ops = fuzzableOps();
    await fc.assert(
      fc.asyncProperty(fc.gen(), async (g) => {
        const c = genGraphCase(g, ops, 3);
        f.record("graph", await outcomeOf(() => runGraphCase(master, c, 5000), hangMs), () =>
          describeGraphCase(c),
        );
      }),
      { seed, numRuns: 40 },
    );
    await fc.assert(
      fc.asyncProperty(tensorProtoArb, async (t) => {
        f.record("feed", await outcomeOf(() => runFeedCase(master, canary.handle, t), hangMs), () =>
          describeTensor(t),
        );
      }),
      { seed, numRuns: 40 },
    );
    assertClean(f);
    await canary.check();
  });
});

describe("the gateway over the wire", () => {
  let server: RunningServer;
  let h2c: ReturnType<typeof h2Connector>;
  let client: ReturnType<typeof masterClient>;
  let canary: Canary;
  before(async () => {
    server = await startServer({ master: limits });
    h2c = h2Connector(server.url);
    client = masterClient("connect-binary", server.url);
    canary = await createCanary(client);
  });
  after(async () => {
    h2c.close();
    await server.close();
  });

  test("random and mutated bodies for every method over Connect binary, Connect JSON and gRPC", async () => {
    const f = new Figures();
    const { sessionHandle: victim } = await client.createSession({ graphDef: linearGraph() });
    await fc.assert(
      fc.asyncProperty(wireCaseArb(wireMethods, victim), async (c) => {
        const method = wireMethods[c.method]?.method ?? "";
        const o = await boundedOutcome(
          () => postWire(server.url, h2c.get, method, c.protocol, c.body),
          hangMs,
        );
        f.record("wire", o, () => c.describe);
      }),
      { seed, numRuns: 400 },
    );
    assertClean(f);
    await canary.check();
  });

  test("Reset with random bodies answers clearly and the server keeps serving", async () => {
    const f = new Figures();
    await fc.assert(
      fc.asyncProperty(wireCaseArb([resetMethod], ""), async (c) => {
        const o = await boundedOutcome(
          () => postWire(server.url, h2c.get, "Reset", c.protocol, c.body),
          hangMs,
        );
        f.record("reset", o, () => c.describe);
      }),
      { seed, numRuns: 60 },
    );
    assertClean(f);
    // Reset may have closed the canary (closing the caller's sessions is what Reset does): a new
    // session must work.
    await (await createCanary(client)).check();
  });
});
