// What one executor run holds in its step's memory account (StepMemoryAccount in
// framework/tensor.ts, the per-step budget --max-step-bytes).
//
// The model: the step's account is made current around each synchronous compute, so allocData
// charges the right step; an async kernel runs with no account (whatever it allocates after an
// await cannot be attributed). Charges belong to the iteration whose kernel made them and are
// released when the executor drops that iteration; a value carried out of it (NextIteration, Exit)
// takes its charge to the iteration it reaches, and a function call's results are charged to the
// caller's iteration (the call's own run released them). Whatever a run still holds is released
// when it ends.

import type { StepMemoryAccount } from "../framework/tensor.js";
import type { Entry } from "./entry.js";

/** What the ledger needs of an iteration: the bytes charged to it. */
export interface ChargedScope {
  charged: number;
}

export class MemoryLedger {
  /** Bytes this run holds in the account. */
  private held = 0;

  constructor(readonly account: StepMemoryAccount | undefined) {}

  /**
   * Charges what a synchronous compute in `scope` allocated (the account's growth since
   * `liveBefore`), but what it kept for the rest of the step (a TensorArray slot written in a loop
   * iteration, keepChargedForStep), which the run holds until it ends.
   */
  chargeCompute(scope: ChargedScope, liveBefore: number): void {
    const account = this.account!;
    const kept = account.keptForStep;
    account.keptForStep = 0;
    const charged = account.live - liveBefore - kept;
    scope.charged += charged;
    this.held += charged + kept;
  }

  /**
   * A value leaving iteration `from` for `to` (NextIteration, Exit) takes its charge along: it was
   * allocated in `from` or moved there, and `from` may be dropped while `to` still holds it.
   */
  moveCharge(from: ChargedScope, to: ChargedScope, entry: Entry | undefined): void {
    if (this.account === undefined || entry?.tensor === undefined) return;
    const bytes = this.account.ownedBytes(entry.tensor);
    from.charged -= bytes;
    to.charged += bytes;
  }

  /** Charges a function call's result to the iteration it reaches (the call released it). */
  chargeMoved(scope: ChargedScope, entry: Entry | undefined): void {
    if (this.account === undefined || entry?.tensor === undefined) return;
    const bytes = this.account.ownedBytes(entry.tensor);
    if (bytes === 0) return;
    this.account.add(bytes);
    scope.charged += bytes;
    this.held += bytes;
  }

  /** Releases an iteration's charges (the executor drops it). */
  release(scope: ChargedScope): void {
    if (this.account === undefined || scope.charged === 0) return;
    this.account.release(scope.charged);
    this.held -= scope.charged;
    scope.charged = 0;
  }

  /** Releases whatever the run still holds (it ended). */
  releaseAll(): void {
    this.account?.release(this.held);
  }
}
