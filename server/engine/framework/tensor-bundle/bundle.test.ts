// The tensor bundle on its own (an in-memory file system): round trips of every dtype tfgate holds
// (quantized ones too), slices, an interrupted save that leaves no index under the final name, and
// corrupt or truncated bundles that always fail with a TfError (never a crash, a hang or an
// allocation sized by a corrupt field). Byte-for-byte agreement with TF is in
// kernels/checkpoint-fixtures.test.ts.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { isTfError, TfCode } from "../errors.js";
import { Tensor } from "../tensor.js";
import { DataType } from "../types.js";
import { type BundleFiles, BundleReader, BundleWriter, mergeBundles } from "./bundle.js";
import { dataFilename, metaFilename } from "./naming.js";
import { encodeTensorNameSlice, parseShapeAndSlice } from "./tensor-slice.js";

class MemFiles implements BundleFiles {
  readonly files = new Map<string, Uint8Array>();
  failWrite?: (path: string) => boolean;

  readFile(path: string): Uint8Array {
    const f = this.files.get(path);
    if (f === undefined) throw Object.assign(new Error(`${path}; No such file or directory`), { code: 5 });
    return f;
  }
  readAt(path: string, offset: number, length: number): Uint8Array {
    return this.readFile(path).subarray(offset, offset + length);
  }
  exists(path: string): boolean {
    return this.files.has(path);
  }
  writeAtomic(path: string, data: Uint8Array): void {
    if (this.failWrite?.(path)) throw new Error(`disk full writing ${path}`);
    this.files.set(path, data.slice());
  }
  rename(from: string, to: string): void {
    this.files.set(to, this.readFile(from));
    this.files.delete(from);
  }
  remove(path: string): void {
    this.files.delete(path);
  }
  removeDir(): void {}
  makeDir(): void {}
}

const enc = new TextEncoder();
const key = (s: string) => enc.encode(s);

function sample(dtype: DataType): Tensor {
  const t = Tensor.zeros(dtype, [2, 3]);
  const d = t.data as unknown as { [i: number]: unknown; length: number };
  if (dtype === DataType.DT_STRING) {
    for (let i = 0; i < 6; i++) d[i] = enc.encode("x".repeat(i * 50));
  } else if (dtype === DataType.DT_INT64 || dtype === DataType.DT_UINT64) {
    for (let i = 0; i < d.length; i++) d[i] = BigInt(i * 7 + 1);
  } else {
    for (let i = 0; i < d.length; i++) d[i] = (i * 37 + 1) % 100;
  }
  return t;
}

const DTYPES = [
  DataType.DT_FLOAT,
  DataType.DT_DOUBLE,
  DataType.DT_INT32,
  DataType.DT_UINT8,
  DataType.DT_INT16,
  DataType.DT_INT8,
  DataType.DT_STRING,
  DataType.DT_COMPLEX64,
  DataType.DT_INT64,
  DataType.DT_BOOL,
  DataType.DT_QINT8,
  DataType.DT_QUINT8,
  DataType.DT_QINT32,
  DataType.DT_BFLOAT16,
  DataType.DT_QINT16,
  DataType.DT_QUINT16,
  DataType.DT_UINT16,
  DataType.DT_COMPLEX128,
  DataType.DT_HALF,
  DataType.DT_UINT32,
  DataType.DT_UINT64,
];

function saved(): MemFiles {
  const fs = new MemFiles();
  const w = new BundleWriter(fs, "ck/m");
  for (const dt of DTYPES) w.add(key(`t${dt}`), sample(dt));
  const full = sample(DataType.DT_FLOAT);
  for (const spec of ["4 3 0,2:-", "4 3 2,2:-"]) {
    const p = parseShapeAndSlice(spec);
    w.addSlice(key("part"), p.shape, p.slice, full);
  }
  w.finish();
  return fs;
}

const EXPECTED_CODES: number[] = [
  TfCode.DATA_LOSS,
  TfCode.OUT_OF_RANGE,
  TfCode.NOT_FOUND,
  TfCode.INVALID_ARGUMENT,
  TfCode.INTERNAL,
];

describe("tensor bundle", () => {
  test("every dtype round-trips bit for bit; slices assemble", () => {
    const r = new BundleReader(saved(), "ck/m");
    for (const dt of DTYPES) {
      const got = r.lookup(key(`t${dt}`));
      const want = sample(dt);
      assert.equal(got.dtype, dt);
      assert.deepEqual(got.shape, [2, 3]);
      assert.deepEqual(got.data, want.data, `dtype ${dt}`);
    }
    const part = r.lookup(key("part"));
    assert.deepEqual(part.shape, [4, 3]);
    const src = sample(DataType.DT_FLOAT).data as Float32Array;
    assert.deepEqual(Array.from(part.data as Float32Array), [...src, ...src]);
    const p = parseShapeAndSlice("4 3 1,2:1,2");
    assert.deepEqual(Array.from(r.lookupSlice(key("part"), p.slice, p.sliceShape).data as Float32Array), [
      src[4],
      src[5],
      src[1],
      src[2],
    ]);
  });

  test("an interrupted save leaves no index under the final name, even over an old checkpoint", () => {
    const fs = saved();
    const w = new BundleWriter(fs, "ck/m");
    w.add(key("new"), sample(DataType.DT_FLOAT));
    fs.failWrite = (p) => p === metaFilename("ck/m");
    assert.throws(() => w.finish(), /disk full/);
    assert.ok(!fs.exists(metaFilename("ck/m")), "no index pointing into the new data file");
    assert.throws(() => new BundleReader(fs, "ck/m"));
  });

  test("merging two shards gives one readable bundle; the inputs' indexes go", () => {
    const fs = new MemFiles();
    for (const [i, name] of ["a", "b"].entries()) {
      const w = new BundleWriter(fs, `tmp/part-${i}`);
      w.add(key(name), sample(DataType.DT_INT32));
      w.finish();
    }
    mergeBundles(fs, ["tmp/part-0", "tmp/part-1"], "out/m", false);
    assert.deepEqual([...fs.files.keys()].sort(), [
      dataFilename("out/m", 0, 2),
      dataFilename("out/m", 1, 2),
      metaFilename("out/m"),
    ]);
    const r = new BundleReader(fs, "out/m");
    assert.deepEqual(r.lookup(key("b")).data, sample(DataType.DT_INT32).data);
  });

  test("the slice key encoding is TF's OrderedCode (key of TF's own SaveV2 of this slice)", () => {
    const k = encodeTensorNameSlice(key("v"), { starts: [0, 2 ** 40, 70000], lengths: [-1, 1, 64] });
    const tf = [0, 118, 0, 1, 1, 3, 128, 127, 253, 0, 0, 0, 0, 0, 129, 225, 17, 112, 192, 64];
    assert.deepEqual(Array.from(k), tf);
  });

  test("any truncation or corrupted byte of the index or the data fails with a TfError", () => {
    const good = saved();
    const paths = [metaFilename("ck/m"), dataFilename("ck/m", 0, 1)];
    let failures = 0;
    for (const path of paths) {
      const bytes = good.files.get(path)!;
      const variants: Uint8Array[] = [];
      for (let n = 0; n < bytes.length; n += Math.max(1, Math.floor(bytes.length / 97)))
        variants.push(bytes.slice(0, n));
      for (let at = 0; at < bytes.length; at += Math.max(1, Math.floor(bytes.length / 211))) {
        for (const mask of [0x01, 0x80, 0xff]) {
          const b = bytes.slice();
          b[at]! ^= mask;
          variants.push(b);
        }
      }
      for (const v of variants) {
        const fs = new MemFiles();
        for (const [p, d] of good.files) fs.files.set(p, p === path ? v : d);
        try {
          const r = new BundleReader(fs, "ck/m");
          for (const t of r.tensorKeys()) r.lookup(t);
          r.lookup(key("part"));
        } catch (e) {
          assert.ok(isTfError(e), `not a TfError: ${String(e)}`);
          assert.ok(EXPECTED_CODES.includes(e.code), `${e.code}: ${e.message}`);
          failures++;
        }
      }
    }
    assert.ok(failures > 100, `only ${failures} variants failed`);
  });
});
