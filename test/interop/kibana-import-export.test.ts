import { describe, expect, it } from 'vitest';
import { eqlSearchRequest, filtersQuery, timeRangeFilter } from '../../src/interop/eql-request.js';
import { relatedIntegrations, requiredFields } from '../../src/interop/kibana/computed-fields.js';
import { kibanaRule } from '../../src/interop/kibana/export-rule.js';
import { importKibanaNdjson } from '../../src/interop/kibana/import-ndjson.js';
import { createFieldSchema } from '../../src/fields/index.js';
import type { RuleDefinition } from '../../src/rules/types.js';
import { projectConfigFor } from '../../src/rules/project.js';
import { checkRuleFile } from '../../src/rules/validate.js';
import { eqlRule, kqlRule, ruleDir } from '../helpers/rule-files.js';
import { join } from 'node:path';

function checkedRule(rule: Record<string, unknown>, extraFiles: Record<string, string> = {}) {
  const dir = ruleDir({ 'r.yaml': rule, ...extraFiles });
  const checked = checkRuleFile(join(dir, 'r.yaml'));
  if (!checked.rule) throw new Error(JSON.stringify(checked.diagnostics));
  return { ...checked, rule: checked.rule };
}

describe('export --to kibana: one rule', () => {
  it('leaves out metadata, fields and tests; adds version 1, empty technique lists, and the computed fields', () => {
    const checked = checkedRule(
      kqlRule({
        query: 'data_stream.dataset: "aws.cloudtrail" and event.action: "DeleteProvisionedModelThroughput" and aws.cloudtrail.user_identity.arn: *',
        metadata: { maturity: 'production', integration: ['aws', 'okta'] },
        fields: { 'custom.x': 'keyword' },
        threat: [{ framework: 'MITRE ATT&CK', tactic: { id: 'TA0040', name: 'Impact', reference: 'https://attack.mitre.org/tactics/TA0040/' } }],
        tests: [{ name: 'x', expect: 'no-match', event: { event: {} } }],
      }),
    );
    const { rule, unversioned } = kibanaRule(checked, { aws: '^4.0.0' });
    expect(Object.keys(rule)).toEqual([...Object.keys(rule)].sort());
    expect(rule.metadata).toBeUndefined();
    expect(rule.fields).toBeUndefined();
    expect(rule.tests).toBeUndefined();
    expect(rule.version).toBe(1);
    expect(rule.threat).toEqual([{ framework: 'MITRE ATT&CK', tactic: { id: 'TA0040', name: 'Impact', reference: 'https://attack.mitre.org/tactics/TA0040/' }, technique: [] }]);
    expect(rule.related_integrations).toEqual([
      { integration: 'cloudtrail', package: 'aws', version: '^4.0.0' },
      { package: 'okta', version: '*' },
    ]);
    expect(unversioned).toEqual(['okta']);
    expect(rule.required_fields).toEqual([
      { ecs: false, name: 'aws.cloudtrail.user_identity.arn', type: 'keyword' },
      { ecs: true, name: 'data_stream.dataset', type: 'constant_keyword' },
      { ecs: true, name: 'event.action', type: 'keyword' },
    ]);
  });
  it('keeps related_integrations, required_fields and version the rule states', () => {
    const stated = { related_integrations: [{ package: 'aws', version: '^9.0.0' }], required_fields: [{ name: 'a', type: 'keyword', ecs: false }], version: 7 };
    const { rule } = kibanaRule(checkedRule(kqlRule(stated)), {});
    expect(rule.related_integrations).toEqual([{ package: 'aws', version: '^9.0.0' }]);
    expect(rule.required_fields).toEqual([{ ecs: false, name: 'a', type: 'keyword' }]);
    expect(rule.version).toBe(7);
  });
  it('takes package versions from ruleforge.yaml beside the rule', () => {
    const checked = checkedRule(kqlRule(), { 'ruleforge.yaml': 'integrations:\n  aws: "^2.0.0"\n' });
    const { rule } = kibanaRule(checked, projectConfigFor(checked.file).integrations);
    expect(rule.related_integrations).toEqual([{ integration: 'cloudtrail', package: 'aws', version: '^2.0.0' }]);
  });
});

const AT = { start: { offset: 0, line: 1, column: 1 }, end: { offset: 0, line: 1, column: 1 } };

describe('computed fields', () => {
  const schema = createFieldSchema();
  it('required_fields: ECS type first, then the schema, else unknown; patterns left out; sorted and unique', () => {
    const refs = [
      { name: 'zeta.custom', loc: AT, use: 'match' as const },
      { name: 'host.*', loc: AT, use: 'match' as const, pattern: true },
      { name: 'event.action', loc: AT, use: 'match' as const },
      { name: 'event.action', loc: AT, use: 'match' as const },
    ];
    expect(requiredFields(refs, schema)).toEqual([
      { name: 'event.action', type: 'keyword', ecs: true },
      { name: 'zeta.custom', type: 'unknown', ecs: false },
    ]);
  });
  it('related_integrations: datasets the query pins win over index patterns; metadata adds uncovered packages', () => {
    const refs = [{ name: 'event.dataset', loc: AT, use: 'match' as const, values: ['okta.system', 'aws.cloudtrail'] }];
    expect(relatedIntegrations(refs, ['logs-gcp.audit-*'], ['aws', 'endpoint'], { okta: '^3.0.0' }).entries).toEqual([
      { package: 'aws', version: '*', integration: 'cloudtrail' },
      { package: 'okta', version: '^3.0.0', integration: 'system' },
      { package: 'endpoint', version: '*' },
    ]);
    expect(relatedIntegrations([], ['logs-gcp.audit-*', 'logs-*'], undefined, {}).entries).toEqual([{ package: 'gcp', version: '*', integration: 'audit' }]);
  });
});

describe('export --to eql-request', () => {
  const rule = eqlRule({ from: 'now-30m', timestamp_override: 'event.ingested', max_signals: 50, tiebreaker_field: 'event.sequence' }) as unknown as RuleDefinition;
  it('builds the _eql/search request Kibana sends: query, size, time range with @timestamp fallback, fields', () => {
    const request = eqlSearchRequest(rule);
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/logs-aws.cloudtrail-*/_eql/search?allow_no_indices=true&allow_partial_search_results=true');
    expect(request.body).toEqual({
      size: 50,
      query: rule.query,
      filter: { bool: { filter: [timeRangeFilter(rule), { bool: { must: [], filter: [], should: [], must_not: [] } }] } },
      timestamp_field: '@timestamp',
      event_category_field: 'event.category',
      tiebreaker_field: 'event.sequence',
      fields: [
        { field: '*', include_unmapped: true },
        { field: 'event.ingested', format: 'strict_date_optional_time' },
        { field: '@timestamp', format: 'strict_date_optional_time' },
      ],
    });
    expect(timeRangeFilter(rule)).toEqual({
      bool: {
        minimum_should_match: 1,
        should: [
          { range: { 'event.ingested': { lte: 'now', gte: 'now-30m', format: 'strict_date_optional_time' } } },
          { bool: { filter: [{ range: { '@timestamp': { lte: 'now', gte: 'now-30m', format: 'strict_date_optional_time' } } }, { bool: { must_not: { exists: { field: 'event.ingested' } } } }] } },
        ],
      },
    });
  });
  it('uses one range without an override or with the fallback disabled; defaults from now-6m to now', () => {
    expect(timeRangeFilter({})).toEqual({ range: { '@timestamp': { lte: 'now', gte: 'now-6m', format: 'strict_date_optional_time' } } });
    expect(timeRangeFilter({ timestamp_override: 'event.ingested', timestamp_override_fallback_disabled: true })).toEqual({ range: { 'event.ingested': { lte: 'now', gte: 'now-6m', format: 'strict_date_optional_time' } } });
  });
  it('puts enabled filters under filter, negated ones under must_not, and skips disabled ones', () => {
    const q = (v: string) => ({ match_phrase: { 'event.action': v } });
    expect(filtersQuery([{ meta: {}, query: q('a') }, { meta: { negate: true }, query: q('b') }, { meta: { disabled: true }, query: q('c') }])).toEqual({ bool: { must: [], filter: [q('a')], should: [], must_not: [q('b')] } });
  });
});

describe('import kibana', () => {
  const exported = [
    JSON.stringify({ id: 'so-1', created_at: '2026-01-01T00:00:00.000Z', updated_by: 'u', revision: 3, immutable: false, rule_source: { type: 'internal' }, ...kqlRule(), version: 1, to: 'now', references: [], license: '', meta: { kibana_siem_app_url: '' }, threat: [{ framework: 'MITRE ATT&CK', tactic: { id: 'TA0040', name: 'Impact', reference: 'https://attack.mitre.org/tactics/TA0040/' }, technique: [] }], made_up: 1 }),
    '',
    JSON.stringify({ list_id: 'endpoint_list', type: 'endpoint', namespace_type: 'agnostic' }),
    JSON.stringify({ item_id: 'i1', list_id: 'endpoint_list', entries: [] }),
    '{not json',
    JSON.stringify({ exported_count: 1, exported_rules_count: 1, missing_rules: [] }),
  ].join('\n');
  const result = importKibanaNdjson(exported, 'export.ndjson');
  it('keeps the rule without server fields and spelled-out defaults', () => {
    expect(result.rules).toHaveLength(1);
    const { rule, notCarried, line } = result.rules[0];
    expect(line).toBe(1);
    expect(rule).toEqual({ ...kqlRule(), threat: [{ framework: 'MITRE ATT&CK', tactic: { id: 'TA0040', name: 'Impact', reference: 'https://attack.mitre.org/tactics/TA0040/' } }] });
    expect(notCarried).toEqual(['made_up: not a Kibana rule field ruleforge knows, left out']);
  });
  it('skips the summary line, carries exception lists with their items, and locates unreadable lines', () => {
    expect(result.notCarried).toEqual([]);
    expect(result.lists.map((l) => l.list)).toEqual([{ list_id: 'endpoint_list', name: 'endpoint_list', type: 'endpoint', namespace_type: 'agnostic', items: [{ item_id: 'i1', name: 'i1', entries: [] }] }]);
    expect(result.diagnostics.map((d) => [d.line, d.code])).toEqual([[5, 'import/kibana']]);
  });
});
