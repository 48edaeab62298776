// CRC32C check values: RFC 3720 (iSCSI) appendix B.4 and the standard "123456789" check, plus
// TF's mask/unmask round trip and extension in pieces.

import assert from "node:assert/strict";
import { test } from "node:test";
import { crc32cExtend, crc32cValue, maskCrc, RunningCrc32c, unmaskCrc } from "./crc32c.js";

test("CRC32C check values", () => {
  assert.equal(crc32cValue(new TextEncoder().encode("123456789")), 0xe3069283);
  assert.equal(crc32cValue(new Uint8Array(32)), 0x8a9136aa);
  assert.equal(crc32cValue(new Uint8Array(32).fill(0xff)), 0x62a8ab43);
  assert.equal(crc32cValue(Uint8Array.from({ length: 32 }, (_, i) => i)), 0x46dd794e);
  assert.equal(crc32cValue(Uint8Array.from({ length: 32 }, (_, i) => 31 - i)), 0x113fdb5c);
  assert.equal(crc32cValue(new Uint8Array(0)), 0);
});

test("extending in pieces equals one pass; mask and unmask are inverses", () => {
  const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 131) & 0xff);
  const whole = crc32cValue(bytes);
  for (const cut of [0, 1, 7, 8, 9, 500, 999, 1000]) {
    assert.equal(crc32cExtend(crc32cValue(bytes.subarray(0, cut)), bytes.subarray(cut)), whole);
  }
  assert.equal(new RunningCrc32c().update(bytes.subarray(0, 3)).update(bytes.subarray(3)).value(), whole);
  for (const v of [0, 1, whole, 0xffffffff]) assert.equal(unmaskCrc(maskCrc(v)), v);
  assert.notEqual(maskCrc(whole), whole);
});
