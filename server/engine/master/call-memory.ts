// What a transport and the engine tell each other about memory a call lends or returns, so that it
// can be used again once the call's answer has been written (docs/architecture.md, "Tensor bytes").
//
// The transport makes one per RunStep or RunCallable it serves on a fast path; the engine fills it
// in when the step succeeds; the transport acts on it only after the answer's bytes have all gone
// to the socket, since the answer may hold views of both the request's memory and the fetched
// tensors' storage.

export interface CallMemory {
  /**
   * The request body's memory is the answer's alone: the step succeeded and no value made from
   * its feeds can outlive it (master/feed-lifetime.ts). The transport may then use it again.
   */
  reusable: boolean;
  /**
   * Gives the storage of fetched tensors that nothing else holds back to the worker that made it
   * (framework/shared-memory-pool.ts); undefined when there is none.
   */
  returnFetches: (() => void) | undefined;
}
