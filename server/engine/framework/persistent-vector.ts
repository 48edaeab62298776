// An immutable vector with cheap updates (a 32-way trie with a tail, as Clojure's
// PersistentVector): get and set are O(log32 n), push and pop amortized O(1). Every update returns
// a new vector sharing all untouched nodes with the old one, which stays valid.
//
// TensorList holds its elements in one: a TF 2.x loop pushes to (and its gradient pops from) an
// accumulator list once per iteration, and TF updates the list in place when it holds the only
// reference; copying a plain array per update instead made such loops quadratic.

const BITS = 5;
const WIDTH = 1 << BITS;
const MASK = WIDTH - 1;

/** An internal node holds child nodes; a leaf (level 0) holds values. */
type Node = unknown[];

export class PersistentVector<T> {
  private constructor(
    readonly size: number,
    /** Level of the root's children times BITS (the root of a 1024-element trie has shift 5). */
    private readonly shift: number,
    private readonly root: Node,
    /** The last 1..32 values (none when empty), outside the trie. */
    private readonly tail: readonly T[],
  ) {}

  static empty<T>(): PersistentVector<T> {
    return new PersistentVector<T>(0, BITS, [], []);
  }

  /** A vector of the values of `items`, built bottom-up in O(n). */
  static from<T>(items: readonly T[]): PersistentVector<T> {
    const n = items.length;
    if (n === 0) return PersistentVector.empty();
    const tailStart = n - (((n - 1) % WIDTH) + 1);
    let nodes: Node[] = [];
    for (let i = 0; i < tailStart; i += WIDTH) nodes.push(items.slice(i, i + WIDTH));
    let shift = BITS;
    while (nodes.length > WIDTH) {
      const parents: Node[] = [];
      for (let i = 0; i < nodes.length; i += WIDTH) parents.push(nodes.slice(i, i + WIDTH));
      nodes = parents;
      shift += BITS;
    }
    return new PersistentVector<T>(n, shift, nodes, items.slice(tailStart));
  }

  private tailOffset(): number {
    return this.size < WIDTH ? 0 : ((this.size - 1) >>> BITS) << BITS;
  }

  /** The leaf (or the tail) holding index i. */
  private leafFor(i: number): readonly T[] {
    if (i >= this.tailOffset()) return this.tail;
    let node = this.root;
    for (let level = this.shift; level > 0; level -= BITS) node = node[(i >>> level) & MASK] as Node;
    return node as T[];
  }

  private checkIndex(i: number): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.size) {
      throw new RangeError(`index ${i} out of range for a vector of ${this.size}`);
    }
  }

  get(i: number): T {
    this.checkIndex(i);
    return this.leafFor(i)[i & MASK] as T;
  }

  /** A vector with element i replaced. */
  set(i: number, value: T): PersistentVector<T> {
    this.checkIndex(i);
    if (i >= this.tailOffset()) {
      const tail = this.tail.slice();
      tail[i & MASK] = value;
      return new PersistentVector(this.size, this.shift, this.root, tail);
    }
    return new PersistentVector(this.size, this.shift, setIn(this.root, this.shift, i, value), this.tail);
  }

  /** A vector with `value` appended. */
  push(value: T): PersistentVector<T> {
    if (this.size - this.tailOffset() < WIDTH) {
      return new PersistentVector(this.size + 1, this.shift, this.root, [...this.tail, value]);
    }
    // The tail is full: it becomes a leaf of the trie, which may need a new level.
    let root: Node;
    let shift = this.shift;
    if (this.size >>> BITS > 1 << this.shift) {
      root = [this.root, newPath(this.shift, this.tail as Node)];
      shift += BITS;
    } else {
      root = pushLeaf(this.root, this.shift, this.size, this.tail as Node);
    }
    return new PersistentVector(this.size + 1, shift, root, [value]);
  }

  /** A vector without its last element. */
  pop(): PersistentVector<T> {
    if (this.size === 0) throw new RangeError("pop of an empty vector");
    if (this.size === 1) return PersistentVector.empty();
    if (this.size - this.tailOffset() > 1) {
      return new PersistentVector(this.size - 1, this.shift, this.root, this.tail.slice(0, -1));
    }
    // The tail empties: the trie's last leaf becomes the tail.
    const tail = this.leafFor(this.size - 2);
    let root = popLeaf(this.root, this.shift, this.size) ?? [];
    let shift = this.shift;
    if (shift > BITS && root[1] === undefined) {
      root = root[0] as Node;
      shift -= BITS;
    }
    return new PersistentVector(this.size - 1, shift, root, tail);
  }

  /** The values in order, as a new array. */
  toArray(): T[] {
    const out: T[] = [];
    const tailOffset = this.tailOffset();
    for (let i = 0; i < tailOffset; i += WIDTH) {
      for (const v of this.leafFor(i)) out.push(v);
    }
    for (const v of this.tail) out.push(v);
    return out;
  }
}

function setIn(node: Node, level: number, i: number, value: unknown): Node {
  const copy = node.slice();
  if (level === 0) copy[i & MASK] = value;
  else {
    const k = (i >>> level) & MASK;
    copy[k] = setIn(node[k] as Node, level - BITS, i, value);
  }
  return copy;
}

/** A chain of single-child nodes from `level` down to `leaf`. */
function newPath(level: number, leaf: Node): Node {
  return level === 0 ? leaf : [newPath(level - BITS, leaf)];
}

/** `node` (at `level`) with the full tail of a vector of `size` added as its next leaf. */
function pushLeaf(node: Node, level: number, size: number, leaf: Node): Node {
  const k = ((size - 1) >>> level) & MASK;
  const copy = node.slice();
  if (level === BITS) copy[k] = leaf;
  else {
    const child = node[k] as Node | undefined;
    copy[k] = child === undefined ? newPath(level - BITS, leaf) : pushLeaf(child, level - BITS, size, leaf);
  }
  return copy;
}

/** `node` (at `level`) without the last leaf of a vector of `size`; undefined when nothing is left. */
function popLeaf(node: Node, level: number, size: number): Node | undefined {
  const k = ((size - 2) >>> level) & MASK;
  if (level > BITS) {
    const child = popLeaf(node[k] as Node, level - BITS, size);
    if (child === undefined && k === 0) return undefined;
    const copy = node.slice(0, k + 1);
    if (child === undefined) copy.length = k;
    else copy[k] = child;
    return copy;
  }
  if (k === 0) return undefined;
  return node.slice(0, k);
}
