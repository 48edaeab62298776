// The pool of the fast paths' large request bodies (rpc/shared-body.ts). A body's memory goes back
// only when the engine has said that nothing of the step kept it (CallMemory.reusable,
// engine/master/feed-lifetime.ts) and the answer, which may hold views of it, has been written
// (rpc/unary-call.ts). Why a pool: engine/framework/shared-memory-pool.ts.

import { SharedMemoryPool } from "../engine/framework/shared-memory-pool.js";

/**
 * Most idle bytes kept (docs/security.md, "Pooled memory"): two 64 MiB tensors' bodies. A body is
 * its tensor plus a few dozen bytes of envelope, so a limit of 64 MiB kept no 64 MiB tensor's body
 * and every such call faulted in fresh memory (docs/benchmarks.md, "Tensor bytes").
 */
export const bodyPoolIdleBytes = 128 * 1024 * 1024;

export const requestBodyPool = new SharedMemoryPool(bodyPoolIdleBytes);
