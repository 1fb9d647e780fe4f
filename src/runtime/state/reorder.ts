/**
 * Reordering for streams that arrive slightly out of order: items are held for a lateness window and released
 * in (timestamp, tiebreaker, arrival) order once nothing earlier can still arrive within the window. An item
 * older than what was already released is late: it is handed to `onLate` (counted, never silently dropped).
 */

export interface Timed<T> {
  item: T;
  ts: number;
  tiebreaker?: number | string;
}

interface Held<T> {
  item: T;
  ts: number;
  tiebreaker: number | string | undefined;
  seq: number;
}

/** What `add` returns when nothing is due: most pushes release nothing, and then allocate nothing. */
const NOTHING_DUE: readonly never[] = Object.freeze([]);

function before<T>(a: Held<T>, b: Held<T>): boolean {
  if (a.ts !== b.ts) return a.ts < b.ts;
  const ta = a.tiebreaker;
  const tb = b.tiebreaker;
  if (ta !== undefined && tb !== undefined && ta !== tb) return ta < tb;
  return a.seq < b.seq;
}

/**
 * A bounded-delay reorder buffer. Items that arrive in order (the usual case: most streams are nearly sorted)
 * go to a FIFO run, O(1) in and out; only an item earlier than the run's last goes to a binary heap. Releasing
 * takes the earlier of the run's head and the heap's top, so the order is the same as one heap would give.
 */
export class ReorderBuffer<T> {
  private readonly heap: Held<T>[] = [];
  /** Items in arrival order that are also in event order, from `runHead` on. */
  private run: Held<T>[] = [];
  private runHead = 0;
  private seq = 0;
  private maxSeen = -Infinity;
  private released = -Infinity;
  private lateCount = 0;

  /** `latenessMs`: how far behind the newest timestamp an item may arrive and still be put in order. */
  constructor(
    private readonly latenessMs: number,
    private readonly onLate: (late: Timed<T>) => void = () => {},
  ) {}

  /** Adds an item; returns the items that are now safe to process, in order. */
  push(entry: Timed<T>): T[] {
    const due = this.add(entry.item, entry.ts, entry.tiebreaker);
    return due === NOTHING_DUE ? [] : (due as T[]);
  }

  /**
   * `push` without an entry object: the items now safe to process, in order (a shared empty array, not to be
   * changed, when none is due).
   */
  add(item: T, ts: number, tiebreaker?: number | string): readonly T[] {
    if (ts < this.released) {
      this.lateCount++;
      this.onLate(tiebreaker === undefined ? { item, ts } : { item, ts, tiebreaker });
      return NOTHING_DUE;
    }
    this.hold(item, ts, tiebreaker, this.seq++);
    if (ts > this.maxSeen) this.maxSeen = ts;
    return this.drain(this.maxSeen - this.latenessMs);
  }

  /**
   * Holds an item without releasing any, for a caller that keeps time itself (see `releaseUpTo`): `seq` is its
   * arrival order, which the caller then numbers for every item. No lateness check.
   */
  hold(item: T, ts: number, tiebreaker: number | string | undefined, seq: number): void {
    const held: Held<T> = { item, ts, tiebreaker, seq };
    const run = this.run;
    if (this.runHead === run.length || !before(held, run[run.length - 1])) run.push(held);
    else this.insert(held);
  }

  /** Releases the items up to time `upTo`, in order (a shared empty array, not to be changed, when none is). */
  releaseUpTo(upTo: number): readonly T[] {
    return this.drain(upTo);
  }

  /** Releases the first `count` items in order, whatever their time. */
  releaseFirst(count: number): T[] {
    const out: T[] = [];
    while (out.length < count) {
      const next = this.runHead < this.run.length ? this.run[this.runHead] : undefined;
      const fromHeap = this.heap.length > 0 && (next === undefined || before(this.heap[0], next));
      const top = fromHeap ? this.heap[0] : next;
      if (top === undefined) break;
      // Everything up to the last one's time goes in order: the drain does it and keeps the run compact.
      for (const item of this.drain(top.ts)) out.push(item);
    }
    return out;
  }

  /** Releases everything still held (end of input). */
  flush(): T[] {
    const due = this.drain(Infinity);
    return due === NOTHING_DUE ? [] : (due as T[]);
  }

  /** Items held, and items that arrived too late to be ordered. */
  stats(): { held: number; late: number } {
    return { held: this.size, late: this.lateCount };
  }

  /** Items held. */
  get size(): number {
    return this.heap.length + this.run.length - this.runHead;
  }

  private drain(upTo: number): readonly T[] {
    let out: T[] | undefined;
    const heap = this.heap;
    for (;;) {
      const next = this.runHead < this.run.length ? this.run[this.runHead] : undefined;
      const fromHeap = heap.length > 0 && (next === undefined || before(heap[0], next));
      const top = fromHeap ? heap[0] : next;
      if (top === undefined || top.ts > upTo) break;
      if (fromHeap) this.pop();
      else this.runHead++;
      if (top.ts > this.released) this.released = top.ts;
      (out ??= []).push(top.item);
    }
    // The released front of the run is dropped once it is half of it, so the array stays bounded by what is held.
    if (this.runHead > 1024 && this.runHead * 2 > this.run.length) {
      this.run = this.run.slice(this.runHead);
      this.runHead = 0;
    } else if (this.runHead === this.run.length && this.runHead > 0) {
      this.run.length = 0;
      this.runHead = 0;
    }
    return out ?? NOTHING_DUE;
  }

  private insert(h: Held<T>): void {
    const heap = this.heap;
    heap.push(h);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i], heap[parent])) break;
      const t = heap[i];
      heap[i] = heap[parent];
      heap[parent] = t;
      i = parent;
    }
  }

  private pop(): Held<T> {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && before(heap[l], heap[m])) m = l;
        if (r < heap.length && before(heap[r], heap[m])) m = r;
        if (m === i) break;
        const t = heap[i];
        heap[i] = heap[m];
        heap[m] = t;
        i = m;
      }
    }
    return top;
  }
}
