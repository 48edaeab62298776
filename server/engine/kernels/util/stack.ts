// TF's Stack resource (core/kernels/stack.cc), the store behind StackV2/StackPushV2/StackPopV2/
// StackCloseV2. TF1 autodiff of a v1 while loop pushes forward values on stacks in the forward
// loop and pops them in the gradient loop. Stacks live in the step's container (step-resources.ts).
// swap_memory (GPU→host swapping) has no meaning on CPU and is accepted and ignored, as TF's CPU
// path does.

import { invalidArgument } from "../../framework/errors.js";
import type { OpKernelContext } from "../../framework/op-kernel.js";
import type { Tensor } from "../../framework/tensor.js";
import type { DataType } from "../../framework/types.js";
import { lookupResource, type ResourceType, resourceHandleInput } from "./step-resources.js";

export const STACK_TYPE: ResourceType = { name: "N10tensorflow5StackE", hash: 0x5b1c_7a2e_93d4_0f61n };

/** TF's per-step container prefix for stacks (kContainer in stack.cc). */
export const STACK_KEY_PREFIX = "_stacks";

/** Numbers stacks per worker thread, so every stack's name is unique (TF's Stack::stack_counter). */
let stackCounter = 0;

export function nextStackId(): number {
  return stackCounter++;
}

export class Stack {
  readonly elemType: DataType;
  /** "<stack_name>_<id>", as TF's messages print it. */
  readonly name: string;
  /** Negative: unbounded. */
  private readonly maxSize: number;
  private readonly values: Tensor[] = [];
  private closed = false;

  constructor(elemType: DataType, name: string, maxSize: number) {
    this.elemType = elemType;
    this.name = name;
    this.maxSize = maxSize;
  }

  push(value: Tensor): void {
    this.checkNotClosed();
    if (this.maxSize >= 0 && this.values.length >= this.maxSize) {
      throw invalidArgument(`Stack[${this.name}] overflowed its max_size (${this.maxSize})`);
    }
    this.values.push(value);
  }

  pop(): Tensor {
    this.checkNotClosed();
    const v = this.values.pop();
    if (v === undefined) throw invalidArgument(`Stack[${this.name}] is empty when calling Pop().`);
    return v;
  }

  /** Drops every value; further pushes and pops fail (the resource stays until the step ends). */
  close(): void {
    this.values.length = 0;
    this.closed = true;
  }

  private checkNotClosed(): void {
    if (this.closed) throw invalidArgument(`Stack[${this.name}] has already been closed.`);
  }
}

/** TF's GetStack for a resource handle in input 0. */
export function stackFromInput(ctx: OpKernelContext): Stack {
  return lookupResource<Stack>(ctx, resourceHandleInput(ctx, 0), STACK_TYPE);
}
