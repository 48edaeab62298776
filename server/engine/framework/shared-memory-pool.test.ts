import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { SharedMemoryPool } from "./shared-memory-pool.js";
import { allocData, copyStorage, tensorStoragePool } from "./tensor.js";
import { DataType } from "./types.js";

const MiB = 1024 * 1024;

describe("SharedMemoryPool", () => {
  test("a buffer given back is taken again for a body of exactly its size, and only for that", () => {
    const pool = new SharedMemoryPool(8 * MiB);
    const a = pool.take(MiB + 3);
    pool.give(a);
    assert.equal(pool.heldBytes, MiB + 3);
    assert.notEqual(pool.take(MiB + 4), a, "another size gets new memory");
    assert.equal(pool.take(MiB + 3), a);
    assert.equal(pool.heldBytes, 0);
    assert.notEqual(pool.take(MiB + 3), a, "a buffer is handed out once");
  });

  test("idle buffers stay within the bound: the least recently given back go first", () => {
    const pool = new SharedMemoryPool(3 * MiB);
    const [a, b, c, d] = [pool.take(MiB), pool.take(MiB), pool.take(MiB), pool.take(MiB)];
    for (const buffer of [a, b, c, d]) pool.give(buffer!);
    assert.equal(pool.heldBytes, 3 * MiB);
    const again = [pool.take(MiB), pool.take(MiB), pool.take(MiB)];
    assert.deepEqual(new Set(again), new Set([b, c, d]), "a was dropped");
    assert.equal(pool.heldBytes, 0);
  });

  test("a buffer larger than the whole bound is not kept", () => {
    const pool = new SharedMemoryPool(2 * MiB);
    pool.give(new SharedArrayBuffer(3 * MiB));
    assert.equal(pool.heldBytes, 0);
  });
});

describe("SharedMemoryPool.reuse", () => {
  test("gives an idle buffer with its old contents, or nothing: never new memory", () => {
    const pool = new SharedMemoryPool(MiB);
    assert.equal(pool.reuse(4096), undefined);
    const a = pool.take(4096);
    new Uint8Array(a).fill(7);
    pool.give(a);
    const again = pool.reuse(4096)!;
    assert.equal(again, a);
    assert.equal(new Uint8Array(again)[100], 7);
  });
});

describe("large tensor storage from this thread's pool", () => {
  test("allocData takes an idle buffer of the size and zeroes it; copyStorage overwrites it", () => {
    const n = 40_000; // 160,000 bytes of float32: shared memory
    const dirty = new SharedArrayBuffer(n * 4);
    new Float32Array(dirty).fill(1.5);
    new Uint8Array(dirty)[n * 4 - 1] = 9;
    tensorStoragePool.give(dirty);
    const data = allocData(DataType.DT_FLOAT, n) as Float32Array;
    assert.equal(data.buffer, dirty, "the idle buffer is used again");
    assert.ok(
      data.every((v) => v === 0),
      "and handed out zeroed",
    );

    const odd = new SharedArrayBuffer(70_001);
    new Uint8Array(odd).fill(3);
    tensorStoragePool.give(odd);
    const bytes = allocData(DataType.DT_UINT8, 70_001) as Uint8Array;
    assert.equal(bytes.buffer, odd);
    assert.ok(
      bytes.every((v) => v === 0),
      "a length that is no multiple of 8 is zeroed to its last byte",
    );

    const source = Float32Array.from({ length: n }, (_, i) => i);
    tensorStoragePool.give(dirty);
    const copy = copyStorage(source) as Float32Array;
    assert.equal(copy.buffer, dirty);
    assert.deepEqual(copy, source);
  });

  test("small storage never comes from the pool", () => {
    const small = new SharedArrayBuffer(1024);
    tensorStoragePool.give(small);
    assert.notEqual((allocData(DataType.DT_FLOAT, 256) as Float32Array).buffer, small);
    assert.equal(tensorStoragePool.reuse(1024), small);
  });
});
