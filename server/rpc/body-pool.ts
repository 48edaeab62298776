// The pool of the fast paths' large request bodies (rpc/shared-body.ts). A body's memory goes back
// only when the engine has said that nothing of the step kept it (CallMemory.reusable,
// engine/master/feed-lifetime.ts) and the answer, which may hold views of it, has been written
// (rpc/unary-call.ts). Why a pool: engine/framework/shared-memory-pool.ts.

import { SharedMemoryPool } from "../engine/framework/shared-memory-pool.js";

/** Most idle bytes kept (docs/security.md, "Pooled body memory"). */
export const bodyPoolIdleBytes = 64 * 1024 * 1024;

export const requestBodyPool = new SharedMemoryPool(bodyPoolIdleBytes);
