// A one-node ONNX model, written as protobuf bytes by hand: the form in which onnxruntime
// (ort-gemm.ts) takes the MatMul and Conv it runs for tfgate's large dense kernels. Only the few
// ModelProto fields ORT needs are written (onnx/onnx.proto's field numbers): the IR version, one
// opset import, and a graph of nodes with typed inputs and outputs whose dimensions may be symbolic,
// so one model (and one cached InferenceSession) serves every shape of a signature.

/** ONNX TensorProto.DataType values of the element types we hand to ORT. */
export enum OnnxType {
  FLOAT = 1,
  INT32 = 6,
  INT64 = 7,
  DOUBLE = 11,
}

/** A graph input or output: its name, element type and dims (a string names a symbolic dim). */
export interface OnnxValue {
  readonly name: string;
  readonly type: OnnxType;
  readonly dims: readonly (number | string)[];
}

/** An attribute of a node: ints lists and single ints are all these kernels need. */
export type OnnxAttr = number | readonly number[];

export interface OnnxNode {
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attrs?: Readonly<Record<string, OnnxAttr>>;
}

export interface OnnxGraph {
  readonly nodes: readonly OnnxNode[];
  readonly inputs: readonly OnnxValue[];
  readonly outputs: readonly OnnxValue[];
}

/** ONNX IR version 8 with the default-domain opset 17: both understood by ORT 1.14 onwards. */
const IR_VERSION = 8;
const OPSET = 17;

/** Protobuf wire writer for the handful of field kinds a ModelProto needs. */
class Writer {
  private readonly bytes: number[] = [];

  varint(v: number): this {
    let x = v;
    while (x >= 0x80) {
      this.bytes.push((x % 0x80) | 0x80);
      x = Math.floor(x / 0x80);
    }
    this.bytes.push(x);
    return this;
  }

  /** A varint field; negative int64 values are written as ten-byte two's complement. */
  int(field: number, v: number): this {
    this.varint(field * 8);
    if (v >= 0) return this.varint(v);
    const big = BigInt.asUintN(64, BigInt(v));
    let x = big;
    while (x >= 0x80n) {
      this.bytes.push(Number(x & 0x7fn) | 0x80);
      x >>= 7n;
    }
    this.bytes.push(Number(x));
    return this;
  }

  bytesField(field: number, data: Uint8Array | readonly number[]): this {
    this.varint(field * 8 + 2).varint(data.length);
    for (const b of data) this.bytes.push(b);
    return this;
  }

  string(field: number, s: string): this {
    return this.bytesField(field, new TextEncoder().encode(s));
  }

  message(field: number, build: (w: Writer) => void): this {
    const w = new Writer();
    build(w);
    return this.bytesField(field, w.bytes);
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

// AttributeProto.AttributeType values.
const ATTR_INT = 2;
const ATTR_INTS = 7;

function writeAttr(w: Writer, name: string, v: OnnxAttr): void {
  w.string(1, name);
  if (typeof v === "number") {
    w.int(3, v).int(20, ATTR_INT);
  } else {
    for (const x of v) w.int(8, x);
    w.int(20, ATTR_INTS);
  }
}

function writeValue(w: Writer, v: OnnxValue): void {
  w.string(1, v.name);
  // TypeProto.tensor_type (1) → elem_type (1), shape (2) → dim (1) → dim_value (1) | dim_param (2).
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.int(1, v.type);
      tensor.message(2, (shape) => {
        for (const d of v.dims) {
          shape.message(1, (dim) => (typeof d === "number" ? dim.int(1, d) : dim.string(2, d)));
        }
      });
    }),
  );
}

/** The serialized ModelProto of `g`. */
export function onnxModel(g: OnnxGraph): Uint8Array {
  const w = new Writer();
  w.int(1, IR_VERSION);
  w.string(2, "tfgate");
  w.message(7, (graph) => {
    g.nodes.forEach((n, i) => {
      graph.message(1, (node) => {
        for (const x of n.inputs) node.string(1, x);
        for (const x of n.outputs) node.string(2, x);
        node.string(3, `n${i}`);
        node.string(4, n.op);
        for (const [k, v] of Object.entries(n.attrs ?? {})) node.message(5, (a) => writeAttr(a, k, v));
      });
    });
    graph.string(2, "tfgate");
    for (const v of g.inputs) graph.message(11, (x) => writeValue(x, v));
    for (const v of g.outputs) graph.message(12, (x) => writeValue(x, v));
  });
  // OperatorSetIdProto: domain (1) left empty for the default ONNX domain, version (2).
  w.message(8, (op) => op.int(2, OPSET));
  return w.finish();
}
