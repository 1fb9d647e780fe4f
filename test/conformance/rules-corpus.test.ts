import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusRuleYaml, type CorpusRuleRow } from '../../bench/corpus-rules.js';
import { compileCheckedRule } from '../../src/rules/compile-rule.js';
import { createEngine } from '../../src/runtime/index.js';
import { validateRules } from '../../src/rules/validate.js';
import { hasShared, noteSkipped, readSharedJsonLines } from '../helpers/shared.js';

noteSkipped('Elastic rules as YAML (rules-corpus)');

describe.skipIf(!hasShared())("Elastic's published rules, converted to ruleforge YAML", () => {
  const rows = hasShared() ? readSharedJsonLines<CorpusRuleRow>('corpus/rules/queries.jsonl') : [];
  const dir = mkdtempSync(join(tmpdir(), 'ruleforge-corpus-rules-'));
  rows.forEach((row, i) => writeFileSync(join(dir, `${String(i).padStart(4, '0')}_${basename(row.path, '.toml')}.yaml`), corpusRuleYaml(row)));
  const result = validateRules([dir]);

  it('every file loads and passes the rule schema', () => {
    expect(result.files).toBe(rows.length);
    expect(result.rules).toBe(rows.length);
    expect(result.diagnostics.filter((d) => d.code === 'rule/schema' || d.code.startsWith('yaml/'))).toEqual([]);
  });
  it('no KQL or EQL rule has a query error, and none has any error at all', () => {
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => `${d.file}:${d.line} ${d.code} ${d.message}`)).toEqual([]);
  });
  it('every KQL and EQL query rule compiles; other types and languages are reported, not compiled', () => {
    let compiled = 0;
    for (const c of result.checked) {
      const outcome = compileCheckedRule(c);
      const type = c.rule?.type;
      if (((type === 'query' || type === 'threshold' || type === 'new_terms') && c.rule?.language === 'kuery') || type === 'eql') {
        expect(outcome.ok, c.file).toBe(true);
        compiled++;
      } else expect(outcome.ok ? 'compiled' : outcome.diagnostics.map((d) => d.code)).toEqual(['rule/unsupported-type']);
    }
    expect(compiled).toBe(rows.filter((r) => ((r.type === 'query' || r.type === 'threshold' || r.type === 'new_terms') && r.language === 'kuery') || r.type === 'eql').length);
  });
  it('every threshold and new_terms rule compiles and runs in the engine', () => {
    const artifacts = result.checked.filter((c) => c.rule?.type === 'threshold' || c.rule?.type === 'new_terms').map((c) => {
      const outcome = compileCheckedRule(c);
      expect(outcome.ok, c.file).toBe(true);
      return outcome.ok ? outcome.file.artifact : undefined;
    });
    expect(artifacts.filter((a) => a?.rule.type === 'threshold').length).toBe(rows.filter((r) => r.type === 'threshold').length);
    expect(artifacts.filter((a) => a?.rule.type === 'new_terms').length).toBe(rows.filter((r) => r.type === 'new_terms').length);
    const engine = createEngine(artifacts.filter((a) => a !== undefined), { newTermsWarmup: 'none' });
    // Events carrying every field these rules read, so each rule's grouping code runs.
    const fields = [...new Set(artifacts.flatMap((a) => [...(a?.fields ?? []), ...(a?.rule.new_terms_fields ?? []), ...[a?.rule.threshold?.field ?? []].flat()]))];
    for (let i = 0; i < 50; i++) {
      const event: Record<string, unknown> = { '@timestamp': new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString() };
      for (const f of fields) if (f !== '@timestamp') event[f] = `v${i % 3}`;
      engine.process(event);
    }
    engine.flush();
    expect(engine.stats().events).toBe(50);
  });
  it('ES|QL rules are flagged as unsupported, not failed', () => {
    const esql = result.checked.filter((c) => c.rule?.type === 'esql');
    expect(esql.length).toBeGreaterThan(0);
    for (const c of esql) expect(c.diagnostics.map((d) => d.code)).toContain('rule/unsupported-language');
  });
});
