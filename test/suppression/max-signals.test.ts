/**
 * max_signals on suppressed alerts, as Kibana's writers apply it per execution (see DESIGN.md, "max_signals on
 * suppressed alerts"): new_terms writes up to 5 × max_signals candidates in chunks and creates at most max_signals
 * alerts; threshold cuts its buckets at max_signals before suppressing (suppressed ones count); EQL sees only the
 * window's first max_signals events; a query rule's composite page holds max_signals + 1 buckets.
 */
import { describe, expect, it } from 'vitest';
import { createEngine, type Alert, type EngineOptions } from '../../src/runtime/index.js';
import { artifactFor } from '../helpers/artifacts.js';

const MIN = 60_000;
const T0 = Date.parse('2026-01-01T00:00:00Z');
const at = (minutes: number): string => new Date(T0 + minutes * MIN).toISOString();
const call = (minutes: number, user: string, model: string): Record<string, unknown> => ({ '@timestamp': at(minutes), event: { action: 'Invoke' }, user: { name: user }, model: { id: model } });

function run(artifact: ReturnType<typeof artifactFor>, events: Record<string, unknown>[], options: EngineOptions = {}): { alerts: Alert[]; stats: ReturnType<ReturnType<typeof createEngine>['stats']> } {
  const engine = createEngine([artifact], { newTermsWarmup: 'none', ...options });
  const alerts: Alert[] = [];
  for (const e of events) alerts.push(...engine.process(e));
  alerts.push(...engine.flush());
  return { alerts, stats: engine.stats() };
}

const newTerms = (settings: Record<string, unknown>, maxSignals: number, from = 'now-5m') =>
  artifactFor('event.action: Invoke', 'kuery', { rule_id: 'nt', type: 'new_terms', interval: '5m', from, max_signals: maxSignals, new_terms_fields: ['model.id'], history_window_start: 'now-1h', alert_suppression: settings as never });

describe('new_terms: at most max_signals alerts and 5 × max_signals candidates per execution', () => {
  // Twelve models new for alice in one execution, each once, in the order of their names.
  const twelve = Array.from({ length: 12 }, (_, i) => call(0.2 + i * 0.3, 'alice', `m${String(i).padStart(2, '0')}`));

  it('stops after the chunk in which created + suppressed reach 5 × max_signals', () => {
    const { alerts, stats } = run(newTerms({ group_by: ['user.name'], duration: { value: 1, unit: 'h' } }, 2), twelve);
    // Chunk 1 holds 5 × 2 = 10 candidates: m00 opens the alert, m01..m09 fold into it (1 + 9 = 10): Kibana stops.
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!['kibana.alert.new_terms']).toEqual(['m00']);
    expect(alerts[0]!['kibana.alert.suppression.docs_count']).toBe(9);
    expect(stats.rules[0]!.suppression).toEqual({ open: 0, suppressed: 9, capped: 2 });
  });

  it('creates at most max_signals new alerts (groups beyond it are dropped)', () => {
    const three = [call(1, 'ann', 'a'), call(2, 'bob', 'b'), call(3, 'cat', 'c')];
    const { alerts, stats } = run(newTerms({ group_by: ['user.name'] }, 2), three);
    // Kibana truncates the new alerts of a batch in order of their start: ann's and bob's are written.
    expect(alerts.map((a) => a['kibana.alert.suppression.terms'])).toEqual([[{ field: 'user.name', value: ['ann'] }], [{ field: 'user.name', value: ['bob'] }]]);
    expect(stats.rules[0]!.suppression?.capped).toBe(1);
  });

  it('a candidate dropped at the cap is offered again by the next overlapping execution, as Kibana would find it new again', () => {
    const three = [call(1, 'ann', 'a'), call(2, 'bob', 'b'), call(3, 'cat', 'c')];
    const { alerts } = run(newTerms({ group_by: ['user.name'] }, 2, 'now-9m'), three);
    expect(alerts.map((a) => [a['kibana.alert.new_terms'], a['@timestamp']])).toEqual([[['a'], at(5)], [['b'], at(5)], [['c'], at(10)]]);
  });

  it('without suppression the cap is max_signals alerts, in Kibana’s order (one field: most events in the window first)', () => {
    const rule = artifactFor('event.action: Invoke', 'kuery', { rule_id: 'nt2', type: 'new_terms', interval: '5m', from: 'now-5m', max_signals: 2, new_terms_fields: ['model.id'], history_window_start: 'now-1h' });
    const events = [call(1, 'ann', 'a'), call(1.5, 'ann', 'c'), call(2, 'ann', 'c'), call(2.5, 'ann', 'b'), call(3, 'ann', 'b'), call(3.5, 'ann', 'b')];
    expect(run(rule, events).alerts.map((a) => a['kibana.alert.new_terms'])).toEqual([['b'], ['c']]);
  });
});

describe('threshold: buckets are cut at max_signals before suppression, suppressed or not', () => {
  const failure = (minutes: number, user: string): Record<string, unknown> => ({ '@timestamp': at(minutes), event: { outcome: 'failure' }, user: { name: user } });
  const rule = artifactFor('event.outcome: failure', 'kuery', { rule_id: 't', type: 'threshold', interval: '5m', from: 'now-5m', max_signals: 2, threshold: { field: ['user.name'], value: 1 }, alert_suppression: { duration: { value: 1, unit: 'h' } } });

  it('a bucket folded into an open alert uses up the execution’s max_signals like a new one', () => {
    // :05 alerts a and b; at :10 a and b fold into their alerts (2 buckets: the cap), so c's bucket is not written.
    const events = [failure(1, 'a'), failure(2, 'b'), failure(6, 'a'), failure(7, 'b'), failure(8, 'c')];
    const { alerts } = run(rule, events);
    expect(alerts.map((a) => [a['kibana.alert.suppression.terms']![0]!.value, a['kibana.alert.suppression.docs_count']])).toEqual([['a', 1], ['b', 1]]);
  });

  it('max_signals above Kibana’s alerting limit (maxAlertsPerRun, default 1,000) is cut to it', () => {
    const plain = artifactFor('event.outcome: failure', 'kuery', { rule_id: 't2', type: 'threshold', interval: '5m', from: 'now-5m', max_signals: 500, threshold: { field: ['user.name'], value: 1 } });
    const { alerts } = run(plain, [failure(1, 'a'), failure(2, 'b'), failure(3, 'c')], { maxAlertsPerRun: 2 });
    expect(alerts.map((a) => a['kibana.alert.threshold_result']!.terms[0]!.value)).toEqual(['a', 'b']);
  });
});

describe('EQL and query rules on Kibana’s schedule (--kibana-schedule)', () => {
  const login = (minutes: number, user: string): Record<string, unknown> => ({ '@timestamp': at(minutes), event: { category: 'authentication' }, user: { name: user } });

  it('EQL sees only the window’s first max_signals events, so events alerted before use up the budget', () => {
    const eql = artifactFor('authentication where true', 'eql', { rule_id: 'e', interval: '5m', from: 'now-9m', max_signals: 2 });
    const kql = artifactFor('event.category: authentication', 'kuery', { rule_id: 'q', interval: '5m', from: 'now-9m', max_signals: 2 });
    const events = [login(1, 'a'), login(2, 'b'), login(6, 'c')];
    // :10 searches [:01, :10]: EQL's first two events are the ones :05 alerted on; c waits for :15 ([:06, :15]).
    expect(run(eql, events, { kibanaSchedule: true }).alerts.map((a) => [a['user.name' as never] ?? (a.events[0] as { user: { name: string } }).user.name, a['@timestamp']])).toEqual([['a', at(5)], ['b', at(5)], ['c', at(15)]]);
    // A query rule's search_after loop pages on to two new alerts.
    expect(run(kql, events, { kibanaSchedule: true }).alerts.map((a) => [(a.events[0] as { user: { name: string } }).user.name, a['@timestamp']])).toEqual([['a', at(5)], ['b', at(5)], ['c', at(10)]]);
  });

  it('EQL with suppression: the first max_signals events go through the in-memory writer; later ones of the window are not seen', () => {
    const eql = artifactFor('authentication where true', 'eql', { rule_id: 'e2', interval: '5m', from: 'now-5m', max_signals: 2, alert_suppression: { group_by: ['user.name'], duration: { value: 1, unit: 'h' } } });
    const { alerts } = run(eql, [login(1, 'a'), login(2, 'a'), login(3, 'a')], { kibanaSchedule: true });
    expect(alerts.map((a) => a['kibana.alert.suppression.docs_count'])).toEqual([1]);
  });

  it('a query rule suppresses through one composite page of max_signals + 1 buckets, in key order', () => {
    const kql = artifactFor('event.category: authentication', 'kuery', { rule_id: 'q2', interval: '5m', from: 'now-5m', max_signals: 2, alert_suppression: { group_by: ['user.name'] } });
    const { alerts } = run(kql, [login(1, 'd'), login(1, 'c'), login(2, 'b'), login(3, 'a'), login(4, 'a')], { kibanaSchedule: true });
    expect(alerts.map((a) => [a['kibana.alert.suppression.terms']![0]!.value, a['kibana.alert.suppression.docs_count']])).toEqual([['a', 1], ['b', 0], ['c', 0]]);
  });

  it('a query rule’s bucket history keeps events an earlier bucket counted out of an overlapping execution', () => {
    const kql = artifactFor('event.category: authentication', 'kuery', { rule_id: 'q3', interval: '5m', from: 'now-9m', alert_suppression: { group_by: ['user.name'] } });
    const { alerts } = run(kql, [login(1, 'a'), login(2, 'a'), login(7, 'a')], { kibanaSchedule: true });
    // :05 counts :01 and :02; :10 searches [:01, :10] but its bucket for a holds only :07.
    expect(alerts.map((a) => [a['@timestamp'], a['kibana.alert.suppression.docs_count'], a['kibana.alert.suppression.start']])).toEqual([[at(5), 1, at(1)], [at(10), 0, at(7)]]);
  });
});
