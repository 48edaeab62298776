// BMP reading as TF's DecodeImageV2Op::DecodeBmpV2 does it (core/kernels/image/decode_image_op.cc):
// uncompressed 8-, 24- or 32-bit pixels after `header_size` bytes, rows padded to 4 bytes, bottom-up
// unless the height is negative; BGR(A) to RGB(A), gray copied to RGB, alpha added as 255 or
// dropped. The header fields are read where TF reads them, without checking the rest of the header.

import { invalidArgument } from "../../framework/errors.js";

export interface DecodedBmp {
  readonly width: number;
  readonly height: number;
  readonly channels: number;
  readonly data: Uint8Array;
}

export function decodeBmp(b: Uint8Array, channels: number): DecodedBmp {
  if (channels === 1) throw invalidArgument(`\`channels\` must be 0, 3 or 4 for BMP, but got ${channels}`);
  if (b.length < 32) {
    throw invalidArgument(
      `Incomplete bmp content, requires at least 32 bytes to find the header size, width, height, and bpp, got ${b.length} bytes`,
    );
  }
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const headerSize = v.getInt32(10, true);
  const width = v.getInt32(18, true);
  const height = v.getInt32(22, true);
  const bpp = v.getInt16(28, true);
  const inCh = Math.trunc(bpp / 8);
  if (inCh !== 1 && inCh !== 3 && inCh !== 4) {
    throw invalidArgument(`Number of channels inherent in the image must be 1, 3 or 4, was ${inCh}`);
  }
  const outCh = channels || inCh;
  if (width <= 0) throw invalidArgument("Width must be positive");
  if (height === 0) throw invalidArgument("Height must be nonzero");
  if (headerSize < 0) throw invalidArgument("header size must be nonnegative");
  const absH = Math.abs(height);
  if (width * absH >= Math.floor(0x7fffffff / 8))
    throw invalidArgument("Total possible pixel bytes must be less than 2^30");
  const rowSize = Math.floor((inCh * width + 3) / 4) * 4;
  // TF computes the difference in a 32-bit int.
  const diff = (b.length - headerSize - rowSize * absH) | 0;
  if (diff !== 0) {
    throw invalidArgument(
      `Input size should match (header_size + row_size * abs_height) but they differ by ${diff}`,
    );
  }
  const out = new Uint8Array(absH * width * outCh);
  const topDown = height < 0;
  for (let i = 0; i < absH; i++) {
    const row = headerSize + (topDown ? i : absH - 1 - i) * rowSize;
    for (let j = 0; j < width; j++) {
      const src = row + j * inCh;
      const dst = (i * width + j) * outCh;
      if (inCh === 1) {
        out[dst] = b[src]!;
        if (outCh >= 3) out[dst + 1] = out[dst + 2] = b[src]!;
        if (outCh === 4) out[dst + 3] = 255;
      } else {
        out[dst] = b[src + 2]!;
        out[dst + 1] = b[src + 1]!;
        out[dst + 2] = b[src]!;
        if (outCh === 4) out[dst + 3] = inCh === 4 ? b[src + 3]! : 255;
      }
    }
  }
  return { width, height: absH, channels: outCh, data: out };
}
