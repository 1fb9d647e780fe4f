import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hash128, hash64, isCanonicalIso } from '../../src/runtime/alerts/alerts.js';
import { buildAlert } from '../../src/runtime/index.js';
import type { RuleArtifact } from '../../src/ir/artifact.js';

const rule = { rule: { rule_id: 'r', name: 'R', description: '', type: 'query', language: 'kuery', severity: 'low', risk_score: 21, tags: [], threat: [] } } as unknown as RuleArtifact;
/** What `kibana.alert.original_time` is by definition: the event's time read as a date and printed by toISOString. */
const slowPath = (s: string): string | undefined => {
  const d = new Date(Date.parse(s));
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
};

describe('kibana.alert.original_time', () => {
  it('recognises exactly the texts toISOString prints', () => {
    fc.assert(
      fc.property(fc.integer({ min: -62_167_219_200_000, max: Date.UTC(9999, 11, 31, 23, 59, 59, 999) }), (ms) => {
        const text = new Date(ms).toISOString();
        if (text.length === 24) expect(isCanonicalIso(text)).toBe(true);
      }),
    );
  });

  it('takes a text as it is only when reading and printing it gives it back', () => {
    const digit = fc.integer({ min: 0, max: 9 }).map(String);
    const two = fc.tuple(digit, digit).map(([a, b]) => a + b);
    const text = fc.tuple(two, two, two, two, two, two, two, fc.tuple(digit, digit, digit).map((d) => d.join(''))).map(([c, y, mo, d, h, mi, s, ms]) => `${c}${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`);
    fc.assert(
      fc.property(text, (s) => {
        if (isCanonicalIso(s)) expect(slowPath(s)).toBe(s);
        const alert = buildAlert(rule, [{ '@timestamp': s }], 0);
        expect(alert['kibana.alert.original_time']).toBe(slowPath(s));
      }),
      { numRuns: 2000 },
    );
  });

  it('rolls impossible days over as Date.parse does, and refuses what it cannot read', () => {
    expect(buildAlert(rule, [{ '@timestamp': '2026-02-30T00:00:00.000Z' }], 0)['kibana.alert.original_time']).toBe('2026-03-02T00:00:00.000Z');
    expect(buildAlert(rule, [{ '@timestamp': '2024-02-29T10:00:00.000Z' }], 0)['kibana.alert.original_time']).toBe('2024-02-29T10:00:00.000Z');
    expect(buildAlert(rule, [{ '@timestamp': 'yesterday' }], 0)['kibana.alert.original_time']).toBeUndefined();
  });

  it('keeps the alert a fast object whose lazy fields serialise', () => {
    const alert = buildAlert(rule, [{ '@timestamp': '2026-06-05T08:00:00.000Z', process: { name: 'x' } }], 0);
    const json = JSON.parse(JSON.stringify(alert)) as Record<string, unknown>;
    expect(json['kibana.alert.uuid']).toMatch(/^[0-9a-f]{32}$/);
    expect(json['kibana.alert.reason']).toContain('process x');
    expect({ ...alert }['kibana.alert.uuid']).toBe(json['kibana.alert.uuid']);
  });
});

describe('alert ids', () => {
  it('hash128 is hash64 with seeds 1 and 2, read in one pass', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        expect(hash128(text)).toBe(hash64(text, 1) + hash64(text, 2));
      }),
      { numRuns: 500 },
    );
  });
});
