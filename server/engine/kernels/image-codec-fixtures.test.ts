// The image codec kernels (EncodePng, DecodePng, DecodeBmp, DecodeJpeg, EncodeJpeg, DecodeImage)
// against TensorFlow 2.21 itself: testdata/image-codec-fixtures.json, written by
// testdata/gen_image_codec_fixtures.py. PNG bytes and PNG/BMP pixels must be TF's exactly; JPEG
// pixels within each case's tolerance (jpeg-js is not libjpeg-turbo); EncodeJpeg's output is
// decoded and compared with TF's decoding of TF's JPEG. Errors by code and message.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import type { Tensor } from "../framework/tensor.js";
import {
  type BxCase,
  type BxTensor,
  base64Values,
  bxTensor,
  runBxCase,
} from "./testing/binary-fixture-format.js";
import { num, valuesOf } from "./testing/fixture-format.js";
import { decodeJpeg } from "./util/jpeg-codec.js";
import { decodePng } from "./util/png-decode.js";

interface CodecCase extends BxCase {
  readonly tolerance?: number;
  readonly decoded?: BxTensor;
}

const fx = JSON.parse(
  readFileSync(new URL("./testdata/image-codec-fixtures.json", import.meta.url), "utf8"),
) as {
  tensorflow: string;
  cases: CodecCase[];
};

const label = (c: CodecCase): string => {
  const attrs = Object.entries(c.attrs)
    .map(([k, v]) => `${k}=${String(v[1])}`)
    .join(" ");
  const what = c.error
    ? `error: ${c.error.message.slice(0, 50)}`
    : c.inputs.map((t) => `[${t.shape}]`).join(" ");
  return `${c.op} ${attrs} ${what}`;
};

/** The largest difference between two numeric tensors' values. */
function maxDiff(got: Tensor, want: BxTensor): number {
  const g = valuesOf(got) as number[];
  let worst = 0;
  want.values.forEach((w, i) => {
    worst = Math.max(worst, Math.abs(g[i]! - num(w as number)));
  });
  return worst;
}

const fastLevel = (c: CodecCase) => {
  const level = c.attrs.compression?.[1];
  return typeof level === "number" && level >= 1 && level <= 3;
};

function bxTensorOf(t: BxTensor): Tensor {
  return bxTensor(t);
}

/** The samples of each PNG in a string tensor, in order (as numbers). */
function decodedPixels(t: Tensor): number[] {
  return (t.data as Uint8Array[]).flatMap((png) => {
    const bits = new DataView(png.buffer, png.byteOffset).getUint8(24) === 16 ? 16 : 8;
    return Array.from(decodePng(png, 0, bits, () => {}).data);
  });
}

describe(`image codec kernels vs TensorFlow ${fx.tensorflow}`, () => {
  fx.cases.forEach((c, k) => {
    it(`#${k} ${label(c)}`, async () => {
      const outputs = await runBxCase(c);
      if (outputs === undefined) return;
      const got = outputs[0]!;
      if (c.decoded) {
        // Our JPEG, decoded, against TF's JPEG decoded by TF.
        const want = c.decoded;
        const ours = decodeJpeg((got.data as Uint8Array[])[0]!, want.shape[2]!, 64);
        assert.ok(ours, "our JPEG decodes");
        assert.deepEqual([ours.height, ours.width, ours.channels], want.shape);
        const worst = Math.max(...want.values.map((w, i) => Math.abs(ours.data[i]! - (w as number))));
        assert.ok(worst <= c.tolerance!, `max difference ${worst} > ${c.tolerance}`);
        return;
      }
      const want = c.outputs![0]!;
      assert.equal(got.dtype, want.dtype, "dtype");
      assert.deepEqual(got.shape, want.shape, "shape");
      if (want.base64) {
        if (c.op === "EncodePng" && fastLevel(c)) {
          // zlib's fast levels (1-3) compress differently in Node's bundled zlib (Chromium's) than
          // in the zlib TF links; the PNG must still hold the image exactly.
          assert.deepEqual(decodedPixels(got), valuesOf(bxTensorOf(c.inputs[0]!)));
          return;
        }
        assert.deepEqual(base64Values(got), want.values);
        return;
      }
      const worst = maxDiff(got, want);
      assert.ok(worst <= (c.tolerance ?? 0), `max difference ${worst} > ${c.tolerance ?? 0}`);
    });
  });
});
