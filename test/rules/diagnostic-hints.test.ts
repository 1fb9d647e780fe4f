import { describe, expect, it } from 'vitest';
import { eqlRule, kqlRule, validateFiles } from '../helpers/rule-files.js';
import { runCli } from '../cli/run-cli.js';

const HEADER = 'name: T\nrule_id: 00000000-0000-4000-8000-000000000001\nindex: [logs-aws.cloudtrail-*]\ndescription: d\nrisk_score: 47\nseverity: medium\nauthor: [t]\ntype: query\nlanguage: kuery\n';

const only = (files: Record<string, string | Record<string, unknown>>) => validateFiles(files).diagnostics;

describe('diagnostics that say what is wrong, once', () => {
  it('an EQL syntax error does not add a test/expectation error about join keys', () => {
    const ds = only({ 'a.yaml': eqlRule({ query: 'sequence by user.name\n  [any where event.action == "a"]\n  [any where event.action = ]\n', tests: [{ name: 'x', expect: { alerts: 1, join_keys: [['a']] }, events: [{ event: { event: { action: 'a' } } }] }] }) });
    expect(ds.map((d) => d.code)).toEqual(['eql/syntax']);
  });
  it('join keys on a query rule are still reported', () => {
    const ds = only({ 'a.yaml': kqlRule({ tests: [{ name: 'x', expect: { alerts: 1, join_keys: [['a']] }, event: { event: { event: { action: 'a' } } } }] }) });
    expect(ds.map((d) => d.code)).toContain('test/expectation');
  });
  it('an unclosed ( points at the opener, in KQL and EQL', () => {
    const [kql] = only({ 'a.yaml': `${HEADER}query: 'event.action: ("a" or "b"'\n` });
    expect(kql).toMatchObject({ code: 'kql/syntax', line: 10, column: 23, message: 'This `(` is never closed: the query ends before its `)`.' });
    const [eql] = only({ 'a.yaml': eqlRule({ query: 'process where (process.name == "a" or\n  process.name == "b"\n' }) });
    expect(eql.code).toBe('eql/syntax');
    expect(eql.message).toMatch(/This `\(` is never closed/);
  });
  it('an unquoted ": " in a YAML value hints at quoting', () => {
    const [d] = only({ 'a.yaml': `${HEADER}query: event.action: foo\n` });
    expect(d.code).toBe('yaml/syntax');
    expect(d.hint).toBe("A plain YAML value cannot contain `: `; quote it (`query: 'event.action: foo'`) or use a block scalar (`query: |` with the value on the next lines, indented).");
  });
  it('a misspelt required key is one error with "did you mean", not two', () => {
    const { description, ...rest } = kqlRule();
    const ds = only({ 'a.yaml': { ...rest, descripton: description } });
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({ code: 'rule/schema', line: expect.any(Number), hint: 'Rename `descripton` to `description`.' });
    expect(ds[0].message).toMatch(/Unknown field `descripton` in the rule, and the required field `description` is missing: did you mean `description`\?/);
  });
  it('KQL == hints at :', () => {
    const [d] = only({ 'a.yaml': `${HEADER}query: 'event.action == "foo"'\n` });
    expect(d.code).toBe('kql/syntax');
    expect(d.hint).toMatch(/KQL matches a field with `:`/);
  });
  it('a quoted wildcard in KQL is a warning: it is literal', () => {
    const ds = only({ 'a.yaml': kqlRule({ query: 'event.provider: "bedrock.amazonaws.com" and event.action: "Create*"' }) });
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({ severity: 'warning', code: 'kql/quoted-wildcard' });
    expect(ds[0].hint).toMatch(/`Create\*`/);
    expect(only({ 'a.yaml': kqlRule({ query: 'event.action: Create*' }) })).toEqual([]);
  });
  it('a typo\'d field in an example\'s fields: is flagged with a suggestion', () => {
    const ds = only({ 'a.yaml': kqlRule({ tests: [{ name: 'typo', expect: 'no-match', event: { fields: { 'event.actoin': 'DeleteProvisionedModelThroughput' } } }] }) });
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({ code: 'test/unknown-field', severity: 'error' });
    expect(ds[0].hint).toMatch(/Did you mean `event\.action`/);
  });
  it('validate /nope names the path without a made-up position', () => {
    const r = runCli(['validate', '/nope']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^\/nope: error file\/not-found: No such file or directory: \/nope$/m);
    expect(r.stdout).not.toMatch(/\/nope:1:1/);
  });
});
