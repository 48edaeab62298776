// TF's greedy non-maximum suppression (core/kernels/image/non_max_suppression_op.cc,
// DoNonMaxSuppressionOp), shared by NonMaxSuppressionV2..V5: candidates above the score threshold
// taken best first (ties: lower index first), each dropped when its IOU with an already selected
// box exceeds the threshold, or, with a soft-NMS sigma, re-weighted by exp(-sim²/2σ) and queued
// again. Scores and thresholds are compared in the score dtype; IOUs are float32.

import { invalidArgument } from "../../framework/errors.js";
import { allocData, shapeString, Tensor } from "../../framework/tensor.js";
import { DataType } from "../../framework/types.js";
import { stepRounding } from "./colorspace.js";
import { f32 } from "./image-resize.js";
import { fromFloat32, numericData, scalarValue } from "./tensor-util.js";

/** TF's ParseAndCheckBoxSizes: boxes [n, 4]. */
export function nmsBoxCount(boxes: Tensor): number {
  const s = boxes.shape;
  if (s.length !== 2) {
    throw invalidArgument(
      `boxes must be 2-D${shapeString(s)} (Shape must be rank 2 but is rank ${s.length})`,
    );
  }
  if (s[1] !== 4) throw invalidArgument(`boxes must have 4 columns (Dimension must be 4 but is ${s[1]})`);
  return s[0]!;
}

/** TF's CheckScoreSizes: scores [n]. */
export function checkScores(scores: Tensor, n: number): void {
  const s = scores.shape;
  if (s.length !== 1) {
    throw invalidArgument(
      `scores must be 1-D${shapeString(s)} (Shape must be rank 1 but is rank ${s.length})`,
    );
  }
  if (s[0] !== n) {
    throw invalidArgument(
      `scores has incompatible shape (Dimensions must be equal, but are ${n} and ${s[0]})`,
    );
  }
}

/** A scalar input's check ("<name> must be 0-D, got shape [...]" plus V3's rank note). */
export function scalarInput(t: Tensor, name: string, rankNote = false): number {
  if (t.shape.length !== 0) {
    const note = rankNote ? ` (Shape must be rank 0 but is rank ${t.shape.length})` : "";
    throw invalidArgument(`${name} must be 0-D, got shape ${shapeString(t.shape)}${note}`);
  }
  return scalarValue(t);
}

export function checkIouThreshold(v: number): void {
  if (!(v >= 0 && v <= 1)) throw invalidArgument("iou_threshold must be in [0, 1]");
}

/** TF's IOU of boxes i and j (corners in either order), in float32. */
function iou(b: ArrayLike<number>, i: number, j: number): number {
  const [yi0, xi0, yi1, xi1] = [b[i * 4]!, b[i * 4 + 1]!, b[i * 4 + 2]!, b[i * 4 + 3]!];
  const [yj0, xj0, yj1, xj1] = [b[j * 4]!, b[j * 4 + 1]!, b[j * 4 + 2]!, b[j * 4 + 3]!];
  const yminI = Math.min(yi0, yi1);
  const xminI = Math.min(xi0, xi1);
  const ymaxI = Math.max(yi0, yi1);
  const xmaxI = Math.max(xi0, xi1);
  const yminJ = Math.min(yj0, yj1);
  const xminJ = Math.min(xj0, xj1);
  const ymaxJ = Math.max(yj0, yj1);
  const xmaxJ = Math.max(xj0, xj1);
  const areaI = f32(f32(ymaxI - yminI) * f32(xmaxI - xminI));
  const areaJ = f32(f32(ymaxJ - yminJ) * f32(xmaxJ - xminJ));
  if (areaI <= 0 || areaJ <= 0) return 0;
  const h = Math.max(f32(Math.min(ymaxI, ymaxJ) - Math.max(yminI, yminJ)), 0);
  const w = Math.max(f32(Math.min(xmaxI, xmaxJ) - Math.max(xminI, xminJ)), 0);
  const inter = f32(h * w);
  return f32(inter / f32(f32(areaI + areaJ) - inter));
}

export interface NmsOptions {
  readonly maxOutputSize: number;
  readonly iouThreshold: number;
  readonly scoreThreshold: number;
  readonly softNmsSigma: number;
  readonly pad: boolean;
}

export interface NmsResult {
  readonly indices: Tensor;
  readonly scores: Tensor;
  readonly valid: number;
}

interface Candidate {
  readonly index: number;
  score: number;
  suppressBegin: number;
}

/** Best first: higher score, then lower index (TF's priority_queue order). */
const before = (a: Candidate, b: Candidate): boolean =>
  a.score > b.score || (a.score === b.score && a.index < b.index);

/** A binary max-heap of candidates in TF's order. */
class CandidateQueue {
  private readonly heap: Candidate[] = [];
  get size(): number {
    return this.heap.length;
  }
  push(c: Candidate): void {
    const h = this.heap;
    h.push(c);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }
  pop(): Candidate {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l]!, h[m]!)) m = l;
        if (r < h.length && before(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}

/** DoNonMaxSuppressionOp over validated boxes [n, 4] and scores [n] of dtype `scores.dtype`. */
export function nonMaxSuppression(boxes: Tensor, scores: Tensor, o: NmsOptions): NmsResult {
  if (o.maxOutputSize < 0) throw invalidArgument("output size must be non-negative");
  const dtype = scores.dtype;
  const r = stepRounding(dtype);
  const b = numericData(boxes);
  const s = numericData(scores);
  const iouT = r(o.iouThreshold);
  const scoreT = r(o.scoreThreshold);
  const sigma = r(o.softNmsSigma);
  const soft = sigma > 0;
  const scale = soft ? r(-0.5 / sigma) : 0;
  const queue = new CandidateQueue();
  for (let i = 0; i < s.length; i++)
    if (s[i]! > scoreT) queue.push({ index: i, score: s[i]!, suppressBegin: 0 });
  const weight = (sim: number): number => {
    const w = r(Math.exp(r(r(scale * sim) * sim)));
    return soft || sim <= iouT ? w : 0;
  };
  const selected: number[] = [];
  const selectedScores: number[] = [];
  while (selected.length < o.maxOutputSize && queue.size > 0) {
    const c = queue.pop();
    const original = c.score;
    let hard = false;
    for (let j = selected.length - 1; j >= c.suppressBegin; j--) {
      const sim = r(iou(b, c.index, selected[j]!));
      c.score = r(c.score * weight(sim));
      if (!soft && sim > iouT) {
        hard = true;
        break;
      }
      if (c.score <= scoreT) break;
    }
    c.suppressBegin = selected.length;
    if (hard) continue;
    if (c.score === original) {
      selected.push(c.index);
      selectedScores.push(c.score);
    } else if (c.score > scoreT) {
      queue.push(c);
    }
  }
  const valid = selected.length;
  const n = o.pad ? o.maxOutputSize : valid;
  const indices = Tensor.zeros(DataType.DT_INT32, [n]);
  (indices.data as Int32Array).set(selected);
  // Selected scores are values of the score dtype already: encoding them is exact.
  const kept = allocData(DataType.DT_FLOAT, n, [n]) as Float32Array;
  kept.set(selectedScores);
  return { indices, scores: fromFloat32(dtype, [n], kept), valid };
}
