// CRC32C (Castagnoli, reflected polynomial 0x82F63B78) as TF's checkpoint and table formats and its
// TFRecord files use it (tsl/lib/hash/crc32c.h): the plain checksum, a running checksum extended
// piece by piece, and the "mask" TF applies before storing a CRC next to the data it covers.
//
// Our own slicing-by-8 table implementation rather than an npm package: the well-kept one
// (@aws-crypto/crc32c) walks every byte through an iterator and checksums ~17 MB/s here, which
// would make the checksum the slowest part of saving or restoring a large checkpoint; eight tables
// (8 KiB) reach several hundred MB/s. Correctness is pinned by the RFC 3720 check values in
// crc32c.test.ts and by TF's own checkpoints (kernels/checkpoint-fixtures.test.ts).

const POLY = 0x82f63b78;
const MASK_DELTA = 0xa282ead8;

/** TABLES[k][b]: the CRC of byte b followed by k zero bytes. */
const TABLES: Uint32Array[] = (() => {
  const t = Array.from({ length: 8 }, () => new Uint32Array(256));
  for (let b = 0; b < 256; b++) {
    let c = b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    t[0]![b] = c >>> 0;
  }
  for (let b = 0; b < 256; b++) {
    for (let k = 1; k < 8; k++) t[k]![b] = (t[k - 1]![b]! >>> 8) ^ t[0]![t[k - 1]![b]! & 0xff]!;
  }
  return t;
})();

/** Extends a finalized CRC32C with more bytes (TF's crc32c::Extend). */
export function crc32cExtend(crc: number, bytes: Uint8Array): number {
  const [t0, t1, t2, t3, t4, t5, t6, t7] = TABLES as [
    Uint32Array,
    Uint32Array,
    Uint32Array,
    Uint32Array,
    Uint32Array,
    Uint32Array,
    Uint32Array,
    Uint32Array,
  ];
  let c = ~crc >>> 0;
  let i = 0;
  const n = bytes.length;
  for (; i + 8 <= n; i += 8) {
    const lo = c ^ (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24));
    c =
      t7[lo & 0xff]! ^
      t6[(lo >>> 8) & 0xff]! ^
      t5[(lo >>> 16) & 0xff]! ^
      t4[lo >>> 24]! ^
      t3[bytes[i + 4]!]! ^
      t2[bytes[i + 5]!]! ^
      t1[bytes[i + 6]!]! ^
      t0[bytes[i + 7]!]!;
  }
  for (; i < n; i++) c = (c >>> 8) ^ t0[(c ^ bytes[i]!) & 0xff]!;
  return ~c >>> 0;
}

/** CRC32C of bytes. */
export function crc32cValue(bytes: Uint8Array): number {
  return crc32cExtend(0, bytes);
}

/** A CRC32C computed over several pieces in order (TF's crc32c::Extend chain starting at 0). */
export class RunningCrc32c {
  private crc = 0;

  update(bytes: Uint8Array): this {
    this.crc = crc32cExtend(this.crc, bytes);
    return this;
  }

  /** The checksum of everything so far; more pieces may follow. */
  value(): number {
    return this.crc;
  }
}

/** TF's crc32c::Mask: rotate right by 15 bits and add a constant. */
export function maskCrc(crc: number): number {
  return (((crc >>> 15) | (crc << 17)) + MASK_DELTA) >>> 0;
}

/** Inverse of maskCrc. */
export function unmaskCrc(masked: number): number {
  const rot = (masked - MASK_DELTA) >>> 0;
  return ((rot >>> 17) | (rot << 15)) >>> 0;
}
