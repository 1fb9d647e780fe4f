/**
 * The lateness window of a sequence runner: events are held and released in (timestamp, tiebreaker, arrival)
 * order once the stream's newest time is `latenessMs` past them. An event more than `latenessMs` behind the
 * newest time is late: counted and handed to `onLate`, never matched.
 *
 * The newest time is a `StreamClock` the caller may share: the engine moves it with every event it processes,
 * so lateness is measured against the whole stream, the same whichever events reach this rule. Without one, the
 * events pushed here move it.
 *
 * Each event comes with its filter hits (see StageHits); per filter, the window counts the held events that
 * pass it or may (HIT_UNKNOWN), which is what the runner's forecast of live stages reads.
 */
import { ReorderBuffer } from './reorder.js';
import type { StageHits } from './stage-hits.js';

/** How far past the stream's newest time one event can move it on its own. */
const MAX_CLOCK_JUMP_MS = 24 * 60 * 60_000;

/**
 * The newest event time of a stream, in ms (-Infinity before the first timed event). One event stamped far
 * ahead (a wrong clock, or hostile input) would make every event after it late, so a jump of more than a day
 * (or of the lateness window, if longer) waits for a second event near the new time before the clock follows:
 * replays of logs with gaps move on at their second event, a lone bad timestamp never.
 */
export class StreamClock {
  newest = -Infinity;
  /**
   * No event before this time can be put in order any more: set when a window that held too many events let
   * some go early (see `maxHeld`). One at this time still sorts after them by arrival.
   */
  closedUpTo = -Infinity;
  /** A time far ahead of `newest`, seen once. */
  private ahead = Number.NaN;

  /** Whether an event at `ts` is too late to be put in order. */
  isLate(ts: number, latenessMs: number): boolean {
    return ts < this.newest - latenessMs || ts < this.closedUpTo;
  }

  /** Moves the clock on to `ts` if later (see above); whether it moved. */
  advance(ts: number, latenessMs: number): boolean {
    if (!(ts > this.newest)) return false;
    if (this.newest !== -Infinity && ts - this.newest > Math.max(MAX_CLOCK_JUMP_MS, latenessMs) && !(Math.abs(ts - this.ahead) <= latenessMs)) {
      this.ahead = ts;
      return false;
    }
    this.newest = ts;
    return true;
  }
}

/** An event released from the window, with its hits as pushed. */
export interface HeldEvent {
  event: unknown;
  ts: number;
  hits: StageHits | undefined;
}

const NONE: readonly HeldEvent[] = Object.freeze([]);

export class HeldEvents {
  private readonly buffer = new ReorderBuffer<HeldEvent>(Infinity);
  private readonly clock: StreamClock;
  private readonly ownClock: boolean;
  private seq = 0;
  private lateCount = 0;
  /** Per filter: events held that pass it or may (1 or HIT_UNKNOWN), and the newest one's time. */
  private readonly hitCount: Int32Array;
  private readonly hitNewest: Float64Array;

  /** Events let go before their window closed, because more than `maxHeld` were held. */
  private early = 0;
  /** This window's own part of `StreamClock.closedUpTo`: the latest time it let go early. */
  private closedUpTo = -Infinity;

  constructor(
    private readonly latenessMs: number,
    filterCount: number,
    clock: StreamClock | undefined,
    private readonly onLate: (event: unknown, ts: number) => void,
    private readonly maxHeld = Infinity,
  ) {
    this.clock = clock ?? new StreamClock();
    this.ownClock = clock === undefined;
    this.hitCount = new Int32Array(filterCount);
    this.hitNewest = new Float64Array(filterCount).fill(-Infinity);
  }

  /**
   * Takes an event and its hits (copied when kept: the caller may reuse its array); returns the events now
   * due, in order (a shared empty array when none is). `seq` is its place in arrival order, when the caller
   * numbers events itself (it must then number every event it pushes or holds).
   */
  push(event: unknown, ts: number, tiebreaker: number | string | undefined, hits: StageHits | undefined, seq?: number): readonly HeldEvent[] {
    if (this.ownClock) this.clock.advance(ts, this.latenessMs);
    if (this.clock.isLate(ts, this.latenessMs) || ts < this.closedUpTo) {
      this.lateCount++;
      this.onLate(event, ts);
      return NONE;
    }
    this.hold(event, ts, tiebreaker, hits, seq ?? this.seq++);
    const due = this.release(this.clock.newest - this.latenessMs);
    const over = this.buffer.size - this.maxHeld;
    if (over <= 0) return due;
    // Bounded memory over a lateness window: past `maxHeld` the oldest go now, and nothing before them can
    // still be put in order.
    const early = this.buffer.releaseFirst(over);
    this.early += early.length;
    for (const e of early) {
      this.count(e.hits, -1, e.ts);
      if (e.ts > this.closedUpTo) this.closedUpTo = e.ts;
    }
    return due.length === 0 ? early : [...due, ...early];
  }

  /** Holds an event that arrived earlier (`seq`) and was kept aside by the caller; releases nothing. */
  hold(event: unknown, ts: number, tiebreaker: number | string | undefined, hits: StageHits | undefined, seq: number): void {
    const kept = hits === undefined ? undefined : copy(hits);
    this.count(kept, 1, ts);
    this.buffer.hold({ event, ts, hits: kept }, ts, tiebreaker, seq);
  }

  /** Releases everything still held (end of input). */
  flush(): HeldEvent[] {
    return [...this.release(Infinity)];
  }

  /** Whether an event held within `maxspan` before `timestamp` passes filter `at`, or may. */
  heldSoon(at: number, timestamp: number, maxspan: number): boolean {
    return this.hitCount[at] > 0 && this.hitNewest[at] >= timestamp - maxspan;
  }

  stats(): { held: number; late: number; releasedEarly: number } {
    return { held: this.buffer.size, late: this.lateCount, releasedEarly: this.early };
  }

  private count(hits: StageHits | undefined, by: 1 | -1, ts: number): void {
    const n = this.hitCount;
    const newest = this.hitNewest;
    for (let i = 0; i < n.length; i++) {
      if (hits !== undefined && hits[i] === 0) continue;
      n[i] += by;
      if (by === 1) {
        if (ts > newest[i]) newest[i] = ts;
      } else if (n[i] === 0) newest[i] = -Infinity;
    }
  }

  private release(upTo: number): readonly HeldEvent[] {
    const due = this.buffer.releaseUpTo(Math.max(upTo, this.clock.closedUpTo));
    for (let i = 0; i < due.length; i++) this.count(due[i].hits, -1, due[i].ts);
    return due.length === 0 ? NONE : due;
  }
}

/** A plain array copy (`Array.from` goes through the iterator protocol; a typed array's copy allocates a buffer). */
function copy(hits: StageHits): number[] {
  const out = new Array<number>(hits.length);
  for (let i = 0; i < hits.length; i++) out[i] = hits[i];
  return out;
}
