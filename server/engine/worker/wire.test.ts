// Tensors crossing a thread boundary (wire.ts): DT_VARIANT TensorLists must arrive as equal lists,
// nested element tensors of every storage kind and unset elements included.

import assert from "node:assert/strict";
import { test } from "node:test";
import { MessageChannel } from "node:worker_threads";
import { EMPTY_VARIANT, fromValues, Tensor, type VariantValue } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { isTensorList, TensorList } from "../framework/variant.js";
import { fromWireTensor, toWireTensor, type WireTensor } from "./wire.js";

const utf8 = new TextEncoder();

function sampleList(): TensorList {
  const inner = new TensorList(
    DataType.DT_INT32,
    [-1],
    [fromValues(DataType.DT_INT32, [3], [1, 2, 3]), undefined],
  );
  const elements: (Tensor | undefined)[] = [
    fromValues(DataType.DT_FLOAT, [2, 2], [1.5, -2, 0, 3.25]),
    undefined,
    fromValues(DataType.DT_INT64, [2], [2n ** 62n, -5n]),
    new Tensor(DataType.DT_STRING, [2], [utf8.encode("a"), utf8.encode("héllo")]),
    new Tensor(DataType.DT_COMPLEX64, [1], Float32Array.of(1, -1)),
    fromValues(DataType.DT_BOOL, [3], [true, false, true]),
    new Tensor(DataType.DT_HALF, [1], Uint16Array.of(0x3c00)),
    new Tensor(DataType.DT_VARIANT, [], [inner]),
    undefined,
  ];
  return new TensorList(DataType.DT_FLOAT, undefined, elements, 12);
}

/** Asserts two tensors (variant ones recursively) hold the same values. */
function assertSameTensor(got: Tensor, want: Tensor, at: string): void {
  assert.ok(got instanceof Tensor, `${at}: not a Tensor`);
  assert.equal(got.dtype, want.dtype, `${at}: dtype`);
  assert.deepEqual(got.shape, want.shape, `${at}: shape`);
  if (want.dtype !== DataType.DT_VARIANT) {
    assert.deepEqual(got.data, want.data, `${at}: data`);
    assert.equal(got.data.constructor, want.data.constructor, `${at}: storage kind`);
    return;
  }
  const g = got.data as VariantValue[];
  for (const [i, w] of (want.data as VariantValue[]).entries()) assertSameVariant(g[i]!, w, `${at}[${i}]`);
}

function assertSameVariant(got: VariantValue, want: VariantValue, at: string): void {
  if (!isTensorList(want)) {
    assert.equal(got, want, `${at}: the empty Variant`);
    return;
  }
  assert.ok(isTensorList(got), `${at}: not a TensorList`);
  assert.equal(got.elementDtype, want.elementDtype, `${at}: element dtype`);
  assert.deepEqual(got.elementShape, want.elementShape, `${at}: element shape`);
  assert.equal(got.maxNumElements, want.maxNumElements, `${at}: max_num_elements`);
  assert.equal(got.length, want.length, `${at}: length`);
  want.tensors.forEach((w, i) => {
    const g = got.tensors[i];
    if (w === undefined) assert.equal(g, undefined, `${at}.tensors[${i}]: unset`);
    else assertSameTensor(g!, w, `${at}.tensors[${i}]`);
  });
}

/** What postMessage delivers on the other side. */
async function throughPort(w: WireTensor): Promise<WireTensor> {
  const { port1, port2 } = new MessageChannel();
  const got = new Promise<WireTensor>((resolve) => port2.once("message", resolve));
  port1.postMessage(w);
  try {
    return await got;
  } finally {
    port1.close();
    port2.close();
  }
}

test("a TensorList scalar round-trips through toWireTensor / postMessage / fromWireTensor", async () => {
  const t = new Tensor(DataType.DT_VARIANT, [], [sampleList()]);
  const back = fromWireTensor(await throughPort(toWireTensor(t)));
  assertSameTensor(back, t, "list");
  // Structured clone alone (no port) gives the same.
  assertSameTensor(fromWireTensor(structuredClone(toWireTensor(t))), t, "cloned list");
});

test("a vector of variants (lists, an empty list, the empty Variant) round-trips", async () => {
  const t = new Tensor(
    DataType.DT_VARIANT,
    [3],
    [sampleList(), new TensorList(DataType.DT_STRING, [2, -1], []), EMPTY_VARIANT],
  );
  assertSameTensor(fromWireTensor(await throughPort(toWireTensor(t))), t, "vector");
});

test("dense tensors still cross as their storage", () => {
  const t = fromValues(DataType.DT_DOUBLE, [2], [1, 2]);
  assert.equal(toWireTensor(t).data, t.data);
  assertSameTensor(fromWireTensor(structuredClone(toWireTensor(t))), t, "double");
});

/** Sends one message over a real MessageChannel (the structured clone postMessage makes). */
function postAcross<T>(value: T): Promise<T> {
  const { port1, port2 } = new MessageChannel();
  return new Promise<T>((resolve) => {
    port2.once("message", (m: T) => {
      port1.close();
      resolve(m);
    });
    port1.postMessage(value);
  });
}

test("a tensor in shared memory crosses without a copy: both threads see one memory", async () => {
  const data = new Float32Array(new SharedArrayBuffer(4 * 1024));
  data[0] = 1.5;
  const arrived = fromWireTensor(await postAcross(toWireTensor(new Tensor(DataType.DT_FLOAT, [1024], data))));
  const seen = arrived.data as Float32Array;
  assert.ok(seen.buffer instanceof SharedArrayBuffer);
  data[0] = 7;
  assert.equal(seen[0], 7, "a write on one side shows on the other: the memory is shared");
});

test("a small view of a large ordinary buffer crosses as its own bytes, not with the whole buffer", async () => {
  const big = new ArrayBuffer(1 << 20);
  const view = new Int32Array(big, 4096, 3);
  view.set([1, -2, 3]);
  const wire = toWireTensor(new Tensor(DataType.DT_INT32, [3], view));
  assert.equal(
    (wire.data as Int32Array).buffer.byteLength,
    12,
    "cut to the tensor's 12 bytes before cloning",
  );
  const arrived = fromWireTensor(await postAcross(wire));
  assert.deepEqual([...(arrived.data as Int32Array)], [1, -2, 3]);
  assert.equal((arrived.data as Int32Array).buffer.byteLength, 12);
  // A tensor that is its whole buffer crosses as it is (postMessage makes the one copy).
  const whole = Float64Array.of(1, 2);
  assert.equal(toWireTensor(new Tensor(DataType.DT_DOUBLE, [2], whole)).data, whole);
});

test("a TensorList element that is a small view of a large buffer crosses as its own bytes", async () => {
  const view = new Float32Array(new ArrayBuffer(1 << 20), 64, 2);
  view.set([0.5, -1]);
  const list = new TensorList(DataType.DT_FLOAT, [2], [new Tensor(DataType.DT_FLOAT, [2], view)], -1);
  const wire = toWireTensor(new Tensor(DataType.DT_VARIANT, [], [list]));
  const arrived = fromWireTensor(await postAcross(wire));
  const element = ((arrived.data as VariantValue[])[0] as TensorList).tensors[0]!;
  assert.deepEqual([...(element.data as Float32Array)], [0.5, -1]);
  assert.equal((element.data as Float32Array).buffer.byteLength, 8);
});
