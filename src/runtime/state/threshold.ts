/**
 * Threshold rules as Kibana's executor runs them, in event time. Each execution counts the matching events of
 * its window per combination of `threshold.field` values (a composite aggregation); a bucket fires when the
 * count reaches `value` and, with `cardinality`, the distinct values of its field reach theirs. Kibana's signal
 * history then keeps a bucket from firing twice on the same events: a bucket's events at or before the latest
 * event of its last alert are not counted again.
 */
import type { CompiledPath } from '../match/field-access.js';
import { compilePath, readValues } from '../match/field-access.js';
import { ExecutionClock, type Execution, type Schedule } from './schedule.js';
import { compareCombos, comboKey, compileTermFields, termCombinations, type TermValue } from './term-values.js';

/** `threshold` of a rule, with `field` normalised to a list. */
export interface ThresholdSpec {
  fields: string[];
  value: number;
  cardinality?: { field: string; value: number }[];
}

/** One bucket that reached the threshold in one execution. */
export interface ThresholdBucket {
  execution: Execution;
  terms: { field: string; value: TermValue }[];
  count: number;
  /** With `cardinality`: the distinct count reached. */
  cardinality?: { field: string; value: number }[];
  /** Earliest and latest event time counted (epoch ms). */
  firstTs: number;
  lastTs: number;
}

export interface ThresholdOptions {
  /** Alerts per execution (Kibana's `max_signals`, default 100). */
  maxSignals?: number;
  /** Buckets kept before the least recently updated is evicted (default 100,000). */
  maxKeys?: number;
  /** Called for every bucket each execution looks at, with the verdict (for `explain`). */
  trace?: (entry: ThresholdTrace) => void;
  /** With `--partition`: whether this engine owns a bucket (by its threshold.field values). */
  owns?: (values: readonly TermValue[]) => boolean;
}

/** What one execution made of one bucket. */
export interface ThresholdTrace {
  execution: Execution;
  values: TermValue[];
  /** Events in the window that counted, and those left out because an earlier alert already covered them. */
  count: number;
  coveredByEarlierAlert: number;
  distinct?: number;
  verdict: 'alert' | 'below-value' | 'below-cardinality' | 'over-max-signals';
}

export interface ThresholdStats {
  keys: number;
  evicted: number;
  executions: number;
  /** Buckets that reached the threshold but were over `max_signals` in their execution. */
  capped: number;
  /** Events whose value combinations exceeded the per-event cap. */
  truncated: number;
}

interface BucketState {
  values: TermValue[];
  /** Event times, ascending. */
  times: number[];
  /** With cardinality: each event's distinct-value keys, parallel to `times`. */
  distinct?: string[][];
}

/** Normalises Kibana's `threshold` (`field` as a string, a list, or empty). */
export function thresholdSpec(threshold: { field: string | string[]; value: number; cardinality?: { field: string; value: number }[] }): ThresholdSpec {
  const fields = (Array.isArray(threshold.field) ? threshold.field : [threshold.field]).filter((f) => f !== '');
  return { fields, value: threshold.value, ...(threshold.cardinality && threshold.cardinality.length > 0 ? { cardinality: threshold.cardinality } : {}) };
}

function insertSorted(times: number[], ts: number): number {
  let i = times.length;
  while (i > 0 && times[i - 1]! > ts) i--;
  times.splice(i, 0, ts);
  return i;
}

/** Buckets of a threshold rule over a stream of matching events fed in (roughly) time order. */
export class ThresholdRunner {
  private readonly paths: CompiledPath[];
  private readonly cardinalityPath: CompiledPath | undefined;
  private readonly buckets = new Map<string, BucketState>();
  /** Signal history: per bucket, the latest event time of its last alert. */
  private readonly history = new Map<string, number>();
  private readonly clock: ExecutionClock;
  private readonly maxSignals: number;
  private readonly maxKeys: number;
  private readonly trace: ((entry: ThresholdTrace) => void) | undefined;
  private readonly owns: ThresholdOptions['owns'];
  private readonly counters = { evicted: 0, executions: 0, capped: 0, truncated: 0 };

  constructor(
    readonly spec: ThresholdSpec,
    schedule: Schedule,
    options: ThresholdOptions = {},
  ) {
    this.paths = compileTermFields(spec.fields);
    this.cardinalityPath = spec.cardinality ? compilePath(spec.cardinality[0]!.field) : undefined;
    this.clock = new ExecutionClock(schedule);
    this.maxSignals = options.maxSignals ?? 100;
    this.maxKeys = options.maxKeys ?? 100_000;
    this.trace = options.trace;
    this.owns = options.owns;
  }

  /** The schedule the runner executes on. */
  scheduleInUse(): Schedule {
    return this.clock.schedule;
  }

  /** Runs the executions due before time `ts` (any event of the stream moves time on). */
  tick(ts: number): ThresholdBucket[] {
    const out: ThresholdBucket[] = [];
    for (const e of this.clock.advance(ts)) this.execute(e, out);
    return out;
  }

  /** Adds one event that matched the rule's query, at time `ts`; returns buckets of executions now due. */
  push(event: unknown, ts: number): ThresholdBucket[] {
    const out = this.tick(ts);
    const { combos, truncated } = termCombinations(event, this.paths);
    if (truncated) this.counters.truncated++;
    const distinct = this.cardinalityPath ? [...new Set(readValues(event, this.cardinalityPath).filter((v) => v !== null && v !== undefined && typeof v !== 'object').map((v) => JSON.stringify(v)))] : undefined;
    for (const values of combos) {
      if (this.owns && !this.owns(values)) continue;
      const key = comboKey(values);
      let state = this.buckets.get(key);
      if (state) this.buckets.delete(key); // re-inserted last: the map stays in order of last update
      else {
        state = { values, times: [], ...(distinct ? { distinct: [] } : {}) };
        if (this.buckets.size >= this.maxKeys) this.evictOldest();
      }
      const at = insertSorted(state.times, ts);
      if (state.distinct && distinct) state.distinct.splice(at, 0, distinct);
      this.buckets.set(key, state);
    }
    return out;
  }

  /** Ends the input: runs every execution whose window still holds an event. */
  flush(): ThresholdBucket[] {
    const out: ThresholdBucket[] = [];
    for (const e of this.clock.drain()) this.execute(e, out);
    return out;
  }

  stats(): ThresholdStats {
    return { keys: this.buckets.size, ...this.counters };
  }

  private evictOldest(): void {
    const oldest = this.buckets.keys().next();
    if (oldest.done) return;
    this.buckets.delete(oldest.value);
    this.history.delete(oldest.value);
    this.counters.evicted++;
  }

  private execute(e: Execution, out: ThresholdBucket[]): void {
    this.counters.executions++;
    const fired: { key: string; bucket: ThresholdBucket; values: TermValue[] }[] = [];
    for (const [key, state] of this.buckets) {
      // Events before this window can never count again (windows only move forward).
      let drop = 0;
      while (drop < state.times.length && state.times[drop]! < e.from) drop++;
      if (drop > 0) {
        state.times.splice(0, drop);
        state.distinct?.splice(0, drop);
      }
      if (state.times.length === 0) {
        this.buckets.delete(key);
        continue;
      }
      // Kibana keeps a history entry only while its time is after the window's start (threshold/utils.ts
      // getSignalHistory), so an event exactly at `from` that an earlier alert covered counts again.
      const recorded = this.history.get(key);
      const after = recorded !== undefined && recorded > e.from ? recorded : Number.NEGATIVE_INFINITY;
      let count = 0;
      let covered = 0;
      let first = Number.NaN;
      let last = Number.NaN;
      const seen = state.distinct ? new Set<string>() : undefined;
      for (let i = 0; i < state.times.length; i++) {
        const t = state.times[i]!;
        if (t > e.to) break;
        if (t <= after) {
          covered++;
          continue;
        }
        if (count === 0) first = t;
        last = t;
        count++;
        if (seen) for (const d of state.distinct![i]!) seen.add(d);
      }
      const report = (verdict: ThresholdTrace['verdict']): void => this.trace?.({ execution: e, values: state.values, count, coveredByEarlierAlert: covered, ...(seen ? { distinct: seen.size } : {}), verdict });
      if (count === 0 && covered === 0) continue;
      if (count < this.spec.value) {
        report('below-value');
        continue;
      }
      if (seen && seen.size < this.spec.cardinality![0]!.value) {
        report('below-cardinality');
        continue;
      }
      const bucket: ThresholdBucket = {
        execution: e,
        terms: this.spec.fields.map((field, i) => ({ field, value: state.values[i]! })),
        count,
        ...(seen ? { cardinality: [{ field: this.spec.cardinality![0]!.field, value: seen.size }] } : {}),
        firstTs: first,
        lastTs: last,
      };
      fired.push({ key, bucket, values: state.values });
    }
    // Kibana pages the composite aggregation in key order and stops at max_signals buckets.
    fired.sort((a, b) => compareCombos(a.values, b.values));
    if (fired.length > this.maxSignals) this.counters.capped += fired.length - this.maxSignals;
    fired.forEach((f, i) => {
      const alert = i < this.maxSignals;
      this.trace?.({ execution: e, values: f.values, count: f.bucket.count, coveredByEarlierAlert: 0, ...(f.bucket.cardinality ? { distinct: f.bucket.cardinality[0]!.value } : {}), verdict: alert ? 'alert' : 'over-max-signals' });
      if (!alert) return;
      this.history.set(f.key, f.bucket.lastTs);
      out.push(f.bucket);
    });
    // A history entry matters only while its time is inside some future window.
    for (const [key, t] of this.history) if (t <= e.from) this.history.delete(key);
  }
}
