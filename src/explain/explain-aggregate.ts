/**
 * `explain` for threshold and new_terms rules: the events run through the engine with the runners' trace on,
 * so each execution's verdict on each bucket or combination is what decided the alerts, not a re-enactment.
 */
import type { RuleArtifact } from '../ir/artifact.js';
import { linkPredicate } from '../runtime/match/link.js';
import { aggregateTime, linkAggregate } from '../runtime/engine/aggregate-rules.js';
import type { NewTermsTrace } from '../runtime/state/new-terms.js';
import type { ThresholdTrace } from '../runtime/state/threshold.js';
import { tracedRun, type TracedRun } from './explain-suppression.js';

/** One execution's verdicts, in order. */
export interface AggregateExplanation {
  type: 'threshold' | 'new_terms';
  matched: number;
  untimed: number;
  threshold: ThresholdTrace[];
  newTerms: NewTermsTrace[];
}

const iso = (t: number): string => (Number.isFinite(t) ? new Date(t).toISOString() : 'never');

/** Sorts `events` by the rule's time field (events without one are left out and counted). */
export function timeOrdered(artifact: RuleArtifact, events: readonly unknown[]): { events: unknown[]; untimed: number } {
  const state = linkAggregate(artifact, {});
  let untimed = 0;
  const timed = events.map((event, i) => ({ event, ts: aggregateTime(state, event), i })).filter((x) => (Number.isNaN(x.ts) ? (untimed++, false) : true));
  timed.sort((a, b) => a.ts - b.ts || a.i - b.i);
  return { events: timed.map((x) => x.event), untimed };
}

/** Runs the rule over `events` (sorted by the rule's time field) through the engine and records every verdict. */
export function explainAggregate(artifact: RuleArtifact, events: readonly unknown[], options: { now?: number; warmup?: 'learn' | 'none' } = {}): AggregateExplanation & { run: TracedRun } {
  const now = options.now ?? Date.now();
  const matcher = linkPredicate(artifact.ir.predicate, { now });
  const ordered = timeOrdered(artifact, events);
  const run = tracedRun(artifact, ordered.events, { now, warmup: options.warmup ?? 'none' });
  return {
    type: artifact.rule.type === 'threshold' ? 'threshold' : 'new_terms',
    matched: ordered.events.filter((e) => matcher(e)).length,
    untimed: ordered.untimed,
    threshold: run.threshold,
    newTerms: run.newTerms,
    run,
  };
}

const THRESHOLD_WHY: Record<ThresholdTrace['verdict'], string> = {
  alert: 'ALERT',
  'below-value': 'no alert: fewer events than threshold.value',
  'below-cardinality': 'no alert: fewer distinct values than threshold.cardinality',
  'over-max-signals': 'no alert: over max_signals in this execution (may fire in the next)',
};

const NEW_TERMS_WHY: Record<NewTermsTrace['verdict'], string> = {
  new: 'NEW: alert',
  'seen-in-history': 'not new: seen in the history window',
  learning: 'not new: warm-up, the history window starts before the first event seen',
  'already-alerted': 'not new here: an earlier overlapping execution already alerted on the same event',
  'over-max-signals': 'new, but over max_signals in this execution (may alert in the next)',
};

/** Human-readable lines: one block per execution that had something to decide. */
export function formatAggregateExplanation(artifact: RuleArtifact, x: AggregateExplanation): string {
  const lines = [`${x.matched} event(s) matched the query${x.untimed > 0 ? `, ${x.untimed} had no readable time and were left out` : ''}.`];
  const fields = x.type === 'threshold' ? [artifact.rule.threshold?.field ?? []].flat().filter((f) => f !== '') : (artifact.rule.new_terms_fields ?? []);
  const label = (values: readonly unknown[]): string => (values.length === 0 ? '(all events)' : fields.map((f, i) => `${f}=${JSON.stringify(values[i])}`).join(', '));
  let last = Number.NaN;
  const header = (e: { at: number; from: number; to: number }): void => {
    if (e.at === last) return;
    last = e.at;
    lines.push(`execution at ${iso(e.at)}, window [${iso(e.from)}, ${iso(e.to)}]`);
  };
  if (x.type === 'threshold') {
    const value = artifact.rule.threshold?.value ?? 1;
    const card = artifact.rule.threshold?.cardinality?.[0];
    for (const t of x.threshold) {
      header(t.execution);
      lines.push(`  ${label(t.values)}: ${t.count} event(s) (needs ${value})${t.coveredByEarlierAlert > 0 ? `, ${t.coveredByEarlierAlert} already counted by an earlier alert` : ''}${t.distinct !== undefined ? `, ${t.distinct} distinct ${card?.field} (needs ${card?.value})` : ''} → ${THRESHOLD_WHY[t.verdict]}`);
    }
  } else {
    for (const t of x.newTerms) {
      header(t.execution);
      lines.push(`  ${label(t.values)}: ${t.count} event(s) in the window, first ${iso(t.firstInWindow)}, last seen before ${iso(t.lastBefore)}, history from ${iso(t.historyStart)} → ${NEW_TERMS_WHY[t.verdict]}`);
    }
  }
  if (lines.length === 1) lines.push('No execution saw a bucket or combination (no matching event, or the grouping fields are missing).');
  return lines.join('\n');
}
