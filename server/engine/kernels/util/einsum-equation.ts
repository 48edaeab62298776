// TF's einsum equation grammar (core/util/einsum_op_util.cc and EinsumHelper in
// core/kernels/linalg/einsum_op_impl.h): "in0[,in1]->out" where each subscript is a string of
// single-character labels and at most one "..." (broadcasting dimensions). Every character except
// '.' is a label (letters, digits, spaces alike); a '.' stands for an ellipsis and swallows the two
// characters after it, whatever they are, as TF's parser does.
//
// Each named label gets a dimension type from where it appears: in both inputs and the output
// (batch), in one input and the output (free), in both inputs only (contract) or in one input only
// (reduce). Ellipsis dimensions become extra "broadcasting" labels once the input ranks are known.

import { invalidArgument } from "../../framework/errors.js";
import { shapeString } from "../../framework/tensor.js";

/** The label of an unexpanded ellipsis. */
export const ELLIPSIS = -1;

/** Dimension types, in the order an operand's dimensions are arranged before contracting. */
export const Dim = { Broadcasting: 0, Batch: 1, Free: 2, Contract: 3, Reduce: 4 } as const;
export type Dim = (typeof Dim)[keyof typeof Dim];

/** A parsed equation (TF's ParseEquation results). Label ids number the distinct characters. */
export interface EinsumEquation {
  readonly equation: string;
  readonly inputLabels: readonly (readonly number[])[];
  readonly outputLabels: readonly number[];
  /** Type of each named label. */
  readonly types: readonly Dim[];
  /** Occurrences of each named label per input. */
  readonly inputCounts: readonly (readonly number[])[];
  readonly outputCounts: readonly number[];
  readonly inputHasEllipsis: readonly boolean[];
  readonly outputHasEllipsis: boolean;
}

/** Maps subscript characters to label ids (shared across subscripts), ELLIPSIS for "...". */
function mapToLabels(subscript: string, ids: Map<string, number>): number[] {
  const labels: number[] = [];
  for (let i = 0; i < subscript.length; i++) {
    const ch = subscript[i]!;
    if (ch === ".") {
      labels.push(ELLIPSIS);
      i += 2;
      continue;
    }
    if (!ids.has(ch)) ids.set(ch, ids.size);
    labels.push(ids.get(ch)!);
  }
  return labels;
}

function countLabels(labels: readonly number[], numLabels: number): number[] {
  const counts = new Array<number>(numLabels).fill(0);
  for (const l of labels) if (l !== ELLIPSIS) counts[l]!++;
  return counts;
}

function dimType(removed: boolean, unique: boolean): Dim {
  if (!removed) return unique ? Dim.Free : Dim.Batch;
  return unique ? Dim.Reduce : Dim.Contract;
}

/** Parses and validates an equation with TF's messages (the kernel constructor's checks). */
export function parseEinsumEquation(equation: string): EinsumEquation {
  const sides = equation.split("->");
  if (sides.length !== 2) {
    throw invalidArgument(`Expecting exactly one '->' in einsum equation: ${equation}`);
  }
  const inputStrs = sides[0]!.split(",");
  if (inputStrs.length !== 1 && inputStrs.length !== 2) {
    throw invalidArgument(
      `Expecting 1 or 2 input subscripts in equation '${equation}' but got: ${inputStrs.length}`,
    );
  }
  const ids = new Map<string, number>();
  const inputLabels = inputStrs.map((s) => mapToLabels(s, ids));
  const outputLabels = mapToLabels(sides[1]!, ids);
  // TF's kernel misbehaves (even crashes) on two ellipses in a subscript; its shape function
  // rejects them with this text, so graphs from TF's client never carry one.
  [...inputStrs, sides[1]!].forEach((sub, i) => {
    const labels = i < inputLabels.length ? inputLabels[i]! : outputLabels;
    if (labels.filter((l) => l === ELLIPSIS).length > 1) {
      const periods = [...sub].filter((ch) => ch === ".").length;
      throw invalidArgument(
        `Expected at most one ellipsis (...), but found ${periods} periods (.) in the input subscript: ${sub}`,
      );
    }
  });
  const numLabels = ids.size;
  const inputCounts = inputLabels.map((l) => countLabels(l, numLabels));
  const outputCounts = countLabels(outputLabels, numLabels);
  // TF's shape function rejects an output label no input has (the kernel's result would be
  // undefined); graphs built by TF's client never reach the kernel with one.
  for (const [ch, l] of ids) {
    if (outputCounts[l]! > 0 && inputCounts.every((c) => c[l] === 0)) {
      throw invalidArgument(
        `Einsum output subscripts for equation '${equation}' has label '${ch}' which is not present in the input subscripts`,
      );
    }
  }
  const types: Dim[] = [];
  for (let l = 0; l < numLabels; l++) {
    const unique = inputCounts.length === 1 || inputCounts[0]![l] === 0 || inputCounts[1]![l] === 0;
    types.push(dimType(outputCounts[l] === 0, unique));
  }
  return {
    equation,
    inputLabels,
    outputLabels,
    types,
    inputCounts,
    outputCounts,
    inputHasEllipsis: inputLabels.map((l) => l.includes(ELLIPSIS)),
    outputHasEllipsis: outputLabels.includes(ELLIPSIS),
  };
}

/** An equation bound to input shapes: ellipses expanded into broadcasting labels. */
export interface EinsumDims {
  readonly inputLabels: number[][];
  readonly outputLabels: number[];
  /** Types of the named labels, then Broadcasting for each broadcasting label. */
  readonly types: Dim[];
  readonly inputCounts: number[][];
  readonly outputCounts: number[];
  /** Size of each named label (0 until an input has shown it, as in TF). */
  readonly labelSizes: number[];
}

/** Replaces the ellipsis at `axis` by `n` new labels first, first+1, … (each counted once). */
function insertBroadcastLabels(
  labels: number[],
  counts: number[],
  axis: number,
  n: number,
  first: number,
): void {
  labels.splice(axis, 1, ...Array.from({ length: n }, (_, k) => first + k));
  while (counts.length < first + n) counts.push(1);
}

/** TF's ProcessDimensions: checks the inputs against the equation and expands the ellipses. */
export function processEinsumDims(eq: EinsumEquation, shapes: readonly (readonly number[])[]): EinsumDims {
  if (shapes.length !== eq.inputLabels.length) {
    throw invalidArgument(`Expected ${eq.inputLabels.length} inputs but got: ${shapes.length}`);
  }
  const numNamed = eq.types.length;
  const labelSizes = new Array<number>(numNamed).fill(0);
  const inputLabels = eq.inputLabels.map((l) => [...l]);
  const inputCounts = eq.inputCounts.map((c) => [...c]);
  const record = (label: number, axis: number, shape: readonly number[]) => {
    const size = shape[axis]!;
    const known = labelSizes[label]!;
    if (known !== 0 && known !== size) {
      throw invalidArgument(
        `Expected dimension ${known} at axis ${axis} of the input shaped ${shapeString(shape)} but got dimension ${size}`,
      );
    }
    labelSizes[label] = size;
  };
  let maxBcast = 0;
  shapes.forEach((shape, i) => {
    const labels = inputLabels[i]!;
    const rank = shape.length;
    if (!eq.inputHasEllipsis[i]) {
      if (rank !== labels.length) {
        throw invalidArgument(`Expected input ${i} to have rank ${labels.length} but got: ${rank}`);
      }
      labels.forEach((l, axis) => {
        record(l, axis, shape);
      });
      return;
    }
    if (rank + 1 < labels.length) {
      throw invalidArgument(
        `Expected input ${i} to have rank at least ${labels.length - 1} but got: ${rank}`,
      );
    }
    const numBcast = rank - labels.length + 1;
    let ellipsisAxis = -1;
    labels.forEach((l, k) => {
      if (l === ELLIPSIS) ellipsisAxis = k;
      else record(l, k + (ellipsisAxis === -1 ? 0 : numBcast - 1), shape);
    });
    insertBroadcastLabels(labels, inputCounts[i]!, ellipsisAxis, numBcast, numNamed);
    maxBcast = Math.max(maxBcast, numBcast);
  });
  const outputLabels = [...eq.outputLabels];
  const outputCounts = [...eq.outputCounts];
  const types = [...eq.types];
  if (eq.inputHasEllipsis.includes(true) || eq.outputHasEllipsis) {
    const axis = outputLabels.indexOf(ELLIPSIS);
    if (axis !== -1) insertBroadcastLabels(outputLabels, outputCounts, axis, maxBcast, numNamed);
    else if (maxBcast > 0) {
      throw invalidArgument(
        `Output contains ${maxBcast} broadcasting dimension(s) but no ellipsis (...) was found in the output subscripts.`,
      );
    }
    for (let k = 0; k < maxBcast; k++) types.push(Dim.Broadcasting);
  }
  return { inputLabels, outputLabels, types, inputCounts, outputCounts, labelSizes };
}
