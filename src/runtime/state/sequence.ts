/**
 * The EQL sequence state machine, as Elasticsearch runs it, over events fed in order (timestamp, then
 * tiebreaker, then arrival). Per join key and stage there is at most one pending partial sequence: a newer
 * partial replaces an older one; an event advances partials from the last stage to the first, so it never
 * fills two stages of one partial; maxspan is measured from a partial's first event and is inclusive; an
 * `until` event drops all of the key's pending partials (also one it has just extended). State is bounded: expired
 * partials are swept as time advances, and a cap evicts the oldest partials (counted).
 *
 * Missing-event stages `![…]`: the positive stages match as above; a completed candidate is then checked
 * against the events seen for the missing stages (see `decide`). Candidates with a trailing missing stage wait
 * until maxspan has passed since their first event (or `flush`).
 */
import type { IrSequence } from '../../ir/types.js';
import type { EqlScalar } from '../match/eql-functions.js';
import { keyString, keyTuples, linkStage, type KeyTupleCounter, type LinkedStage } from './join-keys.js';
import type { LinkOptions } from '../match/link.js';
import { HeldEvents, type StreamClock } from './held-events.js';
import { HIT_UNKNOWN, type StageHits } from './stage-hits.js';

export { StreamClock } from './held-events.js';
export { HIT_UNKNOWN, type StageHits } from './stage-hits.js';

function passes(hits: StageHits | undefined, at: number, stage: LinkedStage, event: unknown): boolean {
  if (hits === undefined) return stage.matches(event);
  const h = hits[at];
  return h === 1 || (h === HIT_UNKNOWN && stage.matches(event));
}

/** A completed sequence: its events in stage order (null where a missing-event stage held) and the join keys. */
export interface SequenceMatch {
  events: unknown[];
  joinKeys: EqlScalar[];
}

/** Counters describing the runner's state. */
export interface SequenceStats {
  pending: number;
  completed: number;
  evicted: number;
  expired: number;
  /** Events that arrived later than the lateness window (not matched, reported through `onLate`). */
  late: number;
  /** Events held in the lateness window, waiting to be put in order. */
  held: number;
  /** Events the lateness window let go before it closed, because it held `maxHeld`. */
  releasedEarly: number;
  /** Events whose join key values made more than MAX_KEY_TUPLES key tuples (only the first ones were used). */
  keysTruncated: number;
}

export interface SequenceOptions extends LinkOptions {
  /** Most pending partials kept at once before the oldest are evicted (default 100,000). */
  maxPending?: number;
  /**
   * Accept events up to this many ms out of order: they are held and put in order before matching (default 0:
   * events must arrive in order). Events later than that are counted (`stats().late`) and passed to `onLate`.
   */
  latenessMs?: number;
  /** Called with each event that arrived too late to be put in order. */
  onLate?: (event: unknown, timestamp: number) => void;
  /**
   * Most events the lateness window holds (default: no limit). Past it the oldest are processed at once, and
   * events before their time count as late.
   */
  maxHeld?: number;
  /**
   * Partitioned runs: whether this runner owns a join key (its `keyString`). Keys it does not own are
   * ignored, so N runners that each own a share of the keys together find exactly the sequences of one.
   */
  ownsKey?: (key: string) => boolean;
  /**
   * With `latenessMs`: the stream's newest event time, kept by the caller (the engine moves it with every event
   * it processes), against which lateness is measured. Without it, the events pushed here move it.
   */
  streamClock?: StreamClock;
}

interface Partial {
  events: unknown[];
  ts: number[];
  ords: number[];
  keys: EqlScalar[];
}

interface Seen {
  ts: number;
  ord: number;
}

interface Candidate {
  partial: Partial;
  key: string;
  decided: boolean;
  accepted: boolean;
}

/** A running sequence query. Feed events in order with `push`, then `flush` at the end of input. */
export class SequenceRunner {
  private readonly stages: LinkedStage[];
  private readonly until: LinkedStage | undefined;
  private readonly maxspan: number;
  private readonly maxPending: number;
  private readonly ownsKey: ((key: string) => boolean) | undefined;
  /** waiting[k]: partials that matched positive stages 0..k-1, by join key, oldest first. */
  private readonly waiting: Map<string, Partial>[];
  /**
   * queues[k]: the partials put into waiting[k], oldest first, including ones since gone (completed, replaced,
   * expired), which are skipped lazily. Eviction reads the oldest from here: a Map's first entry is not O(1)
   * when many entries before it were deleted (V8 walks the holes), which made a flood of unique keys quadratic.
   */
  private readonly queues: { partials: (Partial | undefined)[]; keys: string[]; head: number }[];
  /** Missing-event stages: their place among all stages, and the events seen for them per key. */
  private readonly missing: { stage: LinkedStage; position: number; seen: Map<string, Seen[]> }[];
  /** For each positive stage, its place among all stages. */
  private readonly positions: number[];
  private readonly totalStages: number;
  private readonly trailingMissing: boolean;
  private readonly candidates: Candidate[] = [];
  /** Candidates not yet decided (waiting for a trailing missing stage's maxspan to pass). */
  private undecided = 0;
  /** The position (among all stages) of the last positive stage. */
  private readonly lastPositive: number;
  private pendingCount = 0;
  private ordinal = 0;
  private lastSweep = -Infinity;
  private readonly counters = { completed: 0, evicted: 0, expired: 0 };
  private readonly keyCounter: KeyTupleCounter = { truncated: 0 };
  private readonly reorder: HeldEvents | undefined;

  constructor(sequence: IrSequence, options: SequenceOptions = {}) {
    this.totalStages = sequence.stages.length;
    this.positions = [];
    this.missing = [];
    const positive: LinkedStage[] = [];
    sequence.stages.forEach((s, i) => {
      if (s.missing) this.missing.push({ stage: linkStage(s, options), position: i, seen: new Map() });
      else {
        this.positions.push(i);
        positive.push(linkStage(s, options));
      }
    });
    this.stages = positive;
    this.lastPositive = this.positions[this.positions.length - 1];
    this.trailingMissing = this.missing.some((m) => m.position > this.lastPositive);
    this.until = sequence.until ? linkStage(sequence.until, options) : undefined;
    this.maxspan = sequence.maxspanMs ?? Infinity;
    this.maxPending = options.maxPending ?? 100_000;
    this.ownsKey = options.ownsKey;
    this.waiting = this.stages.map(() => new Map());
    this.queues = this.stages.map(() => ({ partials: [], keys: [], head: 0 }));
    if (options.latenessMs !== undefined && options.latenessMs > 0) {
      const onLate = options.onLate;
      this.reorder = new HeldEvents(options.latenessMs, this.filterCount, options.streamClock, (event, ts) => onLate?.(event, ts), options.maxHeld);
    }
  }

  /**
   * Processes the next event (with its timestamp in ms); returns the sequences now known to be complete.
   * Events with equal timestamps are ordered by `tiebreaker` when given, else by arrival (`seq`, when the caller
   * numbers events itself: then it numbers every one). `hits` are read during the call (and copied when the
   * event is held), so the caller may reuse its array.
   */
  push(event: unknown, timestamp: number, tiebreaker?: number | string, hits?: StageHits, seq?: number): SequenceMatch[] {
    if (!this.reorder) return this.process(event, timestamp, hits);
    const ready = this.reorder.push(event, timestamp, tiebreaker, hits, seq);
    if (ready.length === 0) return [];
    if (ready.length === 1) return this.process(ready[0].event, ready[0].ts, ready[0].hits);
    const out: SequenceMatch[] = [];
    for (const r of ready) for (const m of this.process(r.event, r.ts, r.hits)) out.push(m);
    return out;
  }

  /**
   * Holds an event that arrived earlier, as its `seq`-th, and that the caller had kept aside (it could only
   * fill stages forecast dead, see `liveFilters`) until an event that sorts before it arrived. Only with a
   * lateness window and a caller that numbers every event it pushes.
   */
  hold(event: unknown, timestamp: number, tiebreaker: number | string | undefined, hits: StageHits, seq: number): void {
    this.reorder?.hold(event, timestamp, tiebreaker, hits, seq);
  }

  /**
   * Which filters can change the state now (1) and which an event cannot use (0), in `push`'s `hits` order:
   * the first stage always, a later stage only while partials wait for it, a trailing missing stage only while a
   * candidate waits, `until` only while partials exist. A caller may skip evaluating the others (their hits
   * are then 0).
   *
   * With a reorder window the state an event meets comes later, so this is a forecast for an event at
   * `timestamp`: a filter is also 1 while an event held within maxspan before it passes the stage the filter
   * follows (the first stage, for `until`). A caller passes HIT_UNKNOWN, not 0, for the filters it skips, and
   * the runner tests those itself if they turn out live. An event with only such filters cannot matter unless
   * an event that sorts before it arrives later: the engine keeps those aside (see engine/open-log.ts) and
   * `hold`s them when one does.
   */
  liveFilters(out: Uint8Array, timestamp = Infinity): void {
    const all = this.reorder !== undefined;
    let positive = 0;
    let missing = 0;
    for (let i = 0; i < this.totalStages; i++) {
      if (missing < this.missing.length && this.missing[missing].position === i) {
        // A trailing missing stage looks at events after a candidate: one may come from a held event.
        out[i] = i < this.lastPositive || this.undecided > 0 || (all && this.heldSoon(this.lastPositive, timestamp)) ? 1 : 0;
        missing++;
      } else {
        out[i] = positive === 0 || this.waiting[positive].size > 0 || (all && this.heldSoon(this.positions[positive - 1], timestamp)) ? 1 : 0;
        positive++;
      }
    }
    if (this.until) out[this.totalStages] = this.pendingCount > 0 || (all && this.heldSoon(this.positions[0], timestamp)) ? 1 : 0;
  }

  private heldSoon(at: number, timestamp: number): boolean {
    return this.reorder!.heldSoon(at, timestamp, this.maxspan);
  }

  /** How many stages the sequence has, missing ones included (the `until` filter comes after them). */
  get stageCount(): number {
    return this.totalStages;
  }

  /** How many filters `push`'s `hits` describe: every stage (missing ones included), then `until` if any. */
  get filterCount(): number {
    return this.totalStages + (this.until ? 1 : 0);
  }

  private process(event: unknown, timestamp: number, hits: StageHits | undefined): SequenceMatch[] {
    const ord = this.ordinal++;
    const done: Partial[] = [];
    for (const m of this.missing) {
      // A stage after the last positive one only ever looks at events after a completed candidate's last event:
      // with no candidate waiting, there is nothing to record.
      if (this.undecided === 0 && m.position > this.lastPositive) continue;
      if (!passes(hits, m.position, m.stage, event)) continue;
      for (const keys of keyTuples(m.stage, event, this.keyCounter)) {
        const key = keyString(keys);
        if (this.ownsKey && !this.ownsKey(key)) continue;
        const list = m.seen.get(key);
        if (list) list.push({ ts: timestamp, ord });
        else m.seen.set(key, [{ ts: timestamp, ord }]);
      }
    }
    const last = this.stages.length - 1;
    for (let k = last; k >= 0; k--) {
      const stage = this.stages[k];
      // An event that could only extend partials waiting at stage k does nothing when none waits there.
      if (k > 0 && this.waiting[k].size === 0) continue;
      if (!passes(hits, this.positions[k], stage, event)) continue;
      for (const keys of keyTuples(stage, event, this.keyCounter)) {
        const key = keyString(keys);
        if (this.ownsKey && !this.ownsKey(key)) continue;
        if (k === 0) {
          this.store(1, key, { events: [event], ts: [timestamp], ords: [ord], keys }, done);
          continue;
        }
        const partial = this.waiting[k].get(key);
        if (!partial || partial.ords[partial.ords.length - 1] === ord) continue;
        this.waiting[k].delete(key);
        this.pendingCount--;
        if (timestamp - partial.ts[0] > this.maxspan) {
          this.counters.expired++;
          continue;
        }
        this.store(k + 1, key, { events: [...partial.events, event], ts: [...partial.ts, timestamp], ords: [...partial.ords, ord], keys: partial.keys }, done);
      }
    }
    if (this.until && passes(hits, this.totalStages, this.until, event)) {
      for (const keys of keyTuples(this.until, event, this.keyCounter)) this.dropBefore(keyString(keys), ord);
    }
    for (const p of done) this.candidates.push(this.candidate(p));
    this.decideDue(timestamp);
    this.sweep(timestamp);
    return this.release();
  }

  /** Ends the input: releases held events, decides every waiting candidate and returns the remaining sequences. */
  flush(): SequenceMatch[] {
    const out = this.reorder ? this.reorder.flush().flatMap((r) => this.process(r.event, r.ts, r.hits)) : [];
    for (const c of this.candidates) if (!c.decided) this.decide(c);
    return [...out, ...this.release()];
  }

  private candidate(partial: Partial): Candidate {
    const c: Candidate = { partial, key: keyString(partial.keys), decided: false, accepted: true };
    this.undecided++;
    // Without missing stages, or with none after the last positive one, all the evidence is already in.
    if (this.missing.length === 0 || !this.trailingMissing) this.decide(c);
    return c;
  }

  /** Candidates with a trailing missing stage are decided once maxspan from their first event has passed. */
  private decideDue(now: number): void {
    for (const c of this.candidates) if (!c.decided && now - c.partial.ts[0] > this.maxspan) this.decide(c);
  }

  /**
   * Decides a candidate against its missing-event stages, as Elasticsearch's spec tests pin it down: a stage
   * between two positive events rejects the candidate when any matching event (same keys) falls between them;
   * stages before the first or after the last positive event reject it only together, when all of them can be
   * filled in order with events that keep the whole sequence within maxspan. For the edges the fill with the
   * smallest span takes the latest events before and the earliest after.
   */
  private decide(c: Candidate): void {
    c.decided = true;
    this.undecided--;
    if (this.missing.length === 0) return;
    const { ts, ords } = c.partial;
    const firstPositive = this.positions[0];
    const lastPositive = this.positions[this.positions.length - 1];
    const seenFor = (m: (typeof this.missing)[number]) => m.seen.get(c.key) ?? [];
    // Middle stages: positions between positive ones; the gap is bounded by the positive events around it.
    for (const m of this.missing) {
      if (m.position < firstPositive || m.position > lastPositive) continue;
      const afterIndex = this.positions.filter((p) => p < m.position).length - 1;
      const lo = ords[afterIndex];
      const hi = ords[afterIndex + 1];
      if (seenFor(m).some((s) => s.ord > lo && s.ord < hi)) {
        c.accepted = false;
        return;
      }
    }
    const leading = this.missing.filter((m) => m.position < firstPositive);
    const trailing = this.missing.filter((m) => m.position > lastPositive);
    if (leading.length === 0 && trailing.length === 0) return;
    let minTs = ts[0];
    let maxTs = ts[ts.length - 1];
    let bound = ords[0];
    for (const m of [...leading].reverse()) {
      const before = seenFor(m).filter((s) => s.ord < bound);
      if (before.length === 0) return;
      const pick = before[before.length - 1];
      bound = pick.ord;
      minTs = Math.min(minTs, pick.ts);
    }
    bound = ords[ords.length - 1];
    for (const m of trailing) {
      const pick = seenFor(m).find((s) => s.ord > bound);
      if (!pick) return;
      bound = pick.ord;
      maxTs = Math.max(maxTs, pick.ts);
    }
    if (maxTs - minTs <= this.maxspan) c.accepted = false;
  }

  /** Returns decided candidates from the front of the queue, so output stays in completion order. */
  private release(): SequenceMatch[] {
    const out: SequenceMatch[] = [];
    while (this.candidates.length > 0 && this.candidates[0].decided) {
      const c = this.candidates.shift()!;
      if (!c.accepted) continue;
      this.counters.completed++;
      out.push({ events: this.withPlaceholders(c.partial.events), joinKeys: c.partial.keys });
    }
    return out;
  }

  private withPlaceholders(events: unknown[]): unknown[] {
    if (this.missing.length === 0) return events;
    const out: unknown[] = new Array<unknown>(this.totalStages).fill(null);
    this.positions.forEach((p, i) => (out[p] = events[i]));
    return out;
  }

  /** Puts a partial into stage `k` (or completes it past the last stage), replacing an older one for the key. */
  private store(k: number, key: string, partial: Partial, done: Partial[]): void {
    if (k === this.stages.length) {
      done.push(partial);
      return;
    }
    const slot = this.waiting[k];
    if (slot.delete(key)) this.pendingCount--;
    slot.set(key, partial);
    this.pendingCount++;
    this.enqueue(k, key, partial);
    if (this.pendingCount > this.maxPending) this.evictOldest();
  }

  private enqueue(k: number, key: string, partial: Partial): void {
    const q = this.queues[k];
    q.partials.push(partial);
    q.keys.push(key);
    // Dropping gone entries once they outnumber live ones keeps the queue within twice the state, amortised O(1).
    if (q.partials.length - q.head > 2 * this.waiting[k].size + 1024) {
      const partials: (Partial | undefined)[] = [];
      const keys: string[] = [];
      for (let i = q.head; i < q.partials.length; i++) {
        if (this.waiting[k].get(q.keys[i]) !== q.partials[i]) continue;
        partials.push(q.partials[i]);
        keys.push(q.keys[i]);
      }
      this.queues[k] = { partials, keys, head: 0 };
    }
  }

  /** Moves past the queue's head, letting go of it so a dead partial (and its events) can be collected. */
  private advance(q: (typeof this.queues)[number]): void {
    q.partials[q.head] = undefined;
    q.keys[q.head] = '';
    q.head++;
  }

  /** The oldest partial still waiting in stage k (skipping gone ones), or undefined. */
  private oldest(k: number): Partial | undefined {
    const q = this.queues[k];
    while (q.head < q.partials.length && this.waiting[k].get(q.keys[q.head]) !== q.partials[q.head]) this.advance(q);
    if (q.head > 4096 && q.head * 2 > q.partials.length) {
      q.partials = q.partials.slice(q.head);
      q.keys = q.keys.slice(q.head);
      q.head = 0;
    }
    return q.head < q.partials.length ? q.partials[q.head] : undefined;
  }

  /**
   * An until event ends every pending partial of its key, the ones it has just started or extended included:
   * Elasticsearch rejects extending a partial when an until event lies between the partial's last event and
   * the new one, both ends included, strictly before the new one. (An event that completes a sequence and is
   * also an until event has already completed it.)
   */
  private dropBefore(key: string, ord: number): void {
    for (let k = 1; k < this.waiting.length; k++) {
      const p = this.waiting[k].get(key);
      if (p && p.ords[p.ords.length - 1] <= ord) {
        this.waiting[k].delete(key);
        this.pendingCount--;
      }
    }
  }

  private evictOldest(): void {
    let victim = -1;
    let victimTs = Infinity;
    for (let k = 1; k < this.waiting.length; k++) {
      const first = this.oldest(k);
      if (first && (victim < 0 || first.ts[0] < victimTs)) {
        victim = k;
        victimTs = first.ts[0];
      }
    }
    if (victim < 0) return;
    const q = this.queues[victim];
    this.waiting[victim].delete(q.keys[q.head]);
    this.advance(q);
    this.pendingCount--;
    this.counters.evicted++;
  }

  /** Drops partials and missing-stage history that can no longer matter; amortised so each event stays cheap. */
  private sweep(now: number): void {
    if (this.maxspan === Infinity || now - this.lastSweep < this.maxspan / 4) return;
    this.lastSweep = now;
    for (let k = 1; k < this.waiting.length; k++) {
      for (const [key, p] of this.waiting[k]) {
        if (now - p.ts[0] > this.maxspan) {
          this.waiting[k].delete(key);
          this.pendingCount--;
          this.counters.expired++;
        }
      }
    }
    // A missing-stage event older than two maxspans can no longer fit in any undecided candidate's span.
    for (const m of this.missing) {
      for (const [key, list] of m.seen) {
        const kept = list.filter((s) => now - s.ts <= 2 * this.maxspan);
        if (kept.length === 0) m.seen.delete(key);
        else if (kept.length !== list.length) m.seen.set(key, kept);
      }
    }
  }

  /** Current state and counters. */
  stats(): SequenceStats {
    const window = this.reorder?.stats() ?? { late: 0, held: 0, releasedEarly: 0 };
    return { pending: this.pendingCount, ...this.counters, keysTruncated: this.keyCounter.truncated, ...window };
  }
}
