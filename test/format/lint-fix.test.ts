import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkWithFixes, fixRuleText } from '../../src/fixes/apply.js';
import { isTypoOf } from '../../src/fixes/derive.js';
import { kqlRule, ruleDir } from '../helpers/rule-files.js';
import { clearProjectCache } from '../../src/rules/project.js';
import { runRuleExamples } from '../../src/rules/run-examples.js';
import { checkRuleFile, validateRules } from '../../src/rules/validate.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'dist', 'src', 'cli', 'main.js');
const run = (args: string[]) => {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: root });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const bundledFiles = readdirSync(join(root, 'rules')).filter((f) => f.endsWith('.yaml') && f !== 'ruleforge.yaml');

/** Metadata defects every fix of which is machine-applicable and leaves the query alone. */
function damage(text: string): string {
  return text
    .replace(/^risk_score: \d+$/m, 'risk_score: 100')
    .replace(/^severity: (\w+)$/m, (_m, s: string) => `severity: ${s.toUpperCase()}`)
    .replace(/^license: /m, 'licence: ')
    .replace(/^rule_id: .*\n/m, '')
    .replace(/reference: https:\/\/attack\.mitre\.org\/tactics\/(TA\d{4})\//, 'reference: https://attack.mitre.org/tactics/$1/wrong/');
}

const outcomes = (file: string) => {
  clearProjectCache();
  const checked = checkRuleFile(file);
  return { ir: checked.ir, examples: runRuleExamples([checked]).map((r) => [r.example, r.passed]) };
};

describe('ruleforge lint --fix', () => {
  it('repairs metadata defects in place, keeps comments and layout, and never changes what the query matches', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ruleforge-fix-'));
    cpSync(join(root, 'rules'), dir, { recursive: true });
    for (const f of bundledFiles) {
      const file = join(dir, f);
      const original = readFileSync(file, 'utf8');
      const before = outcomes(file);
      expect(before.examples.every(([, passed]) => passed)).toBe(true);
      writeFileSync(file, damage(original));
      const fixed = fixRuleText(readFileSync(file, 'utf8'), file, { newRuleId: () => '11111111-2222-4333-8444-555555555555' });
      expect(fixed.applied.map((a) => a.code).sort()).toEqual(['rule/risk-score-band', 'rule/schema', 'rule/schema', 'rule/schema', 'threat/reference']);
      writeFileSync(file, fixed.text);
      // Only the damaged lines differ from the original: comments, order and layout are as they were.
      const changed = original.split('\n').filter((line, i) => line !== fixed.text.split('\n')[i]);
      expect(changed.every((l) => /^(rule_id|type|risk_score|severity|license):|reference:/.test(l.trim()))).toBe(true);
      expect(fixed.text.startsWith('# yaml-language-server')).toBe(true);
      const after = outcomes(file);
      expect(after.examples).toEqual(before.examples);
      expect(after.ir).toEqual(before.ir);
      expect(checkRuleFile(file).diagnostics.filter((d) => d.code !== 'rule/risk-score-band')).toEqual([]);
    }
  });

  it('prints what it changed and leaves a clean run; query renames need --unsafe-fixes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ruleforge-fix-'));
    cpSync(join(root, 'rules'), dir, { recursive: true });
    const file = join(dir, 'impact_bedrock_provisioned_throughput_tampering.yaml');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original.replace('risk_score: 47', 'risk_score: 90').replace('event.outcome: "success"', 'event.outcom: "success"'));
    const safe = run(['lint', '--fix', dir]);
    expect(safe.stderr).toMatch(/impact_bedrock_provisioned_throughput_tampering\.yaml:\d+:\d+: fixed rule\/risk-score-band: Set risk_score to 47 \(the medium band\)/);
    expect(safe.stdout).toMatch(/error field\/unknown/);
    expect(safe.code).toBe(1);
    expect(readFileSync(file, 'utf8')).toContain('event.outcom: "success"');
    const unsafe = run(['lint', '--fix', '--unsafe-fixes', dir]);
    expect(unsafe.stderr).toMatch(/fixed field\/unknown: Change the field to `event.outcome`/);
    expect(unsafe.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(original);
    expect(run(['lint', '--fix', dir]).stderr).toMatch(/no fixes to apply/);
    clearProjectCache();
    expect(validateRules([dir]).diagnostics).toEqual([]);
  });

  it('never applies a "did you mean" that is a guess: several candidates, a far name, or data ruleforge has no field list for', () => {
    expect(isTypoOf('event.outcom', 'event.outcome')).toBe(true);
    expect(isTypoOf('event.actoin', 'event.action')).toBe(true);
    expect(isTypoOf('gcp.audit.request.kind', 'event.kind')).toBe(false);
    const dir = ruleDir({
      // GCP audit logs: no bundled field list, so an unknown field may well exist there.
      'gcp.yaml': kqlRule({ index: ['logs-gcp.audit-*'], query: 'event.action: "x"', investigation_fields: { field_names: ['gcp.audit.request.kind', 'event.actoin'] } }),
    });
    const file = join(dir, 'gcp.yaml');
    const text = readFileSync(file, 'utf8');
    const offered = checkWithFixes(text, file).diagnostics.filter((d) => d.code === 'field/investigation-unknown');
    expect(offered.map((d) => (d.fixes ?? []).map((f) => [f.title, f.preferred]))).toEqual([[['Change the field to `event.kind`', false]], [['Change the field to `event.action`', false]]]);
    expect(fixRuleText(text, file, { unsafe: true }).text).toBe(text);
  });

  it('offers both ways out of a language mismatch and applies neither unattended', () => {
    const dir = ruleDir({ 'mismatch.yaml': kqlRule({ type: 'eql' }) });
    const file = join(dir, 'mismatch.yaml');
    const text = readFileSync(file, 'utf8');
    const d = checkWithFixes(text, file).diagnostics.find((x) => x.code === 'rule/language-mismatch')!;
    expect(d.fixes!.map((f) => [f.title, f.preferred])).toEqual([['Set language to eql', false], ['Set type to query', false]]);
    const edit = d.fixes![1]!.edits[0]!;
    const repaired = text.slice(0, edit.start) + edit.newText + text.slice(edit.end);
    expect(checkWithFixes(repaired, file).diagnostics).toEqual([]);
    expect(fixRuleText(text, file, { unsafe: true }).text).toBe(text);
  });
});
