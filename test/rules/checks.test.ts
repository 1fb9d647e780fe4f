import { describe, expect, it } from 'vitest';
import { codes, eqlRule, kqlRule, validateFiles } from '../helpers/rule-files.js';

describe('validate: a valid rule', () => {
  it('has no findings', () => {
    const r = validateFiles({ 'a.yaml': kqlRule(), 'b.yaml': eqlRule() });
    expect(r.diagnostics).toEqual([]);
    expect(r).toMatchObject({ files: 2, rules: 2 });
  });
});

describe('validate: the query', () => {
  it('maps a KQL syntax error inside a block scalar to its line and column in the file', () => {
    const text = 'name: n\nrule_id: r\ntype: query\nlanguage: kuery\ndescription: d\nrisk_score: 47\nseverity: medium\nauthor: [me]\nquery: |\n  event.action: "x" and\n    event.outcome: (success or\n';
    const r = validateFiles({ 'a.yaml': text });
    const d = r.diagnostics.find((x) => x.code === 'kql/syntax')!;
    expect(d.file).toMatch(/a\.yaml$/);
    // The parser stops at the end of the input; the error points at the `(` left open (issue 17).
    expect(d.line).toBe(11);
    expect(text.split('\n')[d.line - 1].slice(d.column - 1)).toMatch(/^\(success/);
    expect(d.message).toMatch(/never closed/);
  });
  it('maps an EQL error inside a folded scalar to the offending token', () => {
    const text = 'name: n\nrule_id: r\ntype: eql\nlanguage: eql\ndescription: d\nrisk_score: 47\nseverity: medium\nauthor: [me]\nquery: >\n  any where\n  process.name == "x" andd true\n';
    const r = validateFiles({ 'a.yaml': text });
    const d = r.diagnostics.find((x) => x.code === 'eql/syntax')!;
    expect(d.line).toBe(11);
    expect(text.split('\n')[d.line - 1].slice(d.column - 1)).toMatch(/^andd|^true/);
  });
  it('maps a double-quoted query past its escapes', () => {
    const r = validateFiles({ 'a.yaml': kqlRule({ query: 'event.action: "x" and event.actoin: "y"' }) });
    const d = r.diagnostics.find((x) => x.code === 'field/unknown')!;
    expect(d.severity).toBe('error');
    expect(d.hint).toMatch(/Did you mean `event.action`/);
    expect(d.column).toBeGreaterThan(20);
  });
  it('checks that the language fits the type', () => {
    expect(codes(validateFiles({ 'a.yaml': kqlRule({ type: 'eql', language: 'kuery' }) }))).toContain('error rule/language-mismatch');
    expect(codes(validateFiles({ 'a.yaml': kqlRule({ language: 'eql' }) }))).toContain('error rule/language-mismatch');
  });
  it('requires a query where the type needs one', () => {
    expect(codes(validateFiles({ 'a.yaml': eqlRule({ query: '  ' }) }))).toContain('error rule/missing-query');
    expect(codes(validateFiles({ 'a.yaml': kqlRule({ query: '' }) }))).not.toContain('error rule/missing-query');
  });
  it('says Lucene and ES|QL queries are not checked', () => {
    expect(codes(validateFiles({ 'a.yaml': kqlRule({ language: 'lucene', query: 'event.action:x AND NOT y' }) }))).toEqual(['warning rule/unsupported-language']);
  });
  it('checks the KQL query of other rule types too', () => {
    expect(codes(validateFiles({ 'a.yaml': kqlRule({ type: 'new_terms', query: 'event.action: (' }) }))).toContain('error kql/syntax');
  });
});

describe('validate: fields', () => {
  it('makes an unknown field an error when the data source is fully described', () => {
    expect(codes(validateFiles({ 'a.yaml': kqlRule({ query: 'aws.cloudtrail.user_identty.arn: x' }) }))).toEqual(['error field/unknown']);
  });
  it('makes it a warning, with the reason, for data ruleforge has no field list for', () => {
    const r = validateFiles({ 'a.yaml': kqlRule({ index: ['logs-endpoint.events.process-*'], query: 'process.Ext.token.integrity_level_name: "high"' }) });
    expect(codes(r)).toEqual(['warning field/unknown']);
    expect(r.diagnostics[0].hint).toMatch(/no field list for `logs-endpoint.events.process-\*`/);
  });
  it('accepts fields declared in the rule or in ruleforge.yaml, and flattened sub-keys', () => {
    expect(codes(validateFiles({ 'a.yaml': kqlRule({ query: 'custom.score > 3', fields: { 'custom.score': 'long' } }) }))).toEqual([]);
    expect(codes(validateFiles({ 'ruleforge.yaml': 'fields:\n  team.name: keyword\n', 'sub/a.yaml': kqlRule({ query: 'team.name: x' }) }))).toEqual([]);
    expect(codes(validateFiles({ 'a.yaml': kqlRule({ query: 'aws.cloudtrail.flattened.request_parameters.modelId: x' }) }))).toEqual([]);
  });
  it('reports problems in ruleforge.yaml', () => {
    expect(codes(validateFiles({ 'ruleforge.yaml': 'fields:\n  a: 1\nextra: true\n', 'a.yaml': kqlRule() }))).toEqual(['error project/schema', 'error project/schema']);
  });
  it('skips unknown optional EQL fields and honours query_schema_validation: false', () => {
    expect(codes(validateFiles({ 'a.yaml': eqlRule({ query: 'any where ?nope.field == 1' }) }))).toEqual([]);
    expect(codes(validateFiles({ 'a.yaml': kqlRule({ query: 'nope.field: 1', metadata: { query_schema_validation: false } }) }))).toEqual([]);
  });
  it('warns about a range on a keyword field and a CIDR on a non-ip field', () => {
    expect(codes(validateFiles({ 'a.yaml': kqlRule({ query: 'event.action >= "M"' }) }))).toEqual(['warning field/range-on-keyword']);
    expect(codes(validateFiles({ 'a.yaml': kqlRule({ query: 'source.address: 10.0.0.0/8' }) }))).toEqual(['warning field/cidr-on-non-ip']);
    expect(codes(validateFiles({ 'a.yaml': kqlRule({ query: 'source.ip: 10.0.0.0/8' }) }))).toEqual([]);
    expect(codes(validateFiles({ 'a.yaml': eqlRule({ query: 'any where cidrMatch(event.action, "10.0.0.0/8")' }) }))).toContain('warning field/cidr-on-non-ip');
  });
  it('checks the fields rule settings name', () => {
    const r = validateFiles({ 'a.yaml': kqlRule({ timestamp_override: 'event.ingestd', investigation_fields: { field_names: ['user.name', 'user.nmae'] } }) });
    expect(codes(r)).toEqual(['warning field/unknown', 'warning field/investigation-unknown']);
    expect(codes(validateFiles({ 'a.yaml': kqlRule({ timestamp_override: 'event.action' }) }))).toEqual(['warning field/not-a-date']);
  });
});

describe('validate: metadata checks', () => {
  it('warns when the risk score is outside the severity band', () => {
    const r = validateFiles({ 'a.yaml': kqlRule({ risk_score: 90, severity: 'medium' }) });
    expect(codes(r)).toEqual(['warning rule/risk-score-band']);
    expect(r.diagnostics[0].hint).toMatch(/severity "critical"/);
  });
  it('checks MITRE ids, reference URLs and duplicate tactics', () => {
    const tactic = { id: 'TA0040', name: 'Impact', reference: 'https://attack.mitre.org/tactics/TA0040/' };
    const threat = [
      { framework: 'MITRE ATT&CK', tactic, technique: [{ id: 'T1496', name: 'Resource Hijacking', reference: 'https://attack.mitre.org/techniques/T1496', subtechnique: [{ id: 'T1496.004', name: 'Cloud Service Hijacking', reference: 'https://attack.mitre.org/techniques/T1496/004/' }] }] },
    ];
    expect(codes(validateFiles({ 'a.yaml': kqlRule({ threat }) }))).toEqual([]);
    const bad = [
      { framework: 'MITRE ATT&CK', tactic: { ...tactic, id: 'TA40' } },
      { framework: 'MITRE ATT&CK', tactic: { ...tactic, reference: 'https://attack.mitre.org/tactics/TA0041/' }, technique: [{ id: 'T1496', name: 'x', reference: 'https://attack.mitre.org/techniques/T1496/', subtechnique: [{ id: 'T1078.004', name: 'y', reference: 'https://attack.mitre.org/techniques/T1078/004/' }] }] },
      { framework: 'MITRE ATT&CK', tactic },
    ];
    expect(codes(validateFiles({ 'a.yaml': kqlRule({ threat: bad }) }))).toEqual(['error threat/id', 'error threat/reference', 'error threat/id', 'warning threat/duplicate-tactic']);
  });
  it('accepts MITRE ATLAS ids', () => {
    const threat = [{ framework: 'MITRE ATLAS', tactic: { id: 'AML.TA0004', name: 'Initial Access', reference: 'https://atlas.mitre.org/tactics/AML.TA0004/' }, technique: [{ id: 'AML.T0010', name: 'ML Supply Chain Compromise', reference: 'https://atlas.mitre.org/techniques/AML.T0010/' }] }];
    expect(codes(validateFiles({ 'a.yaml': kqlRule({ threat }) }))).toEqual([]);
  });
  it('checks reference URLs', () => {
    expect(codes(validateFiles({ 'a.yaml': kqlRule({ references: ['https://example.com/x', 'see the wiki'] }) }))).toEqual(['error rule/reference-url']);
  });
});

describe('validate: across files', () => {
  it('reports duplicate rule ids and names', () => {
    const r = validateFiles({ 'a.yaml': kqlRule(), 'b.yaml': kqlRule(), 'c.yaml': kqlRule({ rule_id: 'other' }) });
    expect(codes(r).sort()).toEqual(['error rule/duplicate-id', 'error rule/duplicate-name', 'error rule/duplicate-name']);
  });
  it('lets a deprecated rule share an active rule\'s name', () => {
    const r = validateFiles({ 'a.yaml': kqlRule(), 'b.yaml': kqlRule({ rule_id: 'old', metadata: { maturity: 'deprecated' } }) });
    expect(codes(r)).toEqual([]);
  });
  it('keeps checking the other files when one cannot be read or parsed', () => {
    const r = validateFiles({ 'a.yaml': 'name: [unclosed\n', 'b.yaml': kqlRule({ rule_id: 'b', name: 'B' }), 'c.yaml': kqlRule({ rule_id: 'c', name: 'C', query: 'event.action: (' }) });
    expect(r.files).toBe(3);
    expect(r.rules).toBe(2);
    expect(codes(r)).toEqual(['error yaml/syntax', 'error kql/syntax']);
  });
});

describe('validate: the tests block', () => {
  const event = { event: { event: { action: 'DeleteProvisionedModelThroughput', provider: 'bedrock.amazonaws.com' } } };
  it('reports duplicate example names, impossible expectations and events that cannot be built', () => {
    const tests = [
      { name: 'one', expect: 'match', ...event },
      { name: 'one', expect: { alerts: 1, join_keys: [['k']] }, ...event },
      { name: 'three', expect: 'match', event: { base: 'events/missing.json' } },
      { name: 'four', expect: 'match', event: { event: { a: 'x' }, fields: { 'a.b': 1 } } },
    ];
    const r = validateFiles({ 'a.yaml': kqlRule({ tests }) });
    expect(codes(r)).toEqual(['error test/duplicate-name', 'error test/expectation', 'error test/event', 'error test/event']);
    expect(r.diagnostics[2].message).toMatch(/missing\.json does not exist/);
    expect(r.diagnostics[3].message).toMatch(/`a` holds a string/);
  });
  it('checks that join keys agree with the alert count on sequences', () => {
    const tests = [{ name: 'x', expect: { alerts: 2, join_keys: [['k']] }, events: [event.event, event.event] }];
    expect(codes(validateFiles({ 'a.yaml': eqlRule({ tests }) }))).toEqual(['error test/expectation']);
  });
});
