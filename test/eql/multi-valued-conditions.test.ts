import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileQuery } from '../../src/compile-query.js';
import { eqlMatcher } from './helpers.js';

const matcher = (query: string) => eqlMatcher(query, 'c');

/** Short words over a tiny alphabet, so prefixes, suffixes and lengths collide often. */
const word = fc.string({ unit: fc.constantFrom('a', 'b'), maxLength: 4 });
/** A field value: missing, one word, or a list of words. */
const field = fc.option(fc.oneof(word, fc.array(word, { maxLength: 4 })), { nil: undefined });
const valuesOf = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const event = (a: string | string[] | undefined) => ({ c: 'x', ...(a === undefined ? {} : { a }) });

describe('conditions over multi-valued fields', () => {
  it('a function condition holds when some value makes it true', () => {
    const ev = { c: 'x', a: ['zeta', 'alpha'], n: [5, 2] };
    expect(matcher('x where startsWith(a, "alp")')(ev)).toBe(true);
    expect(matcher('x where endsWith~(a, "PHA")')(ev)).toBe(true);
    expect(matcher('x where length(a) == 5')(ev)).toBe(true);
    expect(matcher('x where string(a) == "zeta" and string(a) == "alpha"')(ev)).toBe(true);
    expect(matcher('x where n * 2 == 4')(ev)).toBe(true);
    expect(matcher('x where n * 2 == 6')(ev)).toBe(false);
  });
  it('negated, a function holds when no value makes it true (a missing field included); a comparison when some value makes it false', () => {
    const ev = { c: 'x', a: ['zeta', 'alpha'] };
    expect(matcher('x where not startsWith(a, "alp")')(ev)).toBe(false);
    expect(matcher('x where not startsWith(a, "q")')(ev)).toBe(true);
    expect(matcher('x where not startsWith(a, "q")')({ c: 'x' })).toBe(true);
    expect(matcher('x where not (length(a) > 4)')(ev)).toBe(true);
    expect(matcher('x where not (length(a) > 3)')(ev)).toBe(false);
    expect(matcher('x where not (length(a) > 3)')({ c: 'x' })).toBe(false);
  });
  it('not cidrMatch(…) holds for an event without the address, as a must_not terms query does', () => {
    const r = compileQuery('network where not cidrMatch(destination.ip, "10.0.0.0/8", "192.168.0.0/16")', { language: 'eql' });
    if (!r.ok) throw new Error(r.diagnostics[0].message);
    expect(r.matcher({ event: { category: 'network' } })).toBe(true);
    expect(r.matcher({ event: { category: 'network' }, destination: { ip: '8.8.8.8' } })).toBe(true);
    expect(r.matcher({ event: { category: 'network' }, destination: { ip: ['8.8.8.8', '10.1.2.3'] } })).toBe(false);
  });
  it('each reference to a field takes its own value', () => {
    expect(matcher('x where concat(a, "-", a) == "ab-ba"')({ c: 'x', a: ['ab', 'ba'] })).toBe(true);
    expect(matcher('x where concat(a, "-", a) == "ab-ab"')({ c: 'x', a: ['ab', 'ba'] })).toBe(true);
    expect(matcher('x where concat(a, "-", a) == "ab-cd"')({ c: 'x', a: ['ab', 'ba'] })).toBe(false);
  });
  it('for all values: some value decides, and a negated function holds exactly when none does', () => {
    const starts = matcher('x where startsWith(a, "ab")');
    const notEnds = matcher('x where not endsWith(concat(a, ""), "b")');
    const long = matcher('x where length(a) > 2');
    const notLong = matcher('x where not (length(a) > 2)');
    const pairs = matcher('x where concat(a, a) == "abba"');
    fc.assert(
      fc.property(field, (a) => {
        const vs = valuesOf(a);
        const e = event(a);
        expect(starts(e)).toBe(vs.some((v) => v.startsWith('ab')));
        expect(notEnds(e)).toBe(!vs.some((v) => v.endsWith('b')));
        expect(long(e)).toBe(vs.some((v) => v.length > 2));
        expect(notLong(e)).toBe(vs.some((v) => v.length <= 2));
        expect(pairs(e)).toBe(vs.some((x) => vs.some((y) => x + y === 'abba')));
      }),
    );
  });
});

describe('endsWith and stringContains on a field run as wildcard queries', () => {
  it('read * and ? in the text as wildcards and a backslash as an escape', () => {
    const literalStar = matcher('x where stringContains(p, "owner=\\\\*")');
    expect(literalStar({ c: 'x', p: 'owner=*, mode=r' })).toBe(true);
    expect(literalStar({ c: 'x', p: 'owner=bob' })).toBe(false);
    expect(matcher('x where endsWith(p, "?.exe")')({ c: 'x', p: 'a.exe' })).toBe(true);
    expect(matcher('x where endsWith(p, "?.exe")')({ c: 'x', p: '.exe' })).toBe(false);
    expect(matcher('x where stringContains~(p, "A*C")')({ c: 'x', p: 'xabbcx' })).toBe(true);
  });
  it('but not when the first argument is computed: then the text is plain', () => {
    expect(matcher('x where endsWith(concat(p, ""), "?.exe")')({ c: 'x', p: 'a.exe' })).toBe(false);
    expect(matcher('x where endsWith(concat(p, ""), "?.exe")')({ c: 'x', p: 'a?.exe' })).toBe(true);
  });
  it('for all words without wildcard characters, agree with the plain function', () => {
    fc.assert(
      fc.property(field, word, (a, text) => {
        const vs = valuesOf(a);
        const e = event(a);
        expect(matcher(`x where endsWith(a, ${JSON.stringify(text)})`)(e)).toBe(vs.some((v) => v.endsWith(text)));
        expect(matcher(`x where not stringContains(a, ${JSON.stringify(text)})`)(e)).toBe(!vs.some((v) => v.includes(text)));
      }),
      { numRuns: 150 },
    );
  });
});
