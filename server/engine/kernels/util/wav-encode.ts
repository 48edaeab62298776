// 16-bit PCM WAV as TF's wav::EncodeAudioAsS16LEWav writes it (core/lib/wav/wav_io.cc): a 44-byte
// RIFF/fmt/data header, then each float sample times 32768, rounded half away from zero and
// clamped to int16, little-endian.

import { invalidArgument } from "../../framework/errors.js";

const HEADER = 44;

export function encodeWav(
  samples: ArrayLike<number>,
  start: number,
  sampleRate: number,
  channels: number,
  frames: number,
): Uint8Array {
  if (sampleRate === 0 || sampleRate > 0xffffffff) {
    throw invalidArgument(`sample_rate must be in (0, 2^32), got: ${sampleRate}`);
  }
  if (channels === 0 || channels > 0xffff) {
    throw invalidArgument(`num_channels must be in (0, 2^16), got: ${channels}`);
  }
  const n = frames * channels;
  const fileSize = HEADER + n * 2;
  if (fileSize > 0xffffffff)
    throw invalidArgument("Provided channels and frames cannot be encoded as a WAV.");
  const out = new Uint8Array(fileSize);
  const v = new DataView(out.buffer);
  const ascii = (at: number, s: string) => {
    for (let i = 0; i < 4; i++) out[at + i] = s.charCodeAt(i);
  };
  ascii(0, "RIFF");
  v.setUint32(4, fileSize - 8, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true); // PCM
  v.setUint16(22, channels, true);
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * 2 * channels, true);
  v.setUint16(32, 2 * channels, true);
  v.setUint16(34, 16, true);
  ascii(36, "data");
  v.setUint32(40, n * 2, true);
  for (let i = 0; i < n; i++) {
    const x = Math.fround(samples[start + i]! * 32768);
    // roundf rounds halves away from zero; a NaN sample becomes 0 (x86's conversion of NaN,
    // truncated to 16 bits).
    const r = Number.isNaN(x) ? 0 : Math.min(Math.max(Math.sign(x) * Math.round(Math.abs(x)), -32768), 32767);
    v.setInt16(HEADER + 2 * i, r, true);
  }
  return out;
}
