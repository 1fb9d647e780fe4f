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
}

/** Folds one rule's alerts by their group_by terms (see the module comment). */
export class AlertSuppressor {
  private readonly groupBy: { field: string; path: CompiledPath }[];
  private readonly durationMs: number | undefined;
  private readonly suppressMissing: boolean;
  private readonly intervalMs: number;
  private readonly timePaths: CompiledPath[];
  private readonly open = new Map<string, OpenAlert>();
  private nextClose = Number.POSITIVE_INFINITY;
  private suppressedCount = 0;

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
    const scheduled = this.overrides.run !== undefined;
    const span = this.overrides.span?.(alert);
    const t = span ? span.end : this.candidateTime(alert);
    // A scheduled alert arrives after its execution ran: the stream's time, not the alert's, closes windows.
    const out = Number.isNaN(t) || scheduled ? [] : this.advanceTo(t);
    const sets = this.termSets(alert);
    if (sets === undefined || Number.isNaN(t)) {
      out.push(alert);
      return out;
    }
    const start = span ? span.start : t;
    const run = scheduled ? this.overrides.run!(alert) : this.runOf(t);
    for (const terms of sets) {
      const instanceId = hashText(`${this.rule.rule_id}\u0000${safeJson(terms)}`);
      const existing = this.open.get(instanceId);
      if (existing && this.joins(existing, run)) {
        // Kibana adds the candidate and what it had already folded in (0 for a fresh alert).
        existing.docsCount++;
        existing.start = Math.min(existing.start, start);
        existing.end = Math.max(existing.end, t);
        this.suppressedCount++;
        continue;
      }
      if (existing) {
        // Its window has passed for this candidate (late input): release it before opening the next.
        this.open.delete(instanceId);
        out.push(this.finish(existing));
      }
      const lastRun = this.durationMs === undefined ? run : run + this.durationMs;
      const closesAt = this.overrides.closesAt ? this.overrides.closesAt(lastRun) : this.firstEventTimeWithRunAfter(lastRun);
      const opened: OpenAlert = { alert: sets.length > 1 ? { ...alert } : alert, terms, instanceId, start, end: t, docsCount: 0, createdRun: run, closesAt };
      this.open.set(instanceId, opened);
      if (closesAt < this.nextClose) this.nextClose = closesAt;
    }
    return out;
  }

  private joins(existing: OpenAlert, run: number): boolean {
    if (this.durationMs === undefined) return existing.createdRun === run;
    return existing.createdRun >= run - this.durationMs;
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
    return { open: this.open.size, suppressed: this.suppressedCount };
  }

  private finish(o: OpenAlert): Alert {
    const fields: SuppressedAlertFields = {
      'kibana.alert.instance.id': o.instanceId,
      'kibana.alert.suppression.terms': o.terms,
      'kibana.alert.suppression.docs_count': o.docsCount,
      'kibana.alert.suppression.start': new Date(o.start).toISOString(),
      'kibana.alert.suppression.end': new Date(o.end).toISOString(),
    };
    return Object.assign(o.alert, fields);
  }
}

/**
 * The suppressor for a rule's alerts, or undefined when the rule has no group_by to suppress on. Query rules
 * group per value; sequences and samples by shared values; every other type (EQL events, new_terms, ...) by
 * whole value lists. Threshold rules pass `overrides` (their terms come from the bucket, not an event).
 */
export function createSuppressor(rule: ArtifactRule, hasSequence: boolean, overrides?: SuppressorOverrides): AlertSuppressor | undefined {
  const settings = rule.alert_suppression;
  if (!settings) return undefined;
  if (!overrides?.terms && (!settings.group_by || settings.group_by.length === 0)) return undefined;
  const mode: TermsMode = (rule.type as string) === 'query' ? 'per-value' : hasSequence ? 'shared' : 'whole-array';
  return new AlertSuppressor(rule, settings, mode, overrides);
}
