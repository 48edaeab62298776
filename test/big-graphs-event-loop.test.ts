// A big graph never holds the RPC thread (docs/architecture.md, "Big graphs and the event loop"):
// while one client's CreateSession of a 200,000-node graph, its ExtendSession and its first
// RunStep (pruning and partitioning) are in progress, another client's ListDevices calls keep being
// answered. The check is about interleaving, not speed: some ListDevices answers must arrive while
// the big call is still running, and the longest wait between two answers must be far below the
// time the big call takes (a bound that a loaded machine cannot break: the graph work is cut into
// slices of a few milliseconds, while the whole call takes seconds).

import assert from "node:assert/strict";
import { test } from "node:test";
import { create } from "@bufbuild/protobuf";
import type { NodeDef } from "../gen/tensorflow/core/framework/node_def_pb.js";
import {
  CreateSessionRequestSchema,
  ExtendSessionRequestSchema,
  ListDevicesRequestSchema,
  RunStepRequestSchema,
} from "../gen/tensorflow/core/protobuf/master_pb.js";
import type { Master } from "../server/engine/master/master.js";
import { attr } from "./support/attr.js";
import { constNode, DataType, node, tensorValues } from "./support/graphs.js";
import { withMaster } from "./support/session.js";

const F = DataType.DT_FLOAT;

/** Identity chain n0 → … : `count` nodes from `first`, on two devices in alternating blocks. */
function chain(first: number, count: number): NodeDef[] {
  const nodes: NodeDef[] = [];
  for (let i = first; i < first + count; i++) {
    const device = `/device:CPU:${Math.floor(i / 1000) % 2}`;
    if (i === 0) nodes.push({ ...constNode("n0", F, [], [7]), device });
    else nodes.push(node(`n${i}`, "Identity", { inputs: [`n${i - 1}`], attrs: { T: attr.type(F) }, device }));
  }
  return nodes;
}

/**
 * Runs `big` while calling ListDevices back to back; returns how many answers came while `big` ran,
 * the longest gap between two of them, and how long `big` took.
 */
async function whileAnswering(m: Master, big: () => Promise<unknown>) {
  let running = true;
  let answers = 0;
  let longestGap = 0;
  const poller = (async () => {
    let last = performance.now();
    while (running) {
      await m.listDevices(create(ListDevicesRequestSchema, {}));
      const now = performance.now();
      if (running) {
        answers++;
        longestGap = Math.max(longestGap, now - last);
      }
      last = now;
      await new Promise((r) => setTimeout(r, 1));
    }
  })();
  const t0 = performance.now();
  try {
    await big();
  } finally {
    running = false;
    await poller;
  }
  return { answers, longestGap, bigMs: performance.now() - t0 };
}

test(
  "CreateSession, ExtendSession and the first RunStep of a 200,000-node graph leave the event loop answering",
  {
    timeout: 600_000,
  },
  (t) =>
    withMaster(
      async (m) => {
        const n = 200_000;
        let handle = "";
        const created = await whileAnswering(m, async () => {
          const req = create(CreateSessionRequestSchema, {
            graphDef: { node: chain(0, n), versions: { producer: 1 } },
          });
          handle = (await m.createSession(req)).sessionHandle;
        });
        const extended = await whileAnswering(m, () =>
          m.extendSession(
            create(ExtendSessionRequestSchema, {
              sessionHandle: handle,
              currentGraphVersion: 0n,
              graphDef: { node: chain(n, 1000), versions: { producer: 1 } },
            }),
          ),
        );
        let fetched: number[] = [];
        const firstRun = await whileAnswering(m, async () => {
          const r = await m.runStep(
            create(RunStepRequestSchema, { sessionHandle: handle, fetch: [`n${n + 999}`] }),
          );
          fetched = tensorValues(r.tensor[0]?.tensor) as number[];
        });
        assert.deepEqual(fetched, [7]);
        for (const [what, r] of Object.entries({ created, extended, firstRun })) {
          const line = `${what}: ${Math.round(r.bigMs)} ms, ${r.answers} ListDevices answers meanwhile, longest gap ${Math.round(r.longestGap)} ms`;
          t.diagnostic(line);
          if (what === "extended") continue; // an Extend of 1,000 nodes is short: nothing to show
          assert.ok(r.answers >= 5, line);
          // Half the call's time: the whole call on the RPC thread would make one gap as long as the call.
          assert.ok(r.longestGap < r.bigMs / 2, line);
        }
      },
      { cpuDevices: 2, maxGraphNodes: 1_000_000 },
    ),
);
