/**
 * Events set aside for sequences with a lateness window. With a window, the engine evaluates only the stages
 * a sequence's runner forecasts live (see SequenceRunner.liveFilters) and leaves the others open. An event
 * whose only possible hits are open cannot change the state unless the forecast was wrong, and the forecast
 * can only be wrong if an event that sorts before it arrives later: so such an event is not pushed to the
 * runner but noted here, once per event with the (rule, open filters) pairs it has. When a rule is pushed an
 * event at or before the time of noted ones, it takes its noted events from that time on, which then go
 * through its window like the others; noted events the window has passed are dropped.
 *
 * One log per timestamp field. Flat parallel arrays: no object per event.
 */

/** Most filters a sequence may have for its events to be noted here: its open filters are bits of one number. */
export const OPEN_LOG_MAX_FILTERS = 31;

export class OpenLog {
  private events: unknown[] = [];
  private times: number[] = [];
  /** Non-decreasing: the newest time among the entries up to each one, so a search by time can start late. */
  private newestUpTo: number[] = [];
  private seqs: number[] = [];
  private pairStart: number[] = [];
  /** Per pair: the rule's serial (-1 once taken) and its open filters as bits. */
  private pairs: number[] = [];
  private head = 0;

  /** Notes that the event `seq` (at time `ts`) may pass `rule`'s filters in the bits of `open` only. */
  note(event: unknown, ts: number, seq: number, rule: number, open: number): void {
    const n = this.seqs.length;
    if (n === this.head || this.seqs[n - 1] !== seq) {
      this.events.push(event);
      this.times.push(ts);
      this.newestUpTo.push(n > 0 && this.newestUpTo[n - 1] > ts ? this.newestUpTo[n - 1] : ts);
      this.seqs.push(seq);
      this.pairStart.push(this.pairs.length);
    }
    this.pairs.push(rule, open);
  }

  /** Whether some entry may be at or after `ts`. */
  reaches(ts: number): boolean {
    const n = this.seqs.length;
    return n > this.head && this.newestUpTo[n - 1] >= ts;
  }

  /** Hands `rule`'s noted events at or after `from` to `take` (each once), oldest arrival first. */
  takeFrom(from: number, rule: number, take: (event: unknown, ts: number, seq: number, open: number) => void): void {
    const n = this.seqs.length;
    // The first entry whose running newest time reaches `from`: none before it can be at or after `from`.
    let lo = this.head;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.newestUpTo[mid] >= from) hi = mid;
      else lo = mid + 1;
    }
    for (let i = lo; i < n; i++) {
      if (this.times[i] < from) continue;
      const end = i + 1 < n ? this.pairStart[i + 1] : this.pairs.length;
      for (let p = this.pairStart[i]; p < end; p += 2) {
        if (this.pairs[p] !== rule) continue;
        this.pairs[p] = -1;
        take(this.events[i], this.times[i], this.seqs[i], this.pairs[p + 1]);
      }
    }
  }

  /** Drops the entries before `upTo` from the front: no event still to come sorts before them. */
  trim(upTo: number): void {
    let head = this.head;
    const n = this.seqs.length;
    while (head < n && this.times[head] < upTo) this.events[head++] = undefined;
    if (head === n) {
      this.clear();
      return;
    }
    this.head = head;
    this.compact();
  }

  /** Moves the kept entries to the front once the dropped ones are half of the arrays. */
  private compact(): void {
    const head = this.head;
    if (head > 1024 && head * 2 > this.seqs.length) {
      const offset = this.pairStart[head];
      this.events = this.events.slice(head);
      this.times = this.times.slice(head);
      this.newestUpTo = this.newestUpTo.slice(head);
      this.seqs = this.seqs.slice(head);
      this.pairStart = this.pairStart.slice(head).map((p) => p - offset);
      this.pairs = this.pairs.slice(offset);
      this.head = 0;
    }
  }

  /** Drops the `count` entries that arrived first; the latest time among them (-Infinity when none). */
  dropOldest(count: number): number {
    let latest = -Infinity;
    const n = this.seqs.length;
    const end = Math.min(n, this.head + count);
    for (let i = this.head; i < end; i++) if (this.times[i] > latest) latest = this.times[i];
    for (let i = this.head; i < end; i++) this.events[i] = undefined;
    this.head = end;
    if (end === n) this.clear();
    else this.compact();
    return latest;
  }

  clear(): void {
    if (this.seqs.length === 0) return;
    this.events = [];
    this.times = [];
    this.newestUpTo = [];
    this.seqs = [];
    this.pairStart = [];
    this.pairs = [];
    this.head = 0;
  }

  /** Events noted and not yet dropped. */
  get size(): number {
    return this.seqs.length - this.head;
  }
}
