import type { IrQuery } from '../ir/types.js';
import { eventInstant } from '../runtime/state/event-time.js';
import { compilePath, readValues } from '../runtime/match/field-access.js';
import { linkPredicate } from '../runtime/match/link.js';
import { findSamples } from '../runtime/state/sample.js';
import { SequenceRunner } from '../runtime/state/sequence.js';
import { plural } from '../diagnostics/wording.js';
import { checkAggregateExpectation, runAggregateExample } from './aggregate-examples.js';
import { buildExampleEvents } from './example-events.js';
import { suppressedExampleAlerts } from './suppressed-example.js';
import { COMPILED_RULE_TYPES, type RuleDefinition, type RuleExample } from './types.js';
import type { CheckedRule } from './validate.js';

/** The outcome of one example. */
export interface ExampleResult {
  file: string;
  ruleId: string;
  ruleName: string;
  example: string;
  passed: boolean;
  /** Set when the example could not run at all because the rule type is not compiled. */
  skipped?: string;
  /** One line saying what went wrong. */
  message?: string;
  /** The evidence: per event, the values of each field the rule reads (and for sequences, the stages it fits). */
  details?: string[];
  timeMs: number;
}

export interface RunExamplesOptions {
  /** The instant date math in queries is relative to (default: now). */
  now?: number;
}

type Event = Record<string, unknown>;

const show = (v: unknown[]): string => (v.length === 0 ? '(missing)' : v.length === 1 ? JSON.stringify(v[0]) : JSON.stringify(v));

/** `field=value` for every field the rule reads, as the event holds it. */
function evidence(event: Event, fields: readonly string[]): string {
  return fields.map((f) => `${f}=${show(readValues(event, compilePath(f)))}`).join('  ');
}

/** The grouping fields of a threshold or new_terms rule, for the evidence lines. */
function aggregateFields(rule: RuleDefinition): string[] {
  const t = rule.threshold as { field?: string | string[] } | undefined;
  const fields = rule.type === 'threshold' ? [t?.field ?? []].flat() : ((rule.new_terms_fields as string[] | undefined) ?? []);
  return [rule.timestamp_override ?? '@timestamp', ...fields.filter((f) => f !== '')];
}

/** What an expectation means as a number of alerts, for the summary line. */
function describeExpectation(expect: RuleExample['expect']): string {
  if (expect === 'match') return 'a match';
  if (expect === 'no-match') return 'no match';
  return `${plural(expect.alerts, 'alert')}${expect.join_keys ? ` with join keys ${JSON.stringify(expect.join_keys)}` : ''}${expect.docs_count ? ` with docs_count ${JSON.stringify(expect.docs_count)}` : ''}`;
}

/** Events ordered as Elasticsearch orders sequence events: timestamp, then tiebreaker, then input order. */
function inOrder(events: Event[], rule: RuleDefinition): { event: Event; ts: number }[] {
  const tsPath = compilePath(rule.timestamp_field ?? '@timestamp');
  const tbPath = rule.tiebreaker_field ? compilePath(rule.tiebreaker_field) : undefined;
  return events
    .map((event, i) => ({ event, ts: eventInstant(event, tsPath), tb: tbPath ? eventInstant(event, tbPath) : 0, i }))
    .filter((x) => !Number.isNaN(x.ts))
    .sort((a, b) => a.ts - b.ts || (a.tb || 0) - (b.tb || 0) || a.i - b.i);
}

/** Alerts (as lists of events plus join keys) the rule raises over the example's events. */
function alertsFor(ir: IrQuery, rule: RuleDefinition, events: Event[], now: number): { events: unknown[]; joinKeys?: unknown[] }[] {
  if (ir.sequence) {
    const runner = new SequenceRunner(ir.sequence, { now });
    const ordered = inOrder(events, rule);
    return [...ordered.flatMap(({ event, ts }) => runner.push(event, ts)), ...runner.flush()];
  }
  if (ir.sample) return findSamples(ir.sample, events, { now });
  const matcher = linkPredicate(ir.predicate, { now });
  return events.filter((e) => matcher(e)).map((e) => ({ events: [e] }));
}

/** For a sequence, which stages each event satisfies on its own (the usual reason a sequence did not form). */
function stageFit(ir: IrQuery, events: Event[], now: number): string[] {
  const stages = ir.sequence?.stages ?? ir.sample?.stages;
  if (!stages) return [];
  const matchers = stages.map((s) => linkPredicate(s.predicate, { now }));
  return events.map((e, i) => {
    const fits = matchers.flatMap((m, k) => (m(e) ? [k + 1] : []));
    return `event ${i + 1} fits ${fits.length === 0 ? 'no stage' : `stage ${fits.join(', ')}`}`;
  });
}

/** Runs one example of a compiled rule. */
function runExample(checked: CheckedRule, rule: RuleDefinition, ir: IrQuery, example: RuleExample, index: number, now: number): ExampleResult {
  const started = performance.now();
  const base = { file: checked.file, ruleId: rule.rule_id, ruleName: rule.name, example: example.name };
  const finish = (passed: boolean, message?: string, details?: string[]): ExampleResult => ({
    ...base,
    passed,
    ...(message ? { message } : {}),
    ...(details && details.length > 0 ? { details } : {}),
    timeMs: performance.now() - started,
  });
  const built = checked.doc ? buildExampleEvents(checked.doc, checked.file, example, index) : { ok: false as const, diagnostics: [] };
  if (!built.ok) return finish(false, built.diagnostics.map((d) => d.message).join(' ') || 'the example events could not be built');
  const events = built.events;
  const fields = ir.fields.length > 0 ? ir.fields : [];
  if (rule.type === 'threshold' || rule.type === 'new_terms') {
    const history = checked.doc ? buildExampleEvents(checked.doc, checked.file, example, index, 'history') : built;
    if (!history.ok) return finish(false, history.diagnostics.map((d) => d.message).join(' '));
    const outcome = runAggregateExample(checked, rule, history.events, events);
    if (typeof outcome === 'string') return finish(false, outcome);
    const problem = checkAggregateExpectation(example, outcome);
    if (problem === undefined) return finish(true);
    const found = rule.type === 'threshold' ? outcome.buckets.map((b) => `bucket ${JSON.stringify(b.terms)}: ${b.count} event(s)`) : outcome.newTerms.map((t) => `new terms ${JSON.stringify(t)}`);
    return finish(false, problem, [...found, ...events.map((e, i) => `event ${i + 1}: ${evidence(e, [...fields, ...aggregateFields(rule)])}`)]);
  }
  // alert_suppression: the engine folds the alerts; each keeps its docs_count for the expectation.
  const suppressed = rule.alert_suppression ? suppressedExampleAlerts(checked, inOrder(events, rule).map((x) => x.event), now) : undefined;
  const alerts: { events: unknown[]; joinKeys?: unknown[]; docsCount?: number }[] = suppressed
    ? suppressed.map((a) => ({ events: a.events, ...(a['kibana.alert.group.join_keys'] ? { joinKeys: a['kibana.alert.group.join_keys'] } : {}), docsCount: a['kibana.alert.suppression.docs_count'] ?? 0 }))
    : alertsFor(ir, rule, events, now);
  const perEvent = (filter: (e: Event) => boolean, label: string): string[] =>
    events.flatMap((e, i) => (filter(e) ? [`event ${i + 1} ${label}: ${evidence(e, fields)}`] : []));
  const expect = example.expect;
  const isGrouped = ir.sequence !== undefined || ir.sample !== undefined || suppressed !== undefined;
  const matched = new Set(alerts.flatMap((a) => a.events));
  if (expect === 'match' && !isGrouped) {
    if (alerts.length === events.length) return finish(true);
    return finish(false, `expected every event to match; ${events.length - alerts.length} of ${events.length} did not match`, perEvent((e) => !matched.has(e), 'did not match'));
  }
  if (expect === 'no-match' && !isGrouped) {
    if (alerts.length === 0) return finish(true);
    return finish(false, `expected no match; ${alerts.length} of ${plural(events.length, 'event')} matched`, perEvent((e) => matched.has(e), 'matched'));
  }
  const wanted = expect === 'match' ? null : expect === 'no-match' ? 0 : expect.alerts;
  const got = alerts.length;
  const countOk = wanted === null ? got > 0 : got === wanted;
  const keysWanted = typeof expect === 'object' ? expect.join_keys : undefined;
  const keysGot = alerts.map((a) => a.joinKeys ?? []);
  const keysOk = keysWanted === undefined || JSON.stringify(keysWanted) === JSON.stringify(keysGot);
  const docsWanted = typeof expect === 'object' ? expect.docs_count : undefined;
  const docsGot = alerts.map((a) => a.docsCount ?? 0);
  const docsOk = docsWanted === undefined || JSON.stringify(docsWanted) === JSON.stringify(docsGot);
  if (countOk && keysOk && docsOk) return finish(true);
  const details = [
    ...(isGrouped ? [`alerts: ${got}${got > 0 && (ir.sequence || ir.sample) ? `, join keys ${JSON.stringify(keysGot)}` : ''}${suppressed ? `, docs_count ${JSON.stringify(docsGot)}` : ''}`] : []),
    ...events.map((e, i) => `event ${i + 1}: ${evidence(e, fields)}`),
    ...stageFit(ir, events, now),
  ];
  return finish(false, `expected ${describeExpectation(expect)}, got ${plural(got, 'alert')}${!keysOk && countOk ? ` with join keys ${JSON.stringify(keysGot)}` : ''}${!docsOk && countOk ? ` with docs_count ${JSON.stringify(docsGot)}` : ''}`, details);
}

/** Runs every example of every rule that compiled; rules with errors are skipped (validate reports them). */
export function runRuleExamples(checked: readonly CheckedRule[], options: RunExamplesOptions = {}): ExampleResult[] {
  const now = options.now ?? Date.now();
  const results: ExampleResult[] = [];
  for (const c of checked) {
    if (!c.rule?.tests) continue;
    const rule = c.rule;
    if (!c.ir || !COMPILED_RULE_TYPES.has(rule.type)) {
      const hasErrors = c.diagnostics.some((d) => d.severity === 'error');
      for (const example of rule.tests ?? []) {
        const base = { file: c.file, ruleId: rule.rule_id, ruleName: rule.name, example: example.name, timeMs: 0 };
        results.push(hasErrors ? { ...base, passed: false, message: 'the rule has errors, so its examples cannot run (run `ruleforge validate`)' } : { ...base, passed: true, skipped: `rules of type "${rule.type}"${rule.language ? ` in ${rule.language}` : ''} are not compiled` });
      }
      continue;
    }
    const ir = c.ir;
    rule.tests?.forEach((example, i) => results.push(runExample(c, rule, ir, example, i, now)));
  }
  return results;
}
