import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { eqlRule, kqlRule, ruleDir } from '../helpers/rule-files.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'dist', 'src', 'cli', 'main.js');

function run(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A project with three rules compiled into dist-rules/, run from the project directory as a user would. */
function compiledProject() {
  const dir = ruleDir({
    'rules/one.yaml': kqlRule(),
    'rules/two.yaml': eqlRule(),
    'rules/three.yaml': kqlRule({ rule_id: '00000000-0000-4000-8000-000000000003', name: 'Third' }),
  });
  expect(run(['compile', 'rules'], dir).code).toBe(0);
  const artifacts = () => readdirSync(join(dir, 'dist-rules')).sort();
  expect(artifacts()).toEqual(['one.json', 'three.json', 'two.json']);
  return { dir, artifacts };
}

describe('compile never deletes artifacts it should keep', () => {
  it('a typo\'d path removes nothing and exits 1', () => {
    const { dir, artifacts } = compiledProject();
    const r = run(['compile', 'rulez'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/rulez/);
    expect(r.stderr).toMatch(/left unchanged/);
    expect(artifacts()).toEqual(['one.json', 'three.json', 'two.json']);
  });
  it('a single-file compile touches that file\'s artifact only', () => {
    const { dir, artifacts } = compiledProject();
    writeFileSync(join(dir, 'rules/one.yaml'), readFileSync(join(dir, 'rules/one.yaml'), 'utf8').replace('A test rule.', 'Changed.'));
    const r = run(['compile', 'rules/one.yaml'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/compiled 1 rule into dist-rules \(0 new, 1 updated, 0 removed\)/);
    expect(artifacts()).toEqual(['one.json', 'three.json', 'two.json']);
    expect(readFileSync(join(dir, 'dist-rules/one.json'), 'utf8')).toMatch(/Changed\./);
  });
  it('a rule with a schema error keeps its last artifact, and compile says so', () => {
    const { dir, artifacts } = compiledProject();
    writeFileSync(join(dir, 'rules/two.yaml'), readFileSync(join(dir, 'rules/two.yaml'), 'utf8').replace(/^description: .*$/m, ''));
    const r = run(['compile', 'rules'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/two\.yaml:\d+:\d+: error/);
    expect(r.stderr).toMatch(/kept the last artifact of 1 rule with errors: dist-rules\/two\.json/);
    expect(artifacts()).toEqual(['one.json', 'three.json', 'two.json']);
  });
  it('an unreadable YAML file keeps its artifact too', () => {
    const { dir, artifacts } = compiledProject();
    writeFileSync(join(dir, 'rules/three.yaml'), 'name: [\n');
    expect(run(['compile', 'rules'], dir).code).toBe(1);
    expect(artifacts()).toEqual(['one.json', 'three.json', 'two.json']);
  });
  it('the artifact of a deleted or renamed rule goes; a file compile did not write stays', () => {
    const { dir, artifacts } = compiledProject();
    const text = readFileSync(join(dir, 'rules/three.yaml'), 'utf8');
    writeFileSync(join(dir, 'rules/third.yaml'), text);
    spawnSync('rm', [join(dir, 'rules/three.yaml')]);
    writeFileSync(join(dir, 'dist-rules/notes.json'), '{"mine": true}\n');
    const r = run(['compile', 'rules'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/1 new, 0 updated, 1 removed/);
    expect(r.stderr).toMatch(/not an artifact: dist-rules\/notes\.json \(left in place/);
    expect(artifacts()).toEqual(['notes.json', 'one.json', 'third.json', 'two.json']);
  });
  it('a rule that no longer compiles to an artifact (now an unsupported type) loses it', () => {
    const { dir, artifacts } = compiledProject();
    writeFileSync(join(dir, 'rules/one.yaml'), readFileSync(join(dir, 'rules/one.yaml'), 'utf8').replace('type: query', 'type: esql').replace('language: kuery', 'language: esql'));
    const r = run(['compile', 'rules'], dir);
    expect(r.stderr).toMatch(/rule\/unsupported-type/);
    expect(r.code).toBe(0);
    expect(artifacts()).toEqual(['three.json', 'two.json']);
    expect(existsSync(join(dir, 'dist-rules/one.json'))).toBe(false);
  });
});
