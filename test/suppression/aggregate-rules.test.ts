import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngine, type Alert } from '../../src/runtime/index.js';
import { artifactFor } from '../helpers/artifacts.js';

const MIN = 60_000;
const T0 = Date.parse('2026-01-01T00:00:00Z');
const at = (minutes: number): string => new Date(T0 + minutes * MIN).toISOString();
const failure = (minutes: number, user: string): Record<string, unknown> => ({ '@timestamp': at(minutes), event: { outcome: 'failure' }, user: { name: user } });
const invoke = (minutes: number, user: string, model: string): Record<string, unknown> => ({ '@timestamp': at(minutes), event: { action: 'Invoke' }, user: { name: user }, model: { id: model } });

function run(artifact: ReturnType<typeof artifactFor>, events: Record<string, unknown>[]): Alert[] {
  const engine = createEngine([artifact], { newTermsWarmup: 'none' });
  const out: Alert[] = [];
  for (const e of events) out.push(...engine.process(e));
  out.push(...engine.flush());
  return out;
}

const threshold = (duration?: { value: number; unit: 'm' | 'h' }) =>
  artifactFor('event.outcome: failure', 'kuery', { rule_id: 't', type: 'threshold', interval: '5m', from: 'now-5m', threshold: { field: ['user.name'], value: 2 }, ...(duration ? { alert_suppression: { duration } } : {}) });

describe('alert suppression of threshold rules (by threshold.field, over duration)', () => {
  const events = [failure(1, 'ann'), failure(2, 'ann'), failure(6, 'ann'), failure(7, 'ann'), failure(8, 'bob'), failure(9, 'bob'), failure(31, 'ann'), failure(32, 'ann')];

  it('without suppression, each execution whose bucket reaches the value alerts', () => {
    const alerts = run(threshold(), events);
    expect(alerts.map((a) => a['kibana.alert.threshold_result']!.terms[0]!.value)).toEqual(['ann', 'ann', 'bob', 'ann']);
  });

  it('folds the buckets of later executions with equal terms into the open alert, as Kibana does', () => {
    const alerts = run(threshold({ value: 20, unit: 'm' }), events);
    const summary = alerts.map((a) => [a['kibana.alert.suppression.terms'], a['kibana.alert.suppression.docs_count'], a['kibana.alert.suppression.start'], a['kibana.alert.suppression.end']]);
    expect(summary).toEqual([
      // ann's alert of the execution at :05 takes the :10 execution's bucket (runs within 20m of it); :35 is past it.
      [[{ field: 'user.name', value: 'ann' }], 1, at(1), at(7)],
      [[{ field: 'user.name', value: 'bob' }], 0, at(8), at(9)],
      [[{ field: 'user.name', value: 'ann' }], 0, at(31), at(32)],
    ]);
    // The alert keeps its own threshold_result (the first bucket's).
    expect(alerts[0]!['kibana.alert.threshold_result']!.count).toBe(2);
  });

  it('groups all buckets together when threshold.field is empty', () => {
    const rule = artifactFor('event.outcome: failure', 'kuery', { rule_id: 'te', type: 'threshold', interval: '5m', from: 'now-5m', threshold: { field: [], value: 2 }, alert_suppression: { duration: { value: 1, unit: 'h' } } });
    const alerts = run(rule, events);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!['kibana.alert.suppression.terms']).toEqual([]);
    expect(alerts[0]!['kibana.alert.suppression.docs_count']).toBe(2); // three executions' buckets: :05, :10, :35
  });

  it('every bucket alert is either raised or counted in docs_count, never lost or doubled (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ m: fc.integer({ min: 0, max: 180 }), u: fc.constantFrom('a', 'b', 'c') }), { maxLength: 40 }),
        fc.integer({ min: 5, max: 90 }),
        (raw, minutes) => {
          // Off the execution grid: an event exactly on a window's `from` is counted again by the plain rule
          // (Kibana's history keeps only entries after `from`) but covered by the open alert (pinned below).
          const evs = [...raw].sort((x, y) => x.m - y.m).map((r) => failure(r.m + 0.5, r.u));
          const plain = run(threshold(), evs);
          const folded = run(threshold({ value: minutes, unit: 'm' }), evs);
          const total = folded.reduce((n, a) => n + 1 + (a['kibana.alert.suppression.docs_count'] ?? 0), 0);
          expect(total).toBe(plain.length);
          for (const user of ['a', 'b', 'c']) {
            const mine = folded.filter((a) => a['kibana.alert.suppression.terms']![0]!.value === user);
            // An alert of user u opens at an execution no earlier than the previous one's duration allows.
            const runs = mine.map((a) => Date.parse(a['@timestamp'] as string));
            for (let i = 1; i < runs.length; i++) expect(runs[i]! - runs[i - 1]!).toBeGreaterThan(minutes * MIN);
          }
        },
      ),
    );
  });
});

describe('a bucket whose events sit on the next window\'s from', () => {
  it('alerts twice without suppression, and is covered by the open alert with it', () => {
    const evs = [failure(25, 'b'), failure(25, 'b')];
    expect(run(threshold(), evs).map((a) => a['@timestamp'])).toEqual([at(25), at(30)]);
    const folded = run(threshold({ value: 5, unit: 'm' }), evs);
    expect(folded.map((a) => [a['@timestamp'], a['kibana.alert.suppression.docs_count']])).toEqual([[at(25), 0]]);
  });
});

describe('alert suppression of new_terms rules (group_by, duration, missing_fields_strategy)', () => {
  const rule = (settings: Record<string, unknown>) =>
    artifactFor('event.action: Invoke', 'kuery', { rule_id: 'n', type: 'new_terms', interval: '5m', from: 'now-5m', new_terms_fields: ['model.id'], history_window_start: 'now-1h', alert_suppression: settings as never });

  const events = [invoke(1, 'ann', 'm1'), invoke(2, 'ann', 'm2'), invoke(3, 'bob', 'm3'), invoke(12, 'ann', 'm4'), invoke(40, 'ann', 'm5')];

  it('folds new terms of one group_by value within one execution without duration', () => {
    const alerts = run(rule({ group_by: ['user.name'] }), events);
    expect(alerts.map((a) => [a['kibana.alert.new_terms'], a['kibana.alert.suppression.terms'], a['kibana.alert.suppression.docs_count']])).toEqual([
      [['m1'], [{ field: 'user.name', value: ['ann'] }], 1],
      [['m3'], [{ field: 'user.name', value: ['bob'] }], 0],
      [['m4'], [{ field: 'user.name', value: ['ann'] }], 0],
      [['m5'], [{ field: 'user.name', value: ['ann'] }], 0],
    ]);
  });

  it('with duration, folds the new terms of later executions too', () => {
    const alerts = run(rule({ group_by: ['user.name'], duration: { value: 15, unit: 'm' } }), events);
    expect(alerts.map((a) => [a['kibana.alert.new_terms'], a['kibana.alert.suppression.docs_count'], a['kibana.alert.suppression.end']])).toEqual([
      [['m1'], 2, at(12)],
      [['m3'], 0, at(3)],
      [['m5'], 0, at(40)],
    ]);
  });

  it('doNotSuppress gives events without the group_by field their own alerts', () => {
    const evs = [invoke(1, 'ann', 'm1'), { '@timestamp': at(2), event: { action: 'Invoke' }, model: { id: 'm2' } }, { '@timestamp': at(3), event: { action: 'Invoke' }, model: { id: 'm3' } }];
    const suppress = run(rule({ group_by: ['user.name'] }), evs);
    const keep = run(rule({ group_by: ['user.name'], missing_fields_strategy: 'doNotSuppress' }), evs);
    expect(suppress).toHaveLength(2);
    expect(keep).toHaveLength(3);
    expect(keep.filter((a) => a['kibana.alert.suppression.terms'] === undefined)).toHaveLength(2);
  });
});

describe('alert suppression of query rules run on the schedule (--kibana-schedule)', () => {
  it('folds the alerts of one execution by group_by, counting executions on the rule grid', () => {
    const rule = artifactFor('event.outcome: failure', 'kuery', { rule_id: 'q', interval: '5m', from: 'now-5m', alert_suppression: { group_by: ['user.name'] } });
    const engine = createEngine([rule], { kibanaSchedule: true });
    const out: Alert[] = [];
    for (const e of [failure(1, 'ann'), failure(2, 'ann'), failure(3, 'bob'), failure(6, 'ann')]) out.push(...engine.process(e));
    out.push(...engine.flush());
    expect(out.map((a) => [a['kibana.alert.suppression.terms']![0]!.value, a['kibana.alert.suppression.docs_count'], a['@timestamp']])).toEqual([
      ['ann', 1, at(5)],
      ['bob', 0, at(5)],
      ['ann', 0, at(10)],
    ]);
  });
});
