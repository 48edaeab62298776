// The sliced GraphDef decode and encode give fromBinary's message (or error) and toBinary's bytes,
// for well-formed requests with every kind of GraphDef record and for damaged ones.

import assert from "node:assert/strict";
import { test } from "node:test";
import {
  create,
  type DescMessage,
  equals,
  fromBinary,
  type MessageShape,
  toBinary,
} from "@bufbuild/protobuf";
import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import { type AttrValue, AttrValueSchema } from "../../../gen/tensorflow/core/framework/attr_value_pb.js";
import { type GraphDef, GraphDefSchema } from "../../../gen/tensorflow/core/framework/graph_pb.js";
import {
  CreateSessionRequestSchema,
  ExtendSessionRequestSchema,
} from "../../../gen/tensorflow/core/protobuf/master_pb.js";
import { attr } from "../../../test/support/attr.js";
import { constNode, DataType, node } from "../../../test/support/graphs.js";
import { runToEnd, type Sliced } from "../framework/slices.js";
import {
  decodeInPieces,
  fromBinaryWithGraphSliced,
  graphDefToBinarySliced,
  SLICED_DECODE_MIN_BYTES,
} from "./graph-def-wire.js";

/** A graph past the slicing threshold, with constants, lists, a function and debug info. */
function bigGraph(n: number): GraphDef {
  const nodes = [];
  for (let i = 0; i < n; i++) {
    if (i % 10 === 0) {
      nodes.push({ ...constNode(`c${i}`, DataType.DT_FLOAT, [4], [i, 1.5, -2, 3]), device: "/device:CPU:0" });
    } else {
      nodes.push(
        node(`n${i}`, "IdentityN", {
          inputs: [`c${i - (i % 10)}`, `^n${i - 1}`],
          attrs: {
            T: attr.typeList([DataType.DT_FLOAT]),
            _class: attr.stringList([`loc:@c${i - (i % 10)}`]),
          },
        }),
      );
    }
  }
  return create(GraphDefSchema, {
    node: nodes,
    versions: { producer: 1987, minConsumer: 12, badConsumers: [3] },
    library: {
      function: [{ signature: { name: "F", inputArg: [{ name: "x", type: DataType.DT_FLOAT }] } }],
      gradient: [{ functionName: "F", gradientFunc: "G" }],
    },
    debugInfo: { files: ["a.py"] },
  });
}

/** The whole encoding plus a record of an unknown field appended at the end. */
function withUnknown(bytes: Uint8Array, fieldNo: number): Uint8Array {
  const w = new BinaryWriter();
  w.tag(fieldNo, WireType.Varint).uint32(77);
  return Buffer.concat([bytes, w.finish()]);
}

/** Runs `pass` to the end, counting its yields. */
function drive<T>(pass: Sliced<T>): { value: T; yields: number } {
  let yields = 0;
  for (;;) {
    const r = pass.next();
    if (r.done) return { value: r.value, yields };
    yields++;
  }
}

function outcome<T>(f: () => T): { value: T } | { error: string } {
  try {
    return { value: f() };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

/** Asserts the sliced decode of `bytes` gives exactly what fromBinary gives, message or error. */
function assertSameAsFromBinary<D extends DescMessage>(
  schema: D,
  bytes: Uint8Array,
  field: number,
  leftToWholeDecode = false,
) {
  const expected = outcome(() => fromBinary(schema, bytes));
  const actual = outcome(() => runToEnd(fromBinaryWithGraphSliced(schema, bytes, field)));
  if ("error" in expected) {
    assert.deepEqual(actual, expected);
    return;
  }
  assert.ok("value" in actual, `sliced decode failed: ${"error" in actual ? actual.error : ""}`);
  const [a, b] = [actual.value as MessageShape<D>, expected.value as MessageShape<D>];
  // A well-formed request is decoded by the walk itself, not by the fallback (except the shapes
  // the walk leaves to fromBinary on purpose).
  if (bytes.length >= SLICED_DECODE_MIN_BYTES && !leftToWholeDecode)
    runToEnd(decodeInPieces(schema, bytes, field));
  assert.ok(equals(schema, a, b));
  // Unknown fields too, and in their order.
  assert.deepEqual(toBinary(schema, a), toBinary(schema, b));
}

test("a big CreateSessionRequest decodes in slices to fromBinary's message", () => {
  const req = create(CreateSessionRequestSchema, {
    graphDef: bigGraph(6000),
    config: { allowSoftPlacement: true, operationTimeoutInMs: 5n },
    target: "grpc://x",
  });
  const bytes = withUnknown(toBinary(CreateSessionRequestSchema, req), 99);
  assert.ok(bytes.length > SLICED_DECODE_MIN_BYTES);
  assertSameAsFromBinary(CreateSessionRequestSchema, bytes, 1);
  const { value, yields } = drive(fromBinaryWithGraphSliced(CreateSessionRequestSchema, bytes, 1));
  assert.equal(value.graphDef?.node.length, 6000);
  assert.ok(yields >= Math.floor(6000 / 128), `only ${yields} yields`);
});

test("a big ExtendSessionRequest decodes in slices, unknown GraphDef fields kept in order", () => {
  const graphBytes = withUnknown(withUnknown(toBinary(GraphDefSchema, bigGraph(5000)), 50), 51);
  const w = new BinaryWriter();
  w.tag(1, WireType.LengthDelimited).string("session");
  w.tag(2, WireType.LengthDelimited).bytes(graphBytes);
  w.tag(3, WireType.Varint).int64(4n);
  assertSameAsFromBinary(ExtendSessionRequestSchema, w.finish(), 2);
  // Fields in any order, e.g. the version before the graph and the handle after it.
  const v = new BinaryWriter();
  v.tag(3, WireType.Varint).int64(4n);
  v.tag(2, WireType.LengthDelimited).bytes(graphBytes);
  v.tag(1, WireType.LengthDelimited).string("session");
  assertSameAsFromBinary(ExtendSessionRequestSchema, v.finish(), 2);
});

test("a graph given twice is merged as fromBinary merges it", () => {
  const g = toBinary(GraphDefSchema, bigGraph(4000));
  const w = new BinaryWriter();
  w.tag(1, WireType.LengthDelimited).bytes(g);
  w.tag(1, WireType.LengthDelimited).bytes(g);
  assertSameAsFromBinary(CreateSessionRequestSchema, w.finish(), 1, true);
});

test("damaged requests fail with fromBinary's error", () => {
  const whole = toBinary(
    CreateSessionRequestSchema,
    create(CreateSessionRequestSchema, { graphDef: bigGraph(6000) }),
  );
  // Cut anywhere: inside a node, between nodes, inside the graph's length.
  for (const cut of [
    whole.length - 1,
    whole.length - 7,
    Math.floor(whole.length * 0.6),
    SLICED_DECODE_MIN_BYTES + 3,
  ]) {
    assertSameAsFromBinary(CreateSessionRequestSchema, whole.subarray(0, cut), 1);
  }
  // A node record with the wrong wire type, and an end-group tag with no start, after the nodes.
  const graph = toBinary(GraphDefSchema, bigGraph(5000));
  for (const tail of [[0x08, 0x01], [0x0c], [0x0a, 0x05, 0x0a]]) {
    const w = new BinaryWriter();
    w.tag(1, WireType.LengthDelimited).bytes(Buffer.concat([graph, Uint8Array.from(tail)]));
    assertSameAsFromBinary(CreateSessionRequestSchema, w.finish(), 1);
  }
  // Bytes that are no protobuf at all.
  assertSameAsFromBinary(CreateSessionRequestSchema, new Uint8Array(SLICED_DECODE_MIN_BYTES).fill(0xff), 1);
});

/** An AttrValue nested `depth` times through func.attr. */
function nestedAttr(depth: number): AttrValue {
  let a: AttrValue = create(AttrValueSchema, { value: { case: "i", value: 1n } });
  for (let i = 0; i < depth; i++) {
    a = create(AttrValueSchema, { value: { case: "func", value: { name: "f", attr: { a } } } });
  }
  return a;
}

test("the recursion limit falls where it falls for the whole request", () => {
  // Each level of nesting is two messages (AttrValue, NameAttrList): with the request, graph and
  // node above them, 48 levels decode and 49 reach protobuf-es's limit of 100, in both decoders.
  let sawPass = false;
  let sawFail = false;
  for (let depth = 47; depth <= 50; depth++) {
    const g = bigGraph(5000);
    g.node[1]!.attr.deep = nestedAttr(depth);
    const bytes = toBinary(CreateSessionRequestSchema, create(CreateSessionRequestSchema, { graphDef: g }));
    assertSameAsFromBinary(CreateSessionRequestSchema, bytes, 1);
    const whole = outcome(() => fromBinary(CreateSessionRequestSchema, bytes));
    if ("error" in whole) sawFail = true;
    else sawPass = true;
  }
  assert.ok(sawPass && sawFail, "the depths tried should straddle the limit");
});

test("a small request is decoded in one piece", () => {
  const bytes = toBinary(
    CreateSessionRequestSchema,
    create(CreateSessionRequestSchema, { graphDef: bigGraph(20) }),
  );
  assert.equal(drive(fromBinaryWithGraphSliced(CreateSessionRequestSchema, bytes, 1)).yields, 0);
  assertSameAsFromBinary(CreateSessionRequestSchema, bytes, 1);
});

test("a partition's GraphDef encodes in slices to toBinary's bytes", () => {
  for (const g of [bigGraph(3000), create(GraphDefSchema), bigGraph(1)]) {
    const expected = toBinary(GraphDefSchema, g);
    const { value, yields } = drive(graphDefToBinarySliced(g));
    assert.deepEqual(Buffer.from(value), Buffer.from(expected));
    assert.equal(yields, Math.floor(g.node.length / 128));
  }
  // A node over 127 bytes and one over 16 KiB (two- and three-byte lengths) and unknown fields.
  const g = bigGraph(2);
  g.node[0] = constNode("big", DataType.DT_FLOAT, [5000], new Array<number>(5000).fill(1));
  g.$unknown = [{ no: 77, wireType: WireType.Varint, data: Uint8Array.of(5) }];
  assert.deepEqual(
    Buffer.from(drive(graphDefToBinarySliced(g)).value),
    Buffer.from(toBinary(GraphDefSchema, g)),
  );
});

test("nodes holding big tensors encode to toBinary's bytes, the tensor's bytes written around", () => {
  const content = (n: number, seed: number) =>
    Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);
  const bigConst = (name: string, bytes: number, seed: number) =>
    node(name, "Const", {
      attrs: {
        dtype: attr.type(DataType.DT_FLOAT),
        value: attr.tensor({
          dtype: DataType.DT_FLOAT,
          tensorShape: { dim: [{ size: BigInt(bytes / 4) }] },
          tensorContent: content(bytes, seed),
        } as never),
      },
      device: "/device:CPU:0",
    });
  const g = bigGraph(300);
  // First, among others, last; one just past the threshold and one of 3 MB.
  g.node.unshift(bigConst("big0", 1 << 20, 1));
  g.node.splice(150, 0, bigConst("big1", 3 << 20, 2));
  const last = bigConst("big2", (1 << 20) + 4, 3);
  // Attrs before and after the tensor's, debug info, a type, unknown fields on the node and the tensor.
  last.attr = { a_first: attr.int(5), ...last.attr, z_last: attr.string("end") };
  last.experimentalDebugInfo = {
    $typeName: "tensorflow.NodeDef.ExperimentalDebugInfo",
    originalNodeNames: ["orig"],
    originalFuncNames: [],
  };
  last.$unknown = [{ no: 99, wireType: WireType.Varint, data: Uint8Array.of(1) }];
  const tensor = last.attr.value!.value.value as {
    versionNumber: number;
    floatVal: number[];
    $unknown?: unknown;
  };
  tensor.versionNumber = 3;
  tensor.floatVal = [1.5];
  tensor.$unknown = [{ no: 98, wireType: WireType.Varint, data: Uint8Array.of(2) }];
  g.node.push(last);
  const expected = toBinary(GraphDefSchema, g);
  const { value, yields } = drive(graphDefToBinarySliced(g));
  assert.ok(Buffer.from(value).equals(Buffer.from(expected)));
  assert.ok(equals(GraphDefSchema, fromBinary(GraphDefSchema, value), g));
  // Each big node is a slice of its own.
  assert.ok(yields >= 3 + Math.floor(300 / 128));
  // A tensor just under the threshold, or with an AttrValue carrying unknown fields: the ordinary way.
  const unknownOnValue = bigConst("u", 1 << 20, 5);
  unknownOnValue.attr.value!.$unknown = [{ no: 97, wireType: WireType.Varint, data: Uint8Array.of(3) }];
  const small = create(GraphDefSchema, { node: [bigConst("s", (1 << 20) - 4, 4), unknownOnValue] });
  assert.ok(
    Buffer.from(drive(graphDefToBinarySliced(small)).value).equals(
      Buffer.from(toBinary(GraphDefSchema, small)),
    ),
  );
});
