import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { eqlRule, kqlRule, ruleDir } from '../helpers/rule-files.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'dist', 'src', 'cli', 'main.js');

function run(args: string[], cwd = root) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const mixed = () =>
  ruleDir({
    'good.yaml': kqlRule(),
    'warn.yaml': kqlRule({ rule_id: 'w', name: 'W', risk_score: 99 }),
    'bad.yaml': kqlRule({ rule_id: 'b', name: 'B', query: 'event.action: (' }),
    'broken.yaml': 'name: [\n',
  });

describe('ruleforge validate', () => {
  it('passes the bundled rules', () => {
    const r = run(['validate', 'rules', '--strict']);
    expect(r.stdout).toMatch(/6 files, 6 rules: 0 errors, 0 warnings/);
    expect(r.code).toBe(0);
  });
  it('prints code frames and a summary, and exits 1 on errors while still checking every file', () => {
    const r = run(['validate', mixed()]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/bad\.yaml:\d+:\d+: error kql\/syntax/);
    expect(r.stdout).toMatch(/broken\.yaml:2:1: error yaml\/syntax/);
    expect(r.stdout).toMatch(/> +\d+ \|/);
    expect(r.stdout).toMatch(/4 files, 3 rules: 2 errors, 1 warning/);
  });
  it('exits 0 with warnings only, and 1 with --strict', () => {
    const dir = ruleDir({ 'warn.yaml': kqlRule({ risk_score: 99 }) });
    expect(run(['validate', dir]).code).toBe(0);
    expect(run(['validate', dir, '--strict']).code).toBe(1);
  });
  it('--format json prints one document with located diagnostics', () => {
    const r = run(['validate', mixed(), '--format', 'json']);
    const doc = JSON.parse(r.stdout) as { files: number; rules: number; diagnostics: Record<string, unknown>[] };
    expect(doc).toMatchObject({ files: 4, rules: 3 });
    for (const d of doc.diagnostics) expect(Object.keys(d)).toEqual(expect.arrayContaining(['file', 'line', 'column', 'endLine', 'endColumn', 'severity', 'code', 'message']));
    expect(doc.diagnostics.map((d) => d.code)).toEqual(expect.arrayContaining(['kql/syntax', 'yaml/syntax', 'rule/risk-score-band']));
  });
  it('--format github prints workflow annotations', () => {
    const lines = run(['validate', mixed(), '--format', 'github']).stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines.find((l) => l.includes('kql/syntax'))).toMatch(/^::error file=[^,]+bad\.yaml,line=\d+,col=\d+/);
    expect(lines.find((l) => l.includes('risk-score-band'))).toMatch(/^::warning /);
  });
  it('--format sarif is a SARIF 2.1.0 log', () => {
    const log = JSON.parse(run(['validate', mixed(), '--format', 'sarif']).stdout) as { version: string; runs: { tool: { driver: { name: string; rules: { id: string }[] } }; results: { ruleId: string; level: string }[] }[] };
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0].tool.driver.name).toBe('ruleforge');
    expect(log.runs[0].results.map((x) => x.level).sort()).toEqual(['error', 'error', 'warning']);
    expect(log.runs[0].tool.driver.rules.map((x) => x.id)).toContain('kql/syntax');
  });
  it('--format junit has a test case per rule file', () => {
    const xml = run(['validate', mixed(), '--format', 'junit']).stdout;
    expect(xml.match(/<testcase /g)).toHaveLength(4);
    expect(xml.match(/<failure /g)).toHaveLength(2);
  });
  it('reports a missing path and exits 2 on usage errors', () => {
    const missing = run(['validate', join(root, 'no-such-dir')]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toMatch(/file\/not-found/);
    expect(run(['validate', '--format', 'xml']).code).toBe(2);
  });
});

describe('ruleforge compile', () => {
  it('writes deterministic artifacts, and --check reports stale, missing and extra ones', () => {
    const dir = ruleDir({ 'a.yaml': kqlRule(), 'b.yaml': eqlRule(), 'c.yaml': kqlRule({ rule_id: 'c', name: 'C', language: 'lucene' }) });
    const out = join(dir, 'out');
    const first = run(['compile', dir, '--out', out]);
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/rule\/unsupported-type/);
    expect(readdirSync(out).sort()).toEqual(['a.json', 'b.json']);
    const bytes = readFileSync(join(out, 'a.json'), 'utf8');
    const artifact = JSON.parse(bytes) as { artifactVersion: number; rule: { rule_id: string }; ir: { irVersion: number }; fields: string[]; source: { sha256: string } };
    expect(artifact).toMatchObject({ artifactVersion: 1, rule: { rule_id: '00000000-0000-4000-8000-000000000001' }, ir: { irVersion: 3 } });
    expect(artifact.fields).toEqual(['event.action', 'event.provider']);
    expect(artifact.source.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(run(['compile', dir, '--out', out]).code).toBe(0);
    expect(readFileSync(join(out, 'a.json'), 'utf8')).toBe(bytes);
    expect(run(['compile', dir, '--out', out, '--check']).code).toBe(0);

    writeFileSync(join(out, 'a.json'), bytes.replace('"name"', '"name" '));
    rmSync(join(out, 'b.json'));
    // The artifact of a rule file that no longer exists in the compiled directory.
    writeFileSync(join(out, 'gone.json'), bytes.replace(/("file": "[^"]*)a\.yaml"/, '$1gone.yaml"'));
    const check = run(['compile', dir, '--out', out, '--check']);
    expect(check.code).toBe(1);
    expect(check.stderr).toMatch(/stale: +\S+a\.json/);
    expect(check.stderr).toMatch(/missing: \S+b\.json/);
    expect(check.stderr).toMatch(/extra: +\S+gone\.json/);
    expect(run(['compile', dir, '--out', out]).code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['a.json', 'b.json']);
  });
  it('the committed dist-rules/ is up to date', () => {
    const r = run(['compile', 'rules', '--out', 'dist-rules', '--check']);
    expect(r.stderr).toMatch(/6 artifacts up to date/);
    expect(r.code).toBe(0);
  });
  it('exits 1 when a rule has errors', () => {
    const dir = ruleDir({ 'a.yaml': kqlRule({ query: 'event.action: (' }) });
    expect(run(['compile', dir, '--out', join(dir, 'out')]).code).toBe(1);
  });
});

describe('ruleforge test', () => {
  it('passes the bundled rules\' examples', () => {
    const r = run(['test', 'rules']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\d+ examples in 6 rules: \d+ passed, 0 failed/);
  });
  it('names the rule, the example and the values behind a failure, and exits 1', () => {
    const tests = [
      { name: 'should match', expect: 'match', event: { event: { event: { provider: 'bedrock.amazonaws.com', action: 'deleteprovisionedmodelthroughput' } } } },
      { name: 'fine', expect: 'no-match', event: { event: { event: { action: 'Other' } } } },
    ];
    const dir = ruleDir({ 'a.yaml': kqlRule({ tests }) });
    const r = run(['test', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL {2}Throughput deleted › should match/);
    expect(r.stdout).toMatch(/event\.action="deleteprovisionedmodelthroughput"/);
    expect(r.stdout).toMatch(/PASS {2}Throughput deleted › fine/);
    const json = JSON.parse(run(['test', dir, '--format', 'json']).stdout) as { failed: number; passed: number };
    expect(json).toMatchObject({ failed: 1, passed: 1 });
    const xml = run(['test', dir, '--format', 'junit']).stdout;
    expect(xml.match(/<testcase /g)).toHaveLength(2);
    expect(xml).toMatch(/<failure message="expected every event to match/);
  });
});
