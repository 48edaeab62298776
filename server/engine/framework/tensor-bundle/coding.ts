// Little-endian fixed-width and varint encodings of TF's core/lib/core/coding.h, used by the table
// and tensor bundle formats.

/** Appends bytes to a growing buffer. */
export class ByteSink {
  private buf = new Uint8Array(256);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.length + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  byte(v: number): void {
    this.reserve(1);
    this.buf[this.length++] = v & 0xff;
  }

  fixed32(v: number): void {
    this.reserve(4);
    new DataView(this.buf.buffer).setUint32(this.length, v >>> 0, true);
    this.length += 4;
  }

  fixed64(v: bigint): void {
    this.reserve(8);
    new DataView(this.buf.buffer).setBigUint64(this.length, BigInt.asUintN(64, v), true);
    this.length += 8;
  }

  varint(v: number | bigint): void {
    let x = BigInt(v);
    while (x >= 0x80n) {
      this.byte(Number(x & 0x7fn) | 0x80);
      x >>= 7n;
    }
    this.byte(Number(x));
  }

  /** The bytes written so far (a view; copy before writing more if kept). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

/** Encodes one varint. */
export function varintBytes(v: number | bigint): Uint8Array {
  const s = new ByteSink();
  s.varint(v);
  return s.view().slice();
}

/** A varint read from bytes at pos: its value and the position after it, or undefined if malformed. */
export function readVarint(
  bytes: Uint8Array,
  pos: number,
  limit: number,
  maxBytes = 10,
): { value: bigint; next: number } | undefined {
  let value = 0n;
  for (let i = 0; i < maxBytes && pos + i < limit; i++) {
    const b = bytes[pos + i]!;
    value |= BigInt(b & 0x7f) << BigInt(7 * i);
    if ((b & 0x80) === 0) return { value: BigInt.asUintN(64, value), next: pos + i + 1 };
  }
  return undefined;
}

/** Reads a varint32 (TF's GetVarint32Ptr: at most 5 bytes). */
export function readVarint32(
  bytes: Uint8Array,
  pos: number,
  limit: number,
): { value: number; next: number } | undefined {
  const r = readVarint(bytes, pos, limit, 5);
  if (r === undefined || r.value > 0xffffffffn) return undefined;
  return { value: Number(r.value), next: r.next };
}

export function readFixed32(bytes: Uint8Array, pos: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(pos, true);
}

export function readFixed64(bytes: Uint8Array, pos: number): bigint {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(pos, true);
}

/** Bytewise comparison (TF's default table comparator). */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return a.length - b.length;
}
