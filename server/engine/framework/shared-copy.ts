// Copying ordinary bytes into shared memory at full speed.
//
// V8 copies into a SharedArrayBuffer with relaxed atomic loads and stores (a racing reader may see
// any mix of old and new bytes, but never a torn word), and moves a word at a time only when the
// source and the target sit at the same offset within a word. Otherwise it moves one byte at a
// time: 1.4 GiB/s on the benchmark VM, against 10 GiB/s for the same chunks with matching
// offsets. A request body arrives in chunks of whatever size the client's frames and the socket's
// reads make (13–16 KiB, rarely a multiple of 8), so most chunks of a 4 MiB feed took the byte
// path: 2.6 ms of the RPC thread per step (docs/benchmarks.md, "Copies into shared memory").
//
// A mismatched chunk is first copied into ordinary scratch memory at the target's offset within a
// word (a plain memcpy, over 15 GiB/s), and from there into the shared memory, now word by word:
// two fast copies instead of one slow one. A large source (a feed's bytes in an ordinary request
// body) goes through in 64 KiB pieces, each keeping the same offsets within a word.

const word = 8;

/** Bytes restaged at a time: a socket read's worth, so the scratch memory stays small. */
const pieceBytes = 64 * 1024;

/** Scratch memory for mismatched chunks, one piece and a word. */
const scratch = new Uint8Array(pieceBytes + word);

/** Chunks shorter than this go straight through: two copies would cost more than the slow one saves. */
const restageMinBytes = 256;

/**
 * Writes `source` into `target` at `offset`: word by word whatever the offsets when `target` is
 * shared memory, as `target.set` does otherwise.
 */
export function copyIntoShared(target: Uint8Array, offset: number, source: Uint8Array): void {
  const targetPhase = (target.byteOffset + offset) % word;
  if (
    source.length < restageMinBytes ||
    source.byteOffset % word === targetPhase ||
    !(target.buffer instanceof SharedArrayBuffer)
  ) {
    target.set(source, offset);
    return;
  }
  for (let done = 0; done < source.length; done += pieceBytes) {
    const piece = source.subarray(done, done + pieceBytes);
    scratch.set(piece, targetPhase);
    target.set(scratch.subarray(targetPhase, targetPhase + piece.length), offset + done);
  }
}
