// Placer tests, in two parts.
//
// 1. tfgate's real ops on four CPUs (/job:localhost/replica:0/task:0/device:CPU:0..3). Every
//    expected placement and message in this part was produced by a real TensorFlow 2.21 master
//    (tf.distribute.Server with device_count {CPU: 4}, CreateSession with log_device_placement) for
//    the same GraphDef; the test name says which rule it pins down.
// 2. Ports of TF's placer_test.cc, with its FakeCPU/FakeGPU devices (job "a", 10 of each, GPU
//    first in priority) and its test ops registered with kernels for one or both fake types.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { attr } from "../../../test/support/attr.js";
import type { Device } from "../device/device-set.js";
import { TfCode } from "../framework/errors.js";
import { defineOp } from "../framework/op-def.js";
import { registerKernel } from "../framework/op-kernel.js";
import { placeGraph } from "./placer.js";
import {
  add,
  assign,
  assignVar,
  c,
  cls,
  cpus4,
  defaultOptions,
  dev,
  F,
  graphOf,
  ident,
  neg,
  node,
  noop,
  place,
  placeError,
  readVar,
  shape,
  short,
  size,
  varHandle,
  variable,
} from "./testing.js";

const allCpus =
  "/job:localhost/replica:0/task:0/device:CPU:0, /job:localhost/replica:0/task:0/device:CPU:1, " +
  "/job:localhost/replica:0/task:0/device:CPU:2, /job:localhost/replica:0/task:0/device:CPU:3";

function assertError(e: { code: number; message: string }, code: number, message: string | RegExp): void {
  assert.equal(e.code, code, e.message);
  if (typeof message === "string") assert.equal(e.message, message);
  else assert.match(e.message, message);
}

describe("placer on four CPUs (expectations observed on TF 2.21)", () => {
  test("unconstrained nodes go to the first device", () => {
    assert.deepEqual(place([c("a"), c("b"), add("m", "a", "b")]), { a: "CPU:0", b: "CPU:0", m: "CPU:0" });
  });

  test("a requested device is honoured; Heuristic A puts generators with their consumer", () => {
    assert.deepEqual(place([c("a"), c("b"), dev(add("m", "a", "b"), "/device:CPU:2")]), {
      a: "CPU:2",
      b: "CPU:2",
      m: "CPU:2",
    });
  });

  test("Heuristic A: consumers on different devices → first candidate", () => {
    const r = place([c("a"), dev(neg("n1", "a"), "/device:CPU:1"), dev(neg("n2", "a"), "/device:CPU:2")]);
    assert.deepEqual(r, { a: "CPU:0", n1: "CPU:1", n2: "CPU:2" });
  });

  test("Heuristic A counts control consumers", () => {
    assert.equal(
      place([c("a"), dev(neg("n1", "a"), "/device:CPU:1"), dev(noop("z", "^a"), "/device:CPU:3")]).a,
      "CPU:0",
    );
    assert.equal(
      place([c("a"), dev(neg("n1", "a"), "/device:CPU:1"), dev(noop("z", "^a"), "/device:CPU:1")]).a,
      "CPU:1",
    );
  });

  test("Heuristic A: a generator without consumers takes the first candidate", () => {
    assert.deepEqual(place([dev(c("a"), "/job:localhost")]), { a: "CPU:0" });
  });

  test("Heuristic B: Shape/Size follow their input's device, unless the input is a generator (placed later)", () => {
    const r = place([
      dev(c("a"), "/device:CPU:2"),
      dev(neg("n", "a"), "/device:CPU:3"),
      shape("s", "n"),
      size("z", "n"),
      shape("s2", "a"),
    ]);
    assert.deepEqual(r, { a: "CPU:2", n: "CPU:3", s: "CPU:3", z: "CPU:3", s2: "CPU:0" });
  });

  test("Heuristic B reads through a ref input (Shape of a VariableV2)", () => {
    assert.deepEqual(place([dev(variable("v"), "/device:CPU:2"), shape("s", "v")]), {
      v: "CPU:2",
      s: "CPU:2",
    });
  });

  test("MatchIdentityOperation: an Identity between nodes asking for the same device stays with its input", () => {
    const same = place([
      c("a"),
      dev(neg("n", "a"), "/device:CPU:3"),
      ident("i", "n"),
      dev(neg("o", "i"), "/device:CPU:3"),
    ]);
    assert.deepEqual(same, { a: "CPU:3", n: "CPU:3", i: "CPU:3", o: "CPU:3" });
    const differ = place([
      c("a"),
      dev(neg("n", "a"), "/device:CPU:3"),
      ident("i", "n"),
      dev(neg("o", "i"), "/device:CPU:2"),
    ]);
    assert.equal(differ.i, "CPU:0");
    // A control input makes two in-edges: no heuristic.
    const ctl = place([
      c("a"),
      dev(neg("n", "a"), "/device:CPU:3"),
      dev(noop("z"), "/device:CPU:1"),
      ident("i", "n", "^z"),
      dev(neg("o", "i"), "/device:CPU:3"),
    ]);
    assert.equal(ctl.i, "CPU:0");
  });

  test("MatchIdentityOperation: without consumers the Identity's out-edge goes to _SINK (requested '')", () => {
    // Input requested a device: differs from _SINK's "" → first candidate.
    assert.equal(place([c("a"), dev(neg("n", "a"), "/device:CPU:3"), ident("i", "n")]).i, "CPU:0");
    // Input requested nothing (placed on CPU:2 through its colocation group) → follows it.
    assert.deepEqual(
      place([dev(c("p"), "/device:CPU:2"), c("x"), cls(neg("n", "x"), "p"), ident("i", "n")]),
      {
        p: "CPU:2",
        x: "CPU:2",
        n: "CPU:2",
        i: "CPU:2",
      },
    );
  });

  test("_class loc:@ colocates with the named node", () => {
    assert.deepEqual(place([dev(c("a"), "/device:CPU:2"), cls(c("b"), "a"), neg("n", "b")]), {
      a: "CPU:2",
      b: "CPU:2",
      n: "CPU:0",
    });
  });

  test("_class groups need no node of that name, and may name a later node", () => {
    assert.deepEqual(place([cls(c("a"), "missing"), dev(cls(c("b"), "missing"), "/device:CPU:1")]), {
      a: "CPU:1",
      b: "CPU:1",
    });
    assert.deepEqual(place([cls(c("b"), "a"), dev(c("a"), "/device:CPU:3")]), { a: "CPU:3", b: "CPU:3" });
    assert.deepEqual(
      place([
        c("x"),
        dev(cls(neg("b", "x"), "a"), "/device:CPU:1"),
        dev(cls(neg("a", "x"), "b"), "/job:localhost/device:CPU:1"),
      ]),
      { x: "CPU:1", a: "CPU:1", b: "CPU:1" },
    );
  });

  test("several _class entries join several groups; partial specs merge", () => {
    assert.deepEqual(
      place([
        dev(c("a"), "/device:CPU:1"),
        dev(c("b"), "/job:localhost"),
        cls(c("c"), "a", "b"),
        neg("n", "c"),
      ]),
      {
        a: "CPU:1",
        b: "CPU:1",
        c: "CPU:1",
        n: "CPU:0",
      },
    );
    assert.deepEqual(place([dev(c("a"), "/job:localhost"), dev(cls(neg("b", "a"), "a"), "/device:CPU:2")]), {
      a: "CPU:2",
      b: "CPU:2",
    });
  });

  test("merge errors: incompatible jobs, replicas, tasks, ids and types (no prefix, as in TF)", () => {
    const cases: [string, string, string][] = [
      [
        "/job:foo",
        "/job:localhost",
        "Cannot merge devices with incompatible jobs: '/job:localhost' and '/job:foo'",
      ],
      [
        "/replica:1",
        "/replica:0",
        "Cannot merge devices with incompatible replicas: '/replica:0' and '/replica:1'",
      ],
      ["/task:1", "/task:0", "Cannot merge devices with incompatible tasks: '/task:0' and '/task:1'"],
      [
        "/device:CPU:1",
        "/device:CPU:2",
        "Cannot merge devices with incompatible ids: '/device:CPU:2' and '/device:CPU:1'",
      ],
      [
        "/device:GPU:0",
        "/device:CPU:2",
        "Cannot merge devices with incompatible types: '/device:CPU:2' and '/device:GPU:0'",
      ],
    ];
    for (const [a, b, why] of cases) {
      const e = placeError([dev(c("a"), a), dev(cls(c("b"), "a"), b)]);
      assertError(
        e,
        TfCode.INVALID_ARGUMENT,
        `Cannot colocate nodes {{colocation_node b}} and {{colocation_node a}}: ${why}\n\t [[{{node b}}]]`,
      );
    }
  });

  test("allow_soft_placement drops conflicting types/ids of a group", () => {
    const soft = { allowSoftPlacement: true };
    assert.deepEqual(place([dev(c("a"), "/device:CPU:1"), dev(cls(c("b"), "a"), "/device:CPU:2")], soft), {
      a: "CPU:0",
      b: "CPU:0",
    });
    assert.deepEqual(place([dev(c("a"), "/device:GPU:0"), dev(cls(c("b"), "a"), "/device:CPU:2")], soft), {
      a: "CPU:0",
      b: "CPU:0",
    });
  });

  test("allow_soft_placement ignores an impossible _class, but never relaxes a job", () => {
    const e = placeError([dev(c("a"), "/job:foo"), dev(cls(c("b"), "a"), "/job:localhost")], {
      allowSoftPlacement: true,
    });
    assertError(
      e,
      TfCode.INVALID_ARGUMENT,
      `Cannot assign a device for operation a: {{node a}} was explicitly assigned to /job:foo but available devices are [ ${allCpus} ]. Make sure the device specification refers to a valid device.\n\t [[a]]`,
    );
  });

  test("reference edges: Assign follows its VariableV2, whatever it requested", () => {
    assert.deepEqual(
      place([dev(variable("v"), "/device:CPU:1"), c("x"), dev(assign("as", "v", "x"), "/device:CPU:2")]),
      {
        v: "CPU:1",
        as: "CPU:1",
        x: "CPU:1",
      },
    );
  });

  test("reference edges: a non-conflicting spec of the consumer still merges into the group", () => {
    const e = placeError([
      dev(variable("v"), "/device:CPU:1"),
      c("x"),
      dev(assign("as", "v", "x"), "/job:foo"),
    ]);
    assertError(
      e,
      TfCode.INVALID_ARGUMENT,
      "Cannot assign a device for operation v: Could not satisfy explicit device specification '/device:CPU:1' because the node " +
        "{{colocation_node v}} was colocated with a group of nodes that required incompatible device '/job:foo/device:CPU:1'. " +
        `All available devices [${allCpus}]. \nColocation Debug Info:\nColocation group had the following types and supported devices: ` +
        "\nRoot Member(assigned_device_name_index_=-1 requested_device_name_='/job:foo/device:CPU:1' assigned_device_name_='' " +
        "resource_device_name_='/device:CPU:1' supported_device_types_=[CPU] possible_devices_=[]\nAssign: CPU \nVariableV2: CPU " +
        "\n\nColocation members, user-requested devices, and framework assigned devices, if any:\n  v (VariableV2) /device:CPU:1" +
        "\n  as (Assign) /job:foo\n\n\t [[{{node v}}]]",
    );
  });

  test("an Identity of a ref is not a reference edge (its input type is T)", () => {
    assert.deepEqual(place([dev(variable("v"), "/device:CPU:1"), ident("i", "v"), neg("n", "i")]), {
      v: "CPU:1",
      i: "CPU:0",
      n: "CPU:0",
    });
    // VariableV2 has a ref output, so it is not a generator and is placed in the first pass.
    assert.deepEqual(
      place([dev(variable("v"), "/device:CPU:3"), ident("i", "v"), dev(neg("n", "i"), "/device:CPU:3")]),
      {
        v: "CPU:3",
        i: "CPU:3",
        n: "CPU:3",
      },
    );
  });

  test("resource edges: ReadVariableOp/AssignVariableOp follow their VarHandleOp", () => {
    const want = { h: "CPU:2", r: "CPU:2", x: "CPU:2", as: "CPU:2" };
    assert.deepEqual(
      place([
        dev(varHandle("h"), "/device:CPU:2"),
        readVar("r", "h"),
        c("x"),
        dev(assignVar("as", "h", "x"), "/device:CPU:3"),
      ]),
      want,
    );
    assert.deepEqual(
      place([
        dev(varHandle("h"), "/device:CPU:2"),
        c("x"),
        dev(assignVar("as", "h", "x"), "/job:localhost/replica:0/task:0/device:CPU:3"),
        readVar("r", "h"),
      ]),
      want,
    );
  });

  test("resource devices never merge: two handles in one _class group", () => {
    const nodes = [
      dev(varHandle("h1"), "/device:CPU:1"),
      dev(varHandle("h2"), "/device:CPU:2"),
      cls(readVar("r", "h1"), "h2"),
    ];
    assertError(
      placeError(nodes),
      TfCode.INVALID_ARGUMENT,
      "Cannot colocate nodes {{colocation_node r}} and {{colocation_node h2}}: Cannot merge devices with incompatible ids: " +
        "'/device:CPU:1' and '/device:CPU:2'\n\t [[{{node r}}]]",
    );
    assert.deepEqual(place(nodes, { allowSoftPlacement: true }), { h1: "CPU:1", h2: "CPU:2", r: "CPU:1" });
  });

  test("a device that does not exist: TF 2.21's message, with the GPU hint for GPUs", () => {
    assertError(
      placeError([dev(c("a"), "/device:CPU:9")]),
      TfCode.INVALID_ARGUMENT,
      `Cannot assign a device for operation a: {{node a}} was explicitly assigned to /device:CPU:9 but available devices are [ ${allCpus} ]. Make sure the device specification refers to a valid device.\n\t [[a]]`,
    );
    assertError(
      placeError([dev(c("a"), "/device:GPU:0")]),
      TfCode.INVALID_ARGUMENT,
      `Cannot assign a device for operation a: {{node a}} was explicitly assigned to /device:GPU:0 but available devices are [ ${allCpus} ]. Make sure the device specification refers to a valid device. The requested device appears to be a GPU, but CUDA is not enabled.\n\t [[a]]`,
    );
    // Device types are case-sensitive.
    assert.match(
      placeError([dev(c("a"), "/device:cpu:1")]).message,
      /was explicitly assigned to \/device:cpu:1 but/,
    );
  });

  test("allow_soft_placement relaxes type and id of an absent device, not its job", () => {
    const soft = { allowSoftPlacement: true };
    assert.deepEqual(place([dev(c("a"), "/device:GPU:0"), neg("n", "a")], soft), { a: "CPU:0", n: "CPU:0" });
    assert.deepEqual(place([dev(c("a"), "/device:CPU:9"), dev(neg("n", "a"), "/device:CPU:9")], soft), {
      a: "CPU:0",
      n: "CPU:0",
    });
    assertError(
      placeError([dev(c("a"), "/job:nope")], soft),
      TfCode.INVALID_ARGUMENT,
      `Cannot assign a device for operation a: {{node a}} was explicitly assigned to /job:nope but available devices are [ ${allCpus} ]. Make sure the device specification refers to a valid device.\n\t [[a]]`,
    );
  });

  test("a node whose group requires a device that does not exist: TF's colocation message with debug info", () => {
    const want =
      "Cannot assign a device for operation b: Could not satisfy explicit device specification '/job:localhost' because the node " +
      "{{colocation_node b}} was colocated with a group of nodes that required incompatible device '/job:localhost/device:CPU:9'. " +
      `All available devices [${allCpus}]. \nColocation Debug Info:\nColocation group had the following types and supported devices: ` +
      "\nRoot Member(assigned_device_name_index_=-1 requested_device_name_='/job:localhost/device:CPU:9' assigned_device_name_='' " +
      "resource_device_name_='' supported_device_types_=[CPU] possible_devices_=[]\nNeg: CPU \nConst: CPU \n\n" +
      "Colocation members, user-requested devices, and framework assigned devices, if any:\n  a (Const) /device:CPU:9\n" +
      "  b (Neg) /job:localhost\n\n\t [[{{node b}}]]";
    assertError(
      placeError([dev(c("a"), "/device:CPU:9"), dev(cls(neg("b", "a"), "a"), "/job:localhost")]),
      TfCode.INVALID_ARGUMENT,
      want,
    );
    // Listed in the other order: TF's node order is GraphConstructor's (a before its consumer b).
    assertError(
      placeError([dev(neg("b", "a"), "/job:localhost"), dev(cls(c("a"), "b"), "/device:CPU:9")]),
      TfCode.INVALID_ARGUMENT,
      want,
    );
  });

  test("malformed device specs: TF's message with the node summary; local forms are malformed too", () => {
    assertError(
      placeError([dev(c("a"), "not a device")]),
      TfCode.INVALID_ARGUMENT,
      "Malformed device specification 'not a device' in node: {name:'a' id:2 op device:{requested: 'not a device', assigned: ''} " +
        'def:{{{node a}} = Const[dtype=DT_FLOAT, value=Tensor<type: float shape: [] values: 1>, _device="not a device"]()}}\n\t [[a]]',
    );
    assertError(
      placeError([dev(c("a"), "/cpu:3"), dev(neg("n", "a"), "CPU:2")]),
      TfCode.INVALID_ARGUMENT,
      "Malformed device specification 'CPU:2' in node: {name:'n' id:3 op device:{requested: 'CPU:2', assigned: ''} " +
        'def:{{{node n}} = Neg[T=DT_FLOAT, _device="CPU:2"](a)}}\n\t [[n]]',
    );
  });

  test("partial, wildcard, legacy and reordered specs", () => {
    assert.deepEqual(place([dev(c("a"), "/device:CPU:*"), dev(neg("n", "a"), "/cpu:3")]), {
      a: "CPU:3",
      n: "CPU:3",
    });
    assert.deepEqual(place([dev(c("a"), "/job:localhost/replica:*/task:0/device:CPU:2")]), { a: "CPU:2" });
    assert.deepEqual(place([dev(c("a"), "/device:CPU:1/job:localhost")]), { a: "CPU:1" });
    assert.deepEqual(place([dev(c("a"), "/"), dev(neg("n", "a"), "/device:CPU:1")]), {
      a: "CPU:1",
      n: "CPU:1",
    });
    assert.deepEqual(place([dev(c("a"), "/device:CPU"), dev(neg("n", "a"), "/device:CPU:1")]), {
      a: "CPU:1",
      n: "CPU:1",
    });
  });

  test("log_device_placement logs '<name>: (<op>): <device>' in placement order (TF's node order, generators last)", () => {
    const lines: string[] = [];
    const g = graphOf([c("x"), neg("b", "a"), neg("a", "x"), neg("y", "x"), neg("z", "b")]);
    placeGraph(g, cpus4, { ...defaultOptions, logDevicePlacement: true, log: (m) => lines.push(m) });
    const d = "/job:localhost/replica:0/task:0/device:CPU:0";
    assert.deepEqual(lines, [
      `a: (Neg): ${d}`,
      `b: (Neg): ${d}`,
      `y: (Neg): ${d}`,
      `z: (Neg): ${d}`,
      `x: (Const): ${d}`,
    ]);
    const quiet: string[] = [];
    placeGraph(graphOf([c("x")]), cpus4, { ...defaultOptions, log: (m) => quiet.push(m) });
    assert.deepEqual(quiet, []);
  });
});

describe("placer: restored placements and errors TF cannot reach with real devices", () => {
  const cpu = (i: number) => `/job:localhost/replica:0/task:0/device:CPU:${i}`;

  test("stateful nodes keep their previous device; their ref consumers follow; stateless nodes are re-placed", () => {
    const lines: string[] = [];
    const g = graphOf([
      dev(variable("v"), "/device:CPU:1"),
      c("x"),
      assign("as", "v", "x"),
      dev(neg("n", "x"), "/device:CPU:2"),
    ]);
    placeGraph(g, cpus4, {
      ...defaultOptions,
      logDevicePlacement: true,
      log: (m) => lines.push(m),
      previousPlacement: new Map([
        ["v", cpu(3)],
        ["n", cpu(0)],
      ]),
    });
    const got = Object.fromEntries(g.nodes.map((n) => [n.name, short(n.assignedDevice)]));
    assert.deepEqual(got, { v: "CPU:3", x: "CPU:0", as: "CPU:3", n: "CPU:2" });
    assert.equal(lines[0], `v: (VariableV2): ${cpu(3)}`);
  });

  test("a restored device that no longer exists is INTERNAL", () => {
    const g = graphOf([variable("v")]);
    assert.throws(
      () => placeGraph(g, cpus4, { ...defaultOptions, previousPlacement: new Map([["v", cpu(7)]]) }),
      (e: { code: number; message: string }) => {
        assert.equal(e.code, TfCode.INTERNAL);
        assert.match(
          e.message,
          /^Assigned device '\/job:localhost\/replica:0\/task:0\/device:CPU:7' does not match any device\./,
        );
        assert.match(e.message, /\n\t \[\[\{\{node v\}\}\]\]$/);
        return true;
      },
    );
  });

  test("a resource edge between two restored devices: incompatible assigned devices", () => {
    const g = graphOf([varHandle("h"), c("x"), assignVar("as", "h", "x")]);
    const e = (() => {
      try {
        placeGraph(g, cpus4, {
          ...defaultOptions,
          previousPlacement: new Map([
            ["h", cpu(0)],
            ["as", cpu(1)],
          ]),
        });
      } catch (err) {
        return err as { code: number; message: string };
      }
      throw new Error("expected an error");
    })();
    assertError(
      e,
      TfCode.INVALID_ARGUMENT,
      `Cannot place the graph because a reference or resource edge connects colocation groups with incompatible assigned devices: ${cpu(0)} vs ${cpu(1)}. The edge src node is h , and the dst node is as`,
    );
  });

  test("a resource edge into a restored node on another device: the reference-connection error", () => {
    const g = graphOf([
      dev(varHandle("h"), "/job:localhost/replica:0/task:0/device:CPU:1"),
      c("x"),
      assignVar("as", "h", "x"),
    ]);
    assert.throws(
      () => placeGraph(g, cpus4, { ...defaultOptions, previousPlacement: new Map([["as", cpu(2)]]) }),
      (e: { code: number; message: string }) => {
        assertError(
          e,
          TfCode.INVALID_ARGUMENT,
          "Nodes were connected by a reference or resource connection (requiring them to be on the same device), but the two " +
            "nodes were assigned two different devices: Cannot colocate nodes {{colocation_node h}} and {{colocation_node as}}: " +
            `Cannot merge devices with incompatible ids: '${cpu(1)}' and '${cpu(2)}'\n\t [[{{node as}}]]`,
        );
        return true;
      },
    );
  });

  test("no devices: FAILED_PRECONDITION", () => {
    assert.throws(
      () => placeGraph(graphOf([c("a")]), [], defaultOptions),
      (e: { code: number; message: string }) =>
        e.code === TfCode.FAILED_PRECONDITION && e.message === "No devices are registered",
    );
  });
});

// ------------------------------------------------------------------------------------------------
// Ports of TF's placer_test.cc.

const fake = (type: string, id: number): Device => ({
  name: `/job:a/replica:0/task:0/device:${type}:${id}`,
  type,
  incarnation: BigInt(id + 1),
  parsed: { job: "a", replica: 0, task: 0, type, id },
  memoryLimit: 0n,
});
/** PlacerTest's device set: 10 FakeGPU (priority 51) before 10 FakeCPU, each by name. */
const fakeDevices: readonly Device[] = [
  ...Array.from({ length: 10 }, (_, i) => fake("FakeGPU", i)),
  ...Array.from({ length: 10 }, (_, i) => fake("FakeCPU", i)),
];

const dummy = () => ({ compute() {} });
function testOp(name: string, inputs: string[], outputs: string[], types: string[]): void {
  defineOp({ name, inputs, outputs });
  if (types.length > 0) registerKernel({ op: name, deviceTypes: types, create: dummy });
}
const both = ["FakeCPU", "FakeGPU"];
testOp("TestVariable", [], ["o: Ref(float)"], both);
testOp("VariableCPU", [], ["o: Ref(float)"], ["FakeCPU"]);
testOp("VariableGPU", [], ["o: Ref(float)"], ["FakeGPU"]);
testOp("VariableNoKernels", [], ["o: Ref(float)"], []);
testOp("TestAdd", ["a: float", "b: float"], ["o: float"], both);
testOp("TestRelu", ["i: float"], ["o: float"], both);
testOp("TestAssign", ["i: Ref(float)", "v: float"], [], both);
testOp("AssignCPU", ["i: Ref(float)", "v: float"], [], ["FakeCPU"]);
testOp("AssignGPU", ["i: Ref(float)", "v: float"], [], ["FakeGPU"]);
testOp("TestInput", [], ["a: float", "b: float"], ["FakeCPU"]);
testOp("TestCPUGPUOutput", [], ["a: float"], both);
testOp("TestGPUOutput", [], ["a: float"], ["FakeGPU"]);
testOp("TestDevice", [], ["a: float", "b: float"], ["FakeGPU"]);
testOp("TestHandleVariable", [], ["o: resource"], both);
testOp("HandleVariableCPU", [], ["o: resource"], ["FakeCPU"]);
testOp("HandleVariableGPU", [], ["o: resource"], ["FakeGPU"]);
testOp("TestHandleAssign", ["i: resource", "v: float"], [], both);
testOp("HandleAssignCPU", ["i: resource", "v: float"], [], ["FakeCPU"]);
testOp("HandleAssignGPU", ["i: resource", "v: float"], [], ["FakeGPU"]);
testOp("TestTwoHandlesIn", ["i: resource", "j: resource"], [], both);
registerKernel({ op: "Shape", deviceTypes: both, create: dummy });

const op = (name: string, type: string, ...inputs: string[]) => node(name, type, inputs);
const fplace = (nodes: Parameters<typeof place>[0], opts: Parameters<typeof place>[1] = {}) =>
  Object.fromEntries(
    Object.entries(place(nodes, opts, fakeDevices)).map(([k, v]) => [
      k,
      v.replace("/job:a/replica:0/task:0/device:", ""),
    ]),
  );
const typeOf = (d: string) => d.split(":")[0];

describe("placer_test.cc ports (FakeCPU/FakeGPU)", () => {
  test("TestNoConstraints: the best available device type (GPU) unless the kernel is CPU-only", () => {
    const r = fplace([op("in", "TestInput"), op("n1", "TestRelu", "in:0"), op("n2", "TestRelu", "in:1")]);
    assert.deepEqual(r, { in: "FakeCPU:0", n1: "FakeGPU:0", n2: "FakeGPU:0" });
  });

  test("TestDeviceTypeConstraints: kernels constrain types; ref edges colocate", () => {
    const r = fplace([
      op("in", "TestInput"),
      op("var_cpu", "VariableCPU"),
      op("assign_cpu", "AssignCPU", "var_cpu", "in"),
      op("var_gpu", "VariableGPU"),
      op("assign_gpu", "AssignGPU", "var_gpu", "in"),
    ]);
    assert.deepEqual(r, {
      in: "FakeCPU:0",
      var_cpu: "FakeCPU:0",
      assign_cpu: "FakeCPU:0",
      var_gpu: "FakeGPU:0",
      assign_gpu: "FakeGPU:0",
    });
  });

  test("TestMetadataColocatedWithInput: Shape stays with a CPU variable although it has a GPU kernel", () => {
    assert.deepEqual(
      fplace([op("var_cpu", "VariableCPU"), node("shape_op", "Shape", ["var_cpu"], { T: attr.type(F) })]),
      {
        var_cpu: "FakeCPU:0",
        shape_op: "FakeCPU:0",
      },
    );
  });

  test("TestHeuristicGeneratorFollowsSingleConsumer / TestIgnoreGeneratorHeuristicIfWrongDevice", () => {
    const r = fplace([
      op("var_cpu", "VariableCPU"),
      op("in", "TestCPUGPUOutput"),
      op("assign", "TestAssign", "var_cpu", "in"),
    ]);
    assert.deepEqual(r, { var_cpu: "FakeCPU:0", in: "FakeCPU:0", assign: "FakeCPU:0" });
    const w = fplace([
      op("var_cpu", "VariableCPU"),
      op("in", "TestGPUOutput"),
      op("assign", "TestAssign", "var_cpu", "in"),
    ]);
    assert.deepEqual(w, { var_cpu: "FakeCPU:0", in: "FakeGPU:0", assign: "FakeCPU:0" });
  });

  test("TestIgnoreGeneratorHeuristicIfWrongPartialDevice", () => {
    const r = fplace([
      op("var_cpu", "VariableCPU"),
      dev(op("in", "TestCPUGPUOutput"), "/device:FakeCPU:1"),
      op("assign", "TestAssign", "var_cpu", "in"),
    ]);
    assert.deepEqual(r, { var_cpu: "FakeCPU:0", in: "FakeCPU:1", assign: "FakeCPU:0" });
  });

  test("TestPartialSpec", () => {
    assert.deepEqual(
      fplace([dev(op("in", "TestInput"), "/job:a"), dev(op("var", "TestVariable"), "/job:a")]),
      {
        in: "FakeCPU:0",
        var: "FakeGPU:0",
      },
    );
  });

  test("TestAssignedDevicePreserved", () => {
    const g = graphOf([op("in", "TestInput")]);
    g.find("in")!.assignedDevice = "/job:a/replica:0/task:0/device:FakeCPU:7";
    placeGraph(g, fakeDevices, defaultOptions);
    assert.equal(g.find("in")!.assignedDevice, "/job:a/replica:0/task:0/device:FakeCPU:7");
  });

  test("TestPartialSpecGpuToCpu: soft placement moves a CPU-only op off a requested GPU", () => {
    const nodes = [
      dev(op("in", "TestInput"), "/device:FakeGPU:0"),
      dev(op("var", "TestVariable"), "/device:FakeGPU:0"),
    ];
    assert.deepEqual(fplace(nodes, { allowSoftPlacement: true }), { in: "FakeCPU:0", var: "FakeGPU:0" });
  });

  test("kernel-less device type: no supported kernel for FakeGPU devices (no soft placement)", () => {
    const e = placeError([dev(op("in", "TestInput"), "/device:FakeGPU:0")], {}, fakeDevices);
    assert.equal(e.code, TfCode.INVALID_ARGUMENT);
    assert.match(
      e.message,
      /^Cannot assign a device for operation in: Could not satisfy explicit device specification '\/device:FakeGPU:0' because no supported kernel for FakeGPU devices is available\.\nColocation Debug Info:/,
    );
    assert.match(
      e.message,
      /\nOp: TestInput\nNode attrs: _device="\/device:FakeGPU:0"\nRegistered kernels:\n {2}device='FakeCPU'\n\n\t \[\[\{\{node in\}\}\]\]$/,
    );
  });

  test("TestAssignedGpuDeviceToCpuDevice: a restored device without a kernel is INTERNAL", () => {
    const g = graphOf([op("in", "TestInput")]);
    g.find("in")!.assignedDevice = "/job:a/replica:0/task:0/device:FakeGPU:0";
    assert.throws(
      () => placeGraph(g, fakeDevices, defaultOptions),
      (e: { code: number; message: string }) =>
        e.code === TfCode.INTERNAL &&
        e.message.includes(
          "Assigned device '/job:a/replica:0/task:0/device:FakeGPU:0' does not have registered OpKernel support for TestInput",
        ),
    );
  });

  test("TestReferenceConnection: all 9 variable × assign kernel combinations", () => {
    const combos: [string, string, string | undefined][] = [
      ["TestVariable", "TestAssign", "FakeGPU"],
      ["TestVariable", "AssignCPU", "FakeCPU"],
      ["TestVariable", "AssignGPU", "FakeGPU"],
      ["VariableCPU", "TestAssign", "FakeCPU"],
      ["VariableCPU", "AssignCPU", "FakeCPU"],
      ["VariableCPU", "AssignGPU", undefined],
      ["VariableGPU", "TestAssign", "FakeGPU"],
      ["VariableGPU", "AssignCPU", undefined],
      ["VariableGPU", "AssignGPU", "FakeGPU"],
    ];
    for (const [v, a, want] of combos) {
      const nodes = [op("in", "TestInput")];
      for (let i = 0; i < 10; i++) nodes.push(op(`var_${i}`, v), op(`assign_${i}`, a, `var_${i}`, "in"));
      if (want === undefined) {
        const e = placeError(nodes, {}, fakeDevices);
        assert.equal(e.code, TfCode.INVALID_ARGUMENT);
        assert.ok(
          e.message.startsWith(
            "Nodes were connected by a reference or resource connection (requiring them to be on the same device), but the two " +
              "nodes were assigned two different devices: Cannot colocate nodes {{colocation_node var_0}} and " +
              "{{colocation_node assign_0}} because no device type supports both of those nodes and the other nodes colocated with them.",
          ),
          e.message,
        );
        assert.ok(e.message.endsWith("\n\t [[{{node assign_0}}]]"), e.message);
        continue;
      }
      const r = fplace(nodes);
      for (let i = 0; i < 10; i++) {
        assert.equal(r[`var_${i}`], r[`assign_${i}`], `${v}/${a}: var_${i} and assign_${i} colocated`);
        assert.equal(typeOf(r[`var_${i}`]!), want, `${v}/${a}`);
      }
    }
  });

  test("TestResourceHandle: all variable × assign kernel combinations", () => {
    const combos: [string, string, string | undefined][] = [
      ["TestHandleVariable", "TestHandleAssign", "FakeGPU"],
      ["TestHandleVariable", "HandleAssignCPU", "FakeCPU"],
      ["TestHandleVariable", "HandleAssignGPU", "FakeGPU"],
      ["HandleVariableCPU", "TestHandleAssign", "FakeCPU"],
      ["HandleVariableCPU", "HandleAssignCPU", "FakeCPU"],
      ["HandleVariableGPU", "HandleAssignGPU", "FakeGPU"],
      ["HandleVariableGPU", "TestHandleAssign", "FakeGPU"],
      ["HandleVariableGPU", "HandleAssignCPU", undefined],
      ["HandleVariableCPU", "HandleAssignGPU", undefined],
    ];
    for (const [v, a, want] of combos) {
      const nodes = [op("in", "TestInput"), op("var", v), op("assign", a, "var", "in")];
      if (want === undefined) {
        assert.equal(placeError(nodes, {}, fakeDevices).code, TfCode.INVALID_ARGUMENT, `${v}/${a}`);
        continue;
      }
      const r = fplace(nodes);
      assert.equal(r.var, r.assign, `${v}/${a}`);
      assert.equal(typeOf(r.var!), want, `${v}/${a}`);
    }
  });

  test("TestResourceHandlesOnDifferentDevicesFails (requested and assigned, with and without soft placement)", () => {
    const cpu0 = "/job:a/replica:0/task:0/device:FakeCPU:0";
    const gpu0 = "/job:a/replica:0/task:0/device:FakeGPU:0";
    for (const soft of [false, true]) {
      for (const setAssigned of [false, true]) {
        const nodes = [
          op("var_cpu", "TestHandleVariable"),
          op("var_gpu", "TestHandleVariable"),
          op("two_handles_in", "TestTwoHandlesIn", "var_cpu", "var_gpu"),
        ];
        if (!setAssigned) {
          dev(nodes[0]!, cpu0);
          dev(nodes[1]!, gpu0);
        }
        const g = graphOf(nodes);
        if (setAssigned) {
          g.find("var_cpu")!.assignedDevice = cpu0;
          g.find("var_gpu")!.assignedDevice = gpu0;
        }
        assert.throws(
          () => placeGraph(g, fakeDevices, { allowSoftPlacement: soft, logDevicePlacement: true }),
          (e: { code: number; message: string }) => {
            assert.equal(e.code, TfCode.INVALID_ARGUMENT);
            assert.ok(
              e.message.includes(
                "Cannot place the graph because a reference or resource edge connects colocation groups with incompatible " +
                  `${setAssigned ? "assigned" : "resource"} devices: ${gpu0} vs ${cpu0}`,
              ),
              e.message,
            );
            return true;
          },
        );
      }
    }
  });

  test("TestReferenceConnectionIgnoreInfeasible: a ref edge overrides the consumer's requested device", () => {
    const r = fplace([
      dev(op("in", "TestDevice"), "/job:a/task:0/device:FakeGPU:0"),
      dev(op("var_0", "TestVariable"), "/job:a/task:0/device:FakeGPU:0"),
      dev(op("assign", "TestAssign", "var_0", "in"), "/job:a/task:0/device:FakeCPU:0"),
    ]);
    assert.equal(typeOf(r.var_0!), "FakeGPU");
    assert.equal(typeOf(r.assign!), "FakeGPU");
  });

  test("TestReferenceConnectionMoreSpecificDestinationSourceWins", () => {
    const r = fplace([
      dev(op("in", "TestCPUGPUOutput"), "/job:a/task:0"),
      dev(op("var_0", "TestVariable"), "/job:a/task:0"),
      dev(op("assign", "TestAssign", "var_0", "in"), "/job:a/task:0/device:FakeCPU:0"),
    ]);
    assert.equal(r.var_0, "FakeCPU:0");
    assert.equal(r.assign, "FakeCPU:0");
  });

  test("an op without any kernel: No OpKernel was registered (no prefix, as in TF)", () => {
    assertError(
      placeError([op("var", "VariableNoKernels")], {}, fakeDevices),
      TfCode.INVALID_ARGUMENT,
      "No OpKernel was registered to support Op 'VariableNoKernels' used by {{node var}} with these attrs: []\n" +
        "Registered devices: [FakeCPU, FakeGPU]\nRegistered kernels:\n  <no registered kernels>\n\n\t [[var]]",
    );
  });

  test("_class between ops without a common device type", () => {
    const e = placeError([op("g", "TestGPUOutput"), cls(op("in", "TestInput"), "g")], {}, fakeDevices);
    assert.equal(e.code, TfCode.INVALID_ARGUMENT);
    assert.ok(
      e.message.startsWith(
        "Cannot colocate nodes {{colocation_node in}} and {{colocation_node g}} because no device type supports both of those " +
          "nodes and the other nodes colocated with them.\nColocation Debug Info:",
      ),
      e.message,
    );
    // With soft placement the impossible colocation is dropped.
    assert.deepEqual(
      fplace([op("g", "TestGPUOutput"), cls(op("in", "TestInput"), "g")], { allowSoftPlacement: true }),
      {
        g: "FakeGPU:0",
        in: "FakeCPU:0",
      },
    );
  });
});
