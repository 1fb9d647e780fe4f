/**
 * `explain` for rules with alert_suppression: the events run through the engine itself with its trace on, so
 * the group each candidate alert fell into, what became of it and the final `kibana.alert.suppression.*`
 * values are the ones `run` produces, not a re-enactment.
 */
import type { RuleArtifact } from '../ir/artifact.js';
import type { Alert } from '../runtime/alerts/alerts.js';
import { createEngine } from '../runtime/engine/engine.js';
import type { NewTermsTrace } from '../runtime/state/new-terms.js';
import type { SuppressedAlertFields, SuppressionOutcome, SuppressionTerm, SuppressionTrace } from '../runtime/state/suppression.js';
import type { ThresholdTrace } from '../runtime/state/threshold.js';

/** Everything one traced run decided. */
export interface TracedRun {
  alerts: Alert[];
  threshold: ThresholdTrace[];
  newTerms: NewTermsTrace[];
  suppression: SuppressionTrace[];
}

/** Runs the rule over `events` in the given order with every trace on (the engine `run` uses). */
export function tracedRun(artifact: RuleArtifact, events: readonly unknown[], options: { now?: number; warmup?: 'learn' | 'none'; kibanaSchedule?: boolean } = {}): TracedRun {
  const out: TracedRun = { alerts: [], threshold: [], newTerms: [], suppression: [] };
  const engine = createEngine([artifact], {
    ...(options.now !== undefined ? { now: options.now } : {}),
    newTermsWarmup: options.warmup ?? 'none',
    ...(options.kibanaSchedule ? { kibanaSchedule: true } : {}),
    trace: { threshold: (t) => out.threshold.push(t), newTerms: (t) => out.newTerms.push(t), suppression: (t) => out.suppression.push(t) },
  });
  for (const e of events) out.alerts.push(...engine.process(e));
  out.alerts.push(...engine.flush());
  return out;
}

/** One candidate alert and its fate. */
export interface SuppressionCandidate {
  /** The input event (1-based) the candidate was raised from, when it has one (threshold buckets do not). */
  event?: number;
  /** The execution (ISO time) it belongs to. */
  execution?: string;
  /** For threshold buckets and new terms: what it stands for. */
  label?: string;
  terms?: SuppressionTerm[];
  outcome: SuppressionOutcome;
  /** The alert (1-based, in the order alerts opened) it opened or was folded into. */
  alert?: number;
}

/** The final suppression fields of one alert. */
export interface SuppressedAlertSummary extends SuppressedAlertFields {
  alert: number;
  '@timestamp': string;
}

export interface SuppressionExplanation {
  settings: NonNullable<RuleArtifact['rule']['alert_suppression']>;
  candidates: SuppressionCandidate[];
  alerts: SuppressedAlertSummary[];
}

const iso = (t: number): string | undefined => (Number.isFinite(t) ? new Date(t).toISOString() : undefined);

/** The suppression steps of a traced run, tied to the input events and numbered alerts. */
export function explainSuppression(artifact: RuleArtifact, events: readonly unknown[], run: TracedRun): SuppressionExplanation {
  const eventIndex = new Map<unknown, number>();
  events.forEach((e, i) => eventIndex.set(e, i + 1));
  const numbers = new Map<Alert, number>();
  const numberOf = (a: Alert | undefined): number | undefined => {
    if (!a) return undefined;
    let n = numbers.get(a);
    if (n === undefined) numbers.set(a, (n = numbers.size + 1));
    return n;
  };
  const candidates: SuppressionCandidate[] = [];
  const alerts: SuppressedAlertSummary[] = [];
  for (const t of run.suppression) {
    if (t.kind === 'released') {
      alerts.push({ alert: numberOf(t.alert)!, '@timestamp': t.alert['@timestamp'], ...t.fields });
      continue;
    }
    const first = t.alert.events.find((e) => e !== null && e !== undefined);
    const idx = first !== undefined ? eventIndex.get(first) : undefined;
    const threshold = t.alert['kibana.alert.threshold_result'];
    const newTerms = t.alert['kibana.alert.new_terms'];
    const label = threshold ? `bucket ${threshold.terms.length === 0 ? '(all events)' : threshold.terms.map((x) => `${x.field}=${JSON.stringify(x.value)}`).join(', ')} (${threshold.count} events)` : newTerms ? `new terms ${JSON.stringify(newTerms)}` : undefined;
    const execution = iso(t.run);
    const into = t.outcome === 'opened' ? numberOf(t.into ?? t.alert) : numberOf(t.into);
    candidates.push({
      ...(idx !== undefined && !threshold ? { event: idx } : {}),
      ...(execution ? { execution } : {}),
      ...(label ? { label } : {}),
      ...(t.terms ? { terms: t.terms } : {}),
      outcome: t.outcome,
      ...(into !== undefined ? { alert: into } : {}),
    });
  }
  alerts.sort((a, b) => a.alert - b.alert);
  return { settings: artifact.rule.alert_suppression!, candidates, alerts };
}

const WHY: Record<SuppressionOutcome, string> = {
  opened: 'opened',
  'same-execution': 'folded into',
  'within-duration': 'folded into',
  'missing-field': 'not suppressed: a group_by field has no value (missing_fields_strategy: doNotSuppress)',
  covered: 'dropped: an alert of its group from an earlier execution already covers it',
  'over-max-signals': 'dropped: its execution had reached max_signals',
};

const REASON: Partial<Record<SuppressionOutcome, string>> = {
  'same-execution': ' (same execution)',
  'within-duration': ' (an earlier execution, within duration)',
};

/** Human-readable lines for the suppression section. */
export function formatSuppressionExplanation(x: SuppressionExplanation): string {
  const s = x.settings;
  const how = `${s.group_by && s.group_by.length > 0 ? `group_by ${s.group_by.join(', ')}` : 'grouped by threshold.field'}, ${s.duration ? `duration ${s.duration.value}${s.duration.unit}` : 'per execution'}${s.group_by ? `, missing fields: ${s.missing_fields_strategy ?? 'suppress'}` : ''}`;
  const lines = [`alert suppression (${how}):`];
  if (x.candidates.length === 0) lines.push('  no candidate alert');
  for (const c of x.candidates) {
    const who = [c.event !== undefined ? `event ${c.event}` : c.label ?? 'candidate', c.event !== undefined && c.label ? c.label : undefined, c.execution ? `execution ${c.execution}` : undefined].filter((p) => p !== undefined).join(', ');
    const group = c.terms ? ` group ${c.terms.length === 0 ? '(all)' : c.terms.map((t) => `${t.field}=${JSON.stringify(t.value)}`).join(', ')}` : '';
    const target = c.alert !== undefined && (c.outcome === 'opened' || c.outcome === 'same-execution' || c.outcome === 'within-duration' || c.outcome === 'covered') ? ` alert #${c.alert}` : '';
    lines.push(`  ${who}:${group} → ${WHY[c.outcome]}${c.outcome === 'covered' ? (target ? ` (${target.trim()})` : '') : target}${REASON[c.outcome] ?? ''}`);
  }
  for (const a of x.alerts) {
    lines.push(`  alert #${a.alert} (@timestamp ${a['@timestamp']}): kibana.alert.suppression.terms ${JSON.stringify(a['kibana.alert.suppression.terms'])}, docs_count ${a['kibana.alert.suppression.docs_count']}, start ${a['kibana.alert.suppression.start']}, end ${a['kibana.alert.suppression.end']}`);
  }
  return lines.join('\n');
}
