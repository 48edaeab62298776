// Tests of partitionGraph in the style of TF's graph_partition_test.cc: build a small graph, place it
// on two or three CPUs (with the real placer and explicit devices), partition it, and compare each
// device's GraphDef with the expected one. Like TF's EqualGraphDef, the comparison ignores node
// order; attrs are compared by value. The expected transfers were checked against the partition
// graphs a real TF 2.21 master returns (RunOptions.output_partition_graphs) for the same graphs;
// where tfgate differs from TF the tests below say so.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { create } from "@bufbuild/protobuf";
import type { AttrValue } from "../../../gen/tensorflow/core/framework/attr_value_pb.js";
import type { GraphDef } from "../../../gen/tensorflow/core/framework/graph_pb.js";
import type { NodeDef } from "../../../gen/tensorflow/core/framework/node_def_pb.js";
import { VersionDefSchema } from "../../../gen/tensorflow/core/framework/versions_pb.js";
import { attr } from "../../../test/support/attr.js";
import { createDevices, type Device } from "../device/device-set.js";
import { TfCode } from "../framework/errors.js";
import { DataType, dataTypeString } from "../framework/types.js";
import { placeGraph } from "../placer/placer.js";
import {
  add,
  c,
  defaultOptions,
  dev,
  graphOf,
  ident,
  intScalar,
  neg,
  node,
  noop,
  variable,
} from "../placer/testing.js";
import { type PartitionOptions, partitionGraph } from "./partition.js";

const devices: readonly Device[] = createDevices("localhost", 0, 0, 3);
const CPU0 = devices[0]!.name;
const CPU1 = devices[1]!.name;
const CPU2 = devices[2]!.name;
const incarnation = (name: string) => devices.find((d) => d.name === name)!.incarnation;
const options: PartitionOptions = { incarnation };

type Plain = string | bigint | boolean | number;
interface PlainNode {
  name: string;
  op: string;
  device: string;
  input: string[];
  attr: Record<string, Plain>;
}

const utf8 = new TextDecoder();

/** An AttrValue as a comparable value: strings, bigints, booleans, "DT_FLOAT", tensor summaries. */
function plainAttr(a: AttrValue): Plain {
  const v = a.value;
  switch (v.case) {
    case "s":
      return utf8.decode(v.value);
    case "i":
      return v.value;
    case "b":
      return v.value;
    case "f":
      return v.value;
    case "type":
      return `DT_${dataTypeString(v.value).toUpperCase()}`;
    case "shape":
      return `shape[${v.value.dim.map((d) => d.size).join(",")}]`;
    case "tensor":
      return `tensor<${dataTypeString(v.value.dtype)} [${v.value.tensorShape?.dim.map((d) => d.size).join(",")}] ${v.value.tensorContent.length}B>`;
    default:
      return `<${v.case}>`;
  }
}

function plainNode(n: NodeDef): PlainNode {
  return {
    name: n.name,
    op: n.op,
    device: n.device,
    input: [...n.input],
    attr: Object.fromEntries(Object.entries(n.attr).map(([k, v]) => [k, plainAttr(v)])),
  };
}

/** device → nodes sorted by name (TF's EqualGraphDef ignores node order). */
function plainPartitions(parts: Map<string, GraphDef>): Record<string, PlainNode[]> {
  return Object.fromEntries(
    [...parts].map(([d, g]) => [d, g.node.map(plainNode).sort((a, b) => (a.name < b.name ? -1 : 1))]),
  );
}

function partition(nodes: readonly NodeDef[], opts: PartitionOptions = options) {
  const g = graphOf(nodes);
  placeGraph(g, devices, defaultOptions);
  return partitionGraph(g, opts);
}

/** The attrs TF puts on both ends of a transfer. */
function transferAttrs(
  tensorName: string,
  send: string,
  recv: string,
  src: string,
  dst: string,
): Record<string, Plain> {
  return {
    tensor_name: tensorName,
    send_device: send,
    send_device_incarnation: BigInt.asIntN(64, incarnation(send)),
    recv_device: recv,
    client_terminated: false,
    _src: src,
    _dst: dst,
  };
}

const constAttrs = { dtype: "DT_FLOAT", value: "tensor<float [] 4B>" };
const F = { T: "DT_FLOAT" };

describe("partitionGraph (TF's Partition)", () => {
  test("a graph on one device is returned unchanged, with the device filled in", () => {
    const parts = plainPartitions(partition([c("a"), c("b"), add("s", "a", "b"), noop("z", "^s")]));
    assert.deepEqual(parts, {
      [CPU0]: [
        { name: "a", op: "Const", device: CPU0, input: [], attr: constAttrs },
        { name: "b", op: "Const", device: CPU0, input: [], attr: constAttrs },
        { name: "s", op: "Add", device: CPU0, input: ["a", "b"], attr: F },
        { name: "z", op: "NoOp", device: CPU0, input: ["^s"], attr: {} },
      ],
    });
  });

  test("a data edge across devices becomes _Send/_Recv with TF's attrs (T on the send, tensor_type on the recv)", () => {
    const parts = plainPartitions(partition([dev(c("a"), CPU0), dev(neg("b", "a"), CPU1)]));
    const common = transferAttrs("edge_0_a", CPU0, CPU1, "a", "b");
    assert.deepEqual(parts, {
      [CPU0]: [
        { name: "a", op: "Const", device: CPU0, input: [], attr: constAttrs },
        { name: "a_G0", op: "_Send", device: CPU0, input: ["a"], attr: { ...common, T: "DT_FLOAT" } },
      ],
      [CPU1]: [
        { name: "a_G1", op: "_Recv", device: CPU1, input: [], attr: { ...common, tensor_type: "DT_FLOAT" } },
        { name: "b", op: "Neg", device: CPU1, input: ["a_G1"], attr: F },
      ],
    });
  });

  test("one transfer per (source output, destination device), shared by every consumer there", () => {
    const parts = partition([
      dev(c("a"), CPU0),
      dev(neg("b", "a"), CPU1),
      dev(neg("b2", "a"), CPU1),
      dev(add("s", "a", "a"), CPU1),
      dev(neg("d", "a"), CPU2),
    ]);
    const sends = parts.get(CPU0)!.node.filter((n) => n.op === "_Send");
    assert.equal(sends.length, 2, "one _Send to CPU:1 and one to CPU:2");
    const recvs1 = parts.get(CPU1)!.node.filter((n) => n.op === "_Recv");
    assert.equal(recvs1.length, 1);
    const recv = recvs1[0]!.name;
    const inputs = Object.fromEntries(parts.get(CPU1)!.node.map((n) => [n.name, n.input]));
    assert.deepEqual(inputs.b, [recv]);
    assert.deepEqual(inputs.b2, [recv]);
    assert.deepEqual(inputs.s, [recv, recv]);
    // Each pair agrees on its tensor name and both ends name the right devices.
    for (const s of sends) {
      const r = [...parts.get(CPU1)!.node, ...parts.get(CPU2)!.node].find(
        (n) => n.op === "_Recv" && plainAttr(n.attr.tensor_name!) === plainAttr(s.attr.tensor_name!),
      )!;
      assert.equal(plainAttr(s.attr.recv_device!), r.device);
      assert.equal(plainAttr(r.attr.send_device!), CPU0);
    }
    const names = sends.map((s) => plainAttr(s.attr.tensor_name!));
    assert.equal(new Set(names).size, 2, "distinct tensor names per transfer");
  });

  test("different outputs of one node are different transfers, each with its own dtype", () => {
    const idn = dev(
      node("n", "IdentityN", ["a", "i"], { T: attr.typeList([DataType.DT_FLOAT, DataType.DT_INT32]) }),
      CPU0,
    );
    const i = dev(node("i", "Const", [], { dtype: attr.type(DataType.DT_INT32), value: intScalar(3) }), CPU0);
    const parts = plainPartitions(
      partition([
        dev(c("a"), CPU0),
        i,
        idn,
        dev(neg("x", "n"), CPU1),
        dev(node("y", "Neg", ["n:1"], { T: attr.type(DataType.DT_INT32) }), CPU1),
      ]),
    );
    const sends = parts[CPU0]!.filter((n) => n.op === "_Send").map((n) => [n.input[0], n.attr.T]);
    assert.deepEqual(sends.sort(), [
      ["n", "DT_FLOAT"],
      ["n:1", "DT_INT32"],
    ]);
    const recvTypes = parts[CPU1]!.filter((n) => n.op === "_Recv").map((n) => n.attr.tensor_type);
    assert.deepEqual(recvTypes.sort(), ["DT_FLOAT", "DT_INT32"]);
  });

  test("a ref output sent to another device travels as its base type", () => {
    const parts = plainPartitions(partition([dev(variable("v"), CPU0), dev(ident("i", "v"), CPU1)]));
    const send = parts[CPU0]!.find((n) => n.op === "_Send")!;
    const recv = parts[CPU1]!.find((n) => n.op === "_Recv")!;
    assert.deepEqual(send.input, ["v"]);
    assert.equal(send.attr.T, "DT_FLOAT");
    assert.equal(recv.attr.tensor_type, "DT_FLOAT");
  });

  test("a control edge across devices: dummy Const → _Send, _Recv → Identity → ^identity (shared by consumers)", () => {
    const parts = plainPartitions(
      partition([dev(c("a"), CPU0), dev(noop("z", "^a"), CPU1), dev(noop("z2", "^a"), CPU1)]),
    );
    const common = transferAttrs("edge_0_a", CPU0, CPU1, "a", "z");
    assert.deepEqual(parts, {
      [CPU0]: [
        { name: "a", op: "Const", device: CPU0, input: [], attr: constAttrs },
        {
          name: "a_G0",
          op: "Const",
          device: CPU0,
          input: ["^a"],
          attr: { dtype: "DT_FLOAT", value: "tensor<float [0] 0B>" },
        },
        { name: "a_G1", op: "_Send", device: CPU0, input: ["a_G0"], attr: { ...common, T: "DT_FLOAT" } },
      ],
      [CPU1]: [
        { name: "a_G2", op: "_Recv", device: CPU1, input: [], attr: { ...common, tensor_type: "DT_FLOAT" } },
        { name: "a_G3", op: "Identity", device: CPU1, input: ["a_G2"], attr: F },
        { name: "z", op: "NoOp", device: CPU1, input: ["^a_G3"], attr: {} },
        { name: "z2", op: "NoOp", device: CPU1, input: ["^a_G3"], attr: {} },
      ],
    });
  });

  test("a control and a data edge from the same node are separate transfers", () => {
    const parts = partition([dev(c("a"), CPU0), dev(neg("b", "a"), CPU1), dev(noop("z", "^a"), CPU1)]);
    assert.equal(parts.get(CPU0)!.node.filter((n) => n.op === "_Send").length, 2);
    assert.equal(parts.get(CPU1)!.node.filter((n) => n.op === "_Recv").length, 2);
  });

  test("input order: data inputs in slot order (local or received), then control inputs", () => {
    const parts = partition([
      dev(c("r"), CPU0),
      dev(c("w"), CPU0),
      dev(c("l"), CPU1),
      dev(noop("lz"), CPU1),
      dev(node("s", "Add", ["l", "r", "^lz", "^w"], { T: attr.type(DataType.DT_FLOAT) }), CPU1),
      dev(node("s2", "Add", ["r", "l", "^w", "^lz"], { T: attr.type(DataType.DT_FLOAT) }), CPU1),
    ]);
    const byName = new Map(parts.get(CPU1)!.node.map((n) => [n.name, n]));
    const recvOf = (src: string, op: "_Recv" | "Identity") =>
      parts.get(CPU1)!.node.find((n) => n.op === op && n.name.startsWith(`${src}_G`))!.name;
    const rRecv = recvOf("r", "_Recv");
    const wId = recvOf("w", "Identity");
    assert.deepEqual(byName.get("s")!.input, ["l", rRecv, "^lz", `^${wId}`]);
    assert.deepEqual(byName.get("s2")!.input, [rRecv, "l", `^${wId}`, "^lz"]);
  });

  test("versions are copied into every partition", () => {
    const versions = create(VersionDefSchema, { producer: 2246, minConsumer: 12 });
    const parts = partition([dev(c("a"), CPU0), dev(neg("b", "a"), CPU1)], { ...options, versions });
    assert.equal(parts.size, 2);
    for (const g of parts.values()) assert.deepEqual(g.versions, versions);
  });

  test("send_device_incarnation is the uint64 incarnation as int64", () => {
    const two = createDevices("localhost", 0, 0, 2);
    const g = graphOf([dev(c("a"), two[0]!.name), dev(neg("b", "a"), two[1]!.name)]);
    placeGraph(g, two, defaultOptions);
    const parts = partitionGraph(g, {
      incarnation: (d) => (d === two[0]!.name ? 0xffff_ffff_ffff_fffen : 7n),
    });
    const send = parts.get(two[0]!.name)!.node.find((n) => n.op === "_Send")!;
    const recv = parts.get(two[1]!.name)!.node.find((n) => n.op === "_Recv")!;
    assert.equal(plainAttr(send.attr.send_device_incarnation!), -2n);
    assert.equal(plainAttr(recv.attr.send_device_incarnation!), -2n);
  });

  test("an unplaced node is INTERNAL", () => {
    const g = graphOf([c("a")]);
    assert.throws(
      () => partitionGraph(g, options),
      (e: { code: number; message: string }) =>
        e.code === TfCode.INTERNAL && e.message === "Node a was not placed before partitioning",
    );
  });

  test("TF does not share a transfer of a ref-typed output: one _Send/_Recv per consuming edge", () => {
    const parts = partition([
      dev(variable("v"), CPU0),
      dev(ident("i", "v"), CPU1),
      dev(ident("j", "v"), CPU1),
    ]);
    assert.equal(parts.get(CPU0)!.node.filter((n) => n.op === "_Send").length, 2);
    assert.equal(parts.get(CPU1)!.node.filter((n) => n.op === "_Recv").length, 2);
  });

  test("TF 2.21 also sets _src and _dst on both ends of a transfer", () => {
    const parts = partition([dev(c("a"), CPU0), dev(neg("b", "a"), CPU1)]);
    const send = parts.get(CPU0)!.node.find((n) => n.op === "_Send")!;
    const recv = parts.get(CPU1)!.node.find((n) => n.op === "_Recv")!;
    for (const n of [send, recv]) {
      assert.equal(n.attr._src && plainAttr(n.attr._src), "a");
      assert.equal(n.attr._dst && plainAttr(n.attr._dst), "b");
    }
  });
});
