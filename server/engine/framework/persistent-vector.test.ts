import assert from "node:assert/strict";
import { test } from "node:test";
import { PersistentVector } from "./persistent-vector.js";

/** A deterministic pseudo-random sequence (xorshift32). */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
}

test("push, pop, get and set agree with an array through every trie depth", () => {
  let v = PersistentVector.empty<number>();
  const model: number[] = [];
  for (let i = 0; i < 40_000; i++) {
    v = v.push(i);
    model.push(i);
  }
  assert.equal(v.size, model.length);
  for (const i of [0, 31, 32, 1023, 1024, 1055, 1056, 32_767, 32_768, 33_823, 39_999])
    assert.equal(v.get(i), i);
  assert.deepEqual(v.toArray(), model);
  while (v.size > 0) {
    v = v.pop();
    model.pop();
    if (v.size % 997 === 0 || v.size < 70) {
      assert.equal(v.size, model.length);
      if (v.size > 0) assert.equal(v.get(v.size - 1), model[model.length - 1]);
    }
  }
  assert.deepEqual(v.toArray(), []);
});

test("random updates: every version stays what it was", () => {
  const next = rng(7);
  let v = PersistentVector.empty<number | undefined>();
  let model: (number | undefined)[] = [];
  const versions: [PersistentVector<number | undefined>, (number | undefined)[]][] = [];
  for (let step = 0; step < 20_000; step++) {
    const r = next();
    if (r < 0.5 || model.length === 0) {
      const x = r < 0.05 ? undefined : step;
      v = v.push(x);
      model = [...model, x];
    } else if (r < 0.7) {
      v = v.pop();
      model = model.slice(0, -1);
    } else {
      const i = Math.floor(next() * model.length);
      v = v.set(i, -step);
      model = model.slice();
      model[i] = -step;
    }
    if (step % 500 === 0) versions.push([v, model]);
  }
  for (const [ver, m] of versions) {
    assert.equal(ver.size, m.length);
    assert.deepEqual(ver.toArray(), m);
  }
});

test("from() builds the same vector as pushes, at sizes around node boundaries", () => {
  for (const n of [0, 1, 31, 32, 33, 64, 1024, 1055, 1056, 1057, 2080, 33_824, 33_825]) {
    const items = Array.from({ length: n }, (_, i) => i * 3);
    const v = PersistentVector.from(items);
    assert.equal(v.size, n);
    assert.deepEqual(v.toArray(), items, `n=${n}`);
    // Keeps working after more pushes and pops.
    const w = v.push(-1).push(-2).pop();
    assert.deepEqual(w.toArray(), [...items, -1], `n=${n} push`);
    if (n > 0) assert.deepEqual(v.pop().toArray(), items.slice(0, -1), `n=${n} pop`);
    if (n > 0) assert.equal(v.set(n - 1, 7).get(n - 1), 7);
    if (n > 0) assert.equal(v.get(n - 1), (n - 1) * 3, "the original is unchanged");
  }
});

test("out-of-range access throws", () => {
  const v = PersistentVector.from([1, 2]);
  assert.throws(() => v.get(2), RangeError);
  assert.throws(() => v.set(-1, 0), RangeError);
  assert.throws(() => PersistentVector.empty().pop(), RangeError);
});
