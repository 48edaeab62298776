import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { bfloat16ToFloat, floatToBfloat16, floatToHalf, halfToFloat } from "./float16.js";

// Fixture generated once with numpy 2.4 (float32 → float16 astype, round-to-nearest-even) and an
// integer bfloat16 RNE ((bits + 0x7fff + lsb) >> 16), seed 7; covers ties, overflow, subnormals.
const f32 = [
  0.0,
  -0,
  1.0,
  -1.0,
  65504.0,
  65505.0,
  65519.0,
  65520.0,
  9.99999993922529e-9,
  5.960000137861243e-8,
  2.9800000689306216e-8,
  2.9802322387695312e-8,
  6.0999998822808266e-5,
  6.097555160522461e-5,
  0.10000000149011612,
  0.3333333432674408,
  Infinity,
  -Infinity,
  3.3999999521443642e38,
  1.00048828125,
  1.0009765625,
  1.00146484375,
  2049.0,
  2051.0,
  1.2301533222198486,
  298.74554443359375,
  -274.1378479003906,
  -890.5918579101562,
  -454.6707763671875,
  -991.6465454101562,
  60.14360046386719,
  1340.2152099609375,
  -492.2065124511719,
  -620.474853515625,
  489.8420715332031,
  356.88702392578125,
  105.41424560546875,
  -930.468017578125,
  -29.25182342529297,
  695.30322265625,
  -1344.214599609375,
  -457.6157531738281,
  -1901.22265625,
  -1289.537841796875,
  -1.8417350702293334e-6,
  -2.3509113589170738e-7,
  -1.2674464642259409e-6,
  2.7126435497848433e-7,
  1.5675108500090573e-7,
  -1.8693094716581982e-7,
  -2.5167596504616085e-6,
  -5.386929160522413e-7,
  -4.8500943705676036e-8,
  1.1330898530559352e-7,
];
const half = [
  0, 32768, 15360, 48128, 31743, 31743, 31743, 31744, 0, 1, 0, 0, 1023, 1023, 11878, 13653, 31744, 64512,
  31744, 15360, 15361, 15362, 26624, 26626, 15596, 23723, 56393, 58101, 57115, 58303, 21381, 25916, 57265,
  57561, 24487, 23956, 22167, 58181, 53072, 24943, 58688, 57126, 59245, 58634, 32799, 32772, 32789, 5, 3,
  32771, 32810, 32777, 32769, 2,
];
const bf16 = [
  0, 32768, 16256, 49024, 18304, 18304, 18304, 18304, 12844, 13184, 13056, 13056, 14464, 14464, 15821, 16043,
  32640, 65408, 32640, 16256, 16256, 16256, 17664, 17664, 16285, 17301, 50057, 50271, 50147, 50296, 17009,
  17576, 50166, 50203, 17397, 17330, 17107, 50281, 49642, 17454, 50344, 50149, 50414, 50337, 46583, 46204,
  46506, 13458, 13352, 46153, 46633, 46353, 45904, 13299,
];

describe("float16", () => {
  it("floatToHalf matches numpy bit for bit", () => {
    assert.deepEqual(f32.map(floatToHalf), half);
  });
  it("floatToBfloat16 matches integer RNE bit for bit", () => {
    assert.deepEqual(f32.map(floatToBfloat16), bf16);
  });
  it("halfToFloat and bfloat16ToFloat invert exactly representable values", () => {
    for (const h of half) assert.equal(floatToHalf(halfToFloat(h)), h);
    for (const b of bf16) assert.equal(floatToBfloat16(bfloat16ToFloat(b)), b);
    assert.equal(halfToFloat(0x3c00), 1);
    assert.equal(halfToFloat(0x0001), 2 ** -24);
    assert.equal(halfToFloat(0x7bff), 65504);
    assert.equal(bfloat16ToFloat(0x3f80), 1);
  });
  it("NaN maps to the canonical quiet NaNs", () => {
    assert.equal(floatToHalf(Number.NaN), 0x7e00);
    assert.ok(Number.isNaN(halfToFloat(0x7e00)));
    assert.equal(floatToBfloat16(Number.NaN), 0x7fc0);
    assert.ok(Number.isNaN(bfloat16ToFloat(0x7fc0)));
  });
});
