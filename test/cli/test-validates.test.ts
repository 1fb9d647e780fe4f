import { describe, expect, it } from 'vitest';
import { kqlRule, ruleDir } from '../helpers/rule-files.js';
import { runCli } from './run-cli.js';

const passing = { name: 'deletes throughput', expect: 'match', event: { event: { event: { provider: 'bedrock.amazonaws.com', action: 'DeleteProvisionedModelThroughput' } } } };
const good = kqlRule({ tests: [passing] });
const { description: _d, ...noDescription } = kqlRule({ rule_id: 'nd', name: 'No description', tests: [passing] });

describe('ruleforge test validates the rules first', () => {
  it('a rule file with bad YAML, a missing description or a bad severity fails the run, with located errors', () => {
    const dir = ruleDir({
      'good.yaml': good,
      'indent.yaml': 'name: Bad indent\n rule_id: x\n  type: query\n',
      'nodesc.yaml': noDescription,
      'severity.yaml': kqlRule({ rule_id: 'sev', name: 'Bad severity', severity: 'Medium', tests: [passing] }),
    });
    const r = runCli(['test', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/indent\.yaml:\d+:\d+: error yaml\//);
    expect(r.stderr).toMatch(/nodesc\.yaml:\d+:\d+: error rule\/schema: .*description/);
    expect(r.stderr).toMatch(/severity\.yaml:\d+:\d+: error rule\/schema: .*severity/i);
    expect(r.stdout).toMatch(/PASS {2}Throughput deleted › deletes throughput/);
    expect(r.stdout).toMatch(/; 3 rule files with errors \(see above\)/);
  });
  it('a broken file alone fails instead of reporting zero examples as success', () => {
    const dir = ruleDir({ 'broken.yaml': 'name: [\n' });
    const r = runCli(['test', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/0 examples in 0 rules: 0 passed, 0 failed; 1 rule file with errors/);
  });
  it('json and junit output carry the validation errors', () => {
    const dir = ruleDir({ 'good.yaml': good, 'broken.yaml': 'name: [\n' });
    const json = runCli(['test', dir, '--format', 'json']);
    expect(json.code).toBe(1);
    const doc = JSON.parse(json.stdout) as { passed: number; ruleErrors: number; diagnostics: { file: string; code: string }[] };
    expect(doc).toMatchObject({ passed: 1, ruleErrors: 1 });
    expect(doc.diagnostics[0]).toMatchObject({ code: 'yaml/syntax' });
    expect(doc.diagnostics[0].file).toMatch(/broken\.yaml$/);
    const junit = runCli(['test', dir, '--format', 'junit']);
    expect(junit.code).toBe(1);
    expect(junit.stdout).toMatch(/<testcase name="validate [^"]*broken\.yaml"[^>]*>\s*<failure message="[^"]*yaml\/syntax/);
  });
  it('clean rules still pass with exit 0', () => {
    const r = runCli(['test', ruleDir({ 'good.yaml': good })]);
    expect(r.stdout).toMatch(/1 example in 1 rule: 1 passed, 0 failed\n/);
    expect(r.code).toBe(0);
  });
});
