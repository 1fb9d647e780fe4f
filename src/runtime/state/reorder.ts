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

interface Held<T> extends Timed<T> {
  seq: number;
}

function before<T>(a: Held<T>, b: Held<T>): boolean {
  if (a.ts !== b.ts) return a.ts < b.ts;
  const ta = a.tiebreaker;
  const tb = b.tiebreaker;
  if (ta !== undefined && tb !== undefined && ta !== tb) return ta < tb;
  return a.seq < b.seq;
}

/** A bounded-delay reorder buffer (a binary heap keyed by event order). */
export class ReorderBuffer<T> {
  private readonly heap: Held<T>[] = [];
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
    if (entry.ts < this.released) {
      this.lateCount++;
      this.onLate(entry);
      return [];
    }
    this.insert({ ...entry, seq: this.seq++ });
    if (entry.ts > this.maxSeen) this.maxSeen = entry.ts;
    return this.drain(this.maxSeen - this.latenessMs);
  }

  /** Releases everything still held (end of input). */
  flush(): T[] {
    return this.drain(Infinity);
  }

  /** Items held, and items that arrived too late to be ordered. */
  stats(): { held: number; late: number } {
    return { held: this.heap.length, late: this.lateCount };
  }

  private drain(upTo: number): T[] {
    const out: T[] = [];
    while (this.heap.length > 0 && this.heap[0].ts <= upTo) {
      const top = this.pop();
      this.released = Math.max(this.released, top.ts);
      out.push(top.item);
    }
    return out;
  }

  private insert(h: Held<T>): void {
    const heap = this.heap;
    heap.push(h);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i], heap[parent])) break;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
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
        [heap[i], heap[m]] = [heap[m], heap[i]];
        i = m;
      }
    }
    return top;
  }
}
