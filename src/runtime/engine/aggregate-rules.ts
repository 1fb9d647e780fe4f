/**
 * The engine's hook for the rule types run on Kibana's schedule (threshold, new_terms, and with `kibanaSchedule`
 * query and single-event EQL rules): their runners, fed in event time, and how their alerts are written through
 * the rule's suppressor. Kept out of engine.ts so the per-event path there only calls `tick` once per event and
 * `push` on a match.
 */
import type { RuleArtifact } from '../../ir/artifact.js';
import { buildNewTermsAlert, buildThresholdAlert } from '../alerts/aggregate-alerts.js';
import type { Alert } from '../alerts/alerts.js';
import { compilePath, readValues, type CompiledPath } from '../match/field-access.js';
import { eventInstant } from '../state/event-time.js';
import { NewTermsRunner, type NewTerm, type NewTermsTrace, type NewTermsWarmup } from '../state/new-terms.js';
import { Schedule, type Execution } from '../state/schedule.js';
import { thresholdSpec, ThresholdRunner, type ThresholdBucket, type ThresholdTrace } from '../state/threshold.js';
import { ScheduledQueryRunner, type ScheduledGrouping, type ScheduledHit } from '../state/scheduled-query.js';
import { buildAlert } from '../alerts/alerts.js';
import { createSuppressor, type AlertSuppressor, type ExecutionCandidate, type SuppressionTerm, type SuppressionTrace } from '../state/suppression.js';
import { comboKey, MAX_TERM_COMBINATIONS, type TermValue } from '../state/term-values.js';

/** Callbacks that watch the runners and the suppressor decide (for `explain`). */
export interface AggregateTrace {
  threshold?: (entry: ThresholdTrace) => void;
  newTerms?: (entry: NewTermsTrace) => void;
  suppression?: (entry: SuppressionTrace) => void;
}

/** Options of the aggregating rules (part of `EngineOptions`). */
export interface AggregateOptions {
  /** Buckets / combinations kept per rule before the least recently updated is evicted (default 100,000). */
  maxAggregateKeys?: number;
  /** How new_terms rules start on a stream without history (default `learn`, see NewTermsOptions). */
  newTermsWarmup?: NewTermsWarmup;
  /**
   * Also run query and single-event EQL rules as Kibana's executions: alerts come at the execution that
   * covers the event, stamped with its time, at most `max_signals` per execution (default false: each
   * matching event alerts as it arrives, which equals the executions' union when no execution is at the cap).
   */
  kibanaSchedule?: boolean;
  /**
   * Kibana's `xpack.alerting.rules.run.alerts.max` (default 1,000): a rule's `max_signals` above it is cut to
   * it, as Kibana's getRuleRangeTuples does.
   */
  maxAlertsPerRun?: number;
  /** Watch the runners' and suppressors' decisions (explain uses it; the engine's alerts do not change). */
  trace?: AggregateTrace;
}

/** How a partitioned engine splits an aggregating rule (see `linkAggregate`). */
export interface AggregatePartition {
  ownsKey: (key: string) => boolean;
  /** This engine is partition 0 (it alone runs the scheduled query and EQL rules). */
  first: boolean;
}

/** One aggregating rule's live state. */
export interface AggregateState {
  runner: ThresholdRunner | NewTermsRunner | ScheduledQueryRunner;
  /** Kibana windows on `timestamp_override` when set (falling back to `@timestamp` unless disabled), else `@timestamp`. */
  time: CompiledPath;
  fallback?: CompiledPath;
  untimed: number;
  /** Whether this engine runs the rule at all (a partitioned engine runs threshold and new_terms rules split by key). */
  runsHere: boolean;
  /**
   * alert_suppression for this rule's alerts, written per execution as Kibana writes them: threshold by its
   * bucket's `threshold.field` terms (Kibana allows only `duration` there), new_terms and EQL by `group_by`
   * through the in-memory writer, scheduled query rules by their composite buckets. The engine passes the
   * alerts it is given through it like any other rule's.
   */
  suppressor?: AlertSuppressor;
  /** Alerts a runner's `select` released during an execution, waiting for the next tick / push / flush. */
  released: Alert[];
  /** The execution each alert came from (the suppressor's look-ups need it). */
  raised: WeakMap<Alert, number>;
}

/** Kibana's factor on max_signals for the candidates suppression may process (rule_types/constants.ts). */
export const MAX_SIGNALS_SUPPRESSION_MULTIPLIER = 5;

/** True for rule types the engine runs through an aggregate runner. */
export function isAggregateRule(artifact: RuleArtifact, options: AggregateOptions = {}): boolean {
  if (artifact.rule.type === 'threshold' || artifact.rule.type === 'new_terms') return true;
  return options.kibanaSchedule === true && !artifact.ir.sequence && !artifact.ir.sample;
}

/** max_signals as Kibana applies it: the rule's (default 100), at most the alerting limit. */
function maxSignalsOf(artifact: RuleArtifact, options: AggregateOptions): number {
  return Math.min(artifact.rule.max_signals ?? 100, options.maxAlertsPerRun ?? 1_000);
}

/** Builds the runner of an aggregating rule; with `partition`, the part of it this engine owns. */
export function linkAggregate(artifact: RuleArtifact, options: AggregateOptions, partition?: AggregatePartition): AggregateState {
  const rule = artifact.rule;
  const schedule = new Schedule({ ...(rule.interval ? { interval: rule.interval } : {}), ...(rule.from ? { from: rule.from } : {}), ...(rule.to ? { to: rule.to } : {}) });
  const maxSignals = maxSignalsOf(artifact, options);
  const common = { maxSignals, ...(options.maxAggregateKeys !== undefined ? { maxKeys: options.maxAggregateKeys } : {}) };
  const override = rule.timestamp_override;
  const state: AggregateState = {
    runner: undefined as unknown as AggregateState['runner'],
    time: compilePath(override ?? '@timestamp'),
    ...(override && override !== '@timestamp' && rule.timestamp_override_fallback_disabled !== true ? { fallback: compilePath('@timestamp') } : {}),
    untimed: 0,
    runsHere: true,
    released: [],
    raised: new WeakMap(),
  };
  const suppressor = rule.alert_suppression ? linkSuppression(artifact, state, schedule, options.trace?.suppression) : undefined;
  if (suppressor) state.suppressor = suppressor;
  const owns = partition ? (values: readonly TermValue[]): boolean => partition.ownsKey(comboKey(values)) : undefined;
  if (rule.type === 'threshold') {
    // Buckets by their threshold.field values: a bucket (and its suppression group, the same values) lives in one partition.
    state.runner = new ThresholdRunner(thresholdSpec(rule.threshold ?? { field: [], value: 1 }), schedule, { ...common, ...(owns ? { owns } : {}), ...(options.trace?.threshold ? { trace: options.trace.threshold } : {}) });
  } else if (rule.type === 'new_terms') {
    // Without suppression a combination's state and alerts live in the partition of its values. With it, alerts
    // must be grouped by group_by values that other combinations share: every partition keeps every
    // combination's state and writes only the candidates whose suppression group it owns.
    const select = suppressor ? newTermsSelect(artifact, state, suppressor, maxSignals, partition) : undefined;
    state.runner = new NewTermsRunner({ fields: rule.new_terms_fields ?? [], historyWindowStart: rule.history_window_start ?? 'now-7d' }, schedule, {
      ...common,
      ...(options.newTermsWarmup ? { warmup: options.newTermsWarmup } : {}),
      ...(owns && !suppressor ? { owns } : {}),
      ...(select ? { select } : {}),
      ...(options.trace?.newTerms ? { trace: options.trace.newTerms } : {}),
    });
  } else {
    const eql = rule.type === 'eql';
    state.runsHere = !partition || partition.first;
    state.runner = new ScheduledQueryRunner(schedule, {
      ...common,
      language: eql ? 'eql' : 'query',
      ...(suppressor && !eql ? { grouping: queryGrouping(artifact) } : {}),
      ...(suppressor && eql ? { select: eqlSelect(artifact, state, suppressor, maxSignals) } : {}),
    });
  }
  return state;
}

/** The rule's suppressor; alerts reach it per execution (`offerExecution`). */
function linkSuppression(artifact: RuleArtifact, state: AggregateState, schedule: Schedule, trace: AggregateTrace['suppression']): AlertSuppressor | undefined {
  const rule = artifact.rule;
  const thresholdTerms = (alert: Alert): SuppressionTerm[] | undefined => alert['kibana.alert.threshold_result']?.terms.map((t) => ({ field: t.field, value: t.value }));
  return createSuppressor(
    rule,
    false,
    {
      ...(rule.type === 'threshold' ? { terms: thresholdTerms } : {}),
      run: (alert) => state.raised.get(alert) ?? Number.NaN,
      // Executions at or before `lastRun` have all run once an event passes the last one's window end.
      closesAt: (lastRun) => Math.floor(schedule.execution(Math.floor(lastRun / schedule.intervalMs)).to) + 1,
    },
    trace,
  );
}

/**
 * new_terms with suppression (new_terms/execute_new_terms_aggregation_approach.ts and
 * bulk_create_suppressed_alerts_in_memory.ts): the execution's new terms, in Kibana's order, are written in
 * chunks of 5 × max_signals; each chunk may create max_signals minus the alerts created so far, and the
 * execution stops after the chunk in which created + suppressed reach 5 × max_signals, or created max_signals.
 */
function newTermsSelect(artifact: RuleArtifact, state: AggregateState, suppressor: AlertSuppressor, maxSignals: number, partition: AggregatePartition | undefined): (e: Execution, found: NewTerm[]) => boolean[] {
  return (e, found) => {
    const alerts = found.map((t) => buildNewTermsAlert(artifact, t));
    const mine = found.map((t, i) => {
      if (!partition) return true;
      const terms = suppressor.termsFor([t.event]);
      return partition.ownsKey(terms === undefined ? comboKey(t.values) : JSON.stringify(terms[0]));
    });
    const written = new Array<boolean>(found.length).fill(false);
    const candidates = found.map((t, i) => ({ i, c: { alert: alerts[i]!, start: t.ts, end: t.ts } as ExecutionCandidate })).filter((x) => mine[x.i]);
    const chunkSize = MAX_SIGNALS_SUPPRESSION_MULTIPLIER * maxSignals;
    let created = 0;
    let suppressed = 0;
    for (let at = 0; at < candidates.length; at += chunkSize) {
      const chunk = candidates.slice(at, at + chunkSize);
      for (const x of chunk) state.raised.set(x.c.alert, e.at);
      const r = suppressor.offerExecution(
        chunk.map((x) => x.c),
        { run: e.at, from: e.from, maxNew: maxSignals - created },
      );
      r.outcomes.forEach((o, k) => (written[chunk[k]!.i] = o === 'opened' || o === 'missing-field'));
      state.released.push(...r.released);
      created += r.created;
      suppressed += r.suppressed;
      if (created + suppressed >= chunkSize || created >= maxSignals) {
        for (const x of candidates.slice(at + chunkSize)) suppressor.dropOverCap(x.c.alert, e.at);
        break;
      }
    }
    return written;
  };
}

/** EQL with suppression (eql/eql.ts): the window's first max_signals events through the in-memory writer. */
function eqlSelect(artifact: RuleArtifact, state: AggregateState, suppressor: AlertSuppressor, maxSignals: number): (e: Execution, hits: ScheduledHit[]) => boolean[] {
  return (e, hits) => {
    const candidates = hits.map((h) => {
      const alert = buildAlert(artifact, [h.event], e.at);
      state.raised.set(alert, e.at);
      return { alert, start: h.ts, end: h.ts };
    });
    const r = suppressor.offerExecution(candidates, { run: e.at, from: e.from, maxNew: maxSignals });
    state.released.push(...r.released);
    return r.outcomes.map((o) => o === 'opened' || o === 'missing-field');
  };
}

/** A suppressing query rule's composite sources: each group_by field's values (null when missing, with `suppress`). */
function queryGrouping(artifact: RuleArtifact): ScheduledGrouping {
  const settings = artifact.rule.alert_suppression!;
  const fields = settings.group_by ?? [];
  const paths = fields.map((f) => compilePath(f));
  const suppressMissing = (settings.missing_fields_strategy ?? 'suppress') === 'suppress';
  const valuesOf = (event: unknown, path: CompiledPath): TermValue[] => {
    const seen = new Map<string, TermValue>();
    for (const v of readValues(event, path)) if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') seen.set(`${typeof v}:${String(v)}`, v);
    return [...seen.values()];
  };
  return {
    fields,
    unsuppressed: (event) => !suppressMissing && paths.some((p) => valuesOf(event, p).length === 0),
    keys: (event) => {
      let combos: (TermValue | null)[][] = [[]];
      for (const p of paths) {
        const vs: (TermValue | null)[] = valuesOf(event, p);
        if (vs.length === 0) vs.push(null);
        const next: (TermValue | null)[][] = [];
        for (const c of combos) for (const v of vs) if (next.length < MAX_TERM_COMBINATIONS) next.push([...c, v]);
        combos = next;
      }
      return combos;
    },
  };
}

/** The event's time for this rule (NaN when it has none). */
export function aggregateTime(state: AggregateState, event: unknown): number {
  const ts = eventInstant(event, state.time);
  return Number.isNaN(ts) && state.fallback ? eventInstant(event, state.fallback) : ts;
}

/** Consecutive items of one execution, in order. */
function byExecution<T extends { execution: Execution }>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (const item of items) {
    const last = out[out.length - 1];
    if (last && last[0]!.execution.at === item.execution.at) last.push(item);
    else out.push([item]);
  }
  return out;
}

function alertsOf(artifact: RuleArtifact, state: AggregateState, found: ReturnType<AggregateState['runner']['flush']>): Alert[] {
  const out = state.released;
  state.released = [];
  const suppressor = state.suppressor;
  if (state.runner instanceof ThresholdRunner) {
    const buckets = found as ThresholdBucket[];
    if (!suppressor) return [...out, ...buckets.map((b) => buildThresholdAlert(artifact, b))];
    // Kibana writes an execution's buckets (at most max_signals, cut before) through the suppressed writer, uncapped.
    for (const group of byExecution(buckets)) {
      const e = group[0]!.execution;
      const candidates = group.map((b) => {
        const alert = buildThresholdAlert(artifact, b);
        state.raised.set(alert, e.at);
        return { alert, start: b.firstTs, end: b.lastTs };
      });
      out.push(...suppressor.offerExecution(candidates, { run: e.at, from: e.from }).released);
    }
    return out;
  }
  if (state.runner instanceof ScheduledQueryRunner) {
    const hits = found as ScheduledHit[];
    if (!suppressor) return [...out, ...hits.map((h) => buildAlert(artifact, [h.event], h.execution.at))];
    const withDuration = artifact.rule.alert_suppression?.duration !== undefined;
    for (const group of byExecution(hits)) {
      const e = group[0]!.execution;
      const candidates: ExecutionCandidate[] = group.map((h) => {
        const alert = buildAlert(artifact, [h.event], e.at);
        state.raised.set(alert, e.at);
        return h.bucket ? { alert, start: h.bucket.start, end: h.bucket.end, docs: h.bucket.count - 1, terms: h.bucket.terms } : { alert, start: h.ts, end: h.ts, terms: null };
      });
      // Without duration Kibana creates each bucket's alert as it is; with one, through the suppressed writer.
      out.push(...suppressor.offerExecution(candidates, { run: e.at, from: e.from, writer: withDuration ? 'suppress' : 'create' }).released);
    }
    return out;
  }
  return [...out, ...(found as NewTerm[]).map((t) => buildNewTermsAlert(artifact, t))];
}

/** Moves the rule's time on with any event of the stream; returns alerts of executions now due. */
export function tickAggregate(artifact: RuleArtifact, state: AggregateState, event: unknown): Alert[] {
  const ts = aggregateTime(state, event);
  return Number.isNaN(ts) ? [] : alertsOf(artifact, state, state.runner.tick(ts));
}

/** Adds an event that matched the rule's query. */
export function pushAggregate(artifact: RuleArtifact, state: AggregateState, event: unknown): Alert[] {
  const ts = aggregateTime(state, event);
  if (Number.isNaN(ts)) {
    state.untimed++;
    return [];
  }
  return alertsOf(artifact, state, state.runner.push(event, ts));
}

/** End of input: the remaining executions. */
export function flushAggregate(artifact: RuleArtifact, state: AggregateState): Alert[] {
  return alertsOf(artifact, state, state.runner.flush());
}
