import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ArtifactAlertSuppression } from '../../src/ir/artifact.js';
import { createEngine, type Alert } from '../../src/runtime/index.js';
import { AlertSuppressor } from '../../src/runtime/state/suppression.js';
import { artifactFor } from '../helpers/artifacts.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

function queryRule(alert_suppression: ArtifactAlertSuppression, extra: Record<string, unknown> = {}) {
  return artifactFor('event.action: "InvokeModel"', 'kuery', { rule_id: 'r1', alert_suppression, ...extra });
}

const invoke = (minutes: number, user: unknown, extra: Record<string, unknown> = {}) => ({ '@timestamp': at(minutes), event: { action: 'InvokeModel' }, ...(user === undefined ? {} : { user: { name: user } }), ...extra });

function runAll(rules: ReturnType<typeof queryRule>[], events: unknown[]): Alert[] {
  const engine = createEngine(rules, { now: T0 });
  const out: Alert[] = [];
  for (const e of events) out.push(...engine.process(e));
  out.push(...engine.flush());
  return out;
}

const summary = (a: Alert) => ({
  terms: a['kibana.alert.suppression.terms'],
  docs: a['kibana.alert.suppression.docs_count'],
  start: a['kibana.alert.suppression.start'],
  end: a['kibana.alert.suppression.end'],
});

describe('alert suppression (query rules)', () => {
  it('without duration: one alert per group and rule execution (5m default interval), docs_count = folded events', () => {
    const alerts = runAll([queryRule({ group_by: ['user.name'] })], [invoke(0, 'a'), invoke(1, 'a'), invoke(2, 'b'), invoke(4, 'a'), invoke(6, 'a')]);
    expect(alerts.map(summary)).toEqual([
      { terms: [{ field: 'user.name', value: 'a' }], docs: 2, start: at(0), end: at(4) },
      { terms: [{ field: 'user.name', value: 'b' }], docs: 0, start: at(2), end: at(2) },
      { terms: [{ field: 'user.name', value: 'a' }], docs: 0, start: at(6), end: at(6) },
    ]);
    expect(alerts[0]['kibana.alert.instance.id']).toBe(alerts[2]['kibana.alert.instance.id']);
    expect(alerts[0].events).toHaveLength(1); // the alert is built from the group's first event
  });

  it('releases an alert as soon as its execution window has passed in event time', () => {
    const engine = createEngine([queryRule({ group_by: ['user.name'] })], { now: T0 });
    expect(engine.process(invoke(0, 'a'))).toEqual([]);
    expect(engine.process(invoke(3, 'a'))).toEqual([]);
    const released = engine.process({ '@timestamp': at(5), event: { action: 'Other' } });
    expect(released.map(summary)).toEqual([{ terms: [{ field: 'user.name', value: 'a' }], docs: 1, start: at(0), end: at(3) }]);
    expect(engine.stats().rules[0].suppression).toEqual({ open: 0, suppressed: 1 });
  });

  it('with a duration: later executions fold into the open alert while its run is within the duration', () => {
    const rule = queryRule({ group_by: ['user.name'], duration: { value: 10, unit: 'm' } });
    // runs at 5, 10, 15, 20 min; the alert created by run 5 absorbs runs up to 15 (5 ≥ run − 10)
    const alerts = runAll([rule], [invoke(0, 'a'), invoke(7, 'a'), invoke(14, 'a'), invoke(16, 'a')]);
    expect(alerts.map(summary)).toEqual([
      { terms: [{ field: 'user.name', value: 'a' }], docs: 2, start: at(0), end: at(14) },
      { terms: [{ field: 'user.name', value: 'a' }], docs: 0, start: at(16), end: at(16) },
    ]);
  });

  it('honours the rule interval', () => {
    const alerts = runAll([queryRule({ group_by: ['user.name'] }, { interval: '1h' })], [invoke(0, 'a'), invoke(59, 'a'), invoke(61, 'a')]);
    expect(alerts.map((a) => a['kibana.alert.suppression.docs_count'])).toEqual([1, 0]);
  });

  it('missing fields: suppress groups them under null; doNotSuppress alerts on each, unsuppressed', () => {
    const events = [invoke(0, undefined), invoke(1, undefined), invoke(2, 'a')];
    expect(runAll([queryRule({ group_by: ['user.name'], missing_fields_strategy: 'suppress' })], events).map(summary)).toEqual([
      { terms: [{ field: 'user.name', value: null }], docs: 1, start: at(0), end: at(1) },
      { terms: [{ field: 'user.name', value: 'a' }], docs: 0, start: at(2), end: at(2) },
    ]);
    const plain = runAll([queryRule({ group_by: ['user.name'], missing_fields_strategy: 'doNotSuppress' })], events);
    expect(plain).toHaveLength(3);
    expect(plain.slice(0, 2).every((a) => a['kibana.alert.suppression.terms'] === undefined)).toBe(true);
    expect(plain[2]['kibana.alert.suppression.docs_count']).toBe(0);
  });

  it('query rules: each value of a multi-valued field is its own group (composite aggregation)', () => {
    const alerts = runAll([queryRule({ group_by: ['user.name'] })], [invoke(0, ['a', 'b']), invoke(1, 'b')]);
    expect(alerts.map(summary)).toEqual([
      { terms: [{ field: 'user.name', value: 'a' }], docs: 0, start: at(0), end: at(0) },
      { terms: [{ field: 'user.name', value: 'b' }], docs: 1, start: at(0), end: at(1) },
    ]);
  });

  it('several group_by fields group by their combination', () => {
    const rule = queryRule({ group_by: ['user.name', 'host.name'] });
    const alerts = runAll([rule], [invoke(0, 'a', { host: { name: 'h1' } }), invoke(1, 'a', { host: { name: 'h2' } }), invoke(2, 'a', { host: { name: 'h1' } })]);
    expect(alerts.map((a) => [a['kibana.alert.suppression.terms'], a['kibana.alert.suppression.docs_count']])).toEqual([
      [[{ field: 'user.name', value: 'a' }, { field: 'host.name', value: 'h1' }], 1],
      [[{ field: 'user.name', value: 'a' }, { field: 'host.name', value: 'h2' }], 0],
    ]);
  });

  it('EQL event rules read the whole (sorted) value list as one term', () => {
    const rule = artifactFor('any where event.action == "InvokeModel"', 'eql', { rule_id: 'e1', alert_suppression: { group_by: ['user.name'] } });
    const alerts = runAll([rule], [invoke(0, ['b', 'a']), invoke(1, ['a', 'b']), invoke(2, 'a')]);
    expect(alerts.map(summary)).toEqual([
      { terms: [{ field: 'user.name', value: ['a', 'b'] }], docs: 1, start: at(0), end: at(1) },
      { terms: [{ field: 'user.name', value: ['a'] }], docs: 0, start: at(2), end: at(2) },
    ]);
  });

  it('EQL sequences are suppressed by the values all their events share', () => {
    const rule = artifactFor('sequence by user.name with maxspan=5m [any where event.action == "A"] [any where event.action == "B"]', 'eql', { rule_id: 's1', alert_suppression: { group_by: ['user.name'] } });
    const ev = (m: number, action: string, user: string) => ({ '@timestamp': at(m), event: { action }, user: { name: user } });
    const alerts = runAll([rule], [ev(0, 'A', 'u'), ev(1, 'B', 'u'), ev(2, 'A', 'u'), ev(3, 'B', 'u'), ev(3, 'A', 'v'), ev(4, 'B', 'v')]);
    expect(alerts.map(summary)).toEqual([
      { terms: [{ field: 'user.name', value: 'u' }], docs: 1, start: at(1), end: at(3) },
      { terms: [{ field: 'user.name', value: 'v' }], docs: 0, start: at(4), end: at(4) },
    ]);
    expect(alerts[0].events).toHaveLength(2);
  });

  it('swapping the rule set releases the alerts a replaced rule still held', () => {
    const engine = createEngine([queryRule({ group_by: ['user.name'] })], { now: T0 });
    engine.process(invoke(0, 'a'));
    engine.setRules([queryRule({ group_by: ['host.name'] })]);
    const out = engine.process({ '@timestamp': at(1), event: { action: 'Other' } });
    expect(out.map((a) => a['kibana.alert.suppression.terms'])).toEqual([[{ field: 'user.name', value: 'a' }]]);
  });

  it('property: suppression never loses or invents events — docs_count + 1 over alerts equals the matching events (single-valued fields)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ dt: fc.integer({ min: 0, max: 4 }), user: fc.constantFrom('a', 'b', 'c', undefined), match: fc.boolean() }), { maxLength: 60 }),
        fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined }),
        (steps, durationMinutes) => {
          let minute = 0;
          const events = steps.map((s) => {
            minute += s.dt;
            return { '@timestamp': at(minute), event: { action: s.match ? 'InvokeModel' : 'Other' }, ...(s.user ? { user: { name: s.user } } : {}) };
          });
          const settings: ArtifactAlertSuppression = { group_by: ['user.name'], ...(durationMinutes ? { duration: { value: durationMinutes, unit: 'm' as const } } : {}) };
          const alerts = runAll([queryRule(settings)], events);
          const total = alerts.reduce((n, a) => n + (a['kibana.alert.suppression.docs_count'] ?? 0) + 1, 0);
          expect(total).toBe(steps.filter((s) => s.match).length);
          // no two alerts of one group overlap in time
          const byGroup = new Map<string, Alert[]>();
          for (const a of alerts) byGroup.set(a['kibana.alert.instance.id']!, [...(byGroup.get(a['kibana.alert.instance.id']!) ?? []), a]);
          for (const group of byGroup.values()) {
            const sorted = group.sort((x, y) => Date.parse(x['kibana.alert.suppression.start']!) - Date.parse(y['kibana.alert.suppression.start']!));
            for (let i = 1; i < sorted.length; i++) expect(Date.parse(sorted[i]['kibana.alert.suppression.start']!)).toBeGreaterThan(Date.parse(sorted[i - 1]['kibana.alert.suppression.end']!));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('property: without a duration, two events share an alert exactly when they share a group and an execution', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ dt: fc.integer({ min: 0, max: 7 }), user: fc.constantFrom('a', 'b') }), { minLength: 1, maxLength: 40 }), (steps) => {
        let minute = 0;
        const events = steps.map((s) => invoke((minute += s.dt), s.user));
        const alerts = runAll([queryRule({ group_by: ['user.name'] })], events);
        const expected = new Set(steps.map((_, i) => `${events[i].user!.name}|${Math.floor(Date.parse(events[i]['@timestamp']) / 300_000)}`));
        expect(alerts).toHaveLength(expected.size);
      }),
      { numRuns: 200 },
    );
  });

  it('rule types without a source event (threshold buckets) pass their own terms and time', () => {
    const rule = queryRule({ duration: { value: 30, unit: 'm' } }).rule;
    const bucketAlert = (minute: number, user: string): Alert => ({ ...runAll([queryRule({ group_by: ['user.name'] })], [invoke(minute, user)])[0], events: [] });
    const s = new AlertSuppressor(rule, { duration: { value: 30, unit: 'm' } }, 'per-value', {
      terms: (a) => [{ field: 'user.name', value: (a as unknown as { bucket: string }).bucket }],
      time: (a) => Date.parse(a['kibana.alert.original_time'] ?? '') || Date.parse(at((a as unknown as { minute: number }).minute)),
    });
    const mk = (minute: number, user: string) => Object.assign(bucketAlert(minute, user), { bucket: user, minute });
    const out = [...s.offer(mk(0, 'a')), ...s.offer(mk(10, 'a')), ...s.offer(mk(50, 'a')), ...s.flush()];
    expect(out.map((a) => [a['kibana.alert.suppression.terms'], a['kibana.alert.suppression.docs_count']])).toEqual([
      [[{ field: 'user.name', value: 'a' }], 1],
      [[{ field: 'user.name', value: 'a' }], 0],
    ]);
  });
});
