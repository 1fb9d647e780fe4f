import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRules, loadRulesReport, RuleLoadError } from '../../src/runtime/index.js';
import { copyOfDistRules, eventLine, runCli } from './run-cli.js';

const THROUGHPUT = 'impact_bedrock_provisioned_throughput_tampering.json';
const IMPORT = 'persistence_bedrock_untrusted_model_import_or_marketplace_endpoint.json';
const ENUMERATION = 'discovery_bedrock_model_enumeration_then_invocation_long_term_key.json';

/** dist-rules/ with one artifact cut short and another of a future artifact version. */
function damaged(): string {
  const dir = copyOfDistRules();
  writeFileSync(join(dir, ENUMERATION), readFileSync(join(dir, ENUMERATION), 'utf8').slice(0, 100));
  const other = JSON.parse(readFileSync(join(dir, IMPORT), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(dir, IMPORT), JSON.stringify({ ...other, artifactVersion: 99 }));
  return dir;
}

describe('one corrupt artifact does not disable the others', () => {
  it('run loads the good artifacts, reports each bad one with its file, and exits 1', () => {
    const rules = damaged();
    const r = runCli(['run', '--rules', rules, '-'], { input: `${eventLine('DeleteProvisionedModelThroughput')}\n${eventLine('CreateModelImportJob')}\n` });
    expect(r.code).toBe(1);
    const alerts = r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(alerts.map((a) => a['kibana.alert.rule.name'])).toEqual(['AWS Bedrock Provisioned Throughput Created, Changed or Deleted']);
    expect(r.stderr).toContain(`${join(rules, ENUMERATION)}: error compile/artifact: not readable as JSON`);
    expect(r.stderr).toContain(`${join(rules, IMPORT)}: error compile/artifact: artifact version 99 is not supported`);
    expect(r.stderr).toMatch(/from 4 rules/);
    expect(r.stderr).toMatch(/2 compiled rules could not be loaded \(listed above\)/);
  });
  it('explain still finds a good rule by rule_id in a dist-rules/ with a bad one', () => {
    const project = mkdtempSync(join(tmpdir(), 'ruleforge-project-'));
    cpSync(damaged(), join(project, 'dist-rules'), { recursive: true });
    const artifact = JSON.parse(readFileSync(join(project, 'dist-rules', THROUGHPUT), 'utf8')) as { rule: { rule_id: string } };
    const r = runCli(['explain', '--rule', artifact.rule.rule_id, '--event', '-'], { cwd: project, input: eventLine('DeleteProvisionedModelThroughput') });
    expect(r.stdout).toContain(artifact.rule.rule_id);
    expect(r.stdout).toMatch(/^MATCH$/m);
    expect(r.code).toBe(0);
  });
  it('loadRulesReport lists every bad artifact and keeps the good ones; loadRules throws for the first', () => {
    const rules = damaged();
    const report = loadRulesReport(rules);
    expect(report.rules.map((r) => r.rule.name).sort()).toEqual(
      [
        'AWS Bedrock Model Access APIs Called Outside the Console',
        'AWS Bedrock Provisioned Throughput Created, Changed or Deleted',
        'AWS Bedrock Model Invocations Repeatedly Denied for One Identity',
        'AWS Bedrock Model Invoked for the First Time by an Identity',
      ].sort(),
    );
    expect(report.errors.map((e) => e.source)).toEqual([join(rules, ENUMERATION), join(rules, IMPORT)]);
    expect(() => loadRules(rules)).toThrow(RuleLoadError);
  });
});

describe('loadRules on paths that hold no rules', () => {
  it('a missing path is a RuleLoadError naming it, not a raw ENOENT', () => {
    let thrown: unknown;
    try {
      loadRules('nope');
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(RuleLoadError);
    expect((thrown as RuleLoadError).source).toBe('nope');
    expect((thrown as Error).message).toBe('nope: cannot read compiled rules (no such file or directory)');
  });
  it('an empty directory says it holds no compiled rules', () => {
    const empty = mkdtempSync(join(tmpdir(), 'ruleforge-empty-'));
    expect(() => loadRules(empty)).toThrow(/holds no compiled rules \(\*\.json\); compile some with `ruleforge compile`/);
    expect(loadRulesReport(empty)).toMatchObject({ rules: [], errors: [expect.any(RuleLoadError)] });
  });
});
