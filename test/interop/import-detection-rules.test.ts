import { describe, expect, it } from 'vitest';
import { importDetectionRulesToml } from '../../src/interop/detection-rules/import-toml.js';
import { canonicalJson, substitutePlaceholders } from '../../src/interop/detection-rules/transforms.js';
import { reflow } from '../../src/interop/detection-rules/whitespace.js';

const BASE = `
[metadata]
creation_date = "2026/01/02"
integration = ["aws"]
maturity = "production"
updated_date = "2026/02/03"

[rule]
author = ["Elastic"]
description = """
First line of a wrapped
    paragraph, indented.
"""
index = ["logs-aws.cloudtrail-*"]
language = "kuery"
license = "Elastic License v2"
name = "Example"
risk_score = 21
rule_id = "11111111-2222-4333-8444-555555555555"
severity = "low"
type = "query"
query = '''
event.action: "x" and
    event.outcome: "success"
'''
note = """## Triage

  - keep   this indentation
"""
`;

function importOk(text: string) {
  const outcome = importDetectionRulesToml(text, 'x.toml');
  if (!outcome.ok) throw new Error(outcome.diagnostics.map((d) => d.message).join('\n'));
  return outcome.imported;
}

describe('import detection-rules TOML', () => {
  it('keeps the Kibana fields, [metadata] as metadata, the query and the note verbatim; reflows plain text as detection-rules does', () => {
    const { rule, notCarried } = importOk(BASE);
    expect(notCarried).toEqual([]);
    expect(rule.description).toBe('First line of a wrapped paragraph, indented.');
    expect(rule.query).toBe('event.action: "x" and\n    event.outcome: "success"\n');
    expect(rule.note).toBe('## Triage\n\n  - keep   this indentation\n');
    expect(rule.metadata).toEqual({ creation_date: '2026/01/02', integration: ['aws'], maturity: 'production', updated_date: '2026/02/03' });
    expect(rule.license).toBe('Elastic License v2');
  });

  it('flattens the nested new_terms table into Kibana’s new_terms_fields and history_window_start', () => {
    const { rule } = importOk(
      `${BASE.replace('type = "query"', 'type = "new_terms"')}
[rule.new_terms]
field = "new_terms_fields"
value = ["host.id", "user.name"]
[[rule.new_terms.history_window_start]]
field = "history_window_start"
value = "now-14d"
`,
    );
    expect(rule.new_terms).toBeUndefined();
    expect(rule.new_terms_fields).toEqual(['host.id', 'user.name']);
    expect(rule.history_window_start).toBe('now-14d');
  });

  it('renders [transform] investigation-guide plugins into the note: sorted compact JSON, ASCII-escaped, $$ unescaped', () => {
    const { rule } = importOk(
      `${BASE.replace('  - keep   this indentation', '  - $osquery_0\n  - ${investigate_0}\n  - costs $$5, $unknown stays')}
[transform]
[[transform.osquery]]
query = "SELECT * FROM users WHERE username = {{user.name}}"
label = "Users – é"

[[transform.investigate]]
label = "Same host"
providers = [[{ field = "host.name", excluded = false, queryType = "phrase", value = "{{host.name}}", valueType = "string" }]]
`,
    );
    expect(rule.note).toContain('  - !{osquery{"label":"Users \\u2013 \\u00e9","query":"SELECT * FROM users WHERE username = {{user.name}}"}}\n');
    expect(rule.note).toContain('  - !{investigate{"label":"Same host","providers":[[{"excluded":false,"field":"host.name","queryType":"phrase","value":"{{host.name}}","valueType":"string"}]]}}\n');
    expect(rule.note).toContain('costs $5, $unknown stays');
  });

  it('lists what it leaves out: unknown rule keys, unknown metadata keys, other tables', () => {
    const { rule, notCarried } = importOk(`${BASE.replace('maturity = "production"', 'maturity = "production"\nsomething_new = true')}\nmade_up_field = 1\n[hunt]\nx = 1\n`);
    expect(rule.made_up_field).toBeUndefined();
    expect(notCarried).toEqual(['[hunt]: not part of a rule, left out', '[rule] made_up_field: not a Kibana rule field ruleforge knows, left out', '[metadata] something_new: not a metadata key ruleforge knows, left out']);
  });

  it('reports invalid TOML at its line and column, and a file without [rule]', () => {
    const bad = importDetectionRulesToml('[rule]\nname = "a"\nrisk_score = = 3\n', 'bad.toml');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.diagnostics[0]).toMatchObject({ file: 'bad.toml', line: 3, code: 'import/detection-rules', severity: 'error' });
    const noRule = importDetectionRulesToml('[metadata]\nmaturity = "production"\n', 'meta.toml');
    expect(noRule.ok ? [] : noRule.diagnostics.map((d) => d.message)).toEqual(['No [rule] table: this is not a detection-rules rule file.']);
  });
});

describe('detection-rules text helpers', () => {
  it('reflow trims every line and joins them with one space', () => {
    expect(reflow('  a\n   b  \r\n\tc\n')).toBe('a b c');
  });
  it('placeholders follow Python’s safe_substitute', () => {
    const values = new Map([['osquery_0', 'Q']]);
    expect(substitutePlaceholders('$osquery_0 ${osquery_0} $$osquery_0 $osquery_1 $ 5', values)).toBe('Q Q $osquery_0 $osquery_1 $ 5');
  });
  it('canonical JSON sorts keys at every level and drops null members', () => {
    expect(canonicalJson({ b: 1, a: { d: null, c: ['ü'] } })).toBe('{"a":{"c":["\\u00fc"]},"b":1}');
  });
});
