// Bytes as a JS string with one code unit per byte (0..255), and back: map keys and sort keys that
// order like the bytes. TextDecoder("latin1") is not this: WHATWG maps that label to windows-1252,
// so bytes 0x80..0x9f become other code points (Node 24 follows the standard; Node 20 did not).

export function binaryString(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
}

export function binaryBytes(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, "latin1"));
}
