// copyIntoShared: the bytes land exactly where target.set would put them, for every pairing of
// source and target offsets within a word, chunks short and long, and targets that are views.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { copyIntoShared } from "./shared-copy.js";

function pattern(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 31 + seed * 7 + (i >> 8)) & 255;
  return out;
}

describe("copyIntoShared", () => {
  it("writes every source/target phase pairing as target.set does", () => {
    for (const length of [0, 1, 255, 256, 257, 13_731, 70_000, 200_003]) {
      for (let sourcePhase = 0; sourcePhase < 8; sourcePhase++) {
        for (let targetPhase = 0; targetPhase < 8; targetPhase++) {
          const backing = pattern(length + 16, length + sourcePhase);
          const source = backing.subarray(sourcePhase, sourcePhase + length);
          const target = new Uint8Array(new SharedArrayBuffer(length + 40), 3, length + 30);
          const expected = new Uint8Array(length + 30);
          target.fill(0xee);
          expected.fill(0xee);
          const offset = (targetPhase - 3 + 8) % 8;
          copyIntoShared(target, offset, source);
          expected.set(source, offset);
          assert.deepEqual(
            new Uint8Array(target),
            expected,
            `length ${length}, phases ${sourcePhase}/${targetPhase}`,
          );
        }
      }
    }
  });

  it("copies into ordinary memory as target.set does", () => {
    const source = pattern(5000, 3).subarray(1);
    const target = new Uint8Array(6000);
    copyIntoShared(target, 6, source);
    const expected = new Uint8Array(6000);
    expected.set(source, 6);
    assert.deepEqual(target, expected);
  });

  it("leaves no bytes of one chunk behind for the next (scratch memory is reused)", () => {
    const target = new Uint8Array(new SharedArrayBuffer(100_000));
    const first = pattern(80_000, 1).subarray(1);
    const second = pattern(1000, 2).subarray(5);
    copyIntoShared(target, 2, first);
    copyIntoShared(target, 2 + first.length, second);
    const expected = new Uint8Array(100_000);
    expected.set(first, 2);
    expected.set(second, 2 + first.length);
    assert.deepEqual(new Uint8Array(target), expected);
  });
});
