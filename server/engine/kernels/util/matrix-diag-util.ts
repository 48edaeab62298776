// Shared pieces of TF's V3 matrix-diagonal kernels (core/kernels/linalg/matrix_diag_op.cc,
// matrix_set_diag_op.cc): the diagonal-index input `k`, the `align` attr and where a diagonal's
// content sits inside its max_diag_len-long row of the packed diagonals tensor.

import { invalidArgument } from "../../framework/errors.js";
import { getAttrString } from "../../framework/op-def.js";
import type { OpKernelConstruction } from "../../framework/op-kernel.js";
import { shapeString, type Tensor } from "../../framework/tensor.js";
import { readInts } from "./tensor-util.js";

export const ALIGN_ATTR = "align: {'LEFT_RIGHT', 'RIGHT_LEFT', 'LEFT_LEFT', 'RIGHT_RIGHT'} = 'RIGHT_LEFT'";

export interface Alignment {
  /** Superdiagonals (k > 0) start at the row's left; else they end at its right. */
  readonly leftSuper: boolean;
  /** Subdiagonals (k < 0) start at the row's left; else they end at its right. */
  readonly leftSub: boolean;
}

export function readAlignment(c: OpKernelConstruction): Alignment {
  const a = getAttrString(c.attrs, "align");
  return {
    leftSuper: a === "LEFT_LEFT" || a === "LEFT_RIGHT",
    leftSub: a === "LEFT_LEFT" || a === "RIGHT_LEFT",
  };
}

/**
 * The [lower, upper] diagonal range of input `k` (a scalar or a 1- or 2-vector). `emptyMessage` is
 * the op's text for an empty vector (the ops word it differently).
 */
export function readDiagIndex(k: Tensor, emptyMessage: string): [number, number] {
  if (k.rank > 1) {
    throw invalidArgument(`diag_index must be a scalar or vector, received shape: ${shapeString(k.shape)}`);
  }
  if (k.numElements === 0) throw invalidArgument(emptyMessage);
  const v = readInts(k);
  if (k.rank === 1 && v.length > 2) {
    throw invalidArgument(`diag_index must have only one or two elements, received ${v.length} elements.`);
  }
  return [v[0]!, v.length > 1 ? v[1]! : v[0]!];
}

/** Checks lower/upper against a rows x cols matrix (`sep` is the text between the clauses). */
export function checkDiagBounds(lower: number, upper: number, rows: number, cols: number, sep: string): void {
  const ok = (d: number) => (-rows < d && d < cols) || d === 0;
  if (!ok(lower)) {
    throw invalidArgument(
      `lower_diag_index is out of bound: ${lower}${sep} It must be between ${-rows} and ${cols}`,
    );
  }
  if (!ok(upper)) {
    throw invalidArgument(
      `upper_diag_index is out of bound: ${upper} It must be between ${-rows} and ${cols}`,
    );
  }
  checkDiagOrder(lower, upper);
}

export function checkDiagOrder(lower: number, upper: number): void {
  if (lower > upper) {
    throw invalidArgument(`lower_diag_index must not be larger than upper_diag_index: ${lower} > ${upper}`);
  }
}

/** The longest diagonal in [lower, upper] of a rows x cols matrix. */
export function maxDiagLen(lower: number, upper: number, rows: number, cols: number): number {
  return Math.min(rows + Math.min(upper, 0), cols - Math.max(lower, 0));
}

/** Diagonal d's length and the offset of its first element within its packed row. */
export function diagLenAndOffset(
  d: number,
  maxLen: number,
  rows: number,
  cols: number,
  a: Alignment,
): [number, number] {
  const left = (d >= 0 && a.leftSuper) || (d <= 0 && a.leftSub);
  const len = Math.min(rows + Math.min(0, d), cols - Math.max(0, d));
  return [len, left ? 0 : maxLen - len];
}
