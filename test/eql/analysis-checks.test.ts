import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileQuery } from '../../src/compile-query.js';
import { javaDoubleText } from '../../src/runtime/match/eql-functions.js';
import { eql, eqlErrors, eqlMatcher } from './helpers.js';

function compiled(query: string, mapping?: unknown) {
  return compileQuery(query, { language: 'eql', categoryField: 'c', ...(mapping ? { mapping } : {}) });
}

const matcher = (query: string, mapping?: unknown) => eqlMatcher(query, 'c', mapping);

function errorsOf(query: string, mapping?: unknown) {
  const r = compiled(query, mapping);
  expect(r.ok, `${query} should be refused`).toBe(false);
  return r.diagnostics.filter((d) => d.severity === 'error').map((d) => ({ code: d.code, message: d.message }));
}

describe('conditions must be boolean', () => {
  it('refuses a number or a string where a condition goes, before looking at any mapping', () => {
    expect(eqlErrors('x where 7')[0]).toMatchObject({ code: 'eql/type-mismatch', message: 'A condition must be boolean, but [7] is a number.' });
    expect(eqlErrors('x where "yes"')[0].message).toBe('A condition must be boolean, but ["yes"] is a string.');
    expect(eqlErrors('x where length(a)')[0].message).toBe('A condition must be boolean, but [length(a)] is a number.');
    expect(eqlErrors('x where a + 1')[0].message).toBe('A condition must be boolean, but [a + 1] is a number.');
    expect(eqlErrors('x where -a')[0].code).toBe('eql/type-mismatch');
  });
  it('checks every operand of and, or and not, also nested inside a comparison', () => {
    expect(eqlErrors('x where a == 1 and concat(b)')[0].message).toBe('A condition must be boolean, but [concat(b)] is a string.');
    expect(eqlErrors('x where 2 or a == 1')[0].message).toBe('A condition must be boolean, but [2] is a number.');
    expect(eqlErrors('x where not substring(a, 1)')[0].code).toBe('eql/type-mismatch');
    expect(eqlErrors('x where (a == 1 and 3) == true')[0].message).toBe('A condition must be boolean, but [3] is a number.');
    expect(eqlErrors('sequence [x where true] [y where "z"]')[0].code).toBe('eql/type-mismatch');
    expect(eqlErrors('sequence [x where true] [y where true] until [z where 0]')[0].code).toBe('eql/type-mismatch');
    expect(eqlErrors('sample [x where 1.5] [y where true]')[0].code).toBe('eql/type-mismatch');
  });
  it('accepts booleans, null, comparisons, boolean functions and fields of unknown type', () => {
    for (const q of ['x where true', 'x where null', 'x where not false', 'x where startsWith(a, "b")', 'x where cidrMatch(ip, "10.0.0.0/8") or a', 'x where a and not b', 'x where ?a', 'x where (length(a) > 1) == true']) {
      expect(() => eql(q), q).not.toThrow();
    }
  });
  it('refuses a field whose mapped type is not boolean, wherever a condition goes', () => {
    const mapping = { properties: { pid: { type: 'long' }, name: { type: 'keyword' }, flag: { type: 'boolean' } } };
    expect(errorsOf('x where pid', mapping)[0]).toEqual({ code: 'eql/type-mismatch', message: 'A condition must be boolean, but `pid` is a long field.' });
    expect(errorsOf('x where flag and name', mapping)[0].message).toBe('A condition must be boolean, but `name` is a keyword field.');
    expect(errorsOf('x where not ?pid', mapping)[0].message).toBe('A condition must be boolean, but `pid` is a long field.');
    // ECS types it too when there is no mapping: process.pid is a long.
    expect(compileQuery('process where process.pid', { language: 'eql' }).ok).toBe(false);
    expect(compiled('x where flag or not flag', mapping).ok).toBe(true);
  });
  it('reads a field standing alone as a condition as field == true', () => {
    const mapping = { properties: { flag: { type: 'boolean' }, n: { type: 'long' } } };
    const alone = matcher('x where flag', mapping);
    const inAnd = matcher('x where n == 1 and flag', mapping);
    const events = [{ c: 'x', n: 1, flag: true }, { c: 'x', n: 1, flag: false }, { c: 'x', n: 1 }, { c: 'x', n: 1, flag: [false, true] }];
    expect(events.map((e) => alone(e))).toEqual([true, false, false, true]);
    expect(events.map((e) => inAnd(e))).toEqual([true, false, false, true]);
    // Unmapped, only the value true counts: a text or a number is not true.
    const unmapped = matcher('x where f');
    expect([{ c: 'x', f: true }, { c: 'x', f: 'true ' }, { c: 'x', f: 1 }, { c: 'x' }].map((e) => unmapped(e))).toEqual([true, false, false, false]);
  });
  it('holds for random boolean values: `where f` agrees with `where f == true`', () => {
    const mapping = { properties: { f: { type: 'boolean' }, g: { type: 'boolean' } } };
    const pairs = [
      ['x where f', 'x where f == true'],
      ['x where f or g', 'x where f == true or g == true'],
      ['x where not (f and g)', 'x where not (f == true and g == true)'],
    ].map(([a, b]) => [matcher(a, mapping), matcher(b, mapping)] as const);
    const value = fc.option(fc.oneof(fc.boolean(), fc.array(fc.boolean(), { maxLength: 3 })), { nil: undefined });
    fc.assert(
      fc.property(value, value, (f, g) => {
        const event = { c: 'x', ...(f === undefined ? {} : { f }), ...(g === undefined ? {} : { g }) };
        for (const [a, b] of pairs) expect(a(event)).toBe(b(event));
      }),
    );
  });
});

describe('join keys', () => {
  it('must be fields, in sequences and samples alike', () => {
    expect(eqlErrors('sequence by 1 [a where true] [b where true]')[0]).toMatchObject({ code: 'eql/syntax', message: 'A join key must be a field, found [1].' });
    expect(eqlErrors('sequence [a where true] by k * 2 [b where true] by k * 2')[0].message).toBe('A join key must be a field, found [k * 2].');
    expect(eqlErrors('sequence [a where true] by k [b where true] by k until [c where true] by string(k)')[0].message).toBe('A join key must be a field, found [string(k)].');
    expect(eqlErrors('sample by "k" [a where true] [b where true]')[0].code).toBe('eql/syntax');
    expect(() => eql('sequence by ?k, host.name [a where true] by user.id [b where true] by user.name')).not.toThrow();
  });
  it('of a sequence must have compatible types, stage by stage against the first', () => {
    const mapping = { properties: { pid: { type: 'long' }, ppid: { type: 'integer' }, name: { type: 'keyword' }, path: { type: 'text' }, ip: { type: 'ip' }, at: { type: 'date' } } };
    expect(errorsOf('sequence [a where true] by pid [b where true] by name', mapping)[0]).toEqual({
      code: 'eql/type-mismatch',
      message: 'Join key `name` is a keyword field and cannot join `pid`, a long field, in the first stage.',
    });
    expect(errorsOf('sequence [a where true] by name [b where true] by name until [c where true] by ip', mapping)[0].code).toBe('eql/type-mismatch');
    expect(errorsOf('sequence [a where true] by at [b where true] by pid', mapping)[0].code).toBe('eql/type-mismatch');
    // Numbers join numbers, keyword joins text; a field of unknown type (or a missing ?optional one) joins anything.
    for (const q of ['sequence [a where true] by pid [b where true] by ppid', 'sequence [a where true] by name [b where true] by path', 'sequence [a where true] by name [b where true] by ?nothing', 'sequence [a where true] by pid [b where true] by unmapped']) {
      expect(compiled(q, mapping).ok, q).toBe(true);
    }
    // Samples are not checked (Elasticsearch checks sequences only).
    expect(compiled('sample [a where true] by pid [b where true] by name', mapping).ok).toBe(true);
  });
});

describe('numbers written as text', () => {
  const run = (query: string, event: Record<string, unknown>, mapping?: unknown) => matcher(query, mapping)({ c: 'x', ...event });
  it('writes doubles as Java does: always a fraction, scientific outside 10^-3 … 10^7', () => {
    expect(run('x where string(2.0) == "2.0"', {})).toBe(true);
    expect(run('x where concat("v", 0.5, "/", 3) == "v0.5/3"', {})).toBe(true);
    expect(run('x where string(12345678.5) == "1.23456785E7"', {})).toBe(true);
    expect(run('x where string(0.00025) == "2.5E-4"', {})).toBe(true);
    expect(run('x where string(-0.0) == "-0.0"', {})).toBe(true);
    expect(run('x where string(number("4.0")) == "4.0"', {})).toBe(true);
    expect(run('x where string(n * 1.0) == "6.0" and string(n) == "6"', { n: 6 })).toBe(true);
    expect(run('x where concat(d, "") == "3.0" and string(d / 2) == "1.5"', { d: 3 }, { properties: { d: { type: 'double' } } })).toBe(true);
    // Longs stay plain; a value with a fraction is a double whatever its field.
    expect(run('x where string(n) == "1.0E-5"', { n: 0.00001 })).toBe(true);
    expect(run('x where concat(n) == "123456789012"', { n: 123456789012 })).toBe(true);
  });
  it('for all doubles, the text reads back as the same number and has the shape Java gives it', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), (x) => {
        const text = javaDoubleText(x);
        const abs = Math.abs(x);
        if (!Number.isFinite(x)) expect(text).toBe(x > 0 ? 'Infinity' : '-Infinity');
        else if (abs === 0 || (abs >= 1e-3 && abs < 1e7)) expect(text).toMatch(/^-?\d+\.\d+$/);
        else expect(text).toMatch(/^-?[1-9]\.\d+E-?\d+$/);
        expect(Object.is(Number(text), x)).toBe(true);
      }),
    );
  });
});

describe('indexOf past the end', () => {
  const run = (query: string) => matcher(query)({ c: 'x', s: 'abc' });
  it('finds the empty string at the end, and nothing else', () => {
    expect(run('x where indexOf(s, "", 10) == 3')).toBe(true);
    expect(run('x where indexOf(s, "c", 10) == null')).toBe(true);
    expect(run('x where indexOf(s, "a", -4) == 0')).toBe(true);
  });
  it('agrees with a model of Java String.indexOf for all inputs', () => {
    const javaIndexOf = (s: string, sub: string, from: number): number | null => {
      const start = Math.max(0, from);
      for (let i = start; i + sub.length <= s.length; i++) if (s.startsWith(sub, i)) return i;
      return sub === '' && start >= s.length ? s.length : null;
    };
    const text = fc.string({ unit: fc.constantFrom('a', 'b'), maxLength: 5 });
    fc.assert(
      fc.property(text, text, fc.integer({ min: -3, max: 8 }), (s, sub, from) => {
        const call = `indexOf(s, ${JSON.stringify(sub)}, ${from})`;
        const expected = javaIndexOf(s, sub, from);
        expect(matcher(`x where ${call} == ${expected ?? 'null'}`)({ c: 'x', s })).toBe(true);
        expect(matcher(`x where ${call} == ${expected === null ? 0 : expected + 1}`)({ c: 'x', s })).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});

describe('function arguments', () => {
  it('are checked by the type a computed argument has, not only for literals', () => {
    expect(eqlErrors('x where length(length(a)) > 1')[0]).toMatchObject({ code: 'eql/type-mismatch', message: 'Argument 1 of [length] must be a string, found [length(a)], a number.' });
    expect(eqlErrors('x where startsWith(a, 1 + 1)')[0].code).toBe('eql/type-mismatch');
    for (const q of ['x where startsWith(concat(a, 1), "b")', 'x where substring(a, length(b)) == "c"', 'x where add(length(a), 1) > 2', 'x where string(a == 1) == "true"']) {
      expect(() => eql(q), q).not.toThrow();
    }
  });
  it('cidrMatch takes an ip field and constant ranges', () => {
    expect(eqlErrors('x where cidrMatch("10.0.0.1", "10.0.0.0/8")')[0].message).toBe('Argument 1 of [cidrMatch] must be an ip field, found string [10.0.0.1].');
    expect(eqlErrors('x where cidrMatch(string(ip), "10.0.0.0/8")')[0].code).toBe('eql/type-mismatch');
    expect(eqlErrors('x where cidrMatch(ip, range_field)')[0].message).toBe('Argument 2 of [cidrMatch] must be a constant string (a CIDR range), found [range_field].');
    expect(errorsOf('x where cidrMatch(k, "10.0.0.0/8")', { properties: { k: { type: 'keyword' } } })[0].message).toBe('Argument 1 of [cidrMatch] must be an ip field, but `k` is a keyword field.');
    expect(compiled('x where cidrMatch(addr, "10.0.0.0/8", "::1/128")', { properties: { addr: { type: 'ip' } } }).ok).toBe(true);
  });
});

describe('integer literals too large for a long', () => {
  it('are doubles: written with an exponent, and arithmetic on them does not overflow', () => {
    const m = matcher('x where string(99999999999999999999) == "1.0E20" and 99999999999999999999 + 1 > 0');
    expect(m({ c: 'x' })).toBe(true);
    expect(matcher('x where string(4611686018427387904) == "4611686018427387904"')({ c: 'x' })).toBe(true);
  });
});

describe('comparisons need a constant side', () => {
  it('refuses comparing two values read from the event where a condition stands', () => {
    expect(errorsOf('x where a == b')[0]).toEqual({ code: 'eql/unsupported', message: 'Elasticsearch compares a field with a constant only; this condition compares two values read from the event.' });
    expect(errorsOf('x where n < 3 or not (length(a) >= length(b))')[0].code).toBe('eql/unsupported');
    expect(errorsOf('sequence [x where true] [y where a != b]')[0].code).toBe('eql/unsupported');
    expect(errorsOf('x where a in ("x", b)')[0]).toEqual({ code: 'eql/unsupported', message: 'The values of an `in` list must be constants; this one is read from the event.' });
  });
  it('accepts a constant on either side, computed constants, and comparisons inside other expressions', () => {
    for (const q of ['x where 1 + 1 == a', 'x where a == concat("p", "q")', 'x where -2 < n', 'x where (a == b) == true', 'x where string(a == b) == "true"']) {
      expect(compiled(q).ok, q).toBe(true);
    }
  });
  it('reads an ?optional field the mapping lacks as the constant null', () => {
    const mapping = { properties: { a: { type: 'keyword' }, b: { type: 'keyword' } } };
    expect(compiled('x where ?x == ?y and ?x == a', mapping).ok).toBe(true);
    expect(matcher('x where ?x == ?y', mapping)({ c: 'x', a: 'v' })).toBe(true);
    expect(errorsOf('x where ?a == ?b', mapping)[0].code).toBe('eql/unsupported');
  });
});

describe('in lists and array indexes', () => {
  it('refuses list values of a type the tested value cannot equal', () => {
    const mapping = { properties: { n: { type: 'long' }, k: { type: 'keyword' }, b: { type: 'boolean' }, ip: { type: 'ip' } } };
    expect(errorsOf('x where n in (1, "2")', mapping)[0]).toEqual({ code: 'eql/type-mismatch', message: 'The `in` list holds the string "2", but the value tested is a number.' });
    expect(errorsOf('x where k not in ("a", 3)', mapping)[0].message).toBe('The `in` list holds the number 3, but the value tested is a string.');
    expect(errorsOf('x where length(k) in (1, true)', mapping)[0].code).toBe('eql/type-mismatch');
    for (const q of ['x where n in (1, 2.5, null)', 'x where k in~ ("a", null)', 'x where b in (true)', 'x where unmapped in (1, "1")', 'x where ip in ("10.0.0.1")']) {
      expect(compiled(q, mapping).ok, q).toBe(true);
    }
  });
  it('refuses array indexes, which Elasticsearch has not', () => {
    expect(eqlErrors('x where a[0] == "b"')[0]).toMatchObject({ code: 'eql/unsupported', message: 'Array indexes (`a[0]`) are not supported by Elasticsearch EQL.' });
    expect(eqlErrors('sequence [x where true] by a.b[1].c [y where true] by d')[0].code).toBe('eql/unsupported');
  });
});

describe('number() bases', () => {
  it('are integers', () => {
    expect(eqlErrors('x where number(a, 16.0) == 1')[0]).toMatchObject({ code: 'eql/type-mismatch', message: 'Argument 2 of [number] must be an integer base, found 16.0.' });
    expect(() => eql('x where number(a, 16) == 1 and number(a, null) == 2')).not.toThrow();
  });
});
