/**
 * The engine's hook for the aggregating rule types (threshold, new_terms): their runners, fed in event time.
 * Kept out of engine.ts so the per-event path there only calls `tick` once per event and `push` on a match.
 */
import type { RuleArtifact } from '../../ir/artifact.js';
import { buildNewTermsAlert, buildThresholdAlert } from '../alerts/aggregate-alerts.js';
import type { Alert } from '../alerts/alerts.js';
import { compilePath, type CompiledPath } from '../match/field-access.js';
import { eventInstant } from '../state/event-time.js';
import { NewTermsRunner, type NewTermsWarmup } from '../state/new-terms.js';
import { Schedule } from '../state/schedule.js';
import { thresholdSpec, ThresholdRunner } from '../state/threshold.js';
import { ScheduledQueryRunner, type ScheduledHit } from '../state/scheduled-query.js';
import { buildAlert } from '../alerts/alerts.js';
import { createSuppressor, type AlertSuppressor, type SuppressionTerm } from '../state/suppression.js';

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
}

/** One aggregating rule's live state. */
export interface AggregateState {
  runner: ThresholdRunner | NewTermsRunner | ScheduledQueryRunner;
  /** Kibana windows on `timestamp_override` when set (falling back to `@timestamp` unless disabled), else `@timestamp`. */
  time: CompiledPath;
  fallback?: CompiledPath;
  untimed: number;
  /**
   * alert_suppression for this rule's alerts, grouped by the execution that raised them: threshold by its
   * bucket's `threshold.field` terms (Kibana allows only `duration` there), new_terms and scheduled query rules
   * by `group_by` as for query rules. The engine passes these alerts through it like any other rule's.
   */
  suppressor?: AlertSuppressor;
  /** What the suppressor needs to know of each alert that the alert itself does not carry. */
  raised: WeakMap<Alert, { run: number; start: number; end: number }>;
}

/** True for rule types the engine runs through an aggregate runner. */
export function isAggregateRule(artifact: RuleArtifact, options: AggregateOptions = {}): boolean {
  if (artifact.rule.type === 'threshold' || artifact.rule.type === 'new_terms') return true;
  return options.kibanaSchedule === true && !artifact.ir.sequence && !artifact.ir.sample;
}

/** Builds the runner of an aggregating rule. */
export function linkAggregate(artifact: RuleArtifact, options: AggregateOptions): AggregateState {
  const rule = artifact.rule;
  const schedule = new Schedule({ ...(rule.interval ? { interval: rule.interval } : {}), ...(rule.from ? { from: rule.from } : {}), ...(rule.to ? { to: rule.to } : {}) });
  const common = { ...(rule.max_signals !== undefined ? { maxSignals: rule.max_signals } : {}), ...(options.maxAggregateKeys !== undefined ? { maxKeys: options.maxAggregateKeys } : {}) };
  const runner =
    rule.type !== 'threshold' && rule.type !== 'new_terms'
      ? new ScheduledQueryRunner(schedule, common)
      : rule.type === 'threshold'
      ? new ThresholdRunner(thresholdSpec(rule.threshold ?? { field: [], value: 1 }), schedule, common)
      : new NewTermsRunner({ fields: rule.new_terms_fields ?? [], historyWindowStart: rule.history_window_start ?? 'now-7d' }, schedule, { ...common, ...(options.newTermsWarmup ? { warmup: options.newTermsWarmup } : {}) });
  const override = rule.timestamp_override;
  const state: AggregateState = { runner, time: compilePath(override ?? '@timestamp'), ...(override && override !== '@timestamp' && rule.timestamp_override_fallback_disabled !== true ? { fallback: compilePath('@timestamp') } : {}), untimed: 0, raised: new WeakMap() };
  const suppressor = linkSuppression(artifact, state, schedule);
  if (suppressor) state.suppressor = suppressor;
  return state;
}

/** The rule's suppressor, fed with each alert's execution (see `AggregateState.suppressor`). */
function linkSuppression(artifact: RuleArtifact, state: AggregateState, schedule: Schedule): AlertSuppressor | undefined {
  const rule = artifact.rule;
  if (!rule.alert_suppression) return undefined;
  const raised = (alert: Alert): { run: number; start: number; end: number } | undefined => state.raised.get(alert);
  const thresholdTerms = (alert: Alert): SuppressionTerm[] | undefined => alert['kibana.alert.threshold_result']?.terms.map((t) => ({ field: t.field, value: t.value }));
  return createSuppressor(rule, false, {
    ...(rule.type === 'threshold' ? { terms: thresholdTerms } : {}),
    run: (alert) => raised(alert)?.run ?? Number.NaN,
    span: (alert) => raised(alert) ?? { start: Number.NaN, end: Number.NaN },
    // Executions at or before `lastRun` have all run once an event passes the last one's window end.
    closesAt: (lastRun) => Math.floor(schedule.execution(Math.floor(lastRun / schedule.intervalMs)).to) + 1,
  });
}

/** The event's time for this rule (NaN when it has none). */
export function aggregateTime(state: AggregateState, event: unknown): number {
  const ts = eventInstant(event, state.time);
  return Number.isNaN(ts) && state.fallback ? eventInstant(event, state.fallback) : ts;
}

function alertsOf(artifact: RuleArtifact, state: AggregateState, found: ReturnType<AggregateState['runner']['flush']>): Alert[] {
  const note = (alert: Alert, run: number, start: number, end: number): Alert => {
    if (state.suppressor) state.raised.set(alert, { run, start, end });
    return alert;
  };
  if (state.runner instanceof ScheduledQueryRunner) return (found as ScheduledHit[]).map((h) => note(buildAlert(artifact, [h.event], h.execution.at), h.execution.at, h.ts, h.ts));
  if (state.runner instanceof ThresholdRunner) return (found as ReturnType<ThresholdRunner['flush']>).map((b) => note(buildThresholdAlert(artifact, b), b.execution.at, b.firstTs, b.lastTs));
  return (found as ReturnType<NewTermsRunner['flush']>).map((t) => note(buildNewTermsAlert(artifact, t), t.execution.at, t.ts, t.ts));
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
