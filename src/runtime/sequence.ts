/**
 * The EQL sequence state machine, as Elasticsearch runs it, over events fed in order (timestamp, then
 * tiebreaker, then arrival). Per join key and stage there is at most one pending partial sequence: a newer
 * partial replaces an older one; an event advances partials from the last stage to the first, so it never
 * fills two stages of one partial; maxspan is measured from a partial's first event and is inclusive; an
 * `until` event drops the key's partials whose last event came before it. State is bounded: expired
 * partials are swept as time advances, and a cap evicts the oldest partials (counted).
 */
import type { IrSequence } from '../ir/types.js';
import { linkValues } from './eql-eval.js';
import type { EqlScalar } from './eql-functions.js';
import { linkPredicate, type LinkOptions, type Matcher } from './link.js';

/** A completed sequence: its events in stage order and the join key values. */
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
}

export interface SequenceOptions extends LinkOptions {
  /** Most pending partials kept at once before the oldest are evicted (default 100,000). */
  maxPending?: number;
}

interface Partial {
  events: unknown[];
  firstTs: number;
  keys: EqlScalar[];
}

interface LinkedStage {
  matches: Matcher;
  keys: ((event: unknown) => EqlScalar[])[];
  optional: boolean[];
}

type KeyTuple = EqlScalar[];

function linkStage(stage: IrSequence['stages'][number], options: LinkOptions): LinkedStage {
  return { matches: linkPredicate(stage.predicate, options), keys: stage.keys.map(linkValues), optional: stage.optionalKeys };
}

/**
 * The join key tuples of `event` for a stage. A multi-valued key field joins under each of its values (the
 * cartesian product across keys, as Elasticsearch does); a null key is allowed only for `?optional` fields.
 */
function keyTuples(stage: LinkedStage, event: unknown): KeyTuple[] {
  if (stage.keys.length === 1) {
    // The common case (one `by` field) without building a cartesian product.
    const values = stage.keys[0](event);
    if (values.length === 1) return [values];
    if (values.length === 0) return stage.optional[0] ? [[null]] : [];
    return values.map((v) => [v]);
  }
  let tuples: KeyTuple[] = [[]];
  for (let i = 0; i < stage.keys.length; i++) {
    let values: EqlScalar[] = stage.keys[i](event);
    if (values.length === 0) {
      if (!stage.optional[i]) return [];
      values = [null];
    }
    tuples = tuples.flatMap((t) => values.map((v) => [...t, v]));
  }
  return tuples;
}

/** A map key for a key tuple; one string key of a single string value is the value itself, tagged. */
function keyString(keys: KeyTuple): string {
  if (keys.length === 1 && typeof keys[0] === 'string') return `s${keys[0]}`;
  return `j${JSON.stringify(keys)}`;
}

/** A running sequence query. Feed events in order with `push`; completed sequences come back in order. */
export class SequenceRunner {
  private readonly stages: LinkedStage[];
  private readonly until: LinkedStage | undefined;
  private readonly maxspan: number;
  private readonly maxPending: number;
  /** waiting[k]: partials that matched stages 0..k-1, by join key, oldest first. */
  private readonly waiting: Map<string, Partial>[];
  private pendingCount = 0;
  private lastSweep = -Infinity;
  private readonly counters = { completed: 0, evicted: 0, expired: 0 };

  constructor(sequence: IrSequence, options: SequenceOptions = {}) {
    this.stages = sequence.stages.map((s) => linkStage(s, options));
    this.until = sequence.until ? linkStage(sequence.until, options) : undefined;
    this.maxspan = sequence.maxspanMs ?? Infinity;
    this.maxPending = options.maxPending ?? 100_000;
    this.waiting = this.stages.map(() => new Map());
  }

  /** Processes the next event (with its timestamp in ms); returns the sequences it completed. */
  push(event: unknown, timestamp: number): SequenceMatch[] {
    const done: SequenceMatch[] = [];
    const last = this.stages.length - 1;
    for (let k = last; k >= 0; k--) {
      const stage = this.stages[k];
      if (!stage.matches(event)) continue;
      for (const keys of keyTuples(stage, event)) {
        const key = keyString(keys);
        if (k === 0) {
          this.store(1, key, { events: [event], firstTs: timestamp, keys }, done);
          continue;
        }
        const partial = this.waiting[k].get(key);
        if (!partial || partial.events[partial.events.length - 1] === event) continue;
        this.waiting[k].delete(key);
        this.pendingCount--;
        if (timestamp - partial.firstTs > this.maxspan) {
          this.counters.expired++;
          continue;
        }
        this.store(k + 1, key, { events: [...partial.events, event], firstTs: partial.firstTs, keys: partial.keys }, done);
      }
    }
    if (this.until && this.until.matches(event)) {
      for (const keys of keyTuples(this.until, event)) this.dropBefore(keyString(keys), event);
    }
    this.sweep(timestamp);
    return done;
  }

  /** Puts a partial into stage `k` (or completes it past the last stage), replacing an older one for the key. */
  private store(k: number, key: string, partial: Partial, done: SequenceMatch[]): void {
    if (k === this.stages.length) {
      this.counters.completed++;
      done.push({ events: partial.events, joinKeys: partial.keys });
      return;
    }
    const slot = this.waiting[k];
    if (slot.delete(key)) this.pendingCount--;
    slot.set(key, partial);
    this.pendingCount++;
    if (this.pendingCount > this.maxPending) this.evictOldest();
  }

  /** An until event ends the key's partials that it follows, not the ones it has just extended. */
  private dropBefore(key: string, event: unknown): void {
    for (let k = 1; k < this.waiting.length; k++) {
      const p = this.waiting[k].get(key);
      if (p && p.events[p.events.length - 1] !== event) {
        this.waiting[k].delete(key);
        this.pendingCount--;
      }
    }
  }

  private evictOldest(): void {
    let victim: { k: number; key: string; ts: number } | undefined;
    for (let k = 1; k < this.waiting.length; k++) {
      const first = this.waiting[k].entries().next();
      if (!first.done && (!victim || first.value[1].firstTs < victim.ts)) victim = { k, key: first.value[0], ts: first.value[1].firstTs };
    }
    if (!victim) return;
    this.waiting[victim.k].delete(victim.key);
    this.pendingCount--;
    this.counters.evicted++;
  }

  /** Drops partials that can no longer complete within maxspan; amortised so each event stays cheap. */
  private sweep(now: number): void {
    if (this.maxspan === Infinity || now - this.lastSweep < this.maxspan / 4) return;
    this.lastSweep = now;
    for (let k = 1; k < this.waiting.length; k++) {
      for (const [key, p] of this.waiting[k]) {
        if (now - p.firstTs > this.maxspan) {
          this.waiting[k].delete(key);
          this.pendingCount--;
          this.counters.expired++;
        }
      }
    }
  }

  /** Current state and counters. */
  stats(): SequenceStats {
    return { pending: this.pendingCount, ...this.counters };
  }
}
