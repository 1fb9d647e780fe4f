import { describe, expect, it } from 'vitest';
import { createFieldSchema } from '../../src/fields/index.js';
import { lowerKql } from '../../src/kql/lower.js';
import { parseKql } from '../../src/kql/parse.js';

function lower(query: string, extraFields: Record<string, string> = {}) {
  const parsed = parseKql(query);
  if (!parsed.ok) throw new Error(parsed.diagnostics[0].message);
  return lowerKql(parsed.ast, { schema: createFieldSchema({ extraFields }), source: query });
}

function ir(query: string, extraFields: Record<string, string> = {}) {
  const r = lower(query, extraFields);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
  return r.ir;
}

describe('lowering KQL to IR', () => {
  it('picks semantics from the field schema', () => {
    expect(ir('event.action: x').predicate).toEqual({ kind: 'term', field: 'event.action', type: 'keyword', value: 'x' });
    expect(ir('http.response.status_code: 200').predicate).toEqual({ kind: 'term', field: 'http.response.status_code', type: 'integer', value: 200 });
    expect(ir('message: "a b"').predicate).toEqual({ kind: 'match', field: 'message', mode: 'phrase', query: 'a b' });
    expect(ir('message: a').predicate).toEqual({ kind: 'match', field: 'message', mode: 'any', query: 'a' });
    expect(ir('aws.cloudtrail.read_only: true').predicate).toEqual({ kind: 'term', field: 'aws.cloudtrail.read_only', type: 'boolean', value: true });
    expect(ir('source.ip: 10.0.0.0/8').predicate).toEqual({ kind: 'term', field: 'source.ip', type: 'ip', value: '10.0.0.0/8' });
    expect(ir('@timestamp: "2024-01-01"').predicate).toEqual({ kind: 'term', field: '@timestamp', type: 'date', value: '2024-01-01' });
    expect(ir('score: 1.5', { score: 'float' }).predicate).toEqual({ kind: 'term', field: 'score', type: 'number', value: 1.5 });
  });
  it('merges value lists into sets and lists the fields read', () => {
    const q = ir('event.action: (a or b) and not event.outcome: failure');
    expect(q.predicate).toEqual({
      kind: 'and',
      args: [
        { kind: 'terms', field: 'event.action', type: 'keyword', values: ['a', 'b'] },
        { kind: 'not', arg: { kind: 'term', field: 'event.outcome', type: 'keyword', value: 'failure' } },
      ],
    });
    expect(q.fields).toEqual(['event.action', 'event.outcome']);
    expect(q).toMatchObject({ irVersion: 3, language: 'kuery' });
  });
  it('lowers wildcards to Lucene patterns, escaping ? and \\', () => {
    expect(ir('f: a?b\\*c*').predicate).toEqual({ kind: 'wildcard', field: 'f', pattern: 'a\\?b\\*c*' });
    expect(ir('f: *').predicate).toEqual({ kind: 'exists', field: 'f' });
  });
  it('lowers ranges with typed bounds', () => {
    expect(ir('bytes >= 10', { bytes: 'long' }).predicate).toEqual({ kind: 'range', field: 'bytes', type: 'integer', gte: 10 });
    expect(ir('@timestamp < "now-1d"').predicate).toEqual({ kind: 'range', field: '@timestamp', type: 'date', lt: 'now-1d' });
    expect(ir('name > m').predicate).toEqual({ kind: 'range', field: 'name', type: 'keyword', gt: 'm' });
  });
  it('keeps nested paths relative and reads full names for types', () => {
    expect(ir('p: { n: 1 }', { 'p.n': 'long' }).predicate).toEqual({ kind: 'nested', path: 'p', query: { kind: 'term', field: 'n', type: 'integer', value: 1 } });
    expect(ir('p: { n: 1 }', { 'p.n': 'long' }).fields).toEqual(['p.n']);
  });
  it('lowers free text and field-name patterns', () => {
    expect(ir('foo').predicate).toMatchObject({ kind: 'freeText', mode: 'exact', query: 'foo' });
    expect(ir('"a b"').predicate).toMatchObject({ kind: 'freeText', mode: 'phrase' });
    expect(ir('host.*: x').predicate).toMatchObject({ kind: 'freeText', mode: 'exact', query: 'x', fieldPattern: 'host.*' });
    expect(ir('host.*: *').predicate).toMatchObject({ kind: 'freeText', mode: 'exists', fieldPattern: 'host.*' });
    expect(ir('*').predicate).toEqual({ kind: 'const', value: true });
    expect(ir('').predicate).toEqual({ kind: 'const', value: true });
  });
  it('reports type errors at the offending place', () => {
    const r = lower('a: 1 and\n  bytes: lots', { bytes: 'long' });
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]).toMatchObject({ code: 'kql/type-mismatch', severity: 'error', line: 2, column: 3, endLine: 2, endColumn: 14 });
  });
  it('warns about queries that match nothing in Elasticsearch', () => {
    expect(lower('f: null').diagnostics.map((d) => d.code)).toEqual(['kql/null-value']);
    expect(lower('host: x').diagnostics.map((d) => d.code)).toEqual(['kql/object-field']);
    expect(lower('host.* > 1').diagnostics.map((d) => d.code)).toEqual(['kql/unsupported']);
  });
});
