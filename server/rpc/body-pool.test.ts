import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { BodyPool } from "./body-pool.js";

const MiB = 1024 * 1024;

describe("BodyPool", () => {
  test("a buffer given back is taken again for a body of exactly its size, and only for that", () => {
    const pool = new BodyPool(8 * MiB);
    const a = pool.take(MiB + 3);
    pool.give(a);
    assert.equal(pool.heldBytes, MiB + 3);
    assert.notEqual(pool.take(MiB + 4), a, "another size gets new memory");
    assert.equal(pool.take(MiB + 3), a);
    assert.equal(pool.heldBytes, 0);
    assert.notEqual(pool.take(MiB + 3), a, "a buffer is handed out once");
  });

  test("idle buffers stay within the bound: the least recently given back go first", () => {
    const pool = new BodyPool(3 * MiB);
    const [a, b, c, d] = [pool.take(MiB), pool.take(MiB), pool.take(MiB), pool.take(MiB)];
    for (const buffer of [a, b, c, d]) pool.give(buffer!);
    assert.equal(pool.heldBytes, 3 * MiB);
    const again = [pool.take(MiB), pool.take(MiB), pool.take(MiB)];
    assert.deepEqual(new Set(again), new Set([b, c, d]), "a was dropped");
    assert.equal(pool.heldBytes, 0);
  });

  test("a buffer larger than the whole bound is not kept", () => {
    const pool = new BodyPool(2 * MiB);
    pool.give(new SharedArrayBuffer(3 * MiB));
    assert.equal(pool.heldBytes, 0);
  });
});
