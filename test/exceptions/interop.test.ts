import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { eqlRule, kqlRule, ruleDir } from '../helpers/rule-files.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'dist', 'src', 'cli', 'main.js');

function run(args: string[], cwd = root) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const SHARED = {
  list_id: 'trusted-automation',
  name: 'Trusted automation',
  description: 'CI identities',
  type: 'detection',
  namespace_type: 'single',
  items: [{ item_id: 'ci-role', name: 'CI role', entries: [{ field: 'user.name', type: 'match', operator: 'included', value: 'ci-bot' }] }],
};
const INLINE = [{ name: 'lab hosts', os_types: ['linux'], entries: [{ field: 'host.name', type: 'wildcard', operator: 'included', value: 'lab-*' }, { field: 'user.name', type: 'match_any', operator: 'excluded', value: ['root'] }] }];

describe('exceptions in export --to kibana and import kibana', () => {
  const dir = ruleDir({
    'exceptions/trusted.yaml': SHARED,
    'rules/r.yaml': kqlRule({ exceptions: INLINE, exceptions_list: [{ id: 'trusted-automation', list_id: 'trusted-automation', namespace_type: 'single', type: 'detection' }], alert_suppression: { group_by: ['user.name'], duration: { value: 1, unit: 'h' } } }),
  });

  it('writes the rule, its rule default list and the shared list (container and items) as Kibana NDJSON', () => {
    const r = run(['export', '--to', 'kibana', join(dir, 'rules')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/exported 1 rule and 2 exception lists/);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const [rule, ...rest] = lines;
    expect(rule.exceptions).toBeUndefined();
    expect(rule.alert_suppression).toEqual({ group_by: ['user.name'], duration: { value: 1, unit: 'h' } });
    const refs = rule.exceptions_list as Record<string, unknown>[];
    expect(refs.map((x) => x.type)).toEqual(['rule_default', 'detection']);
    const ownId = refs[0].list_id;
    expect(rest.find((l) => l.list_id === ownId && l.type === 'rule_default')).toMatchObject({ namespace_type: 'single', immutable: false });
    expect(rest.find((l) => l.list_id === ownId && l.type === 'simple')).toMatchObject({ name: 'lab hosts', os_types: ['linux'], entries: INLINE[0].entries, item_id: `${String(ownId)}-1` });
    expect(rest.find((l) => l.list_id === 'trusted-automation' && l.type === 'detection')).toMatchObject({ name: 'Trusted automation' });
    expect(rest.find((l) => l.item_id === 'ci-role')).toMatchObject({ list_id: 'trusted-automation', type: 'simple', entries: SHARED.items[0].entries });
  });

  it('import kibana folds the rule default list back into the rule and writes shared lists under exceptions/ (a fixed point)', () => {
    const exported = run(['export', '--to', 'kibana', join(dir, 'rules')]).stdout;
    const work = mkdtempSync(join(tmpdir(), 'ruleforge-exc-import-'));
    const file = join(work, 'export.ndjson');
    writeFileSync(file, exported);
    const out = join(work, 'out');
    const r = run(['import', 'kibana', file, '--out', out]);
    expect(r.stderr).toMatch(/imported 1 rule and 1 exception list into/);
    expect(r.code).toBe(0);
    const list = load(readFileSync(join(out, 'exceptions', 'trusted_automation.yaml'), 'utf8')) as Record<string, unknown>;
    expect(list).toEqual(SHARED);
    const rule = load(readFileSync(join(out, 'throughput_deleted.yaml'), 'utf8')) as Record<string, unknown>;
    expect(rule.exceptions).toEqual(INLINE);
    expect(rule.exceptions_list).toEqual([{ id: 'trusted-automation', list_id: 'trusted-automation', namespace_type: 'single', type: 'detection' }]);
    // and the imported project exports the same lines again
    expect(run(['export', '--to', 'kibana', out]).stdout).toBe(exported);
  });

  it('import detection-rules reads its exception TOML files ([metadata] list_name, [[exceptions]] container and items)', () => {
    const work = mkdtempSync(join(tmpdir(), 'ruleforge-exc-dr-'));
    const toml = [
      '[metadata]',
      'creation_date = "2024/01/01"',
      'list_name = "Trusted automation"',
      'rule_ids = ["00000000-0000-4000-8000-000000000001"]',
      'rule_names = ["Throughput deleted"]',
      'updated_date = "2024/01/01"',
      '',
      '[[exceptions]]',
      '[exceptions.container]',
      'description = "CI identities"',
      'list_id = "trusted-automation"',
      'name = "Trusted automation"',
      'namespace_type = "single"',
      'tags = []',
      'type = "detection"',
      '',
      '[[exceptions.items]]',
      'comments = []',
      'description = ""',
      'item_id = "ci-role"',
      'list_id = "trusted-automation"',
      'name = "CI role"',
      'namespace_type = "single"',
      'tags = []',
      'type = "simple"',
      '',
      '[[exceptions.items.entries]]',
      'field = "user.name"',
      'operator = "included"',
      'type = "match"',
      'value = "ci-bot"',
      '',
    ].join('\n');
    writeFileSync(join(work, 'trusted_exceptions.toml'), toml);
    const out = join(work, 'out');
    const r = run(['import', 'detection-rules', work, '--out', out]);
    expect(r.stderr).toMatch(/imported 0 rules and 1 exception list/);
    expect(existsSync(join(out, 'exceptions', 'trusted_automation.yaml'))).toBe(true);
    const list = load(readFileSync(join(out, 'exceptions', 'trusted_automation.yaml'), 'utf8')) as Record<string, unknown>;
    expect(list).toEqual({ ...SHARED, items: [{ item_id: 'ci-role', name: 'CI role', entries: SHARED.items[0].entries }] });
  });

  it('export --to eql-request passes the exceptions as a negated filter of _eql/search, as Kibana does', () => {
    const eqlDir = ruleDir({
      'exceptions/lists/admins.txt': 'alice\nbob\n',
      'rules/e.yaml': eqlRule({ exceptions: [{ name: 'admins', entries: [{ field: 'user.name', type: 'list', operator: 'included', list: { id: 'admins.txt', type: 'keyword' } }] }, { name: 'lab', os_types: ['linux'], entries: [{ field: 'host.name', type: 'match', operator: 'included', value: 'lab' }] }] }),
    });
    const r = run(['export', '--to', 'eql-request', join(eqlDir, 'rules')]);
    expect(r.code).toBe(0);
    const request = JSON.parse(r.stdout.trim()) as { body: { filter: { bool: { filter: Record<string, { must_not: unknown[] }>[] } } } };
    const phrase = (f: string, v: string) => ({ bool: { minimum_should_match: 1, should: [{ match_phrase: { [f]: v } }] } });
    expect(request.body.filter.bool.filter[1].bool.must_not).toEqual([
      {
        bool: {
          should: [
            { bool: { filter: { terms: { 'user.name': ['alice', 'bob'] } } } },
            { bool: { filter: [phrase('host.os.type', 'linux'), phrase('host.name', 'lab')] } },
            { bool: { filter: [phrase('host.os.name.caseless', 'linux'), phrase('host.name', 'lab')] } },
          ],
        },
      },
    ]);
  });
});
