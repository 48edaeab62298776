// tf.Example parsing (core/util/example_proto_fast_parsing.cc, core/kernels/example_parsing_ops.cc):
// reads serialized tensorflow.Example protos (core/example/example.proto, feature.proto) straight
// from the protobuf wire format and gathers the requested features as dense, sparse or ragged
// outputs, with TF's messages for malformed records and mismatched features.
//
// Example{features = 1: Features{feature = 1: map<string, Feature>}};
// Feature{oneof: bytes_list = 1, float_list = 2, int64_list = 3}; each list's values are field 1,
// packed or not. A key that appears twice in one Example (merged messages) keeps its last value, as
// protobuf's map merge and TF's parser do.

import { invalidArgument } from "../../framework/errors.js";
import { shapeString, Tensor } from "../../framework/tensor.js";
import { DataType, dataTypeString } from "../../framework/types.js";
import { partialShapeString } from "./queue-base.js";

export interface Feature {
  /** DT_INVALID for a Feature with no list set. */
  readonly dtype: DataType;
  readonly values: Uint8Array[] | number[] | bigint[];
}

class Reader {
  pos = 0;
  constructor(
    readonly buf: Uint8Array,
    readonly end: number,
  ) {}
  get done(): boolean {
    return this.pos >= this.end;
  }
  /** A varint that fits 2^53 (tags, lengths); undefined when malformed. */
  varint(): number | undefined {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) return undefined;
      const b = this.buf[this.pos++]!;
      result += (b & 0x7f) * mul;
      if (b < 0x80) return result;
      mul *= 128;
    }
    return undefined;
  }
  /** A full 64-bit varint as int64. */
  varint64(): bigint | undefined {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) return undefined;
      const b = this.buf[this.pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return BigInt.asIntN(64, result);
      shift += 7n;
    }
    return undefined;
  }
  /** Skips a field of the wire type; false when malformed. */
  skip(wireType: number): boolean {
    switch (wireType) {
      case 0:
        return this.varint64() !== undefined;
      case 1:
        this.pos += 8;
        return this.pos <= this.end;
      case 2: {
        const n = this.varint();
        if (n === undefined) return false;
        this.pos += n;
        return this.pos <= this.end;
      }
      case 5:
        this.pos += 4;
        return this.pos <= this.end;
      default:
        return false;
    }
  }
  /** A length-delimited field's [start, end). */
  bytes(): [number, number] | undefined {
    const n = this.varint();
    if (n === undefined || this.pos + n > this.end) return undefined;
    const start = this.pos;
    this.pos += n;
    return [start, this.pos];
  }
}

const utf8 = new TextDecoder();

/** Reads a BytesList / FloatList / Int64List body. */
function parseList(
  buf: Uint8Array,
  start: number,
  end: number,
  dtype: DataType,
): Feature["values"] | undefined {
  const r = new Reader(buf, end);
  r.pos = start;
  const strings: Uint8Array[] = [];
  const floats: number[] = [];
  const ints: bigint[] = [];
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  while (!r.done) {
    const tag = r.varint();
    if (tag === undefined) return undefined;
    const field = Math.floor(tag / 8);
    const wt = tag & 7;
    if (field !== 1) {
      if (!r.skip(wt)) return undefined;
      continue;
    }
    if (dtype === DataType.DT_STRING) {
      if (wt !== 2) return undefined;
      const b = r.bytes();
      if (b === undefined) return undefined;
      strings.push(buf.slice(b[0], b[1]));
    } else if (dtype === DataType.DT_FLOAT) {
      if (wt === 5) {
        if (r.pos + 4 > end) return undefined;
        floats.push(view.getFloat32(r.pos, true));
        r.pos += 4;
      } else if (wt === 2) {
        const b = r.bytes();
        if (b === undefined || (b[1] - b[0]) % 4 !== 0) return undefined;
        for (let p = b[0]; p < b[1]; p += 4) floats.push(view.getFloat32(p, true));
      } else return undefined;
    } else if (wt === 0) {
      const v = r.varint64();
      if (v === undefined) return undefined;
      ints.push(v);
    } else if (wt === 2) {
      const b = r.bytes();
      if (b === undefined) return undefined;
      const inner = new Reader(buf, b[1]);
      inner.pos = b[0];
      while (!inner.done) {
        const v = inner.varint64();
        if (v === undefined) return undefined;
        ints.push(v);
      }
    } else return undefined;
  }
  return dtype === DataType.DT_STRING ? strings : dtype === DataType.DT_FLOAT ? floats : ints;
}

const LIST_TYPES = [DataType.DT_STRING, DataType.DT_FLOAT, DataType.DT_INT64] as const;

function parseFeature(buf: Uint8Array, start: number, end: number): Feature | undefined {
  const r = new Reader(buf, end);
  r.pos = start;
  let feature: Feature = { dtype: DataType.DT_INVALID, values: [] };
  while (!r.done) {
    const tag = r.varint();
    if (tag === undefined) return undefined;
    const field = Math.floor(tag / 8);
    if (field >= 1 && field <= 3 && (tag & 7) === 2) {
      const b = r.bytes();
      if (b === undefined) return undefined;
      const dtype = LIST_TYPES[field - 1]!;
      const values = parseList(buf, b[0], b[1], dtype);
      if (values === undefined) return undefined;
      feature = { dtype, values };
    } else if (!r.skip(tag & 7)) return undefined;
  }
  return feature;
}

/** Parses one serialized Example into its features (the last entry of a key wins); undefined when malformed. */
export function parseExample(buf: Uint8Array): Map<string, Feature> | undefined {
  const out = new Map<string, Feature>();
  const r = new Reader(buf, buf.length);
  while (!r.done) {
    const tag = r.varint();
    if (tag === undefined) return undefined;
    if (tag !== 0x0a) {
      if (!r.skip(tag & 7)) return undefined;
      continue;
    }
    const features = r.bytes();
    if (features === undefined) return undefined;
    const fr = new Reader(buf, features[1]);
    fr.pos = features[0];
    while (!fr.done) {
      const ftag = fr.varint();
      if (ftag === undefined) return undefined;
      if (ftag !== 0x0a) {
        if (!fr.skip(ftag & 7)) return undefined;
        continue;
      }
      const entry = fr.bytes();
      if (entry === undefined) return undefined;
      const er = new Reader(buf, entry[1]);
      er.pos = entry[0];
      let key = "";
      let feature: Feature = { dtype: DataType.DT_INVALID, values: [] };
      while (!er.done) {
        const etag = er.varint();
        if (etag === undefined) return undefined;
        if (etag === 0x0a || etag === 0x12) {
          const b = er.bytes();
          if (b === undefined) return undefined;
          if (etag === 0x0a) key = utf8.decode(buf.subarray(b[0], b[1]));
          else {
            const f = parseFeature(buf, b[0], b[1]);
            if (f === undefined) return undefined;
            feature = f;
          }
        } else if (!er.skip(etag & 7)) return undefined;
      }
      out.set(key, feature);
    }
  }
  return out;
}

// ---- Gathering features (FastParseExample) ----

export interface DenseSpec {
  readonly key: string;
  readonly dtype: DataType;
  /** Dims; a first dim of -1 is variable length (padded with the default). */
  readonly shape: readonly number[];
  readonly defaultValue: Tensor;
}

export interface SparseSpec {
  readonly key: string;
  readonly dtype: DataType;
}

export interface RaggedSpec extends SparseSpec {
  readonly splitType: DataType;
}

export interface ParseConfig {
  /** ParseSingleExample's messages (no name or index). */
  readonly single?: boolean;
  readonly dense: readonly DenseSpec[];
  readonly sparse: readonly SparseSpec[];
  readonly ragged: readonly RaggedSpec[];
}

export interface ParseResult {
  readonly sparseIndices: Tensor[];
  readonly sparseValues: Tensor[];
  readonly sparseShapes: Tensor[];
  readonly denseValues: Tensor[];
  readonly raggedValues: Tensor[];
  readonly raggedSplits: Tensor[];
}

const typeName = (t: DataType) => dataTypeString(t);

function values(f: Feature): unknown[] {
  return f.values as unknown[];
}

/** Where a message points: "Name: <n>, Key: <k>, Index: <i>." in a batch, "Key: <k>." for one Example. */
interface Site {
  readonly single: boolean;
  readonly name: string;
  readonly index: number;
}

function at(site: Site, key: string): string {
  return site.single ? `Key: ${key}.` : `Name: ${site.name}, Key: ${key}, Index: ${site.index}.`;
}

/** A feature of the wanted type; an empty Feature counts as an empty list of any type. */
function typedFeature(
  f: Feature | undefined,
  want: DataType,
  site: Site,
  key: string,
  dense: boolean,
): unknown[] | undefined {
  if (f === undefined) return undefined;
  // No list at all is an empty list; so is, for sparse and ragged features, an empty list of another type.
  if (f.dtype === DataType.DT_INVALID || (!dense && f.values.length === 0)) return [];
  if (f.dtype !== want) {
    throw invalidArgument(
      dense
        ? `${at(site, key)}  Data types don't match. Data type: ${typeName(f.dtype)} but expected type: ${typeName(want)}`
        : `${at(site, key)}  Data types don't match. Expected type: ${typeName(want)}, Actual type: ${typeName(f.dtype)}`,
    );
  }
  return values(f);
}

function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function fill(out: Tensor, at: number, vals: readonly unknown[]): void {
  const d = out.data as unknown as unknown[];
  for (let i = 0; i < vals.length; i++) d[at + i] = vals[i];
}

/** Parses a batch of serialized Examples (names: per-example names for messages, or empty). */
export function parseBatch(
  serialized: readonly Uint8Array[],
  names: readonly string[],
  config: ParseConfig,
): ParseResult {
  const parsed = serialized.map((s, i) => {
    const m = parseExample(s);
    if (m === undefined) {
      const name = names[i];
      throw invalidArgument(
        `Could not parse example input, value: '${utf8.decode(s)}'${name ? ` (name: ${name})` : ""}`,
      );
    }
    return m;
  });
  return gatherFeatures(parsed, names, config);
}

/** Gathers the configured features of parsed Examples (or SequenceExample contexts). */
function gatherFeatures(
  parsed: readonly Map<string, Feature>[],
  names: readonly string[],
  config: ParseConfig,
): ParseResult {
  const batch = parsed.length;
  const site = (i: number): Site => ({
    single: config.single === true,
    name: names[i] || "<unknown>",
    index: i,
  });

  const denseValues = config.dense.map((spec) => gatherDense(parsed, spec, site));
  const sparse = config.sparse.map((spec) => {
    const rows = parsed.map(
      (m, i) => typedFeature(m.get(spec.key), spec.dtype, site(i), spec.key, false) ?? [],
    );
    const total = rows.reduce((a, r) => a + r.length, 0);
    const maxLen = rows.reduce((a, r) => Math.max(a, r.length), 0);
    const indices = Tensor.zeros(DataType.DT_INT64, [total, 2]);
    const vals = Tensor.zeros(spec.dtype, [total]);
    const idx = indices.data as BigInt64Array;
    let k = 0;
    rows.forEach((r, b) => {
      for (let j = 0; j < r.length; j++) {
        idx[2 * (k + j)] = BigInt(b);
        idx[2 * (k + j) + 1] = BigInt(j);
      }
      fill(vals, k, r);
      k += r.length;
    });
    const shape = new Tensor(DataType.DT_INT64, [2], BigInt64Array.from([BigInt(batch), BigInt(maxLen)]));
    return { indices, vals, shape };
  });
  const ragged = config.ragged.map((spec) => {
    const rows = parsed.map(
      (m, i) => typedFeature(m.get(spec.key), spec.dtype, site(i), spec.key, false) ?? [],
    );
    const total = rows.reduce((a, r) => a + r.length, 0);
    const vals = Tensor.zeros(spec.dtype, [total]);
    const splits = Tensor.zeros(spec.splitType, [batch + 1]);
    const sd = splits.data as unknown as unknown[];
    const big = spec.splitType === DataType.DT_INT64;
    let k = 0;
    sd[0] = big ? 0n : 0;
    rows.forEach((r, b) => {
      fill(vals, k, r);
      k += r.length;
      sd[b + 1] = big ? BigInt(k) : k;
    });
    return { vals, splits };
  });
  return {
    sparseIndices: sparse.map((s) => s.indices),
    sparseValues: sparse.map((s) => s.vals),
    sparseShapes: sparse.map((s) => s.shape),
    denseValues,
    raggedValues: ragged.map((r) => r.vals),
    raggedSplits: ragged.map((r) => r.splits),
  };
}

function gatherDense(
  parsed: readonly Map<string, Feature>[],
  spec: DenseSpec,
  site: (i: number) => Site,
): Tensor {
  const batch = parsed.length;
  const variable = spec.shape.length > 0 && spec.shape[0]! < 0;
  const inner = variable ? spec.shape.slice(1) : spec.shape;
  const stride = elementCount(inner);
  const rows = parsed.map((m, i) => typedFeature(m.get(spec.key), spec.dtype, site(i), spec.key, true));
  if (!variable) {
    const n = elementCount(spec.shape);
    const out = Tensor.zeros(spec.dtype, [batch, ...spec.shape]);
    rows.forEach((r, b) => {
      if (r === undefined) {
        if (spec.defaultValue.numElements === 0) {
          const where = site(b).single ? "" : `Name: ${site(b).name}, `;
          throw invalidArgument(
            `${where}Feature: ${spec.key} (data type: ${typeName(spec.dtype)}) is required but could not be found.`,
          );
        }
        fill(out, b * n, spec.defaultValue.data as unknown as unknown[]);
        return;
      }
      if (r.length !== n) {
        // One Example is parsed straight into its output, so TF reports the list it could not place.
        throw invalidArgument(
          site(b).single
            ? `Key: ${spec.key}.  Can't parse serialized Example: Some ${kindWord(spec.dtype)}_list slice was not parsed.`
            : `${at(site(b), spec.key)}  Number of ${kindWord(spec.dtype)} values != expected.  ` +
                `Values size: ${r.length} but output shape: ${shapeString(spec.shape)}`,
        );
      }
      fill(out, b * n, r);
    });
    return out;
  }
  // Variable length: rows padded to the longest with the (scalar) default.
  let maxRows = 0;
  rows.forEach((r, b) => {
    const len = r?.length ?? 0;
    if (stride > 0 && len % stride !== 0) {
      throw invalidArgument(
        `${at(site(b), spec.key)}  Number of ${kindWord(spec.dtype)} values is not a multiple of stride length. ` +
          `Saw ${len} values but output shape is: ${partialShapeString(spec.shape)}`,
      );
    }
    maxRows = Math.max(maxRows, stride > 0 ? len / stride : 0);
  });
  const out = Tensor.zeros(spec.dtype, [batch, maxRows, ...inner]);
  const pad = (spec.defaultValue.data as unknown as unknown[])[0];
  const d = out.data as unknown as unknown[];
  const per = maxRows * stride;
  rows.forEach((r, b) => {
    const vals = r ?? [];
    for (let j = 0; j < per; j++) d[b * per + j] = j < vals.length ? vals[j] : (pad ?? d[b * per + j]);
  });
  return out;
}

function kindWord(dtype: DataType): string {
  return dtype === DataType.DT_FLOAT ? "float" : dtype === DataType.DT_INT64 ? "int64" : "bytes";
}

// ---- SequenceExample (ParseSequenceExampleV2) ----
//
// SequenceExample{context = 1: Features, feature_lists = 2: FeatureLists{feature_list = 1:
// map<string, FeatureList{feature = 1: repeated Feature}>}}. The context is read as an Example's
// features (same field number and type).

export interface ParsedSequence {
  readonly context: Map<string, Feature>;
  readonly lists: Map<string, Feature[]>;
}

/** Parses a FeatureLists body into its lists (the last entry of a key wins); undefined when malformed. */
function parseFeatureLists(
  buf: Uint8Array,
  start: number,
  end: number,
  out: Map<string, Feature[]>,
): boolean {
  const r = new Reader(buf, end);
  r.pos = start;
  while (!r.done) {
    const tag = r.varint();
    if (tag === undefined) return false;
    if (tag !== 0x0a) {
      if (!r.skip(tag & 7)) return false;
      continue;
    }
    const entry = r.bytes();
    if (entry === undefined) return false;
    const er = new Reader(buf, entry[1]);
    er.pos = entry[0];
    let key = "";
    const steps: Feature[] = [];
    while (!er.done) {
      const etag = er.varint();
      if (etag === undefined) return false;
      if (etag === 0x0a || etag === 0x12) {
        const b = er.bytes();
        if (b === undefined) return false;
        if (etag === 0x0a) {
          key = utf8.decode(buf.subarray(b[0], b[1]));
          continue;
        }
        // FeatureList: its repeated Feature field 1.
        const lr = new Reader(buf, b[1]);
        lr.pos = b[0];
        while (!lr.done) {
          const ltag = lr.varint();
          if (ltag === undefined) return false;
          if (ltag !== 0x0a) {
            if (!lr.skip(ltag & 7)) return false;
            continue;
          }
          const fb = lr.bytes();
          if (fb === undefined) return false;
          const f = parseFeature(buf, fb[0], fb[1]);
          if (f === undefined) return false;
          steps.push(f);
        }
      } else if (!er.skip(etag & 7)) return false;
    }
    out.set(key, steps);
  }
  return true;
}

export function parseSequenceExample(buf: Uint8Array): ParsedSequence | undefined {
  const contextBytes: Uint8Array[] = [];
  const lists = new Map<string, Feature[]>();
  const r = new Reader(buf, buf.length);
  while (!r.done) {
    const tag = r.varint();
    if (tag === undefined) return undefined;
    if (tag === 0x0a || tag === 0x12) {
      const b = r.bytes();
      if (b === undefined) return undefined;
      if (tag === 0x0a) contextBytes.push(buf.subarray(b[0] - lengthPrefix(b[1] - b[0]) - 1, b[1]));
      else if (!parseFeatureLists(buf, b[0], b[1], lists)) return undefined;
    } else if (!r.skip(tag & 7)) return undefined;
  }
  // The context fields, re-read as an Example (field 1 = Features in both messages).
  const context = new Map<string, Feature>();
  for (const bytes of contextBytes) {
    const m = parseExample(bytes);
    if (m === undefined) return undefined;
    for (const [k, v] of m) context.set(k, v);
  }
  return { context, lists };
}

/** Bytes of a varint holding n. */
function lengthPrefix(n: number): number {
  let len = 1;
  for (let v = n; v >= 0x80; v = Math.floor(v / 128)) len++;
  return len;
}

export interface SequenceConfig {
  readonly context: ParseConfig;
  readonly listDense: readonly {
    key: string;
    dtype: DataType;
    shape: readonly number[];
    missingOk: boolean;
  }[];
  readonly listSparse: readonly SparseSpec[];
  readonly listRagged: readonly RaggedSpec[];
}

export interface SequenceResult {
  readonly context: ParseResult;
  readonly listSparseIndices: Tensor[];
  readonly listSparseValues: Tensor[];
  readonly listSparseShapes: Tensor[];
  readonly listDenseValues: Tensor[];
  readonly listDenseLengths: Tensor[];
  readonly listRaggedValues: Tensor[];
  readonly listRaggedOuterSplits: Tensor[];
  readonly listRaggedInnerSplits: Tensor[];
}

/** One feature list's steps, each checked against the wanted type (empty steps of no list pass). */
function typedSteps(steps: readonly Feature[], want: DataType, name: string, key: string): unknown[][] {
  return steps.map((f, t) => {
    if (f.dtype === DataType.DT_INVALID) return [];
    if (f.dtype !== want) {
      throw invalidArgument(
        `Name: ${name}, Feature list: ${key}, Index: ${t}.  Data types don't match. Expected type: ${typeName(want)}`,
      );
    }
    return values(f);
  });
}

const splitValue = (dtype: DataType, v: number) => (dtype === DataType.DT_INT64 ? BigInt(v) : v);

/** Parses a batch of serialized SequenceExamples (FastParseSequenceExample). */
export function parseSequenceBatch(
  serialized: readonly Uint8Array[],
  names: readonly string[],
  config: SequenceConfig,
): SequenceResult {
  const nameOf = (i: number) => names[i] || "<unknown>";
  const parsed = serialized.map((s, i) => {
    const p = parseSequenceExample(s);
    if (p === undefined) throw invalidArgument(`Invalid protocol message input, example id: ${nameOf(i)}`);
    return p;
  });
  const batch = parsed.length;
  for (const spec of config.context.dense) {
    if (spec.defaultValue.numElements > 0) continue;
    const missing = parsed.findIndex((p) => !p.context.has(spec.key));
    if (missing >= 0) {
      throw invalidArgument(
        `Inconsistent max number of elements for feature ${spec.key}: expected ${elementCount(spec.shape)}, but found 0`,
      );
    }
  }
  const context = gatherFeatures(
    parsed.map((p) => p.context),
    names,
    config.context,
  );
  const listDenseValues: Tensor[] = [];
  const listDenseLengths: Tensor[] = [];
  for (const spec of config.listDense) {
    const stride = elementCount(spec.shape);
    const rows = parsed.map((p, b) => {
      const steps = p.lists.get(spec.key);
      if (steps === undefined) {
        if (spec.missingOk) return [];
        throw invalidArgument(
          `Name: ${nameOf(b)}, Feature list '${spec.key}' is required but could not be found.  Did you mean to include it in feature_list_dense_missing_assumed_empty or feature_list_dense_defaults?`,
        );
      }
      const typed = typedSteps(steps, spec.dtype, nameOf(b), spec.key);
      typed.forEach((v, t) => {
        if (v.length !== stride) {
          throw invalidArgument(
            `Name: ${nameOf(b)}, Key: ${spec.key}, Index: ${t}.  Number of values != expected.  values size: ${v.length} but output shape: ${shapeString(spec.shape)}`,
          );
        }
      });
      return typed;
    });
    const maxTime = rows.reduce((m, r) => Math.max(m, r.length), 0);
    const out = Tensor.zeros(spec.dtype, [batch, maxTime, ...spec.shape]);
    rows.forEach((r, b) => {
      for (const [t, v] of r.entries()) fill(out, (b * maxTime + t) * stride, v);
    });
    listDenseValues.push(out);
    listDenseLengths.push(
      new Tensor(DataType.DT_INT64, [batch], BigInt64Array.from(rows.map((r) => BigInt(r.length)))),
    );
  }
  const sparse = config.listSparse.map((spec) => {
    const rows = parsed.map((p, b) =>
      typedSteps(p.lists.get(spec.key) ?? [], spec.dtype, nameOf(b), spec.key),
    );
    const total = rows.reduce((a, r) => a + r.reduce((x, v) => x + v.length, 0), 0);
    const maxTime = rows.reduce((m, r) => Math.max(m, r.length), 0);
    const maxLen = rows.reduce((m, r) => r.reduce((x, v) => Math.max(x, v.length), m), 0);
    const indices = Tensor.zeros(DataType.DT_INT64, [total, 3]);
    const vals = Tensor.zeros(spec.dtype, [total]);
    const idx = indices.data as BigInt64Array;
    let k = 0;
    rows.forEach((r, b) => {
      r.forEach((v, t) => {
        for (let j = 0; j < v.length; j++) {
          idx[3 * (k + j)] = BigInt(b);
          idx[3 * (k + j) + 1] = BigInt(t);
          idx[3 * (k + j) + 2] = BigInt(j);
        }
        fill(vals, k, v);
        k += v.length;
      });
    });
    const shape = new Tensor(
      DataType.DT_INT64,
      [3],
      BigInt64Array.from([batch, maxTime, maxLen].map(BigInt)),
    );
    return { indices, vals, shape };
  });
  const ragged = config.listRagged.map((spec) => {
    const rows = parsed.map((p, b) =>
      typedSteps(p.lists.get(spec.key) ?? [], spec.dtype, nameOf(b), spec.key),
    );
    const steps = rows.reduce((a, r) => a + r.length, 0);
    const total = rows.reduce((a, r) => a + r.reduce((x, v) => x + v.length, 0), 0);
    const vals = Tensor.zeros(spec.dtype, [total]);
    const outer = Tensor.zeros(spec.splitType, [batch + 1]);
    const inner = Tensor.zeros(spec.splitType, [steps + 1]);
    const od = outer.data as unknown as unknown[];
    const id = inner.data as unknown as unknown[];
    od[0] = splitValue(spec.splitType, 0);
    id[0] = splitValue(spec.splitType, 0);
    let s = 0;
    let k = 0;
    rows.forEach((r, b) => {
      for (const v of r) {
        fill(vals, k, v);
        k += v.length;
        id[++s] = splitValue(spec.splitType, k);
      }
      od[b + 1] = splitValue(spec.splitType, s);
    });
    return { vals, outer, inner };
  });
  return {
    context,
    listSparseIndices: sparse.map((x) => x.indices),
    listSparseValues: sparse.map((x) => x.vals),
    listSparseShapes: sparse.map((x) => x.shape),
    listDenseValues,
    listDenseLengths,
    listRaggedValues: ragged.map((x) => x.vals),
    listRaggedOuterSplits: ragged.map((x) => x.outer),
    listRaggedInnerSplits: ragged.map((x) => x.inner),
  };
}
