/**
 * `ruleforge test` for threshold and new_terms rules: the example's events run through the engine with the
 * rule's own schedule (history events first, for new_terms), and the alerts are compared with the example's
 * expected count, buckets, new terms or (with alert_suppression) docs_count.
 */
import type { Alert } from '../runtime/alerts/alerts.js';
import { createEngine } from '../runtime/engine/engine.js';
import { eventInstant } from '../runtime/state/event-time.js';
import { compileCheckedRule } from './compile-rule.js';
import type { ExpectedBucket, RuleDefinition, RuleExample } from './types.js';
import type { CheckedRule } from './validate.js';

type Event = Record<string, unknown>;

/** What an aggregate example found, in the terms its expectation uses. */
export interface AggregateOutcome {
  alerts: Alert[];
  buckets: ExpectedBucket[];
  newTerms: unknown[][];
}

function byTime(events: Event[], rule: RuleDefinition): Event[] {
  const field = rule.timestamp_override ?? '@timestamp';
  return events
    .map((event, i) => ({ event, ts: eventInstant(event, field), i }))
    .sort((a, b) => (Number.isNaN(a.ts) ? 0 : a.ts) - (Number.isNaN(b.ts) ? 0 : b.ts) || a.i - b.i)
    .map((x) => x.event);
}

/** Runs an aggregate rule over history then events (each in time order); alerts on history events are left out. */
export function runAggregateExample(checked: CheckedRule, rule: RuleDefinition, history: Event[], events: Event[]): AggregateOutcome | string {
  const compiled = compileCheckedRule(checked);
  if (!compiled.ok) return compiled.diagnostics.map((d) => d.message).join(' ') || 'the rule did not compile';
  const engine = createEngine([compiled.file.artifact], { newTermsWarmup: 'none' });
  const learnedFrom = new Set<unknown>();
  const alerts: Alert[] = [];
  for (const e of byTime(history, rule)) {
    learnedFrom.add(e);
    alerts.push(...engine.process(e));
  }
  for (const e of byTime(events, rule)) alerts.push(...engine.process(e));
  alerts.push(...engine.flush());
  // The engine stamps a copy when it adds constants; compare by content as well as by identity.
  const historyText = new Set(history.map((e) => JSON.stringify(e)));
  const kept = alerts.filter((a) => a['kibana.alert.new_terms'] === undefined || !a.events.some((e) => learnedFrom.has(e) || historyText.has(JSON.stringify(e))));
  return {
    alerts: kept,
    buckets: kept.flatMap((a) => {
      const r = a['kibana.alert.threshold_result'];
      return r ? [{ terms: Object.fromEntries(r.terms.map((t) => [t.field, t.value])), count: r.count }] : [];
    }),
    newTerms: kept.flatMap((a) => (a['kibana.alert.new_terms'] ? [a['kibana.alert.new_terms']] : [])),
  };
}

/** Compares an outcome with the example's expectation; undefined when it holds, else what differs. */
export function checkAggregateExpectation(example: RuleExample, outcome: AggregateOutcome): string | undefined {
  const expect = example.expect;
  const got = outcome.alerts.length;
  if (expect === 'match') return got > 0 ? undefined : 'expected at least one alert, got none';
  if (expect === 'no-match') return got === 0 ? undefined : `expected no alert, got ${got}`;
  if (got !== expect.alerts) return `expected ${expect.alerts} alert(s), got ${got}`;
  if (expect.buckets) {
    const shown = outcome.buckets.map((b, i) => (expect.buckets![i]?.count === undefined ? { terms: b.terms } : b));
    if (JSON.stringify(shown) !== JSON.stringify(expect.buckets)) return `expected buckets ${JSON.stringify(expect.buckets)}, got ${JSON.stringify(outcome.buckets)}`;
  }
  if (expect.new_terms && JSON.stringify(expect.new_terms) !== JSON.stringify(outcome.newTerms)) return `expected new terms ${JSON.stringify(expect.new_terms)}, got ${JSON.stringify(outcome.newTerms)}`;
  if (expect.docs_count) {
    // alert_suppression: each alert's kibana.alert.suppression.docs_count, in the order the alerts are released.
    const docs = outcome.alerts.map((a) => a['kibana.alert.suppression.docs_count'] ?? 0);
    if (JSON.stringify(docs) !== JSON.stringify(expect.docs_count)) return `expected docs_count ${JSON.stringify(expect.docs_count)}, got ${JSON.stringify(docs)}`;
  }
  return undefined;
}
