// Calls that start steps are started a few per turn of the event loop.
//
// One socket read can carry the requests of many HTTP/2 streams, and the device threads' answers
// come back in batches, so under load the RPC thread's turns grow long: with 64 small RunSteps in
// flight a turn started every one of them that had arrived, and a cheap call (ListDevices, a health
// check) whose bytes came in meanwhile waited for the whole turn before its socket was read. So the
// fast paths hand a RunStep or RunCallable here once its request is read, and the queue starts
// STEPS_PER_TURN of them per turn (those beyond the first few of a turn in a setImmediate), letting
// the loop read its sockets between batches: other calls are answered within a batch's time, not a
// turn's.
//
// Eight per turn, measured (docs/benchmarks.md, "Steps started a few per turn"): ListDevices' p50
// beside 64 small RunSteps in flight went from 3.9 to 2.5 ms and its p99 from 11–12 to 8–10 ms, at
// 0–7 % fewer RunSteps a second; four per turn cost a quarter of them, sixteen gained little.

/** Step-starting calls started per turn of the event loop. */
export const STEPS_PER_TURN = 8;

/**
 * A FIFO of jobs run at most `perTurn` per turn of the event loop, in the order pushed. A job pushed
 * while nothing waits and the turn's budget is not spent runs at once: an idle server starts a step
 * without waiting for the loop's check phase (that wait cost a lone client's RunStep 5–10 % of its
 * rate). The rest wait, and a setImmediate runs what is left of the turn's budget from the queue.
 */
export class TurnQueue {
  /** Queued jobs from `next` on; a job's slot is cleared when it runs. */
  private jobs: ((() => void) | undefined)[] = [];
  private next = 0;
  /** Jobs started since the last setImmediate ran (at once or from the queue). */
  private startedThisTurn = 0;
  private scheduled = false;
  /** A job is running: a job it pushes waits its turn rather than running inside it. */
  private running = false;

  constructor(
    private readonly perTurn: number,
    /** Told of a job that threw; the jobs after it still run. */
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Jobs waiting to run. */
  get size(): number {
    return this.jobs.length - this.next;
  }

  push(job: () => void): void {
    if (this.size === 0 && !this.running && this.startedThisTurn < this.perTurn) {
      this.startedThisTurn++;
      // The setImmediate ends the turn's count even when nothing waits.
      if (!this.scheduled) this.schedule();
      this.run(job);
      return;
    }
    this.jobs.push(job);
    if (!this.scheduled) this.schedule();
  }

  private schedule(): void {
    this.scheduled = true;
    setImmediate(this.runSome);
  }

  private run(job: () => void): void {
    this.running = true;
    try {
      job();
    } catch (error) {
      this.onError(error);
    } finally {
      this.running = false;
    }
  }

  private readonly runSome = (): void => {
    this.scheduled = false;
    const budget = Math.max(0, this.perTurn - this.startedThisTurn);
    const end = Math.min(this.next + budget, this.jobs.length);
    while (this.next < end) {
      const job = this.jobs[this.next] as () => void;
      this.jobs[this.next++] = undefined;
      this.run(job);
    }
    this.startedThisTurn = 0;
    if (this.next < this.jobs.length) {
      this.schedule();
      return;
    }
    this.jobs = [];
    this.next = 0;
  };
}
