import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kqlRule, ruleDir } from '../helpers/rule-files.js';
import { eventLine, runCli } from './run-cli.js';

const ALERTING = `${eventLine('DeleteProvisionedModelThroughput')}\n`;

/** A project compiled into dist-rules/, whose rule file is then edited without recompiling. */
function editedAfterCompile() {
  const dir = ruleDir({ 'rules/one.yaml': kqlRule() });
  expect(runCli(['compile', 'rules'], { cwd: dir }).code).toBe(0);
  const rule = join(dir, 'rules/one.yaml');
  writeFileSync(rule, readFileSync(rule, 'utf8').replace('DeleteProvisionedModelThroughput', 'CreateProvisionedModelThroughput'));
  return dir;
}

describe('stale dist-rules/ is never used silently', () => {
  it('run warns, naming the artifact and its changed source, and still runs', () => {
    const dir = editedAfterCompile();
    const r = runCli(['run', '-'], { cwd: dir, input: ALERTING });
    expect(r.stderr).toMatch(/dist-rules\/one\.json: warning compile\/stale-artifact: compiled from rules\/one\.yaml, which has changed since/);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.code).toBe(0);
  });
  it('run --refuse-stale exits 1 without running', () => {
    const dir = editedAfterCompile();
    const r = runCli(['run', '--refuse-stale', '-'], { cwd: dir, input: ALERTING });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/error compile\/stale-artifact/);
    expect(r.stderr).toMatch(/refusing to run stale compiled rules/);
  });
  it('explain warns too, and refuses with --refuse-stale', () => {
    const dir = editedAfterCompile();
    const warned = runCli(['explain', '--rule', '00000000-0000-4000-8000-000000000001', '--event', '-'], { cwd: dir, input: ALERTING });
    expect(warned.stderr).toMatch(/dist-rules\/one\.json: warning compile\/stale-artifact/);
    expect(warned.stdout).toMatch(/^MATCH$/m);
    expect(warned.code).toBe(0);
    const refused = runCli(['explain', '--refuse-stale', '--rule', 'dist-rules/one.json', '--event', '-'], { cwd: dir, input: ALERTING });
    expect(refused.stderr).toMatch(/dist-rules\/one\.json: error compile\/stale-artifact/);
    expect(refused.code).toBe(1);
  });
  it('up-to-date artifacts, and artifacts shipped without their YAML, give no warning', () => {
    const dir = ruleDir({ 'rules/one.yaml': kqlRule() });
    runCli(['compile', 'rules'], { cwd: dir });
    expect(runCli(['run', '-'], { cwd: dir, input: ALERTING }).stderr).not.toMatch(/stale/);
    // Elsewhere, rules/one.yaml does not exist: nothing to compare with.
    expect(runCli(['run', '--rules', join(dir, 'dist-rules'), '-'], { input: ALERTING }).stderr).not.toMatch(/stale/);
  });
});

describe('explain exit codes', () => {
  it('0 for MATCH and NO MATCH alike, 1 for a rule file that does not compile, 2 for a rule that cannot be found', () => {
    const dir = ruleDir({ 'good.yaml': kqlRule(), 'bad.yaml': kqlRule({ query: 'event.action: (' }) });
    expect(runCli(['explain', '--rule', join(dir, 'good.yaml'), '--event', '-'], { input: ALERTING }).code).toBe(0);
    const noMatch = runCli(['explain', '--rule', join(dir, 'good.yaml'), '--event', '-'], { input: eventLine('Other') });
    expect(noMatch.stdout).toMatch(/^NO MATCH$/m);
    expect(noMatch.code).toBe(0);
    const bad = runCli(['explain', '--rule', join(dir, 'bad.yaml'), '--event', '-'], { input: ALERTING });
    expect(bad.stderr).toMatch(/bad\.yaml:\d+:\d+: error kql\/syntax/);
    expect(bad.code).toBe(1);
    expect(runCli(['explain', '--rule', 'no-such-rule', '--event', '-'], { input: ALERTING }).code).toBe(2);
    expect(runCli(['explain', '--help']).stdout).toMatch(/Exit codes:\n {2}0 {2}the explanation was printed, whether the verdict is MATCH or NO MATCH/);
  });
});
