/**
 * new_terms rules as Kibana's executor runs them, in event time. In each execution a combination of
 * `new_terms_fields` values is new when it occurs in the window (from, to] and not in the history
 * [history_window_start, from] before it (history_window_start is date math relative to the window's `to`).
 * The alert is built from the combination's oldest event in the window; Kibana's alert id hashes that event,
 * so overlapping executions raise it once.
 *
 * State per combination is two numbers and the oldest open event: occurrences are kept per "closing
 * execution" (the first whose `from` reaches them), since that is all the history test can tell apart.
 */
import type { CompiledPath } from '../match/field-access.js';
import { evalDateMath } from '../primitives/dates.js';
import { ExecutionClock, type Execution, type Schedule } from './schedule.js';
import { compareCombos, comboKey, compileTermFields, termCombinations, type TermValue } from './term-values.js';

/** Occurrences of a combination that later executions still see inside their window. */
interface OpenSlot {
  /** The execution index at which these occurrences become history. */
  closing: number;
  firstTs: number;
  firstEvent: unknown;
  lastTs: number;
  /** Events of the combination in this slot (a window's doc count for it is the sum over its open slots). */
  count: number;
}

interface ComboState {
  values: TermValue[];
  /** Latest occurrence that is already history (at or before the `from` of an executed window). */
  closedMax: number;
  open: OpenSlot[];
  /** The event of the last alert, so the next overlapping execution does not raise it again. */
  alerted?: unknown;
}

/** One new combination found by one execution. */
export interface NewTerm {
  execution: Execution;
  fields: string[];
  values: TermValue[];
  /** The combination's oldest event in the window, and its time. */
  event: unknown;
  ts: number;
}

/** How a stream without history starts. */
export type NewTermsWarmup = 'learn' | 'none';

export interface NewTermsOptions {
  maxSignals?: number;
  /** Combinations kept before the least recently seen is evicted (default 100,000). */
  maxKeys?: number;
  /**
   * `learn` (default): executions whose history window starts before the first event seen raise nothing,
   * since the stream cannot show what their history held; `none`: alert from the first execution.
   */
  warmup?: NewTermsWarmup;
  /** Called for every combination an execution sees in its window, with the verdict (for `explain`). */
  trace?: (entry: NewTermsTrace) => void;
  /**
   * With alert_suppression: each execution's new combinations go to `select` in Kibana's order, uncapped;
   * it writes them (through the suppressor, with its caps) and says which became alert documents. Only those
   * count as alerted for later overlapping executions; nothing is returned for them.
   */
  select?: (execution: Execution, found: NewTerm[]) => boolean[];
  /** With `--partition`: whether this engine owns a combination (its alerts and, with `ownsAll`, its state). */
  owns?: (values: readonly TermValue[]) => boolean;
}

/** What one execution made of one combination seen in its window. */
export interface NewTermsTrace {
  execution: Execution;
  historyStart: number;
  values: TermValue[];
  /** The combination's oldest event time in the window. */
  firstInWindow: number;
  /** Its latest sighting at or before the window's `from` (-Infinity: none kept). */
  lastBefore: number;
  /** Its events in the window (Kibana orders a single field's new terms by this count, most first). */
  count: number;
  verdict: 'new' | 'seen-in-history' | 'learning' | 'already-alerted' | 'over-max-signals';
}

export interface NewTermsStats {
  keys: number;
  evicted: number;
  executions: number;
  /** Executions that only learned (warm-up). */
  learning: number;
  capped: number;
  truncated: number;
}

/** new_terms settings of a rule. */
export interface NewTermsSpec {
  fields: string[];
  historyWindowStart: string;
}

/** Finds new term combinations over a stream of matching events fed in (roughly) time order. */
export class NewTermsRunner {
  private readonly paths: CompiledPath[];
  private readonly combos = new Map<string, ComboState>();
  private readonly clock: ExecutionClock;
  private readonly maxSignals: number;
  private readonly maxKeys: number;
  private readonly warmup: NewTermsWarmup;
  private readonly trace: ((entry: NewTermsTrace) => void) | undefined;
  private readonly select: NewTermsOptions['select'];
  private readonly owns: NewTermsOptions['owns'];
  private firstSeen = Number.POSITIVE_INFINITY;
  private readonly counters = { evicted: 0, executions: 0, learning: 0, capped: 0, truncated: 0 };

  constructor(
    readonly spec: NewTermsSpec,
    private readonly schedule: Schedule,
    options: NewTermsOptions = {},
  ) {
    if (evalDateMath(spec.historyWindowStart, 0, false) === undefined) throw new RangeError(`history_window_start "${spec.historyWindowStart}": not date math`);
    this.paths = compileTermFields(spec.fields);
    this.clock = new ExecutionClock(schedule);
    this.maxSignals = options.maxSignals ?? 100;
    this.maxKeys = options.maxKeys ?? 100_000;
    this.warmup = options.warmup ?? 'learn';
    this.trace = options.trace;
    this.select = options.select;
    this.owns = options.owns;
  }

  /** The schedule the runner executes on. */
  scheduleInUse(): Schedule {
    return this.schedule;
  }

  /** Runs the executions due before time `ts`. */
  tick(ts: number): NewTerm[] {
    const out: NewTerm[] = [];
    if (ts < this.firstSeen) this.firstSeen = ts;
    for (const e of this.clock.advance(ts)) this.execute(e, out);
    return out;
  }

  /** Adds one event that matched the rule's query, at time `ts`. */
  push(event: unknown, ts: number): NewTerm[] {
    const out = this.tick(ts);
    const { combos, truncated } = termCombinations(event, this.paths);
    if (truncated) this.counters.truncated++;
    if (combos.length === 0) return out;
    const closing = this.schedule.closing(ts);
    const executed = this.clock.upcoming()?.index ?? closing;
    for (const values of combos) {
      if (this.owns && !this.owns(values)) continue;
      const key = comboKey(values);
      let state = this.combos.get(key);
      if (state) this.combos.delete(key);
      else {
        state = { values, closedMax: Number.NEGATIVE_INFINITY, open: [] };
        if (this.combos.size >= this.maxKeys) this.evictOldest();
      }
      if (closing < executed) {
        // Late: every execution that could show it in its window has run; it is history from now on.
        if (ts > state.closedMax) state.closedMax = ts;
      } else {
        const slot = state.open.find((s) => s.closing === closing);
        if (!slot) {
          state.open.push({ closing, firstTs: ts, firstEvent: event, lastTs: ts, count: 1 });
          state.open.sort((a, b) => a.closing - b.closing);
        } else {
          if (ts < slot.firstTs) {
            slot.firstTs = ts;
            slot.firstEvent = event;
          }
          if (ts > slot.lastTs) slot.lastTs = ts;
          slot.count++;
        }
      }
      this.combos.set(key, state);
    }
    return out;
  }

  /** Ends the input: runs every execution whose window still holds an event. */
  flush(): NewTerm[] {
    const out: NewTerm[] = [];
    for (const e of this.clock.drain()) this.execute(e, out);
    return out;
  }

  stats(): NewTermsStats {
    return { keys: this.combos.size, ...this.counters };
  }

  private evictOldest(): void {
    const oldest = this.combos.keys().next();
    if (oldest.done) return;
    this.combos.delete(oldest.value);
    this.counters.evicted++;
  }

  private execute(e: Execution, out: NewTerm[]): void {
    this.counters.executions++;
    const historyStart = evalDateMath(this.spec.historyWindowStart, e.to, false)!;
    const learning = this.warmup === 'learn' && historyStart < this.firstSeen;
    if (learning) this.counters.learning++;
    // Every combination in the window (Kibana pages all of them, new or not, in key order).
    const inWindow: { state: ComboState; count: number; candidate: boolean }[] = [];
    for (const [key, state] of this.combos) {
      while (state.open.length > 0 && state.open[0]!.closing <= e.index) {
        const slot = state.open.shift()!;
        // Only the latest occurrence matters to the history test.
        if (slot.lastTs > state.closedMax) state.closedMax = slot.lastTs;
      }
      if (state.open.length === 0) {
        // Never seen in a window again unless it recurs; forgetting it equals its history expiring.
        if (state.closedMax < historyStart) this.combos.delete(key);
        continue;
      }
      const first = state.open[0]!;
      if (first.firstTs > e.to) continue;
      let count = 0;
      for (const slot of state.open) if (slot.firstTs <= e.to) count += slot.count;
      const report = (verdict: NewTermsTrace['verdict']): void => this.trace?.({ execution: e, historyStart, values: state.values, firstInWindow: first.firstTs, lastBefore: state.closedMax, count, verdict });
      if (learning || state.closedMax >= historyStart || first.firstEvent === state.alerted) {
        report(learning ? 'learning' : state.closedMax >= historyStart ? 'seen-in-history' : 'already-alerted');
        inWindow.push({ state, count, candidate: false });
        continue;
      }
      inWindow.push({ state, count, candidate: true });
    }
    const found = kibanaOrder(inWindow, this.spec.fields.length).map(({ state, count }) => {
      const first = state.open[0]!;
      return { state, count, term: { execution: e, fields: this.spec.fields, values: state.values, event: first.firstEvent, ts: first.firstTs } as NewTerm };
    });
    if (this.select) {
      const written = this.select(e, found.map((f) => f.term));
      found.forEach((f, i) => {
        this.trace?.({ execution: e, historyStart, values: f.state.values, firstInWindow: f.term.ts, lastBefore: f.state.closedMax, count: f.count, verdict: 'new' });
        if (written[i] === true) f.state.alerted = f.term.event;
      });
      return;
    }
    if (found.length > this.maxSignals) this.counters.capped += found.length - this.maxSignals;
    found.forEach((f, i) => {
      const alert = i < this.maxSignals;
      this.trace?.({ execution: e, historyStart, values: f.state.values, firstInWindow: f.term.ts, lastBefore: f.state.closedMax, count: f.count, verdict: alert ? 'new' : 'over-max-signals' });
      if (!alert) return;
      f.state.alerted = f.term.event;
      out.push(f.term);
    });
  }
}

/** Kibana's composite aggregation page size (new_terms/build_new_terms_aggregation.ts). */
const PAGE_SIZE = 10_000;

/**
 * The order Kibana writes an execution's new terms in. Several fields: the composite aggregation's key order.
 * One field: pages of 10,000 terms of the window in key order, and in each page the new ones as the terms
 * aggregation that fetches their documents returns them, most events in the window first, ties by key.
 */
function kibanaOrder<T extends { state: { values: TermValue[] }; count: number; candidate: boolean }>(inWindow: T[], fields: number): T[] {
  inWindow.sort((a, b) => compareCombos(a.state.values, b.state.values));
  if (fields > 1) return inWindow.filter((x) => x.candidate);
  const out: T[] = [];
  for (let i = 0; i < inWindow.length; i += PAGE_SIZE) {
    const page = inWindow.slice(i, i + PAGE_SIZE).filter((x) => x.candidate);
    page.sort((a, b) => b.count - a.count || compareCombos(a.state.values, b.state.values));
    out.push(...page);
  }
  return out;
}
