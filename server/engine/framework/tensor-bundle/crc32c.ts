// CRC32C (Castagnoli) as TF's checkpoint and table formats use it (tsl/lib/hash/crc32c.h): the
// plain checksum, a running checksum extended piece by piece, and the "mask" TF applies before
// storing a CRC next to the data it covers (so a CRC of bytes that contain CRCs stays well spread).

import { Crc32c } from "@aws-crypto/crc32c";

const MASK_DELTA = 0xa282ead8;

/** CRC32C of bytes. */
export function crc32cValue(bytes: Uint8Array): number {
  return new Crc32c().update(bytes).digest();
}

/** A CRC32C computed over several pieces in order (TF's crc32c::Extend chain starting at 0). */
export class RunningCrc32c {
  private readonly crc = new Crc32c();

  update(bytes: Uint8Array): this {
    this.crc.update(bytes);
    return this;
  }

  /** The checksum of everything so far; more pieces may follow. */
  value(): number {
    return this.crc.digest();
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
