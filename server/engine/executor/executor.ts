// TensorFlow's dataflow executor (core/common_runtime/executor.cc) with v1 control-flow frames.
//
// Drawn as TF draws it:
//   immutable-state.ts  ImmutableExecutorState: the kernels (created once, when the executor is
//                       built, as TF's GraphMgr::InitItem does), out edges, pending counts and the
//                       static frame of every node;
//   executor-state.ts   ExecutorState, one per step: the ready queue, running kernels (synchronous
//                       ones inline, async ones awaited while other ready nodes run), completion
//                       and abort;
//   frame-state.ts      PropagatorState with FrameState and IterationState: where outputs go,
//                       deadness, Enter/Exit/NextIteration, parallel_iterations, frame creation and
//                       deletion;
//   memory-ledger.ts    what a step's run holds in its memory account, per iteration.
//
// Concurrency: one executor may run several steps at once (different StepContexts); all per-step
// state lives in the ExecutorState of that step.

import type { FunctionRuntime } from "../framework/function.js";
import type { DeviceInfo, StepContext } from "../framework/op-kernel.js";
import type { Graph } from "../graph/graph.js";
import { ExecutorState } from "./executor-state.js";
import { buildImmutableState } from "./immutable-state.js";

export interface Executor {
  /** Runs one step of this partition. Rejects with a TfError on the first failure. */
  run(step: StepContext): Promise<void>;
  readonly graph: Graph;
}

export interface ExecutorOptions {
  readonly device: DeviceInfo;
  /** Runs calls of the graph's library functions (by name, or through PartitionedCall). */
  readonly functions?: FunctionRuntime | undefined;
  /** The session the partition belongs to (see OpKernelConstruction.sessionHandle). */
  readonly sessionHandle?: string | undefined;
  /** Called for errors that are not TfErrors (bugs), before they are turned into INTERNAL. */
  readonly onInternalError?: (node: string, error: unknown) => void;
}

/** Builds the executor, creating every node's kernel (construction errors throw here). */
export function createExecutor(graph: Graph, options: ExecutorOptions): Executor {
  const state = buildImmutableState(graph, options);
  return {
    run: (step) => new ExecutorState(state, step, options.onInternalError).run(),
    graph,
  };
}
