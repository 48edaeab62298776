// AddControlFlow (control-flow.ts) through partitionGraph: while frames that span devices get TF's
// control loops. The structure is checked against the partition graphs TensorFlow 2.21 itself
// returned for the same GraphDefs (test/tf/export_cross_device_loop.py → cross_device_loop.json),
// and on small hand-built loops node by node.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { fromJson } from "@bufbuild/protobuf";
import { GraphDefSchema } from "../../../gen/tensorflow/core/framework/graph_pb.js";
import type { NodeDef } from "../../../gen/tensorflow/core/framework/node_def_pb.js";
import { attr } from "../../../test/support/attr.js";
import { createDevices } from "../device/device-set.js";
import { boolAttr, intAttr } from "../framework/attr-value.js";
import { isTfError, TfCode } from "../framework/errors.js";
import { DataType } from "../framework/types.js";
import { placeGraph } from "../placer/placer.js";
import { c, defaultOptions, dev, graphOf, ident, node } from "../placer/testing.js";
import { partitionGraph } from "./partition.js";
import { controlFlowSummary, loadCrossDeviceLoopFixture, summaryNode } from "./testing.js";

const devices = createDevices("localhost", 0, 0, 2);
const CPU0 = devices[0]!.name;
const CPU1 = devices[1]!.name;
const incarnation = (name: string) => devices.find((d) => d.name === name)!.incarnation;

function partition(nodes: readonly NodeDef[]) {
  const g = graphOf(nodes);
  placeGraph(g, devices, defaultOptions);
  return partitionGraph(g, { incarnation });
}

const F = { T: attr.type(DataType.DT_FLOAT) };
const utf8 = new TextDecoder();

/**
 * A v1 while loop in frame "w" on CPU:0, x = x0; while (x < lim) x = work(x), with `work` (an
 * Identity) on `workDevice`. `withLoopCond: false` leaves the LoopCond out (Switch on Less).
 */
function whileLoop(workDevice: string, withLoopCond = true): NodeDef[] {
  const frame = { frame_name: attr.string("w") };
  return [
    dev(c("x0"), CPU0),
    dev(c("lim", 5), CPU0),
    dev(node("w/enter", "Enter", ["x0"], { ...F, ...frame }), CPU0),
    dev(node("w/enter_lim", "Enter", ["lim"], { ...F, ...frame, is_constant: boolAttr(true) }), CPU0),
    dev(node("w/merge", "Merge", ["w/enter", "w/next"], { ...F, N: intAttr(2) }), CPU0),
    dev(node("w/less", "Less", ["w/merge", "w/enter_lim"], F), CPU0),
    ...(withLoopCond ? [dev(node("w/cond", "LoopCond", ["w/less"]), CPU0)] : []),
    dev(node("w/switch", "Switch", ["w/merge", withLoopCond ? "w/cond" : "w/less"], F), CPU0),
    dev(ident("w/body", "w/switch:1"), CPU0),
    dev(ident("w/work", "w/body"), workDevice),
    dev(node("w/next", "NextIteration", ["w/work"], F), CPU0),
    dev(node("w/exit", "Exit", ["w/switch"], F), CPU0),
  ];
}

const byName = (nodes: readonly NodeDef[]) => new Map(nodes.map((n) => [n.name, n]));
const str = (n: NodeDef | undefined, k: string) => {
  const v = n?.attr[k]?.value;
  return v?.case === "s" ? utf8.decode(v.value) : v?.value;
};

describe("AddControlFlow: while frames across devices", () => {
  for (const c of loadCrossDeviceLoopFixture().cases) {
    test(`${c.name}: the control loops and transfers TF adds, device by device`, () => {
      const g = graphOf(fromJson(GraphDefSchema, c.graph as never).node);
      placeGraph(g, devices, defaultOptions);
      const parts = partitionGraph(g, { incarnation });
      assert.deepEqual(
        [...parts.keys()].sort(),
        c.partitions.map((p) => p.device),
      );
      for (const p of c.partitions) {
        const ours = controlFlowSummary(parts.get(p.device)!.node.map(summaryNode));
        assert.ok(
          ours.some((l) => l.startsWith("Merge _cloop")),
          `${p.device} has a control loop`,
        );
        assert.deepEqual(ours, controlFlowSummary(p.nodes), p.device);
      }
    });
  }

  test("a frame on one device gets no control loop; the loop's plumbing is untouched", () => {
    const parts = partition([...whileLoop(CPU0), dev(ident("after", "w/exit"), CPU1)]);
    for (const p of parts.values()) {
      assert.deepEqual(
        p.node.filter((n) => n.name.startsWith("_cloop")).map((n) => n.name),
        [],
      );
    }
  });

  test("a frame across devices: TF's node names, attrs and wiring on both devices", () => {
    const parts = partition(whileLoop(CPU1));
    const cpu1 = byName(parts.get(CPU1)!.node);
    // The first in-frame edge into CPU:1 is w/body → w/work: its control loop is named after w/work.
    const enter = cpu1.get("_cloopw/work_S0")!;
    const merge = cpu1.get("_cloopw/work_S1")!;
    const sw = cpu1.get("_cloopw/work_S2")!;
    const next = cpu1.get("_cloopw/work_S3")!;
    const start = cpu1.get("w/work_S4")!;
    assert.deepEqual(
      [enter.op, merge.op, sw.op, next.op, start.op],
      ["Enter", "Merge", "Switch", "NextIteration", "Const"],
    );
    for (const n of [enter, merge, sw, next, start]) assert.equal(n.device, CPU1);
    assert.deepEqual(
      [
        str(enter, "T"),
        str(enter, "frame_name"),
        str(enter, "is_constant"),
        str(enter, "parallel_iterations"),
      ],
      [DataType.DT_FLOAT, "w", false, 10n],
    );
    assert.equal(str(merge, "N"), 2n);
    assert.equal(start.attr.value?.value.case, "tensor");
    assert.deepEqual(start.input, []);
    assert.deepEqual(enter.input, ["w/work_S4"]);
    assert.deepEqual(merge.input, ["_cloopw/work_S0", "_cloopw/work_S3"]);
    assert.deepEqual(next.input, ["_cloopw/work_S2:1"]);
    // The Switch's predicate is the LoopCond, received from CPU:0 inside the frame.
    const predRecv = cpu1.get(sw.input[1]!)!;
    assert.equal(predRecv.op, "_Recv");
    assert.equal(str(predRecv, "send_device"), CPU0);
    assert.equal(str(predRecv, "_src"), "w/cond");
    // Every _Recv in the frame on CPU:1 runs under the control loop's Merge, once per iteration.
    const recvs = [...cpu1.values()].filter((n) => n.op === "_Recv");
    assert.equal(recvs.length, 2);
    for (const r of recvs) assert.deepEqual(r.input, ["^_cloopw/work_S1"]);
    assert.deepEqual(cpu1.get("w/work")!.input, [recvs.find((r) => str(r, "_src") === "w/body")!.name]);

    // w/next sits with its Merge on CPU:0 (TF's colocation), so CPU:0 receives w/work inside the
    // frame and gets a control loop of its own, its Switch fed by the local LoopCond.
    const cpu0 = byName(parts.get(CPU0)!.node);
    assert.equal(cpu0.has("w/next"), true);
    const sw0 = [...cpu0.values()].find((n) => n.op === "Switch" && n.name.startsWith("_cloopw/next_S"))!;
    assert.equal(sw0.input[1], "w/cond");
    const recv0 = [...cpu0.values()].filter((n) => n.op === "_Recv");
    assert.equal(recv0.length, 1);
    assert.match(recv0[0]!.input[0]!, /^\^_cloopw\/next_S\d+$/);
  });

  test("TF's colocation: Enter and NextIteration join their consumer, Switch its data, Exit its input", () => {
    // Ask for the loop's plumbing on CPU:1 while its data lives on CPU:0.
    const nodes = whileLoop(CPU0).map((n) =>
      ["w/enter", "w/switch", "w/exit", "w/next"].includes(n.name) ? dev(n, CPU1) : n,
    );
    const parts = partition(nodes);
    const cpu0 = byName(parts.get(CPU0)!.node);
    for (const name of ["w/enter", "w/switch", "w/exit", "w/next"]) assert.ok(cpu0.has(name), name);
    assert.equal(parts.has(CPU1), false, "nothing is left on CPU:1");
  });

  test("a node fed from two frames is INVALID_ARGUMENT (TF's BuildControlFlowInfo message)", () => {
    const bad = dev(node("bad", "Add", ["x0", "w/body"], F), CPU1);
    assert.throws(
      () => partition([...whileLoop(CPU0), bad]),
      (e: unknown) =>
        isTfError(e) &&
        e.code === TfCode.INVALID_ARGUMENT &&
        e.message ===
          "{{node bad}} has inputs from different frames. The input {{node w/body}} is in frame 'w'. " +
            "The input {{node x0}} is in frame ''.",
    );
  });

  test("a node fed from two frames on one device is INVALID_ARGUMENT too (a step would hang)", () => {
    const bad = dev(node("bad", "Add", ["x0", "w/body"], F), CPU0);
    assert.throws(
      () => partition([...whileLoop(CPU0), bad]),
      (e: unknown) =>
        isTfError(e) &&
        e.code === TfCode.INVALID_ARGUMENT &&
        e.message.includes("has inputs from different frames"),
    );
  });

  test("a frame across devices without a LoopCond is INVALID_ARGUMENT (TF's message)", () => {
    assert.throws(
      () => partition(whileLoop(CPU1, false)),
      (e: unknown) =>
        isTfError(e) &&
        e.code === TfCode.INVALID_ARGUMENT &&
        e.message === "A cross-device loop must have a pivot predicate: w",
    );
  });
});
