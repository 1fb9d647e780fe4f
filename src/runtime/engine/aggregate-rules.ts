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
  return { runner, time: compilePath(override ?? '@timestamp'), ...(override && override !== '@timestamp' && rule.timestamp_override_fallback_disabled !== true ? { fallback: compilePath('@timestamp') } : {}), untimed: 0 };
}

/** The event's time for this rule (NaN when it has none). */
export function aggregateTime(state: AggregateState, event: unknown): number {
  const ts = eventInstant(event, state.time);
  return Number.isNaN(ts) && state.fallback ? eventInstant(event, state.fallback) : ts;
}

function alertsOf(artifact: RuleArtifact, state: AggregateState, found: ReturnType<AggregateState['runner']['flush']>): Alert[] {
  if (state.runner instanceof ScheduledQueryRunner) return (found as ScheduledHit[]).map((h) => buildAlert(artifact, [h.event], h.execution.at));
  if (state.runner instanceof ThresholdRunner) return (found as ReturnType<ThresholdRunner['flush']>).map((b) => buildThresholdAlert(artifact, b));
  return (found as ReturnType<NewTermsRunner['flush']>).map((t) => buildNewTermsAlert(artifact, t));
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
