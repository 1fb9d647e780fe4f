import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusRule, type CorpusRuleRow } from '../../bench/corpus-rules.js';
import { importDetectionRulesToml } from '../../src/interop/detection-rules/import-toml.js';
import { kibanaRule } from '../../src/interop/kibana/export-rule.js';
import { importKibanaNdjson } from '../../src/interop/kibana/import-ndjson.js';
import { ruleToYaml } from '../../src/interop/rule-yaml.js';
import { compileCheckedRule } from '../../src/rules/compile-rule.js';
import { validateRules } from '../../src/rules/validate.js';
import { createEngine } from '../../src/runtime/index.js';
import { detectionRulesToml } from '../helpers/detection-rules-toml.js';
import { hasShared, noteSkipped, readSharedJsonLines } from '../helpers/shared.js';

noteSkipped('Elastic rules through import detection-rules (rules-import)');

/** Rules ruleforge compiles: KQL query, threshold and new_terms rules, and EQL rules. */
const compiles = (r: { type?: unknown; language?: unknown }): boolean => ((r.type === 'query' || r.type === 'threshold' || r.type === 'new_terms') && (r.language ?? 'kuery') === 'kuery') || r.type === 'eql';

describe.skipIf(!hasShared())("Elastic's published rules through import detection-rules → validate → compile → export → import kibana", () => {
  const rows = hasShared() ? readSharedJsonLines<CorpusRuleRow>('corpus/rules/queries.jsonl') : [];
  const dir = mkdtempSync(join(tmpdir(), 'ruleforge-import-corpus-'));
  const imported = rows.map((row, i) => {
    const outcome = importDetectionRulesToml(detectionRulesToml(corpusRule(row)), row.path);
    const file = join(dir, `${String(i).padStart(4, '0')}_${basename(row.path, '.toml')}.yaml`);
    if (outcome.ok) writeFileSync(file, ruleToYaml(outcome.imported.rule));
    return { row, outcome, file };
  });
  const result = validateRules([dir]);

  it('every TOML file imports, with nothing left out', () => {
    expect(imported.filter((i) => !i.outcome.ok).map((i) => i.row.path)).toEqual([]);
    expect(imported.flatMap((i) => (i.outcome.ok ? i.outcome.imported.notCarried : []))).toEqual([]);
    expect(result.rules).toBe(rows.length);
  });
  it('every imported rule validates without errors (so no query error)', () => {
    expect(result.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}:${d.line} ${d.code} ${d.message}`)).toEqual([]);
  });
  it('every KQL and EQL rule compiles', () => {
    const compiled = result.checked.filter((c) => c.rule && compiles(c.rule)).map((c) => compileCheckedRule(c));
    expect(compiled.filter((o) => !o.ok)).toEqual([]);
    expect(compiled.length).toBe(rows.filter((r) => compiles({ type: r.type, language: r.language ?? undefined })).length);
  });
  it('every threshold and new_terms rule compiles, none gets rule/unsupported-type, and all run in one engine', () => {
    const aggregating = result.checked.filter((c) => c.rule?.type === 'threshold' || c.rule?.type === 'new_terms');
    expect(aggregating.length).toBe(rows.filter((r) => r.type === 'threshold' || r.type === 'new_terms').length);
    const artifacts = aggregating.map((c) => compileCheckedRule(c)).flatMap((o) => (o.ok ? [o.file.artifact] : []));
    expect(artifacts).toHaveLength(aggregating.length);
    const engine = createEngine(artifacts, { newTermsWarmup: 'none' });
    for (let i = 0; i < 20; i++) engine.process({ '@timestamp': new Date(Date.UTC(2026, 0, 1) + i * 120_000).toISOString(), event: { category: 'process', type: 'start', outcome: 'failure' }, user: { name: `u${i % 2}` }, host: { name: 'h' } });
    engine.flush();
    expect(engine.stats().rules).toHaveLength(aggregating.length);
  });
  it('export → import kibana gives the imported rules back (less metadata), and exporting those gives the same lines', () => {
    const lines = result.checked.map((c) => JSON.stringify(kibanaRule({ ...c, rule: c.rule! }, {}).rule));
    const back = importKibanaNdjson(lines.join('\n'), 'export.ndjson');
    expect(back.diagnostics).toEqual([]);
    expect(back.rules).toHaveLength(rows.length);
    back.rules.forEach(({ rule, notCarried }, i) => {
      const original = result.checked[i].rule!;
      const { metadata, ...expected } = original as Record<string, unknown>;
      // related_integrations computed from metadata.integration alone cannot be recomputed once metadata is gone.
      const { related_integrations: _ri, required_fields: _rf, ...actual } = rule;
      expect(notCarried).toEqual([]);
      expect(actual, String(original.rule_id)).toEqual(expected);
      void metadata;
    });
  });
});
