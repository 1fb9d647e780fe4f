/**
 * Query and single-event EQL rules run as Kibana's executions run them, for `EngineOptions.kibanaSchedule`.
 *
 * - Query rules (Kibana's search_after loop): each execution alerts on the matching events of its window that no
 *   earlier execution alerted on (the deterministic alert ids de-duplicate the overlap), oldest first, until
 *   `max_signals` new alerts; an event left over by the cap can still alert in a later execution whose window
 *   holds it, and is missed once none does.
 * - EQL rules: `_eql/search` returns the window's first `max_signals` matching events, already alerted or not;
 *   the ones not alerted yet become alerts. So in an overlapping look-back, events alerted before use up the
 *   budget (eql/eql.ts passes `size: max_signals`).
 * - Query rules with alert_suppression (`grouping`): Kibana's composite aggregation over the group_by fields
 *   (query/alert_suppression/group_and_bulk_create.ts): one page of `max_signals + 1` buckets in key order
 *   (missing values last with `suppress`), each the group's count, first and last event time and earliest event;
 *   a bucket history keeps an event counted by an earlier bucket of its key (at or before that bucket's last
 *   event) out of later executions. With `doNotSuppress`, events lacking a group_by value are searched apart
 *   as ordinary alerts (up to `max_signals` new ones), and only when the buckets leave room under max_signals.
 */
import { ExecutionClock, type Execution, type Schedule } from './schedule.js';
import { compareCombos, comboKey, type TermValue } from './term-values.js';

/** One event alerted by one execution, or (with grouping) one bucket of events. */
export interface ScheduledHit {
  execution: Execution;
  /** The event (a bucket: its earliest). */
  event: unknown;
  ts: number;
  /** With grouping: the bucket this alert stands for. */
  bucket?: { terms: { field: string; value: TermValue | null }[]; count: number; start: number; end: number };
}

export interface ScheduledQueryStats {
  keys: number;
  evicted: number;
  executions: number;
  /** Matching events no execution alerted on because every window holding them was at max_signals. */
  missed: number;
}

/** How a suppressing query rule groups events (the composite aggregation's sources). */
export interface ScheduledGrouping {
  fields: string[];
  /** The event's bucket keys: one value (or null for a missing one, with `suppress`) per field, each combination. */
  keys(event: unknown): (TermValue | null)[][];
  /** The event lacks some group_by value and `doNotSuppress` applies: it is searched apart, unsuppressed. */
  unsuppressed(event: unknown): boolean;
}

export interface ScheduledQueryOptions {
  maxSignals?: number;
  maxKeys?: number;
  /** `query` (default) or `eql` (see the module comment). */
  language?: 'query' | 'eql';
  /** Query rules with alert_suppression: group as Kibana's composite aggregation does. */
  grouping?: ScheduledGrouping;
  /**
   * EQL rules with alert_suppression: the execution's events (at most max_signals, not yet alerted) go to
   * `select`, which writes them through the suppressor and says which became alert documents (those are
   * never alerted again); nothing is returned for them.
   */
  select?: (execution: Execution, hits: ScheduledHit[]) => boolean[];
}

interface Pending {
  event: unknown;
  ts: number;
  alerted: boolean;
  /** With grouping: the event's bucket keys (text) and values. */
  keys?: { key: string; values: (TermValue | null)[] }[];
  unsuppressed?: boolean;
}

/** Composite order with missing values last (`missing_order: last`). */
function compareKeys(a: readonly (TermValue | null)[], b: readonly (TermValue | null)[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (x === null) return 1;
    if (y === null) return -1;
    const c = compareCombos([x!], [y!]);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

/** Matching events waiting for the executions whose windows hold them. */
export class ScheduledQueryRunner {
  private pending: Pending[] = [];
  private readonly clock: ExecutionClock;
  private readonly counters = { evicted: 0, executions: 0, missed: 0 };
  /** Grouping: per bucket key, the last event time an earlier bucket counted (Kibana's suppressionGroupHistory). */
  private readonly history = new Map<string, number>();

  constructor(
    schedule: Schedule,
    private readonly options: ScheduledQueryOptions = {},
  ) {
    this.clock = new ExecutionClock(schedule);
  }

  tick(ts: number): ScheduledHit[] {
    const out: ScheduledHit[] = [];
    for (const e of this.clock.advance(ts)) this.execute(e, out);
    return out;
  }

  push(event: unknown, ts: number): ScheduledHit[] {
    const out = this.tick(ts);
    let i = this.pending.length;
    while (i > 0 && this.pending[i - 1]!.ts > ts) i--;
    const p: Pending = { event, ts, alerted: false };
    const g = this.options.grouping;
    if (g) {
      p.unsuppressed = g.unsuppressed(event);
      p.keys = p.unsuppressed ? [] : g.keys(event).map((values) => ({ key: comboKey(values as TermValue[]), values }));
    }
    this.pending.splice(i, 0, p);
    if (this.pending.length > (this.options.maxKeys ?? 100_000)) {
      this.pending.shift();
      this.counters.evicted++;
    }
    return out;
  }

  flush(): ScheduledHit[] {
    const out: ScheduledHit[] = [];
    for (const e of this.clock.drain()) this.execute(e, out);
    this.counters.missed += this.pending.filter((p) => !p.alerted && !this.counted(p)).length;
    this.pending = [];
    return out;
  }

  stats(): ScheduledQueryStats {
    return { keys: this.pending.length, ...this.counters };
  }

  /** Grouping: whether an earlier bucket already counted the event (it matches a history entry's key and time). */
  private counted(p: Pending): boolean {
    if (!p.keys) return false;
    return p.keys.some((k) => {
      const end = this.history.get(k.key);
      return end !== undefined && p.ts <= end;
    });
  }

  private execute(e: Execution, out: ScheduledHit[]): void {
    this.counters.executions++;
    let drop = 0;
    while (drop < this.pending.length && this.pending[drop]!.ts < e.from) drop++;
    for (let i = 0; i < drop; i++) if (!this.pending[i]!.alerted && !this.counted(this.pending[i]!)) this.counters.missed++;
    this.pending.splice(0, drop);
    let end = 0;
    while (end < this.pending.length && this.pending[end]!.ts <= e.to) end++;
    const window = this.pending.slice(0, end);
    const max = this.options.maxSignals ?? 100;
    if (this.options.grouping) this.executeGrouped(e, window, max, out);
    else if (this.options.language === 'eql') {
      // The window's first max_signals events, alerted before or not.
      const seen = window.slice(0, max).filter((p) => !p.alerted);
      const hits = seen.map((p) => ({ execution: e, event: p.event, ts: p.ts }));
      if (this.options.select) {
        const written = this.options.select(e, hits);
        seen.forEach((p, i) => (p.alerted ||= written[i] === true));
      } else {
        for (const p of seen) p.alerted = true;
        out.push(...hits);
      }
    } else {
      let n = 0;
      for (const p of window) {
        if (n >= max) break;
        if (p.alerted) continue;
        p.alerted = true;
        n++;
        out.push({ execution: e, event: p.event, ts: p.ts });
      }
    }
    // Alerted events stay while a later window may hold them (EQL counts them against its size).
    this.pending = this.pending.filter((p) => !p.alerted || this.options.language === 'eql');
  }

  private executeGrouped(e: Execution, window: Pending[], max: number, out: ScheduledHit[]): void {
    // Kibana keeps a history entry while its last event is after the window's start.
    for (const [key, end] of this.history) if (end <= e.from) this.history.delete(key);
    const buckets = new Map<string, { values: (TermValue | null)[]; count: number; start: number; end: number; first: Pending }>();
    for (const p of window) {
      if (this.counted(p)) continue;
      for (const k of p.keys ?? []) {
        const b = buckets.get(k.key);
        if (!b) buckets.set(k.key, { values: k.values, count: 1, start: p.ts, end: p.ts, first: p });
        else {
          b.count++;
          if (p.ts < b.start) {
            b.start = p.ts;
            b.first = p;
          }
          if (p.ts > b.end) b.end = p.ts;
        }
      }
    }
    // One page of max_signals + 1 buckets, in key order.
    const page = [...buckets.entries()].sort((a, b) => compareKeys(a[1].values, b[1].values)).slice(0, max + 1);
    if (page.length < max) {
      // doNotSuppress: the events lacking a group_by value, as an ordinary query rule would alert on them.
      let n = 0;
      for (const p of window) {
        if (n >= max) break;
        if (!p.unsuppressed || p.alerted) continue;
        p.alerted = true;
        n++;
        out.push({ execution: e, event: p.event, ts: p.ts });
      }
    }
    const fields = this.options.grouping!.fields;
    for (const [key, b] of page) {
      out.push({ execution: e, event: b.first.event, ts: b.start, bucket: { terms: fields.map((field, i) => ({ field, value: b.values[i] ?? null })), count: b.count, start: b.start, end: b.end } });
      this.history.set(key, b.end);
    }
    // Events every bucket of theirs has counted are done.
    this.pending = this.pending.filter((p) => p.unsuppressed || !p.keys || p.keys.length === 0 ? true : !this.counted(p));
  }
}
