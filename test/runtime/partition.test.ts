import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngine, type Alert } from '../../src/runtime/index.js';
import { artifactFor } from '../helpers/artifacts.js';

const rules = [
  artifactFor('event.action: (A or C)', 'kuery', { rule_id: 'stateless' }),
  artifactFor('sequence by user.name with maxspan=5m [any where event.action == "A"] [any where event.action == "B"]', 'eql', { rule_id: 'by-user' }),
  artifactFor('sequence by user.name, host.name [any where event.action == "B"] [any where event.action == "C"] until [any where event.action == "STOP"]', 'eql', { rule_id: 'by-user-host' }),
  artifactFor('sequence with maxspan=1m [any where event.action == "C"] [any where event.action == "A"]', 'eql', { rule_id: 'no-keys' }),
  artifactFor('sample by host.name [any where event.action == "A"] [any where event.action == "C"]', 'eql', { rule_id: 'sample' }),
];

const eventArb = fc.record({
  action: fc.constantFrom('A', 'B', 'C', 'STOP', 'X'),
  user: fc.constantFrom('u0', 'u1', 'u2', 'u3', 'u4', 'u5'),
  host: fc.constantFrom('h0', 'h1', 'h2', ['h1', 'h2']),
  gap: fc.integer({ min: 0, max: 90_000 }),
});

function run(events: Record<string, unknown>[], partition?: { index: number; count: number }): Alert[] {
  const engine = createEngine(rules, { now: 0, clock: () => 0, ...(partition ? { partition } : {}) });
  return [...events.flatMap((e) => engine.process(e)), ...engine.flush()];
}
const ids = (alerts: Alert[]) => alerts.map((a) => `${a['kibana.alert.rule.rule_id']}:${a['kibana.alert.uuid']}`).sort();

describe('partitioned engines', () => {
  it('together raise exactly the alerts of one engine, for N = 1, 2 and 7 (property)', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(fc.array(eventArb, { minLength: 1, maxLength: 60 }), (specs) => {
        let t = Date.UTC(2026, 0, 1);
        const events = specs.map((s) => ({ '@timestamp': new Date((t += s.gap)).toISOString(), event: { action: s.action }, user: { name: s.user }, host: { name: s.host } }));
        const whole = ids(run(events));
        for (const id of whole) seen.add(id.split(':')[0]);
        for (const count of [1, 2, 7]) {
          const parts = Array.from({ length: count }, (_, index) => run(events, { index, count }));
          expect(ids(parts.flat())).toEqual(whole);
        }
      }),
      { numRuns: 200 },
    );
    // The property is only worth something if every kind of rule fired along the way.
    expect([...seen].sort()).toEqual(['by-user', 'by-user-host', 'no-keys', 'sample', 'stateless']);
  });
  it('rejects a partition outside 0..count-1', () => {
    expect(() => createEngine(rules, { partition: { index: 2, count: 2 } })).toThrow(/from 0 to count - 1/);
  });
});
