// Calls that start steps are started a few per turn of the event loop.
//
// One socket read can carry the requests of many HTTP/2 streams, and the device threads' answers
// come back in batches, so under load the RPC thread's turns grow long: with 64 small RunSteps in
// flight a turn started every one of them that had arrived, and a cheap call (ListDevices, a health
// check) whose bytes came in meanwhile waited for the whole turn before its socket was read. So the
// fast paths queue a RunStep or RunCallable here once its request is read, and the queue starts
// STEPS_PER_TURN of them per turn (in a setImmediate), letting the loop read its sockets between
// batches: other calls are answered within a batch's time, not a turn's.
//
// Eight per turn, measured (docs/benchmarks.md, "Steps started a few per turn"): ListDevices' p50
// beside 64 small RunSteps in flight went from 3.9 to 2.5 ms and its p99 from 11–12 to 8–10 ms, at
// 0–7 % fewer RunSteps a second; four per turn cost a quarter of them, sixteen gained little.

/** Step-starting calls started per turn of the event loop. */
export const STEPS_PER_TURN = 8;

/** A FIFO of jobs run at most `perTurn` per turn of the event loop, in the order queued. */
export class TurnQueue {
  /** Queued jobs from `next` on; a job's slot is cleared when it runs. */
  private jobs: ((() => void) | undefined)[] = [];
  private next = 0;
  private scheduled = false;

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
    this.jobs.push(job);
    if (!this.scheduled) this.schedule();
  }

  private schedule(): void {
    this.scheduled = true;
    setImmediate(this.runSome);
  }

  private readonly runSome = (): void => {
    this.scheduled = false;
    const end = Math.min(this.next + this.perTurn, this.jobs.length);
    while (this.next < end) {
      const job = this.jobs[this.next] as () => void;
      this.jobs[this.next++] = undefined;
      try {
        job();
      } catch (error) {
        this.onError(error);
      }
    }
    if (this.next < this.jobs.length) {
      if (!this.scheduled) this.schedule();
      return;
    }
    this.jobs = [];
    this.next = 0;
  };
}
