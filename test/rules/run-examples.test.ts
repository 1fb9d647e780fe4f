import { describe, expect, it } from 'vitest';
import { runRuleExamples } from '../../src/rules/run-examples.js';
import { eqlRule, kqlRule, validateFiles } from '../helpers/rule-files.js';

/** An example's `event:` entry holding an inline event with this action. */
const ev = (action: string) => ({ event: { event: { event: { provider: 'bedrock.amazonaws.com', action } } } });

function run(rule: Record<string, unknown>) {
  const v = validateFiles({ 'r.yaml': rule });
  expect(v.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return runRuleExamples(v.checked);
}

describe('runRuleExamples: query rules', () => {
  it('passes matching and non-matching examples', () => {
    const results = run(kqlRule({ tests: [{ name: 'tp', expect: 'match', ...ev('DeleteProvisionedModelThroughput') }, { name: 'nm', expect: 'no-match', ...ev('GetProvisionedModelThroughput') }, { name: 'count', expect: { alerts: 1 }, events: [ev('DeleteProvisionedModelThroughput').event, ev('X').event] }] }));
    expect(results.map((r) => [r.example, r.passed])).toEqual([['tp', true], ['nm', true], ['count', true]]);
  });
  it('explains a failure with the values the event held for each field the rule reads', () => {
    const [r] = run(kqlRule({ tests: [{ name: 'wrong', expect: 'match', ...ev('deleteprovisionedmodelthroughput') }] }));
    expect(r.passed).toBe(false);
    expect(r.message).toMatch(/1 of 1 did not match/);
    expect(r.details?.[0]).toContain('event.action="deleteprovisionedmodelthroughput"');
    expect(r.details?.[0]).toContain('event.provider="bedrock.amazonaws.com"');
  });
  it('shows missing fields as missing', () => {
    const [r] = run(kqlRule({ tests: [{ name: 'm', expect: 'match', event: { event: { other: 1 } } }] }));
    expect(r.details?.[0]).toContain('event.action=(missing)');
  });
  it('fails a near miss that matches', () => {
    const [r] = run(kqlRule({ tests: [{ name: 'nm', expect: 'no-match', ...ev('DeleteProvisionedModelThroughput') }] }));
    expect(r).toMatchObject({ passed: false, message: 'expected no match; 1 of 1 event matched' });
  });
  it('skips examples of rule types ruleforge does not compile', () => {
    const [r] = run(kqlRule({ type: 'threat_match', threat_index: ['ti-*'], threat_query: '*:*', threat_mapping: [{ entries: [{ field: 'source.ip', type: 'mapping', value: 'threat.indicator.ip' }] }], tests: [{ name: 't', expect: 'match', ...ev('X') }] }));
    expect(r).toMatchObject({ passed: true, skipped: expect.stringMatching(/threat_match/) });
  });
});

describe('runRuleExamples: sequences', () => {
  const at = (ts: string, action: string, key = 'AKIA1') => ({ fields: { '@timestamp': ts, 'event.action': action, 'aws.cloudtrail.user_identity.access_key_id': key } });
  it('orders events by @timestamp and checks join keys', () => {
    const results = run(
      eqlRule({
        tests: [
          { name: 'out of file order', expect: { alerts: 1, join_keys: [['AKIA1']] }, events: [at('2026-01-01T00:05:00Z', 'InvokeModel'), at('2026-01-01T00:00:00Z', 'ListFoundationModels')] },
          { name: 'too far apart', expect: 'no-match', events: [at('2026-01-01T00:00:00Z', 'ListFoundationModels'), at('2026-01-01T00:16:00Z', 'InvokeModel')] },
        ],
      }),
    );
    expect(results.map((r) => r.passed)).toEqual([true, true]);
  });
  it('explains a sequence that did not form: the alerts, each event\'s values and the stages it fits', () => {
    const [r] = run(eqlRule({ tests: [{ name: 'keys differ', expect: { alerts: 1 }, events: [at('2026-01-01T00:00:00Z', 'ListFoundationModels', 'AKIA1'), at('2026-01-01T00:01:00Z', 'InvokeModel', 'AKIA2')] }] }));
    expect(r.passed).toBe(false);
    expect(r.message).toBe('expected 1 alert, got 0 alerts');
    expect(r.details).toEqual(expect.arrayContaining([expect.stringContaining('aws.cloudtrail.user_identity.access_key_id="AKIA2"'), 'event 1 fits stage 1', 'event 2 fits stage 2']));
  });
  it('reports wrong join keys', () => {
    const [r] = run(eqlRule({ tests: [{ name: 'k', expect: { alerts: 1, join_keys: [['AKIA9']] }, events: [at('2026-01-01T00:00:00Z', 'ListFoundationModels'), at('2026-01-01T00:01:00Z', 'InvokeModel')] }] }));
    expect(r.message).toBe('expected 1 alert with join keys [["AKIA9"]], got 1 alert with join keys [["AKIA1"]]');
  });
});
