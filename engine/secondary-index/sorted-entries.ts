/**
 * An ordered multiset of (key, ref) pairs: the body of one secondary index.
 * Keys are integers (numbers, or bigints past ±2^53) or string hashes; refs are
 * primary-index slots. Kept as a list of small sorted leaves (a one-level
 * B+-tree): insert and remove cost a binary search plus a splice within one leaf
 * of at most LEAF_ENTRIES_MAX, and range reads walk leaves in order.
 *
 * Why not a balanced tree of nodes: one object per entry costs ~60 B in V8;
 * leaves of packed arrays cost ~16 B per entry and scan cache-friendly.
 */

export type IndexKey = number | bigint;

/** Entries per leaf before it splits in two; small enough that a splice is a short memmove. */
export const LEAF_ENTRIES_MAX = 256;
/** A leaf this small is merged into a neighbour when their union fits, so deletes cannot leave a trail of near-empty leaves. */
const LEAF_ENTRIES_MIN = LEAF_ENTRIES_MAX / 4;

interface Leaf {
  keys: IndexKey[];
  refs: number[];
}

/** Position after which a paginated read continues: strictly greater pairs are returned next. */
export interface EntryCursor {
  key: IndexKey;
  ref: number;
}

function compare(aKey: IndexKey, aRef: number, bKey: IndexKey, bRef: number): number {
  // Mixed number/bigint comparison with < and > is exact.
  if (aKey < bKey) return -1;
  if (aKey > bKey) return 1;
  return aRef - bRef;
}

// Hand-written shifts: Array.prototype.splice allocates a result array and was
// most of the insert cost in profiles; a leaf is at most LEAF_ENTRIES_MAX long.
function insertAt<T>(list: T[], at: number, value: T): void {
  let i = list.length;
  list.push(value);
  for (; i > at; i--) list[i] = list[i - 1]!;
  list[at] = value;
}

function removeAt<T>(list: T[], at: number): void {
  const last = list.length - 1;
  for (let i = at; i < last; i++) list[i] = list[i + 1]!;
  list.pop();
}

export class SortedEntries {
  private leaves: Leaf[] = [{ keys: [], refs: [] }];
  private total = 0;

  get size(): number {
    return this.total;
  }

  /**
   * Rough heap bytes, for stats (not limits): two 8-byte array slots per entry,
   * plus the spare capacity of growing leaves and per-leaf objects; 38 B per
   * entry is what the heap grew by per entry at 1 M entries (Node 20).
   */
  bytesEstimate(): number {
    return this.total * 38;
  }

  /** Index of the first leaf whose last pair is ≥ (key, ref), or the last leaf. */
  private leafFor(key: IndexKey, ref: number): number {
    let lo = 0;
    let hi = this.leaves.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const leaf = this.leaves[mid]!;
      const last = leaf.keys.length - 1;
      if (last >= 0 && compare(leaf.keys[last]!, leaf.refs[last]!, key, ref) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** First position in `leaf` whose pair is ≥ (key, ref). */
  private static lowerBound(leaf: Leaf, key: IndexKey, ref: number): number {
    let lo = 0;
    let hi = leaf.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compare(leaf.keys[mid]!, leaf.refs[mid]!, key, ref) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  has(key: IndexKey, ref: number): boolean {
    const leaf = this.leaves[this.leafFor(key, ref)]!;
    const at = SortedEntries.lowerBound(leaf, key, ref);
    return at < leaf.keys.length && leaf.refs[at] === ref && leaf.keys[at] === key;
  }

  /** Adds the pair; returns false (and changes nothing) when it is already present. */
  insert(key: IndexKey, ref: number): boolean {
    const li = this.leafFor(key, ref);
    const leaf = this.leaves[li]!;
    const at = SortedEntries.lowerBound(leaf, key, ref);
    if (at < leaf.keys.length && leaf.refs[at] === ref && leaf.keys[at] === key) return false;
    insertAt(leaf.keys, at, key);
    insertAt(leaf.refs, at, ref);
    this.total++;
    if (leaf.keys.length > LEAF_ENTRIES_MAX) {
      const half = leaf.keys.length >>> 1;
      this.leaves.splice(li + 1, 0, { keys: leaf.keys.splice(half), refs: leaf.refs.splice(half) });
    }
    return true;
  }

  /** Removes the pair; returns false when it was absent. */
  remove(key: IndexKey, ref: number): boolean {
    const li = this.leafFor(key, ref);
    const leaf = this.leaves[li]!;
    const at = SortedEntries.lowerBound(leaf, key, ref);
    if (at >= leaf.keys.length || leaf.refs[at] !== ref || leaf.keys[at] !== key) return false;
    removeAt(leaf.keys, at);
    removeAt(leaf.refs, at);
    this.total--;
    if (leaf.keys.length < LEAF_ENTRIES_MIN) this.mergeSmall(li);
    return true;
  }

  private mergeSmall(li: number): void {
    const leaf = this.leaves[li]!;
    if (leaf.keys.length === 0 && this.leaves.length > 1) {
      this.leaves.splice(li, 1);
      return;
    }
    const next = this.leaves[li + 1];
    if (next !== undefined && leaf.keys.length + next.keys.length <= LEAF_ENTRIES_MAX) {
      leaf.keys.push(...next.keys);
      leaf.refs.push(...next.refs);
      this.leaves.splice(li + 1, 1);
    }
  }

  /**
   * Up to `max` refs with lo ≤ key ≤ hi, in (key, ref) order, strictly after
   * `after` when given. Returns the cursor to continue from (null when done).
   * Paging by value, not by position, keeps a reader correct while writers
   * insert and remove between pages.
   */
  read(lo: IndexKey, hi: IndexKey, after: EntryCursor | null, max: number, out: number[]): EntryCursor | null {
    if (!(max >= 1)) throw new Error(`SortedEntries.read: max must be ≥ 1, got ${max}`);
    let taken = 0;
    // Refs are u32 slots: -1 sorts before any ref of `lo`, so the start is the first pair with key ≥ lo.
    const startKey = after === null ? lo : after.key;
    const startRef = after === null ? -1 : after.ref + 0.5;
    let li = this.leafFor(startKey, startRef);
    let at = SortedEntries.lowerBound(this.leaves[li]!, startKey, startRef);
    let last: EntryCursor | null = null;
    while (li < this.leaves.length) {
      const leaf = this.leaves[li]!;
      for (; at < leaf.keys.length; at++) {
        const key = leaf.keys[at]!;
        if (key > hi) return null;
        if (taken === max) return last;
        out.push(leaf.refs[at]!);
        taken++;
        last = { key, ref: leaf.refs[at]! };
      }
      li++;
      at = 0;
    }
    return null;
  }

  /** Every pair in order (tests and verification). */
  *entries(): Generator<[IndexKey, number]> {
    for (const leaf of this.leaves) for (let i = 0; i < leaf.keys.length; i++) yield [leaf.keys[i]!, leaf.refs[i]!];
  }

  /** Asserts the structure's invariants (tests). */
  checkInvariants(): void {
    let prev: [IndexKey, number] | null = null;
    let n = 0;
    for (const leaf of this.leaves) {
      if (leaf.keys.length !== leaf.refs.length) throw new Error('leaf arrays differ in length');
      if (leaf.keys.length > LEAF_ENTRIES_MAX) throw new Error('leaf too large');
      if (leaf.keys.length === 0 && this.leaves.length > 1) throw new Error('empty leaf kept');
      for (let i = 0; i < leaf.keys.length; i++) {
        if (prev !== null && compare(prev[0], prev[1], leaf.keys[i]!, leaf.refs[i]!) >= 0) throw new Error('pairs out of order');
        prev = [leaf.keys[i]!, leaf.refs[i]!];
        n++;
      }
    }
    if (n !== this.total) throw new Error('size out of step');
  }
}
