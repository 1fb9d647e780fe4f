import { describe, expect, it } from 'vitest';
import { runRuleExamples } from '../../src/rules/run-examples.js';
import { codes, kqlRule, validateFiles } from '../helpers/rule-files.js';

const ev = (minute: number, user: string) => ({ event: { '@timestamp': `2026-01-01T00:${String(minute).padStart(2, '0')}:00Z`, event: { provider: 'bedrock.amazonaws.com', action: 'DeleteProvisionedModelThroughput' }, user: { name: user } } });

describe('ruleforge test: examples of suppressed rules', () => {
  const rule = (tests: unknown[]) =>
    kqlRule({
      alert_suppression: { group_by: ['user.name'], duration: { value: 10, unit: 'm' } },
      tests,
    });

  it('expects the number of alerts after suppression and each alert\'s docs_count', () => {
    const r = validateFiles({
      'r.yaml': rule([
        { name: 'three by one user fold into one alert', events: [ev(0, 'a'), ev(3, 'a'), ev(6, 'b'), ev(8, 'a')], expect: { alerts: 2, docs_count: [2, 0] } },
        { name: 'a wrong docs_count fails', events: [ev(0, 'a'), ev(3, 'a')], expect: { alerts: 1, docs_count: [0] } },
      ]),
    });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const results = runRuleExamples(r.checked);
    expect(results.map((x) => x.passed)).toEqual([true, false]);
    expect(results[1].message).toMatch(/docs_count \[1\]/);
  });

  it('reports docs_count on a rule without suppression, and a count that disagrees with alerts', () => {
    const r = validateFiles({
      'a.yaml': kqlRule({ tests: [{ name: 'x', events: [ev(0, 'a')], expect: { alerts: 1, docs_count: [0] } }] }),
      'b.yaml': kqlRule({ rule_id: '00000000-0000-4000-8000-00000000000b', name: 'b', alert_suppression: { group_by: ['user.name'] }, tests: [{ name: 'x', events: [ev(0, 'a')], expect: { alerts: 1, docs_count: [0, 0] } }] }),
    });
    expect(codes(r).filter((c) => c === 'error test/expectation')).toHaveLength(2);
  });
});

describe('suppression checks', () => {
  it('suppression/group-by: non-threshold rules need group_by; threshold rules take only duration', () => {
    const r = validateFiles({
      'a.yaml': kqlRule({ alert_suppression: { duration: { value: 1, unit: 'h' } } }),
      'b.yaml': kqlRule({ rule_id: '00000000-0000-4000-8000-00000000000b', name: 'b', type: 'threshold', threshold: { field: ['user.name'], value: 5 }, alert_suppression: { group_by: ['user.name'] } }),
    });
    expect(codes(r)).toEqual(expect.arrayContaining(['error suppression/group-by']));
    expect(r.diagnostics.filter((d) => d.code === 'suppression/group-by').map((d) => d.file?.split('/').pop())).toEqual(['a.yaml', 'b.yaml']);
  });

  it('suppression/duration: a duration shorter than the interval is per-execution suppression', () => {
    const r = validateFiles({ 'a.yaml': kqlRule({ interval: '10m', alert_suppression: { group_by: ['user.name'], duration: { value: 5, unit: 'm' } } }) });
    expect(codes(r)).toContain('warning suppression/duration');
  });
});
