import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kqlToDsl } from '../../../src/interop/dsl/to-dsl.js';
import { dsl, dslWithFields, json, should, STUB_FIELDS } from './helpers.js';

const osx = should({ match: { 'machine.os': 'osx' } });
const jpg = should({ match: { extension: 'jpg' } });

describe('and / or / not → DSL', () => {
  it('and puts its clauses in bool.filter, or in bool.must when filtersInMustClause', () => {
    expect(json(dslWithFields('machine.os:osx and extension:jpg'))).toBe(json({ bool: { filter: [osx, jpg] } }));
    expect(json(dslWithFields('machine.os:osx and extension:jpg', { filtersInMustClause: true }))).toBe(json({ bool: { must: [osx, jpg] } }));
  });

  it('or is a bool should needing one match', () => {
    expect(json(dsl('machine.os:osx or extension:jpg'))).toBe(json({ bool: { should: [osx, jpg], minimum_should_match: 1 } }));
  });

  it('not holds one query object in must_not', () => {
    expect(json(dsl('not extension:jpg'))).toBe(json({ bool: { must_not: jpg } }));
    expect(json(dsl('not (not extension:jpg)'))).toBe(json({ bool: { must_not: { bool: { must_not: jpg } } } }));
  });

  it('keeps the tree as parsed: n-ary operators, and binding tighter than or, parentheses nesting', () => {
    const [a, b, c] = ['a', 'b', 'c'].map((f) => should({ match: { [f]: '1' } }));
    expect(json(dsl('a:1 or b:1 and c:1'))).toBe(json({ bool: { should: [a, { bool: { filter: [b, c] } }], minimum_should_match: 1 } }));
    expect(json(dsl('a:1 and b:1 and c:1'))).toBe(json({ bool: { filter: [a, b, c] } }));
    expect(json(dsl('(a:1 and b:1) and c:1'))).toBe(json({ bool: { filter: [{ bool: { filter: [a, b] } }, c] } }));
  });

  it('value lists distribute the field over the same tree', () => {
    const v = (x: string) => should({ match: { f: x } });
    expect(json(dsl('f:(x or y and not z)'))).toBe(json({ bool: { should: [v('x'), { bool: { filter: [v('y'), { bool: { must_not: v('z') } }] } }], minimum_should_match: 1 } }));
  });
});

// Small queries from a grammar of leaves and connectives, each leaf a form the converters treat differently.
const leaf = fc.constantFrom(
  'extension:jpg',
  'extension:"jpg"',
  'machine.os.keyword:win*',
  'bytes > 10',
  '@timestamp <= "2020-01-01"',
  'ext*:x',
  'script number: 3',
  'nestedField:{ child: a }',
  '*doublyNested*: *',
  'free text',
  'x*',
  '*:*',
);
const query: fc.Arbitrary<string> = fc.letrec<{ q: string }>((tie) => ({
  q: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    tie('q').map((q) => `not (${q})`),
    fc.tuple(tie('q'), tie('q')).map(([a, b]) => `(${a}) and (${b})`),
    fc.tuple(tie('q'), tie('q')).map(([a, b]) => `(${a}) or (${b})`),
  ),
})).q;

describe('and / or / not → DSL: properties', () => {
  it('the connectives are compositional: the DSL of a compound is built from its parts’ DSL', () => {
    fc.assert(
      fc.property(query, query, (a, b) => {
        const da = dslWithFields(a);
        const db = dslWithFields(b);
        expect(json(dslWithFields(`not (${a})`))).toBe(json({ bool: { must_not: da } }));
        expect(json(dslWithFields(`(${a}) and (${b})`))).toBe(json({ bool: { filter: [da, db] } }));
        expect(json(dslWithFields(`(${a}) or (${b})`))).toBe(json({ bool: { should: [da, db], minimum_should_match: 1 } }));
      }),
      { numRuns: 150 },
    );
  });

  it('any text at all converts or fails with diagnostics, never throws, and the DSL is plain JSON', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), query), fc.boolean(), (text, withFields) => {
        const r = kqlToDsl(text, withFields ? { fields: STUB_FIELDS, caseInsensitive: true, dateFormatTZ: 'UTC' } : {});
        if (r.ok) expect(JSON.parse(JSON.stringify(r.dsl))).toEqual(r.dsl);
        else expect(r.diagnostics.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });
});
