/**
 * Alert suppression as Kibana's detection engine applies it (`alert_suppression`), in event time.
 *
 * Kibana runs a rule every `interval`; this module models execution k as seeing the events whose time falls in
 * [k·interval, (k+1)·interval) and running at (k+1)·interval (the look-back overlap adds nothing: Kibana drops a
 * candidate an existing alert already covers). Alerts with equal values of the `group_by` fields (their *terms*)
 * are folded into the first one:
 * - without `duration`, only within one execution (Kibana's per-execution suppression);
 * - with `duration`, an open alert created by execution c absorbs the candidates of every later execution e with
 *   run(c) ≥ run(e) − duration, as Kibana's `@timestamp ≥ now − duration` look-up of the existing alert does.
 * The folded alert carries `kibana.alert.suppression.terms` ([{field, value}]), `.docs_count` (the events folded
 * in beyond the first), `.start` and `.end` (first and last event time) and `kibana.alert.instance.id`.
 *
 * An alert is released once no later event can join it (its window has passed in event time) or at `flush()`,
 * so what comes out is the alert in its final state, as Kibana's alerts index holds it after the last update.
 *
 * Terms follow the rule type: query rules group with a composite aggregation, so each value of a multi-valued
 * field is its own group (one event can count in several alerts) and values are scalars; EQL and the in-memory
 * types read the field's whole value list (sorted), as Kibana reads the `fields` API. With
 * `missing_fields_strategy: doNotSuppress` an alert lacking a group_by value is released at once, unsuppressed.
 */
import type { ArtifactAlertSuppression, ArtifactRule } from '../../ir/artifact.js';
import { hash64, type Alert } from '../alerts/alerts.js';
import { compilePath, readValues, type CompiledPath } from '../match/field-access.js';
import { eventInstant } from './event-time.js';

/** Kibana's `alert_suppression` settings, as rule files and artifacts hold them. */
export type AlertSuppressionSettings = ArtifactAlertSuppression;

/** One suppression term as Kibana writes it. */
export interface SuppressionTerm {
  field: string;
  value: unknown;
}

/** How terms are read from a candidate alert's events. */
export type TermsMode =
  /** Query rules (composite aggregation): one group per combination of single values. */
  | 'per-value'
  /** EQL events, new_terms and the other in-memory types: the field's sorted value list as one term. */
  | 'whole-array'
  /** EQL sequences: the values all events of the sequence share (Kibana reads the shell alert). */
  | 'shared';

/** The fields a suppressed alert gains. */
export interface SuppressedAlertFields {
  'kibana.alert.instance.id': string;
  'kibana.alert.suppression.terms': SuppressionTerm[];
  'kibana.alert.suppression.docs_count': number;
  'kibana.alert.suppression.start': string;
  'kibana.alert.suppression.end': string;
}

/** Counters for one rule's suppression. */
export interface SuppressionStats {
  /** Alerts waiting for their window to close. */
  open: number;
  /** Candidate alerts folded into an existing one. */
  suppressed: number;
  /** Scheduled rules: candidates dropped because an execution had reached its cap (max_signals, or 5× it). */
  capped?: number;
}

/** What became of one candidate alert (see `SuppressionTrace`). */
export type SuppressionOutcome =
  /** It opened a new alert of its group. */
  | 'opened'
  /** Folded into an alert of its group raised by the same execution (Kibana's per-execution suppression). */
  | 'same-execution'
  /** Folded into an open alert of its group raised by an earlier execution within `duration`. */
  | 'within-duration'
  /** A group_by field has no value and missing_fields_strategy is doNotSuppress: an ordinary alert. */
  | 'missing-field'
  /** An alert of its group raised by an earlier execution already covers it (its end is at or after this one's). */
  | 'covered'
  /** It would open an alert, but its execution had already created max_signals alerts: dropped. */
  | 'over-max-signals';

/** One step of the suppressor, for `explain`: a candidate's fate, or an alert leaving in its final state. */
export type SuppressionTrace =
  | {
      kind: 'candidate';
      alert: Alert;
      /** The group (undefined for `missing-field`, and for an untimed alert). */
      terms?: SuppressionTerm[];
      instanceId?: string;
      /** The instant of the execution the candidate belongs to (per-event rules: the interval grid's). */
      run: number;
      outcome: SuppressionOutcome;
      /** For folds: the alert it was folded into. */
      into?: Alert;
    }
  | { kind: 'released'; alert: Alert; fields: SuppressedAlertFields };

/** One candidate of a scheduled execution (`offerExecution`). */
export interface ExecutionCandidate {
  alert: Alert;
  /** First and last event time it stands for. */
  start: number;
  end: number;
  /** Events it already folds in beyond its first (a query rule's bucket: doc_count − 1); default 0. */
  docs?: number;
  /** Its group; undefined: read from its events; null: not suppressible (a missing field with doNotSuppress). */
  terms?: SuppressionTerm[] | null;
}

/** How an execution's candidates are written, as Kibana's alert writer does for the rule type. */
export interface ExecutionLimits {
  /** The execution's instant and its window start (`from`). */
  run: number;
  from: number;
  /** New alerts this batch may still create (max_signals minus those already created); default unlimited. */
  maxNew?: number;
  /**
   * `suppress` (default): Kibana's suppressed-alert writer (look-up of existing alerts, in-memory folding);
   * `create`: every candidate is its own alert (a query rule's buckets without `duration`).
   */
  writer?: 'suppress' | 'create';
}

/** What `offerExecution` did. */
export interface ExecutionResult {
  /** Alerts to emit now (unsuppressible ones); the opened ones are held until their window closes. */
  released: Alert[];
  /** Per candidate, in input order. */
  outcomes: SuppressionOutcome[];
  /** New alerts created (opened or unsuppressible) and candidates folded into another alert. */
  created: number;
  suppressed: number;
}

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
/** Kibana's default rule interval. */
export const DEFAULT_INTERVAL_MS = 5 * 60_000;
/** Combinations of multi-valued group_by values kept per event (the rest are dropped, as sequences cap key tuples). */
export const MAX_TERM_COMBINATIONS = 1_000;

/** `5m`, `30s`, `1h`, `1d` in milliseconds, or undefined. */
export function intervalMs(text: string | undefined): number | undefined {
  const m = text === undefined ? null : /^(\d+)([smhd])$/.exec(text);
  if (!m) return undefined;
  const ms = Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
  return ms > 0 ? ms : undefined;
}

interface OpenAlert {
  alert: Alert;
  terms: SuppressionTerm[];
  instanceId: string;
  start: number;
  end: number;
  docsCount: number;
  /** The run time of the execution that created it. */
  createdRun: number;
  /** Event time from which no candidate can join it any more. */
  closesAt: number;
}

/** A released alert that later executions can still find (Kibana's look-up by instance id), to drop covered candidates. */
interface FoundAlert {
  createdRun: number;
  end: number;
}

/** A string hash as hex, the same in every process (the alert id's hash, unseeded). */
const hashText = (text: string): string => hash64(text, 0);

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? 'null';
  } catch {
    return String(v);
  }
}

/** Sorts like lodash's sortBy on scalars (numbers numerically, strings by code unit, mixed by type). */
function sortedValues(values: unknown[]): unknown[] {
  return [...values].sort((a, b) => {
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    const x = typeof a === 'string' ? a : safeJson(a);
    const y = typeof b === 'string' ? b : safeJson(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

const present = (values: unknown[]): unknown[] => values.filter((v) => v !== null && v !== undefined);

/**
 * For the rule types run on Kibana's schedule (threshold, new_terms, scheduled query rules) the caller knows
 * more than the alert's events tell: which execution raised it, and (threshold: no source event) its terms and
 * span. Given `run`, the suppressor groups by executions, and releases an alert only at `advance` / `flush`.
 */
export interface SuppressorOverrides {
  /** The alert's terms (one set), or undefined when it lacks a value and must not be suppressed. */
  terms?: (alert: Alert) => SuppressionTerm[] | undefined;
  /** The alert's event time (epoch ms); with `span`, unused. */
  time?: (alert: Alert) => number;
  /** The instant of the execution that raised the alert (Kibana's `now` for the duration look-up). */
  run?: (alert: Alert) => number;
  /** The first and last event time the alert stands for (threshold: the bucket's min and max timestamps). */
  span?: (alert: Alert) => { start: number; end: number };
  /** With `run`: the event time from which no execution at or before `lastRun` can raise an alert any more. */
  closesAt?: (lastRun: number) => number;
  /** Called for every candidate and every released alert (for `explain`: the engine's own suppressor, traced). */
  trace?: (entry: SuppressionTrace) => void;
}

/** Folds one rule's alerts by their group_by terms (see the module comment). */
export class AlertSuppressor {
  private readonly groupBy: { field: string; path: CompiledPath }[];
  private readonly durationMs: number | undefined;
  private readonly suppressMissing: boolean;
  private readonly intervalMs: number;
  private readonly timePaths: CompiledPath[];
  private readonly open = new Map<string, OpenAlert>();
  /** Per-execution suppression of scheduled rules: released alerts still found by later executions' look-ups. */
  private readonly found = new Map<string, FoundAlert>();
  /** Alerts `offerExecution` has already decided on: `offer` passes them through. */
  private readonly decided = new WeakSet<Alert>();
  private nextClose = Number.POSITIVE_INFINITY;
  private suppressedCount = 0;
  private cappedCount = 0;

  constructor(
    private readonly rule: ArtifactRule,
    settings: AlertSuppressionSettings,
    private readonly mode: TermsMode,
    private readonly overrides: SuppressorOverrides = {},
  ) {
    this.groupBy = (settings.group_by ?? []).map((field) => ({ field, path: compilePath(field) }));
    this.durationMs = settings.duration ? settings.duration.value * UNIT_MS[settings.duration.unit] : undefined;
    this.suppressMissing = (settings.missing_fields_strategy ?? 'suppress') === 'suppress';
    this.intervalMs = intervalMs(rule.interval) ?? DEFAULT_INTERVAL_MS;
    // Kibana's suppression time: the primary timestamp (timestamp_override), else @timestamp.
    const fields = [rule.timestamp_override, mode === 'shared' ? rule.timestamp_field : undefined, '@timestamp'].filter((f): f is string => typeof f === 'string');
    this.timePaths = [...new Set(fields)].map((f) => compilePath(f));
  }

  /** The run time of the execution that first sees an event at `t`. */
  private runOf(t: number): number {
    return (Math.floor(t / this.intervalMs) + 1) * this.intervalMs;
  }

  private timeOf(event: unknown): number {
    for (const p of this.timePaths) {
      const t = eventInstant(event, p);
      if (!Number.isNaN(t)) return t;
    }
    return Number.NaN;
  }

  /** The alert's time: its event's, or for a sequence its last event's. */
  private candidateTime(alert: Alert): number {
    if (this.overrides.time) return this.overrides.time(alert);
    const events = alert.events.filter((e) => e !== null && e !== undefined);
    for (let i = events.length - 1; i >= 0; i--) {
      const t = this.timeOf(events[i]);
      if (!Number.isNaN(t)) return t;
    }
    return Number.NaN;
  }

  /** The term sets a candidate belongs to (several for multi-valued fields in per-value mode), or undefined if it lacks a field it must have. */
  private termSets(alert: Alert): SuppressionTerm[][] | undefined {
    if (this.overrides.terms) {
      const terms = this.overrides.terms(alert);
      return terms === undefined ? undefined : [terms];
    }
    const events = alert.events.filter((e) => e !== null && e !== undefined);
    const perField: unknown[][] = [];
    for (const { field, path } of this.groupBy) {
      let values: unknown[];
      if (this.mode === 'shared') {
        let shared: string | undefined;
        let sharedValue: unknown = null;
        for (const e of events) {
          const vs = sortedValues(present(readValues(e, path)));
          const v = vs.length === 0 ? null : vs.length === 1 ? vs[0] : vs;
          const key = safeJson(v);
          if (shared === undefined) {
            shared = key;
            sharedValue = v;
          } else if (shared !== key) {
            sharedValue = null;
            break;
          }
        }
        values = [sharedValue];
      } else {
        const vs = present(events.length > 0 ? readValues(events[0], path) : []);
        if (this.mode === 'per-value') values = vs.length === 0 ? [null] : [...new Map(vs.map((v) => [safeJson(v), v])).values()];
        else values = [vs.length === 0 ? null : sortedValues(vs)];
      }
      if (!this.suppressMissing && values.every((v) => v === null)) return undefined;
      perField.push(values);
    }
    let combos: SuppressionTerm[][] = [[]];
    perField.forEach((values, i) => {
      const next: SuppressionTerm[][] = [];
      for (const c of combos) for (const v of values) if (next.length < MAX_TERM_COMBINATIONS) next.push([...c, { field: this.groupBy[i].field, value: v }]);
      combos = next;
    });
    return combos;
  }

  /** The term sets an alert of these events would be grouped under (undefined: it would not be suppressed). */
  termsFor(events: unknown[]): SuppressionTerm[][] | undefined {
    return this.termSets({ events } as unknown as Alert);
  }

  /** Takes one candidate alert; returns the alerts released now (unsuppressed ones, and windows it closed). */
  offer(alert: Alert): Alert[] {
    // Already decided by `offerExecution` (an unsuppressible alert of a scheduled execution): it goes out as is.
    if (this.decided.has(alert)) return [alert];
    const scheduled = this.overrides.run !== undefined;
    const span = this.overrides.span?.(alert);
    const t = span ? span.end : this.candidateTime(alert);
    // A scheduled alert arrives after its execution ran: the stream's time, not the alert's, closes windows.
    const out = Number.isNaN(t) || scheduled ? [] : this.advanceTo(t);
    const sets = this.termSets(alert);
    const run = Number.isNaN(t) ? Number.NaN : scheduled ? this.overrides.run!(alert) : this.runOf(t);
    if (sets === undefined || Number.isNaN(t)) {
      this.overrides.trace?.({ kind: 'candidate', alert, run, outcome: 'missing-field' });
      out.push(alert);
      return out;
    }
    const start = span ? span.start : t;
    for (const terms of sets) {
      const instanceId = this.instanceIdOf(terms);
      const existing = this.open.get(instanceId);
      if (existing && this.joins(existing, run)) {
        // Kibana adds the candidate and what it had already folded in (0 for a fresh alert).
        existing.docsCount++;
        existing.start = Math.min(existing.start, start);
        existing.end = Math.max(existing.end, t);
        this.suppressedCount++;
        this.overrides.trace?.({ kind: 'candidate', alert, terms, instanceId, run, outcome: existing.createdRun === run ? 'same-execution' : 'within-duration', into: existing.alert });
        continue;
      }
      if (existing) {
        // Its window has passed for this candidate (late input): release it before opening the next.
        this.open.delete(instanceId);
        out.push(this.finish(existing));
      }
      const opened = this.openAlert(sets.length > 1 ? { ...alert } : alert, terms, instanceId, run, start, t, 0);
      this.overrides.trace?.({ kind: 'candidate', alert, terms, instanceId, run, outcome: 'opened', into: opened.alert });
    }
    return out;
  }

  private instanceIdOf(terms: SuppressionTerm[]): string {
    return hashText(`${this.rule.rule_id}\u0000${safeJson(terms)}`);
  }

  private openAlert(alert: Alert, terms: SuppressionTerm[], instanceId: string, run: number, start: number, end: number, docsCount: number): OpenAlert {
    const lastRun = this.durationMs === undefined ? run : run + this.durationMs;
    const closesAt = this.overrides.closesAt ? this.overrides.closesAt(lastRun) : this.firstEventTimeWithRunAfter(lastRun);
    const opened: OpenAlert = { alert, terms, instanceId, start, end, docsCount, createdRun: run, closesAt };
    this.open.set(instanceId, opened);
    if (closesAt < this.nextClose) this.nextClose = closesAt;
    return opened;
  }

  /**
   * One scheduled execution's candidates, written as Kibana's alert writer writes them
   * (`alertWithSuppression` in rule_registry's create_persistence_rule_type_wrapper.ts):
   * 1. unsuppressible candidates (missing field, doNotSuppress) become ordinary alerts first, within `maxNew`;
   * 2. a candidate whose group already has an alert from an earlier execution (found: raised at or after
   *    `run − duration`, or without duration at or after the window's `from`) whose end is at or after its own
   *    end is dropped as covered;
   * 3. the rest, in order of their start, fold into the first of their group (docs_count += theirs + 1, end =
   *    the latest);
   * 4. a group's first folds into the found alert when it may (with duration; without, only one of this same
   *    execution), else opens a new alert: new alerts beyond `maxNew` are dropped.
   * With writer `create` every candidate is its own alert (nothing is looked up or folded).
   */
  offerExecution(candidates: readonly ExecutionCandidate[], limits: ExecutionLimits): ExecutionResult {
    const trace = this.overrides.trace;
    const outcomes: SuppressionOutcome[] = new Array(candidates.length);
    const released: Alert[] = [];
    let budget = limits.maxNew ?? Number.POSITIVE_INFINITY;
    let created = 0;
    let suppressed = 0;
    const run = limits.run;
    // What Kibana's look-up can still find: alerts raised at or after this instant.
    const findFrom = this.durationMs !== undefined ? run - this.durationMs : limits.from;
    for (const [id, f] of this.found) if (f.createdRun < findFrom) this.found.delete(id);
    const findable = (instanceId: string): { createdRun: number; end: number; open?: OpenAlert } | undefined => {
      const o = this.open.get(instanceId);
      if (o && o.createdRun >= findFrom) return { createdRun: o.createdRun, end: o.end, open: o };
      const f = this.found.get(instanceId);
      return f && f.createdRun >= findFrom ? f : undefined;
    };
    const termsOf = (c: ExecutionCandidate): SuppressionTerm[] | undefined => (c.terms === null ? undefined : (c.terms ?? this.termSets(c.alert)?.[0]));
    const groups: { i: number; terms: SuppressionTerm[]; instanceId: string }[] = [];
    candidates.forEach((c, i) => {
      const terms = termsOf(c);
      if (terms === undefined) {
        // Kibana writes these first, through the ordinary writer, with the same cap.
        if (budget > 0) {
          budget--;
          created++;
          outcomes[i] = 'missing-field';
          this.decided.add(c.alert);
          released.push(c.alert);
        } else {
          outcomes[i] = 'over-max-signals';
          this.cappedCount++;
        }
        trace?.({ kind: 'candidate', alert: c.alert, run, outcome: outcomes[i]! });
        return;
      }
      groups.push({ i, terms, instanceId: this.instanceIdOf(terms) });
    });
    if (limits.writer === 'create') {
      for (const g of groups) {
        const c = candidates[g.i]!;
        if (budget <= 0) {
          outcomes[g.i] = 'over-max-signals';
          this.cappedCount++;
          trace?.({ kind: 'candidate', alert: c.alert, terms: g.terms, instanceId: g.instanceId, run, outcome: 'over-max-signals' });
          continue;
        }
        budget--;
        created++;
        // Each bucket is its own alert; an earlier alert of the group (same instance id) leaves first.
        const previous = this.open.get(g.instanceId);
        if (previous) {
          this.open.delete(g.instanceId);
          released.push(this.finish(previous));
        }
        const opened = this.openAlert(c.alert, g.terms, g.instanceId, run, c.start, c.end, c.docs ?? 0);
        outcomes[g.i] = 'opened';
        trace?.({ kind: 'candidate', alert: c.alert, terms: g.terms, instanceId: g.instanceId, run, outcome: 'opened', into: opened.alert });
      }
      return { released, outcomes, created, suppressed };
    }
    // 2. Covered by an alert of an earlier execution.
    const live = groups.filter((g) => {
      const c = candidates[g.i]!;
      const existing = findable(g.instanceId);
      if (existing && existing.createdRun !== run && existing.end >= c.end) {
        outcomes[g.i] = 'covered';
        trace?.({ kind: 'candidate', alert: c.alert, terms: g.terms, instanceId: g.instanceId, run, outcome: 'covered', ...(existing.open ? { into: existing.open.alert } : {}) });
        return false;
      }
      return true;
    });
    // 3. In-memory folding, in order of start (stable).
    live.sort((a, b) => candidates[a.i]!.start - candidates[b.i]!.start || a.i - b.i);
    const leads = new Map<string, { g: (typeof live)[number]; docs: number; end: number; members: (typeof live)[number][] }>();
    for (const g of live) {
      const c = candidates[g.i]!;
      const lead = leads.get(g.instanceId);
      if (lead) {
        lead.docs += (c.docs ?? 0) + 1;
        if (c.end > lead.end) lead.end = c.end;
        lead.members.push(g);
        suppressed++;
      } else leads.set(g.instanceId, { g, docs: c.docs ?? 0, end: c.end, members: [] });
    }
    // 4. Into the found alert, or a new one.
    for (const lead of leads.values()) {
      const c = candidates[lead.g.i]!;
      const existing = this.open.get(lead.g.instanceId);
      const joins = existing !== undefined && existing.createdRun >= findFrom && (this.durationMs !== undefined || existing.createdRun === run);
      let into: OpenAlert | undefined;
      let outcome: SuppressionOutcome;
      if (joins) {
        existing.docsCount += lead.docs + 1;
        if (lead.end > existing.end) existing.end = lead.end;
        // Kibana moves the start back only for an alert of this same execution.
        if (existing.createdRun === run && c.start < existing.start) existing.start = c.start;
        suppressed++;
        into = existing;
        outcome = existing.createdRun === run ? 'same-execution' : 'within-duration';
      } else if (budget <= 0) {
        outcome = 'over-max-signals';
        this.cappedCount++;
      } else {
        budget--;
        created++;
        if (existing) {
          // The previous alert of this group can take no more (its window passed): it leaves first.
          this.open.delete(lead.g.instanceId);
          released.push(this.finish(existing));
        }
        into = this.openAlert(c.alert, lead.g.terms, lead.g.instanceId, run, c.start, lead.end, lead.docs);
        outcome = 'opened';
      }
      outcomes[lead.g.i] = outcome;
      trace?.({ kind: 'candidate', alert: c.alert, terms: lead.g.terms, instanceId: lead.g.instanceId, run, outcome, ...(into ? { into: into.alert } : {}) });
      for (const m of lead.members) {
        // Folded into their group's first; if that one was dropped at the cap, they go with it.
        const member = candidates[m.i]!;
        outcomes[m.i] = outcome === 'over-max-signals' ? 'over-max-signals' : 'same-execution';
        trace?.({ kind: 'candidate', alert: member.alert, terms: m.terms, instanceId: m.instanceId, run, outcome: outcomes[m.i]!, ...(into ? { into: into.alert } : {}) });
      }
    }
    this.suppressedCount += suppressed;
    return { released, outcomes, created, suppressed };
  }

  private joins(existing: OpenAlert, run: number): boolean {
    if (this.durationMs === undefined) return existing.createdRun === run;
    return existing.createdRun >= run - this.durationMs;
  }

  /** A candidate an execution never wrote because it had stopped at its cap (new_terms' 5 × max_signals). */
  dropOverCap(alert: Alert, run: number): void {
    this.cappedCount++;
    this.overrides.trace?.({ kind: 'candidate', alert, run, outcome: 'over-max-signals' });
  }

  /** The earliest event time whose execution runs strictly after `limit`. */
  private firstEventTimeWithRunAfter(limit: number): number {
    // run(t) = (floor(t/i)+1)·i > limit  ⇔  floor(t/i) ≥ floor(limit/i)  ⇔  t ≥ floor(limit/i)·i
    return Math.floor(limit / this.intervalMs) * this.intervalMs;
  }

  /** Releases the alerts whose window has closed by event time `t` (the engine calls it for every event). */
  advance(event: unknown): Alert[] {
    if (this.open.size === 0) return [];
    const t = this.timeOf(event);
    return Number.isNaN(t) ? [] : this.advanceTo(t);
  }

  private advanceTo(t: number): Alert[] {
    if (t < this.nextClose) return [];
    const out: Alert[] = [];
    let next = Number.POSITIVE_INFINITY;
    for (const [id, o] of this.open) {
      if (o.closesAt <= t) {
        this.open.delete(id);
        out.push(this.finish(o));
      } else if (o.closesAt < next) next = o.closesAt;
    }
    this.nextClose = next;
    return out;
  }

  /** Releases every open alert (end of input). */
  flush(): Alert[] {
    const out = [...this.open.values()].map((o) => this.finish(o));
    this.open.clear();
    this.nextClose = Number.POSITIVE_INFINITY;
    return out;
  }

  stats(): SuppressionStats {
    return { open: this.open.size, suppressed: this.suppressedCount, ...(this.cappedCount > 0 ? { capped: this.cappedCount } : {}) };
  }

  private finish(o: OpenAlert): Alert {
    const fields: SuppressedAlertFields = {
      'kibana.alert.instance.id': o.instanceId,
      'kibana.alert.suppression.terms': o.terms,
      'kibana.alert.suppression.docs_count': o.docsCount,
      'kibana.alert.suppression.start': new Date(o.start).toISOString(),
      'kibana.alert.suppression.end': new Date(o.end).toISOString(),
    };
    // Without duration, later executions whose window reaches back to it still find it (to drop covered candidates).
    if (this.overrides.run !== undefined && this.durationMs === undefined) this.found.set(o.instanceId, { createdRun: o.createdRun, end: o.end });
    this.overrides.trace?.({ kind: 'released', alert: o.alert, fields });
    return Object.assign(o.alert, fields);
  }
}

/**
 * The suppressor for a rule's alerts, or undefined when the rule has no group_by to suppress on. Query rules
 * group per value; sequences and samples by shared values; every other type (EQL events, new_terms, ...) by
 * whole value lists. Threshold rules pass `overrides` (their terms come from the bucket, not an event).
 */
export function createSuppressor(rule: ArtifactRule, hasSequence: boolean, overrides?: SuppressorOverrides, trace?: (entry: SuppressionTrace) => void): AlertSuppressor | undefined {
  const settings = rule.alert_suppression;
  if (!settings) return undefined;
  if (!overrides?.terms && (!settings.group_by || settings.group_by.length === 0)) return undefined;
  const mode: TermsMode = (rule.type as string) === 'query' ? 'per-value' : hasSequence ? 'shared' : 'whole-array';
  return new AlertSuppressor(rule, settings, mode, trace ? { ...overrides, trace } : overrides);
}
