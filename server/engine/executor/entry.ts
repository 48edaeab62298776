// The values the executor moves along edges (TF's Entry in core/common_runtime/entry.h): a tensor,
// a ref to a variable's buffer, or dead (an untaken Switch branch and everything downstream of it).

import type { RefCell } from "../framework/op-kernel.js";
import type { Tensor } from "../framework/tensor.js";

/** A value on an edge: a tensor, a ref to a variable buffer, or dead. */
export interface Entry {
  readonly tensor: Tensor | undefined;
  readonly ref: RefCell | undefined;
  readonly dead: boolean;
  /**
   * The tensor's storage is held by this value alone (a kernel's fresh output, a feed made for the
   * step): a consumer that is the value's only reader may write into it (TF's forward_input).
   */
  readonly owned?: boolean;
}

/** The one dead value (control edges carry it too). */
export const DEAD: Entry = { tensor: undefined, ref: undefined, dead: true };
