import { describe, expect, it } from 'vitest';
import { dump } from 'js-yaml';
import { loadRuleText } from '../../src/rules/load-rule.js';
import { ruleJsonSchema } from '../../src/rules/schema-check.js';
import { eqlRule, kqlRule } from '../helpers/rule-files.js';

function schemaErrors(rule: Record<string, unknown> | string) {
  const text = typeof rule === 'string' ? rule : dump(rule, { lineWidth: -1 });
  const loaded = loadRuleText(text, 'r.yaml');
  return loaded.diagnostics.map((d) => ({ line: d.line, column: d.column, code: d.code, message: d.message, hint: d.hint, text: text.split('\n')[d.line - 1].slice(d.column - 1, d.endLine === d.line ? d.endColumn - 1 : undefined) }));
}

const withTests = (tests: unknown[]) => kqlRule({ tests });

describe('rule schema', () => {
  it('describes every property for editors', () => {
    const props = (ruleJsonSchema as { properties: Record<string, { description?: string }> }).properties;
    for (const [key, p] of Object.entries(props)) expect(p.description, key).toMatch(/\w/);
  });
  it('accepts complete KQL and EQL rules with examples', () => {
    const tests = [
      { name: 'one', expect: 'match', event: { base: 'e.json', fields: { 'event.action': 'X' }, remove: ['a.b'] } },
      { name: 'two', expect: { alerts: 1, join_keys: [['k', 1, null]] }, events: [{ event: { a: 1 } }, { fields: { a: 2 } }] },
    ];
    expect(schemaErrors(kqlRule({ tests, metadata: { creation_date: '2026/11/23', maturity: 'production', integration: ['aws'], min_stack_version: '8.14.0' }, fields: { 'custom.x': 'keyword' } }))).toEqual([]);
    expect(schemaErrors(eqlRule({ tests, tiebreaker_field: 'event.sequence', timestamp_field: 'event.ingested' }))).toEqual([]);
  });
  it('names a missing required field', () => {
    const rule = kqlRule();
    delete rule.name;
    expect(schemaErrors(rule)).toEqual([expect.objectContaining({ line: 1, column: 1, message: 'The rule is missing the required field `name`.' })]);
  });
  it('points at an unknown key and suggests the field meant', () => {
    const [d] = schemaErrors(kqlRule({ descripton: 'x' }));
    expect(d).toMatchObject({ text: 'descripton', message: 'Unknown field `descripton` in the rule.', hint: 'Did you mean `description`?' });
  });
  it('explains wrong types, ranges, case and forms', () => {
    const find = (rule: Record<string, unknown>) => schemaErrors(rule)[0];
    expect(find(kqlRule({ risk_score: '47' }))).toMatchObject({ text: '47', message: '`risk_score` must be an integer, not a string.' });
    expect(find(kqlRule({ risk_score: 101 })).message).toBe('`risk_score` must be <= 100.');
    expect(find(kqlRule({ severity: 'Medium' }))).toMatchObject({ message: '`severity` must be one of "low", "medium", "high", "critical".', hint: 'Values are case-sensitive: write "medium".' });
    expect(find(kqlRule({ interval: '5 minutes' })).hint).toMatch(/5m/);
    expect(find(kqlRule({ from: 'yesterday' })).hint).toMatch(/now-6m/);
    expect(find(kqlRule({ metadata: { creation_date: '2026-11-23' } })).hint).toMatch(/YYYY\/MM\/DD/);
    expect(find(kqlRule({ threat: [{ framework: 'MITRE ATTACK', tactic: { id: 'TA0040', name: 'Impact', reference: 'https://attack.mitre.org/tactics/TA0040/' } }] })).message).toMatch(/`threat\[0\].framework` must be one of/);
    expect(find(kqlRule({ new_terms_fields: ['a', 'b', 'c', 'd'] })).message).toMatch(/`new_terms_fields` must NOT have more than 3 items/);
    expect(find(kqlRule({ investigation_fields: { field_names: [] } })).message).toMatch(/field_names/);
    expect(find(kqlRule({ building_block_type: 'yes' })).message).toBe('`building_block_type` must be "default".');
    expect(find(kqlRule({ fields: { 'a.b': 'strng' } })).message).toMatch(/`fields.a.b` must be one of "keyword"/);
  });
  it('explains examples: event vs events, expect, event specs', () => {
    expect(schemaErrors(withTests([{ name: 'a', expect: 'match', event: { fields: { a: 1 } }, events: [{ fields: { a: 1 } }] }]))[0].message).toBe('`tests[0]` needs either `event:` or `events:`, not both.');
    expect(schemaErrors(withTests([{ name: 'a', expect: 'match' }]))[0].message).toBe('`tests[0]` needs its events: `event:` (one) or `events:` (a list).');
    expect(schemaErrors(withTests([{ name: 'a', expect: 'matches', event: { fields: {} } }]))[0].message).toBe('`tests[0].expect` must be one of "match", "no-match", or a mapping.');
    expect(schemaErrors(withTests([{ name: 'a', expect: { alerts: 1, join_keys: ['k'] }, event: { fields: {} } }]))[0].message).toMatch(/`tests\[0\].expect.join_keys\[0\]` must be a list/);
    expect(schemaErrors(withTests([{ name: 'a', expect: 'match', event: { remove: ['x'] } }]))[0].message).toBe('`tests[0].event` needs `base`, `fields` or `event`.');
  });
  it('reports every problem of a file at once, query included', () => {
    const text = 'name: n\nrule_id: r\ntype: query\ndescription: d\nrisk_score: 470\nseverity: medium\nauthor: [me]\n';
    expect(schemaErrors(text).map((d) => d.code)).toEqual(['rule/schema']);
  });
});
