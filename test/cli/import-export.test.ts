import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { kqlRule, ruleDir } from '../helpers/rule-files.js';
import { detectionRulesToml } from '../helpers/detection-rules-toml.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'dist', 'src', 'cli', 'main.js');
const FIXTURE = join(root, 'test', 'fixtures', 'kibana-export', 'bundled-rules.ndjson');
const PROJECT = 'integrations:\n  aws: ">=2.23.0"\n';

function run(args: string[], cwd = root) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd, maxBuffer: 256 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tmp = (prefix: string): string => mkdtempSync(join(tmpdir(), `ruleforge-${prefix}-`));

/** Every YAML rule under `dir`, parsed, by rule_id. */
function rulesById(dir: string): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  const walk = (d: string): void => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (f.endsWith('.yaml') && f !== 'ruleforge.yaml') {
        const rule = load(readFileSync(p, 'utf8')) as Record<string, unknown>;
        out.set(String(rule.rule_id), rule);
      }
    }
  };
  walk(dir);
  return out;
}

const withoutMetadata = (rule: Record<string, unknown>): Record<string, unknown> => {
  const { metadata: _m, tests: _t, ...rest } = rule;
  return rest;
};

/** A directory holding ruleforge.yaml (so exports state the same package versions as the bundled rules). */
function outDir(prefix: string): string {
  const dir = tmp(prefix);
  writeFileSync(join(dir, 'ruleforge.yaml'), PROJECT);
  return dir;
}

describe('ruleforge export --to kibana', () => {
  it('exports the bundled rules exactly as the reviewed fixture', () => {
    const r = run(['export', '--to', 'kibana', 'rules']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(FIXTURE, 'utf8'));
    expect(r.stderr).toMatch(/exported 6 rules/);
  });
  it('leaves rules with errors out, says so, exits 1 and still exports the others; --out writes a file', () => {
    const dir = ruleDir({ 'good.yaml': kqlRule(), 'bad.yaml': kqlRule({ rule_id: 'b', name: 'B', query: 'event.action: (' }) });
    const file = join(tmp('export'), 'out.ndjson');
    const r = run(['export', '--to', 'kibana', '--out', file, dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.yaml:\d+:\d+: error kql\/syntax/);
    expect(readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l).rule_id)).toEqual([kqlRule().rule_id]);
  });
  it('needs --to (a usage error)', () => {
    expect(run(['export', 'rules']).code).toBe(2);
    expect(run(['export', '--to', 'splunk', 'rules']).code).toBe(2);
  });
  it('eql-request: one request per EQL rule, and says how many rules are not EQL', () => {
    const r = run(['export', '--to', 'eql-request', 'rules']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.rule_id)).toEqual(['8cab48bb-2031-42c4-823c-b137a7582d0c']);
    expect(lines[0].body).toMatchObject({ size: 100, timestamp_field: '@timestamp', event_category_field: 'event.category' });
    expect(r.stderr).toMatch(/5 rules are not EQL/);
  });
});

describe('ruleforge import kibana', () => {
  it('imports the fixture back into the bundled rules (less metadata and tests), and exports the same bytes again', () => {
    const out = outDir('import-kibana');
    const r = run(['import', 'kibana', FIXTURE, '--out', out]);
    expect(r.stderr).toMatch(/imported 6 rules/);
    expect(r.code).toBe(0);
    const imported = rulesById(out);
    const bundled = rulesById(join(root, 'rules'));
    expect([...imported.keys()].sort()).toEqual([...bundled.keys()].sort());
    for (const [id, rule] of bundled) expect(imported.get(id), id).toEqual(withoutMetadata(rule));
    expect(run(['export', '--to', 'kibana', out]).stdout.split('\n').sort()).toEqual(readFileSync(FIXTURE, 'utf8').split('\n').sort());
  });
  it('refuses to overwrite without --force, and overwrites with it', () => {
    const out = outDir('import-force');
    expect(run(['import', 'kibana', FIXTURE, '--out', out]).code).toBe(0);
    const again = run(['import', 'kibana', FIXTURE, '--out', out]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists; pass --force/);
    expect(run(['import', 'kibana', FIXTURE, '--out', out, '--force']).code).toBe(0);
  });
});

describe('ruleforge import detection-rules', () => {
  it('imports TOML files, keeps sub-directories, writes readable YAML, and round-trips through a Kibana export', () => {
    const src = tmp('dr-src');
    const bundled = rulesById(join(root, 'rules'));
    for (const rule of bundled.values()) {
      const sub = rule.type === 'eql' ? 'eql' : 'kql';
      mkdirSync(join(src, sub), { recursive: true });
      writeFileSync(join(src, sub, `${basename(String(rule.name)).toLowerCase().replace(/\W+/g, '_')}.toml`), detectionRulesToml(rule));
    }
    const a = outDir('dr-a');
    const r = run(['import', 'detection-rules', src, '--out', a]);
    expect(r.stderr).toMatch(/imported 6 rules/);
    expect(r.code).toBe(0);
    expect(readdirSync(join(a, 'eql'))).toHaveLength(1);
    const text = readFileSync(join(a, 'eql', readdirSync(join(a, 'eql'))[0]), 'utf8');
    expect(text).toMatch(/^# Imported from .* by ruleforge import\.\nname: /);
    expect(text).toMatch(/\nquery: \|\n  sequence by /);
    expect(text).toMatch(/\nmetadata:\n/);
    expect(run(['validate', '--strict', a]).code).toBe(0);
    expect(run(['compile', '--out', join(tmp('dr-compiled'), 'd'), a]).code).toBe(0);

    const exported = run(['export', '--to', 'kibana', a]);
    expect(exported.code).toBe(0);
    const file = join(tmp('dr-export'), 'rules.ndjson');
    writeFileSync(file, exported.stdout);
    const b = outDir('dr-b');
    expect(run(['import', 'kibana', file, '--out', b]).code).toBe(0);
    const first = rulesById(a);
    const second = rulesById(b);
    for (const [id, rule] of first) expect(second.get(id), id).toEqual(withoutMetadata(rule));
    expect(run(['export', '--to', 'kibana', b]).stdout.split('\n').sort()).toEqual(exported.stdout.split('\n').sort());
  });
  it('reports a broken TOML file with its place, lists what it leaves out, and imports the other files', () => {
    const src = tmp('dr-bad');
    writeFileSync(join(src, 'broken.toml'), '[rule]\nname = "x\n');
    writeFileSync(join(src, 'good.toml'), `${detectionRulesToml(kqlRule())}\n[hunt]\nquery = "x"\n`);
    const out = tmp('dr-bad-out');
    const r = run(['import', 'detection-rules', src, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/broken\.toml:2:\d+: error import\/detection-rules: Invalid TOML/);
    expect(r.stderr).toMatch(/good\.toml: not carried over: \[hunt\]: not part of a rule, left out/);
    expect(r.stderr).toMatch(/imported 1 rule into .*; 1 with something left out \(listed above\); 1 failed/);
    expect(readdirSync(out)).toEqual(['good.yaml']);
  });
  it('reports imported rules that do not validate, with their place in the written file', () => {
    const src = tmp('dr-invalid');
    writeFileSync(join(src, 'r.toml'), detectionRulesToml(kqlRule({ query: 'event.action: (' })));
    const out = tmp('dr-invalid-out');
    const r = run(['import', 'detection-rules', src, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/r\.yaml:\d+:\d+: error kql\/syntax/);
    expect(r.stderr).toMatch(/1 with validation errors/);
  });
});
