import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { compileQuery } from '../../src/compile-query.js';
import { irJsonSchema } from '../../src/ir/schema.js';
import { simplifyPredicate } from '../../src/ir/simplify.js';
import type { IrPredicate } from '../../src/ir/types.js';
import { hasShared, readSharedJsonLines } from '../helpers/shared.js';

const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(irJsonSchema);

const samples = [
  'data_stream.dataset: "aws.cloudtrail" and event.action: (A or B) and not event.outcome: failure',
  'bytes > 10 and @timestamp >= "now-1d/d" and source.ip: 10.0.0.0/8 and message: "a b" and p: { q: 1 }',
  'free text and host.*: x and f: a*b and user.name: *',
];

describe('the IR JSON schema', () => {
  it('accepts the IR of every kind of KQL query', () => {
    for (const q of samples) {
      const r = compileQuery(q, { language: 'kuery' });
      expect(r.ok).toBe(true);
      if (r.ok) expect(validate(JSON.parse(JSON.stringify(r.ir))), JSON.stringify(validate.errors)).toBe(true);
    }
  });
  it.skipIf(!hasShared())("accepts the IR of Elastic's published kuery rules", () => {
    const rows = readSharedJsonLines<{ language: string | null; query: string | null }>('corpus/rules/queries.jsonl');
    let checked = 0;
    for (const row of rows) {
      if (row.language !== 'kuery' || !row.query) continue;
      const r = compileQuery(row.query, { language: 'kuery' });
      if (!r.ok) continue;
      expect(validate(r.ir), JSON.stringify(validate.errors)).toBe(true);
      checked++;
    }
    expect(checked).toBeGreaterThan(300);
  });
  it('accepts the IR of EQL event queries', () => {
    for (const q of [
      'process where process.name : "cmd*" and not process.args in ("a", "b")',
      'any where length(a) > 2 and a regex "x.*" and b / 2.0 == 1 and ?c.d == null and string(b * 1.5) == "3.0"',
      'sequence by user.id with maxspan=5m [a where true] by ?host.id ![b where true] by host.id [c where true] by host.id until [d where true] by host.id',
      'sample by host.id [a where true] [b where true]',
    ]) {
      const r = compileQuery(q, { language: 'eql' });
      expect(r.ok, q).toBe(true);
      if (r.ok) expect(validate(JSON.parse(JSON.stringify(r.ir))), JSON.stringify(validate.errors)).toBe(true);
    }
  });
  it('accepts the IR of date_nanos terms and ranges, date join keys and floating arithmetic calls', () => {
    const mapping = { properties: { t: { type: 'date_nanos' }, d: { type: 'date' }, x: { type: 'double' } } };
    for (const q of [
      'any where t == "2024-01-01T00:00:00.000000001Z" and t < "2025-01-01" and divide(x, 2) > 1',
      'sequence by d [a where true] by t [b where true] by t',
      'sample by ?d [a where true] [b where true]',
    ]) {
      const r = compileQuery(q, { language: 'eql', mapping });
      expect(r.ok, q).toBe(true);
      if (r.ok) expect(validate(JSON.parse(JSON.stringify(r.ir))), JSON.stringify(validate.errors)).toBe(true);
    }
  });
  it('rejects malformed IR', () => {
    expect(validate({ irVersion: 2, language: 'kuery', fields: [], predicate: { kind: 'term', field: 'a' } })).toBe(false);
    expect(validate({ irVersion: 1, language: 'kuery', fields: [], predicate: { kind: 'const', value: true } })).toBe(false);
  });
});

describe('simplifyPredicate', () => {
  const t = (value: string): IrPredicate => ({ kind: 'term', field: 'a', type: 'keyword', value });
  it('merges or-ed equalities on one field into a set', () => {
    expect(simplifyPredicate({ kind: 'or', args: [t('x'), t('y'), { kind: 'exists', field: 'b' }, t('z')] })).toEqual({
      kind: 'or',
      args: [{ kind: 'terms', field: 'a', type: 'keyword', values: ['x', 'y', 'z'] }, { kind: 'exists', field: 'b' }],
    });
  });
  it('flattens, folds constants and removes double negation', () => {
    expect(simplifyPredicate({ kind: 'and', args: [{ kind: 'const', value: true }, { kind: 'and', args: [t('x'), { kind: 'not', arg: { kind: 'not', arg: t('y') } }] }] })).toEqual({
      kind: 'and',
      args: [t('x'), t('y')],
    });
    expect(simplifyPredicate({ kind: 'or', args: [t('x'), { kind: 'const', value: true }] })).toEqual({ kind: 'const', value: true });
    expect(simplifyPredicate({ kind: 'not', arg: { kind: 'const', value: false } })).toEqual({ kind: 'const', value: true });
  });
});
