// The part of omggif's GifReader (a GIF parser with LZW decoding, no types of its own) that
// gif-decode.ts uses.
declare module "omggif" {
  export interface GifFrameInfo {
    readonly x: number;
    readonly y: number;
    readonly width: number;
    readonly height: number;
    readonly palette_size: number | null;
    readonly transparent_index: number | null;
  }
  export class GifReader {
    constructor(buf: Uint8Array);
    readonly width: number;
    readonly height: number;
    numFrames(): number;
    frameInfo(frame: number): GifFrameInfo;
    decodeAndBlitFrameRGBA(frame: number, pixels: Uint8Array): void;
  }
}
