import { describe, expect, it } from 'vitest';
import { compileCheckedRule } from '../../src/rules/compile-rule.js';
import { validateRules, type CheckedRule } from '../../src/rules/validate.js';
import { createEngine } from '../../src/runtime/index.js';
import { kqlRule, eqlRule, ruleDir } from '../helpers/rule-files.js';

const EXCEPTION_LIST = {
  list_id: 'trusted-automation',
  name: 'Trusted automation',
  description: 'CI identities',
  type: 'detection',
  namespace_type: 'single',
  items: [
    { name: 'CI role', entries: [{ field: 'user.name', type: 'match', operator: 'included', value: 'ci-bot' }] },
  ],
};

/** Validates a project (rules + exceptions/) and returns the checked rules by file name. */
function project(files: Record<string, string | Record<string, unknown>>) {
  const dir = ruleDir(files);
  const result = validateRules([dir]);
  return { dir, result };
}

function engineFor(checked: CheckedRule) {
  const out = compileCheckedRule(checked);
  if (!out.ok) throw new Error(out.diagnostics.map((d) => `${d.code}: ${d.message}`).join('\n'));
  return createEngine([out.file.artifact], { now: Date.parse('2026-01-01T00:00:00Z') });
}

const event = (fields: Record<string, unknown>) => ({
  '@timestamp': '2026-01-01T00:00:00Z',
  event: { provider: 'bedrock.amazonaws.com', action: 'DeleteProvisionedModelThroughput' },
  ...fields,
});

describe('exceptions: inline items and shared lists', () => {
  it('subtracts inline items from the query: items OR-ed, entries AND-ed', () => {
    const { result } = project({
      'rules/r.yaml': kqlRule({
        exceptions: [
          { name: 'bot on build host', entries: [{ field: 'user.name', type: 'match', operator: 'included', value: 'bot' }, { field: 'host.name', type: 'match', operator: 'included', value: 'build-1' }] },
          { name: 'admins', entries: [{ field: 'user.name', type: 'match_any', operator: 'included', value: ['alice', 'bob'] }] },
        ],
      }),
    });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const engine = engineFor(result.checked[0]);
    const fires = (fields: Record<string, unknown>) => engine.process(event(fields)).length === 1;
    expect(fires({ user: { name: 'bot' }, host: { name: 'build-1' } })).toBe(false);
    expect(fires({ user: { name: 'bot' }, host: { name: 'build-2' } })).toBe(true);
    expect(fires({ user: { name: 'bot' } })).toBe(true);
    expect(fires({ user: { name: 'alice' } })).toBe(false);
    expect(fires({ user: { name: 'Alice' } })).toBe(true); // match_phrase on a keyword: exact, case-sensitive
    expect(fires({ user: { name: ['carol', 'bob'] } })).toBe(false); // any value of a multi-valued field
  });

  it('reads shared lists from the nearest exceptions/ directory by list_id and namespace', () => {
    const { result } = project({
      'exceptions/trusted.yaml': EXCEPTION_LIST,
      'rules/r.yaml': kqlRule({ exceptions_list: [{ id: 'trusted-automation', list_id: 'trusted-automation', namespace_type: 'single', type: 'detection' }] }),
    });
    expect(result.diagnostics).toEqual([]);
    expect(result.files).toBe(1); // the list file is not a rule
    const engine = engineFor(result.checked[0]);
    expect(engine.process(event({ user: { name: 'ci-bot' } }))).toHaveLength(0);
    expect(engine.process(event({ user: { name: 'someone' } }))).toHaveLength(1);
  });

  it('warns about a list that does not exist, at the reference, and runs the rule without it (as Kibana does)', () => {
    const { result } = project({
      'exceptions/trusted.yaml': EXCEPTION_LIST,
      'rules/r.yaml': kqlRule({ exceptions_list: [{ id: 'x', list_id: 'nope', namespace_type: 'single', type: 'detection' }] }),
    });
    const d = result.diagnostics.find((x) => x.code === 'exception/unknown-list');
    expect(d).toMatchObject({ severity: 'warning', line: expect.any(Number) });
    expect(d?.hint).toMatch(/trusted-automation \(single\)/);
    const engine = engineFor(result.checked[0]);
    expect(engine.process(event({ user: { name: 'ci-bot' } }))).toHaveLength(1);
  });

  it('`excluded` holds where the field is missing (must_not)', () => {
    const { result } = project({
      'rules/r.yaml': kqlRule({ exceptions: [{ name: 'not prod', entries: [{ field: 'host.name', type: 'match', operator: 'excluded', value: 'prod-1' }] }] }),
    });
    const engine = engineFor(result.checked[0]);
    expect(engine.process(event({ host: { name: 'dev-1' } }))).toHaveLength(0);
    expect(engine.process(event({}))).toHaveLength(0);
    expect(engine.process(event({ host: { name: 'prod-1' } }))).toHaveLength(1);
  });

  it('exists, wildcard (case-sensitive, whole value) and nested entries', () => {
    const { result } = project({
      'rules/r.yaml': kqlRule({
        fields: { 'aws.tags': 'nested', 'aws.tags.key': 'keyword', 'aws.tags.value': 'keyword' },
        exceptions: [
          { name: 'tagged', entries: [{ field: 'aws.tags', type: 'nested', entries: [{ field: 'key', type: 'match', operator: 'included', value: 'env' }, { field: 'value', type: 'match', operator: 'included', value: 'test' }] }] },
          { name: 'scanner', entries: [{ field: 'user_agent.original', type: 'wildcard', operator: 'included', value: 'Scanner/*' }] },
          { name: 'service', entries: [{ field: 'service.name', type: 'exists', operator: 'included' }] },
        ],
      }),
    });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const engine = engineFor(result.checked[0]);
    const fires = (fields: Record<string, unknown>) => engine.process(event(fields)).length === 1;
    expect(fires({ aws: { tags: [{ key: 'env', value: 'test' }] } })).toBe(false);
    // both entries must hold for one object of the array
    expect(fires({ aws: { tags: [{ key: 'env', value: 'prod' }, { key: 'team', value: 'test' }] } })).toBe(true);
    expect(fires({ user_agent: { original: 'Scanner/1.0' } })).toBe(false);
    expect(fires({ user_agent: { original: 'scanner/1.0' } })).toBe(true);
    expect(fires({ user_agent: { original: 'My Scanner/1.0' } })).toBe(true);
    expect(fires({ service: { name: 'x' } })).toBe(false);
  });

  it('os_types limits an item to host.os.type (or host.os.name.caseless)', () => {
    const { result } = project({
      'rules/r.yaml': kqlRule({ exceptions: [{ name: 'linux bot', os_types: ['linux'], entries: [{ field: 'user.name', type: 'match', operator: 'included', value: 'bot' }] }] }),
    });
    const engine = engineFor(result.checked[0]);
    expect(engine.process(event({ user: { name: 'bot' }, host: { os: { type: 'linux' } } }))).toHaveLength(0);
    expect(engine.process(event({ user: { name: 'bot' }, host: { os: { name: 'Linux' } } }))).toHaveLength(0); // Endpoint's host.os.name.caseless
    expect(engine.process(event({ user: { name: 'bot' }, host: { os: { type: 'windows' } } }))).toHaveLength(1);
    expect(engine.process(event({ user: { name: 'bot' } }))).toHaveLength(1);
  });

  it('value lists: keyword, ip_range (CIDR and a-b) and text lists from exceptions/lists/', () => {
    const { result } = project({
      'exceptions/lists/admins.txt': 'alice\nbob\n\n',
      'exceptions/lists/office.txt': '10.0.0.0/8\n192.168.1.10-192.168.1.20\n',
      'exceptions/lists/phrases': 'known good\n',
      'rules/r.yaml': kqlRule({
        exceptions: [
          { name: 'admins', entries: [{ field: 'user.name', type: 'list', operator: 'included', list: { id: 'admins.txt', type: 'keyword' } }] },
          { name: 'office', entries: [{ field: 'source.ip', type: 'list', operator: 'included', list: { id: 'office', type: 'ip_range' } }] },
          { name: 'phrase', entries: [{ field: 'message', type: 'list', operator: 'included', list: { id: 'phrases', type: 'text' } }] },
        ],
      }),
    });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const engine = engineFor(result.checked[0]);
    const fires = (fields: Record<string, unknown>) => engine.process(event(fields)).length === 1;
    expect(fires({ user: { name: 'bob' } })).toBe(false);
    expect(fires({ user: { name: 'carol' } })).toBe(true);
    expect(fires({ source: { ip: '10.1.2.3' } })).toBe(false);
    expect(fires({ source: { ip: '192.168.1.15' } })).toBe(false);
    expect(fires({ source: { ip: '192.168.1.21' } })).toBe(true);
    expect(fires({ message: 'this is GOOD and known' })).toBe(false); // operator and: every word, any order
    expect(fires({ message: 'known bad' })).toBe(true);
  });

  it('reports bad values of a value list at their line, and a missing list at the entry', () => {
    const { result } = project({
      'exceptions/lists/ips.txt': '10.0.0.1\nnot-an-ip\n',
      'rules/r.yaml': kqlRule({
        exceptions: [
          { name: 'ips', entries: [{ field: 'source.ip', type: 'list', operator: 'included', list: { id: 'ips.txt', type: 'ip' } }] },
          { name: 'gone', entries: [{ field: 'user.name', type: 'list', operator: 'included', list: { id: 'missing', type: 'keyword' } }] },
        ],
      }),
    });
    const bad = result.diagnostics.filter((d) => d.code === 'exception/value-list');
    expect(bad.some((d) => d.file?.endsWith('ips.txt') && d.line === 2 && d.column === 1)).toBe(true);
    expect(bad.some((d) => d.file?.endsWith('r.yaml') && /Value list "missing" not found/.test(d.message))).toBe(true);
  });

  it('validates fields and types: unknown fields, values that cannot apply to the field', () => {
    const { result } = project({
      'rules/r.yaml': kqlRule({
        exceptions: [
          { name: 'typo', entries: [{ field: 'user.nmae', type: 'match', operator: 'included', value: 'x' }] },
          { name: 'ip', entries: [{ field: 'source.ip', type: 'match', operator: 'included', value: 'not-an-ip' }] },
          { name: 'wild', entries: [{ field: 'source.port', type: 'wildcard', operator: 'included', value: '8*' }] },
        ],
      }),
    });
    const found = result.diagnostics.map((d) => `${d.severity} ${d.code}`);
    expect(found).toContain('error exception/unknown-field');
    expect(found.filter((c) => c === 'error exception/type-mismatch')).toHaveLength(2);
    const unknown = result.diagnostics.find((d) => d.code === 'exception/unknown-field');
    expect(unknown?.hint).toMatch(/user\.name/);
  });

  it('reports list-file schema errors in the list file, once, and refuses rules using the list', () => {
    const { result } = project({
      'exceptions/bad.yaml': { ...EXCEPTION_LIST, items: [{ name: 'x', entries: [{ field: 'user.name', type: 'match', operator: 'included' }] }] },
      'rules/a.yaml': kqlRule({ exceptions_list: [{ id: 'l', list_id: 'trusted-automation', namespace_type: 'single', type: 'detection' }] }),
      'rules/b.yaml': kqlRule({ rule_id: '00000000-0000-4000-8000-000000000009', name: 'other', exceptions_list: [{ id: 'l', list_id: 'trusted-automation', namespace_type: 'single', type: 'detection' }] }),
    });
    const schema = result.diagnostics.filter((d) => d.code === 'exception/schema');
    expect(schema.length).toBeGreaterThan(0);
    expect(new Set(schema.map((d) => `${d.line}:${d.column}:${d.message}`)).size).toBe(schema.length);
    expect(schema.every((d) => d.file?.endsWith('bad.yaml'))).toBe(true);
    expect(result.checked.every((c) => !compileCheckedRule(c).ok)).toBe(true);
  });

  it('endpoint lists refuse `excluded` entries and value lists', () => {
    const { result } = project({
      'exceptions/endpoint.yaml': { ...EXCEPTION_LIST, list_id: 'endpoint_list', type: 'endpoint', namespace_type: 'agnostic', items: [{ name: 'x', entries: [{ field: 'user.name', type: 'match', operator: 'excluded', value: 'a' }] }] },
      'rules/r.yaml': kqlRule({ exceptions_list: [{ id: 'endpoint_list', list_id: 'endpoint_list', namespace_type: 'agnostic', type: 'endpoint' }] }),
    });
    expect(result.diagnostics.map((d) => d.code)).toContain('exception/entry');
  });

  it('EQL: an excepted event never takes part in a sequence (a pre-filter, as Kibana filters _eql/search)', () => {
    const { result } = project({
      'rules/r.yaml': eqlRule({ exceptions: [{ name: 'lab key', entries: [{ field: 'user.name', type: 'match', operator: 'included', value: 'lab' }] }] }),
    });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const engine = engineFor(result.checked[0]);
    const ev = (t: string, action: string, user: string) => ({ '@timestamp': t, event: { action }, user: { name: user }, aws: { cloudtrail: { user_identity: { access_key_id: 'K' } } } });
    // The excepted ListFoundationModels is invisible, so the later InvokeModel has nothing to complete.
    expect(engine.process(ev('2026-01-01T00:00:00Z', 'ListFoundationModels', 'lab'))).toHaveLength(0);
    expect(engine.process(ev('2026-01-01T00:01:00Z', 'InvokeModel', 'dev'))).toHaveLength(0);
    expect(engine.process(ev('2026-01-01T00:02:00Z', 'ListFoundationModels', 'dev'))).toHaveLength(0);
    expect(engine.process(ev('2026-01-01T00:03:00Z', 'InvokeModel', 'lab'))).toHaveLength(0);
    expect(engine.process(ev('2026-01-01T00:04:00Z', 'InvokeModel', 'dev'))).toHaveLength(1);
  });
});

describe('exception list files are checked whether or not a rule uses them', () => {
  it('reports YAML and schema errors of every list in the exceptions/ directory, and duplicate list ids', () => {
    const { result } = project({
      'exceptions/broken.yaml': 'list_id: [unclosed\n',
      'exceptions/unused.yaml': { ...EXCEPTION_LIST, list_id: 'unused', type: 'nope' },
      'exceptions/a.yaml': EXCEPTION_LIST,
      'exceptions/b.yaml': EXCEPTION_LIST,
      'rules/r.yaml': kqlRule(),
    });
    const found = result.diagnostics.map((d) => `${d.file?.split('/').pop()} ${d.code}`);
    expect(found).toEqual(expect.arrayContaining(['broken.yaml yaml/syntax', 'unused.yaml exception/schema', 'b.yaml exception/duplicate-list']));
    expect(found.filter((f) => f === 'unused.yaml exception/schema')).toHaveLength(1);
  });
});

describe('malformed entries get one located error each', () => {
  it('a missing value, an unknown entry type, a bad operator, a bad value inside match_any', () => {
    const { result } = project({
      'rules/r.yaml': kqlRule({
        exceptions: [
          { name: 'no value', entries: [{ field: 'user.name', type: 'match', operator: 'included' }] },
          { name: 'bad type', entries: [{ field: 'user.name', type: 'matches', operator: 'included', value: 'x' }] },
          { name: 'bad op', entries: [{ field: 'user.name', type: 'match', operator: 'include', value: 'x' }] },
          { name: 'bad ip', entries: [{ field: 'source.ip', type: 'match_any', operator: 'included', value: ['10.0.0.1', 'nope'] }] },
        ],
      }),
    });
    const messages = result.diagnostics.map((d) => `${d.code} ${d.message}`);
    expect(messages).toEqual([
      'rule/schema `exceptions[0].entries[0]` is missing the required field `value`.',
      'rule/schema `exceptions[1].entries[0].type` must be one of "match", "match_any", "wildcard", "exists", "list", "nested".',
      'rule/schema `exceptions[2].entries[0].operator` must be one of "included", "excluded".',
      'exception/type-mismatch `source.ip` is an ip field: "nope" is not an IP address or CIDR block.',
    ]);
    const ip = result.diagnostics[3];
    expect(ip.endColumn - ip.column).toBe('nope'.length); // at "nope", not at the whole list
  });
});

describe('Endpoint `.caseless` fields', () => {
  it('read the parent field, compared without case (match, match_any, wildcard, os_types)', () => {
    const { result } = project({
      'rules/r.yaml': kqlRule({
        exceptions: [
          { name: 'tool', entries: [{ field: 'process.name.caseless', type: 'match', operator: 'included', value: 'tool.exe' }] },
          { name: 'paths', entries: [{ field: 'process.executable.caseless', type: 'wildcard', operator: 'included', value: 'c:\\\\program files\\\\*' }] },
          { name: 'win admin', os_types: ['windows'], entries: [{ field: 'user.name', type: 'match', operator: 'included', value: 'admin' }] },
        ],
      }),
    });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const engine = engineFor(result.checked[0]);
    const fires = (fields: Record<string, unknown>) => engine.process(event(fields)).length === 1;
    expect(fires({ process: { name: 'TOOL.EXE' } })).toBe(false);
    expect(fires({ process: { name: 'other.exe' } })).toBe(true);
    expect(fires({ process: { executable: 'C:\\Program Files\\App\\x.exe' } })).toBe(false); // `\\` is a literal backslash, as in Kibana
    expect(fires({ process: { executable: 'D:\\Program Files\\App\\x.exe' } })).toBe(true);
    expect(fires({ user: { name: 'admin' }, host: { os: { name: 'Windows' } } })).toBe(false); // Endpoint: host.os.name.caseless
    expect(fires({ user: { name: 'admin' }, host: { os: { name: 'Linux' } } })).toBe(true);
  });
});
