/**
 * Threshold and new_terms rules under `partition`: each partition runs the buckets (threshold.field values) or
 * new term combinations it owns; a new_terms rule with alert_suppression keeps every combination's state in every
 * partition and writes only the candidates whose suppression group it owns. Together the partitions give exactly
 * the unpartitioned alerts (property), as long as no execution reaches max_signals (see DESIGN.md, Partitions).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngine, type Alert } from '../../src/runtime/index.js';
import { artifactFor } from '../helpers/artifacts.js';

const q = 'event.action: (A or B)';
const base = { interval: '5m', from: 'now-9m' } as const;
const rules = [
  artifactFor(q, 'kuery', { rule_id: 'th-user', type: 'threshold', ...base, threshold: { field: ['user.name'], value: 2 } }),
  artifactFor(q, 'kuery', { rule_id: 'th-all', type: 'threshold', ...base, threshold: { field: [], value: 3 } }),
  artifactFor(q, 'kuery', { rule_id: 'th-host-card', type: 'threshold', ...base, threshold: { field: ['host.name', 'event.action'], value: 1, cardinality: [{ field: 'user.name', value: 2 }] } }),
  artifactFor(q, 'kuery', { rule_id: 'th-sup', type: 'threshold', ...base, threshold: { field: ['user.name'], value: 1 }, alert_suppression: { duration: { value: 20, unit: 'm' } } }),
  artifactFor(q, 'kuery', { rule_id: 'nt-host', type: 'new_terms', ...base, new_terms_fields: ['host.name'], history_window_start: 'now-30m' }),
  artifactFor(q, 'kuery', { rule_id: 'nt-pair', type: 'new_terms', ...base, new_terms_fields: ['user.name', 'host.name'], history_window_start: 'now-1h' }),
  artifactFor(q, 'kuery', { rule_id: 'nt-sup', type: 'new_terms', ...base, new_terms_fields: ['host.name'], history_window_start: 'now-30m', alert_suppression: { group_by: ['user.name'], duration: { value: 15, unit: 'm' } } }),
  artifactFor(q, 'kuery', { rule_id: 'nt-sup-exec', type: 'new_terms', ...base, new_terms_fields: ['user.name'], history_window_start: 'now-30m', alert_suppression: { group_by: ['event.action'], missing_fields_strategy: 'doNotSuppress' } }),
];

const eventArb = fc.record({
  action: fc.constantFrom('A', 'B', 'X'),
  user: fc.constantFrom('u0', 'u1', 'u2', 'u3', undefined),
  host: fc.constantFrom('h0', 'h1', 'h2', 'h3', ['h1', 'h2']),
  gap: fc.integer({ min: 0, max: 4 * 60_000 }),
});

function run(events: Record<string, unknown>[], partition?: { index: number; count: number }): Alert[] {
  const engine = createEngine(rules, { now: 0, clock: () => 0, newTermsWarmup: 'none', ...(partition ? { partition } : {}) });
  return [...events.flatMap((e) => engine.process(e)), ...engine.flush()];
}
const serialised = (alerts: Alert[]) => alerts.map((a) => JSON.stringify(a)).sort();

describe('partitioned engines and aggregating rules', () => {
  it('the union of partitions 0..N-1 is the unpartitioned run, alert for alert (property)', () => {
    const fired = new Set<string>();
    fc.assert(
      fc.property(fc.array(eventArb, { minLength: 1, maxLength: 60 }), (specs) => {
        let t = Date.UTC(2026, 0, 1);
        const events = specs.map((s) => ({ '@timestamp': new Date((t += s.gap)).toISOString(), event: { action: s.action }, ...(s.user ? { user: { name: s.user } } : {}), host: { name: s.host } }));
        const whole = run(events);
        for (const a of whole) fired.add(a['kibana.alert.rule.rule_id']);
        for (const count of [2, 3, 7]) {
          const parts = Array.from({ length: count }, (_, index) => run(events, { index, count }));
          expect(serialised(parts.flat())).toEqual(serialised(whole));
        }
      }),
      { numRuns: 60 },
    );
    // The streams exercised every rule.
    expect([...fired].sort()).toEqual(rules.map((r) => r.rule.rule_id).sort());
  });

  it('splits the work: a threshold rule’s buckets are spread over the partitions', () => {
    const events = Array.from({ length: 40 }, (_, i) => ({ '@timestamp': new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(), event: { action: 'A' }, user: { name: `u${i}` }, host: { name: 'h' } }));
    const held = (index: number) => {
      const engine = createEngine([rules[0]!], { now: 0, partition: { index, count: 4 } });
      for (const e of events) engine.process(e);
      return engine.stats().rules[0]!.pending ?? 0;
    };
    const counts = [0, 1, 2, 3].map(held);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(40);
    expect(Math.max(...counts)).toBeLessThan(40);
  });

  it('an empty threshold.field is one bucket, so one partition alerts', () => {
    const events = [1, 2, 3].map((m) => ({ '@timestamp': new Date(Date.UTC(2026, 0, 1, 0, m)).toISOString(), event: { action: 'A' }, user: { name: `u${m}` }, host: { name: 'h' } }));
    const perPartition = [0, 1, 2].map((index) => {
      const engine = createEngine([rules[1]!], { now: 0, partition: { index, count: 3 } });
      return [...events.flatMap((e) => engine.process(e)), ...engine.flush()].length;
    });
    expect(perPartition.filter((n) => n > 0)).toHaveLength(1);
  });
});
