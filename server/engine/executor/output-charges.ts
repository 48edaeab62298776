// What the executor charges for a kernel's outputs once it has computed, beyond what allocData
// charged while it ran (StepMemoryAccount in framework/tensor.ts, docs/security.md):
//
// - String payloads. allocData charges a string tensor's elements a flat size (the array slot and
//   object header), not their bytes; the kernel builds the bytes afterwards, often sharing them
//   with its inputs (Tile, Gather and Fill copy references). A string output whose storage the
//   step has not seen before is charged its real byte length, as TF's tstrings would be copied,
//   less what the kernel charged ahead (chargeStringBytes, for kernels that can build far more
//   than they read). Storage seen before (a forwarded input, a variable's value, a constant after
//   its first step) is not charged again: feeds, variables and constants stay uncharged.
// - Fetches. An output the client fetches may not exceed the response limit: refused here, before
//   it is encoded, in the response limit's own words (fetchTooLarge).

import { fetchTooLarge, type StepMemoryAccount, stringBytes, valueBytes } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import type { Entry } from "./entry.js";

/** String storage already charged or never to be charged (see the header); weak, per thread. */
const seenStrings = new WeakSet<object>();

/** Marks the string storage of a value that arrived from outside the step (a feed, a received value). */
export function markStringsSeen(entry: Entry | undefined): void {
  const t = entry?.tensor;
  if (t !== undefined && t.dtype === DataType.DT_STRING) seenStrings.add(t.data);
}

/**
 * Charges the real size of a kernel's new string outputs and checks its fetched outputs against
 * the response limit; throws RESOURCE_EXHAUSTED (the kernel's node fails) past either.
 */
export function chargeOutputs(
  account: StepMemoryAccount,
  outputs: readonly (Entry | undefined)[],
  fetched: readonly number[],
): void {
  let ahead = account.stringBytesAhead;
  account.stringBytesAhead = 0;
  for (let i = 0; i < outputs.length; i++) {
    const t = outputs[i]?.tensor;
    if (t === undefined) continue;
    if (t.dtype === DataType.DT_STRING && !seenStrings.has(t.data)) {
      seenStrings.add(t.data);
      const bytes = stringBytes(t);
      const due = Math.max(0, bytes - ahead);
      ahead = Math.max(0, ahead - bytes);
      if (due > 0) account.charge(due, DataType.DT_STRING, t.shape);
      // In a loop iteration the whole payload is the value's, what was charged ahead included: it
      // goes where the value goes (NextIteration, a TensorArray slot), or back with the iteration.
      if (account.track && bytes > 0) account.remember(t.data, account.ownedBytes(t) + bytes);
    }
    if (account.maxFetchBytes !== undefined && fetched.includes(i)) {
      const bytes = valueBytes(t);
      if (bytes > account.maxFetchBytes) throw fetchTooLarge(bytes, account.maxFetchBytes);
    }
  }
}
