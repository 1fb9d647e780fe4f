/**
 * `alertJson` is how `run` prints alerts: it renders each event once for the alert's id, group id and `events`.
 * Whatever the alert holds, its text must be exactly `JSON.stringify(alert)`, and ids must not depend on
 * whether they were read before, during or without a serialisation.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { alertJson, buildAlert } from '../../src/runtime/index.js';
import { alertId } from '../../src/runtime/alerts/alerts.js';
import type { RuleArtifact } from '../../src/ir/artifact.js';

const MARK = '\udfff\ud800ruleforge-events\udfff\ud800';
const artifact = (name: string, tags: string[] = []): RuleArtifact =>
  ({ rule: { rule_id: 'r-1', name, description: 'd', type: 'eql', language: 'eql', severity: 'low', risk_score: 21, tags, threat: [], references: ['https://x'] } }) as unknown as RuleArtifact;

/** Events as the engine may hold them: JSON objects (any shape), nulls for missing events of a sequence. */
const event = fc.oneof(
  { weight: 5, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? v : { value: v })) },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.record({ '@timestamp': fc.constant('2026-06-05T10:00:00.000Z'), process: fc.record({ name: fc.string() }), user: fc.record({ name: fc.string() }) }) },
);

describe('alertJson', () => {
  it('is JSON.stringify of the alert, for any events, join keys and rule fields (property)', () => {
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 4 }), fc.string(), fc.boolean(), fc.boolean(), (events, name, keyed, readFirst) => {
        const alert = buildAlert(artifact(name, [name]), events, Date.UTC(2026, 5, 5), keyed ? ['k', 1] : undefined);
        const uuid = readFirst ? alert['kibana.alert.uuid'] : undefined;
        const text = alertJson(alert);
        expect(text).toBe(JSON.stringify(alert));
        expect(alert['kibana.alert.uuid']).toBe(uuid ?? alertId('r-1', alert.events));
        if (keyed) expect(alert['kibana.alert.group.id']).toBe(alertId('r-1/group', alert.events));
      }),
      { numRuns: 400 },
    );
  });

  it('stays exact where events do not render as plain JSON, where a field holds its mark, and after changes', () => {
    const when = Date.UTC(2026, 5, 5);
    const odd: unknown[][] = [
      [new Date(when)],
      [{ toJSON: (key: string) => `at ${key}` }],
      ['text', 3, true],
      [{ big: [1, { deep: 'x' }] }, null],
    ];
    for (const events of odd) {
      const alert = buildAlert(artifact('odd'), events, when);
      expect(alertJson(alert)).toBe(JSON.stringify(alert));
    }
    const marked = buildAlert(artifact(MARK, [MARK]), [{ a: MARK }], when);
    expect(alertJson(marked)).toBe(JSON.stringify(marked));
    // A caller that changes an alert gets its change printed, as JSON.stringify would.
    const changed = buildAlert(artifact('c'), [{ a: 1 }], when);
    const before = changed['kibana.alert.uuid'];
    (changed.events[0] as { a: number }).a = 2;
    changed['kibana.alert.severity'] = 'high';
    expect(alertJson(changed)).toBe(JSON.stringify(changed));
    expect(changed['kibana.alert.uuid']).toBe(before);
  });

  it('throws where JSON.stringify throws (a cycle), as JSON.stringify does', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const alert = buildAlert(artifact('cycle'), [cyclic], Date.UTC(2026, 5, 5));
    expect(() => JSON.stringify(alert)).toThrow();
    expect(() => alertJson(alert)).toThrow();
  });
});
