import { describe, expect, it } from 'vitest';
import { compileQuery } from '../../src/compile-query.js';
import { checkLuceneRegex, literalSourceOffset } from '../../src/eql/regex.js';
import type { IrPredicate } from '../../src/ir/types.js';

function compile(query: string) {
  return compileQuery(query, { language: 'eql' });
}

function matches(pattern: string, value: string, op = 'regex'): boolean {
  const r = compile(`any where v ${op} ${JSON.stringify(pattern)}`);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
  return r.matcher({ v: value });
}

function regexError(query: string) {
  const r = compile(query);
  expect(r.ok, query).toBe(false);
  const d = r.ok ? undefined : r.diagnostics.find((x) => x.code === 'eql/regex');
  expect(d, query).toBeDefined();
  return d!;
}

describe('EQL regex patterns (Lucene syntax)', () => {
  it('match whole values, with . matching newlines', () => {
    expect(matches('ab.', 'abc')).toBe(true);
    expect(matches('b', 'abc')).toBe(false);
    expect(matches('a.c', 'a\nc')).toBe(true);
  });
  it('keep classes, groups, alternation and repetition', () => {
    expect(matches('[a-c]+(x|y){2}', 'abcxy')).toBe(true);
    expect(matches('a{2,3}', 'aaaa')).toBe(false);
    expect(matches('\\d+', '123')).toBe(true);
  });
  it('read ^ and $ as literal characters, @ as any string and "…" as a literal', () => {
    expect(matches('a^b$', 'a^b$')).toBe(true);
    expect(matches('a@z', 'a anything z')).toBe(true);
    expect(matches('"a.b"', 'a.b')).toBe(true);
    expect(matches('"a.b"', 'axb')).toBe(false);
  });
  it('support the operators Elasticsearch enables: &, ~, #, <n-m>', () => {
    expect(matches('@&~(.*secret.*)', 'public')).toBe(true);
    expect(matches('@&~(.*secret.*)', 'topsecretfile')).toBe(false);
    expect(matches('#', '')).toBe(false);
    expect(matches('port<1-1024>', 'port443')).toBe(true);
    expect(matches('port<1-1024>', 'port8080')).toBe(false);
  });
  it('fold ASCII case for regex~ only', () => {
    expect(matches('cmd\\.exe', 'CMD.EXE')).toBe(false);
    expect(matches('cmd\\.exe', 'CMD.EXE', 'regex~')).toBe(true);
  });
  it('carry the Lucene pattern itself in the IR', () => {
    const r = compile('any where process.name regex~ "cmd.*"');
    expect(r.ok && r.ir.predicate).toEqual({ kind: 'regex', field: 'process.name', pattern: 'cmd.*', caseInsensitive: true } satisfies IrPredicate);
  });
  it('report invalid patterns at the offending character inside the literal', () => {
    const q = 'any where process.name regex "ab[c"';
    const d = regexError(q);
    expect(d.message).toMatch(/\]/);
    expect(d.column).toBe(q.length); // the closing quote: the class is still open there
    const q2 = 'any where process.name regex "\\\\n"';
    const d2 = regexError(q2);
    expect(d2.column).toBe(q2.indexOf('\\') + 1);
    expect(d2.message).toMatch(/not a known escape/);
  });
  it('report patterns too large to compile', () => {
    const d = regexError('any where process.name regex "x(a{1000}){1000}"');
    expect(d.message).toMatch(/more than \d+ automaton states/);
    expect(d.column).toBe('any where process.name regex "x'.length + 1);
  });
  it('report invalid patterns in value positions too', () => {
    regexError('any where substring(process.name, 1) regex "a|"');
    regexError('any where process.name regex ("ok", "[")');
  });
  it('check with the same rules the runtime uses', () => {
    expect(checkLuceneRegex('a{2}')).toEqual({ ok: true });
    expect(checkLuceneRegex('(a')).toMatchObject({ ok: false, offset: 2 });
  });
  it('map value offsets through escapes and raw strings', () => {
    expect(literalSourceOffset('"a\\\\b"', false, 2)).toBe(4);
    expect(literalSourceOffset('"\\u{1F600}x"', false, 2)).toBe(10);
    expect(literalSourceOffset('"\\u0041x"', false, 1)).toBe(7);
    expect(literalSourceOffset('"""a\\b"""', true, 2)).toBe(5);
  });
});

describe('patterns Elasticsearch refuses as too complex', () => {
  it('warns (eql/regex-complex) and still compiles and matches', () => {
    const r = compile('any where x regex "(a|b)*a(a|b){14}"');
    expect(r.ok).toBe(true);
    expect(r.diagnostics.map((d) => [d.severity, d.code])).toEqual([['warning', 'eql/regex-complex']]);
    expect(matches('(a|b)*a(a|b){14}', `${'b'.repeat(100)}a${'b'.repeat(14)}`)).toBe(true);
    expect(compile('any where x regex "(a|b)*a(a|b){3}"').diagnostics).toEqual([]);
  });
});

describe('the Elasticsearch complexity check is bounded', () => {
  it('a 2,430-character pattern (found by fuzzing; once 1 s, quadratic) is judged by a bounded amount of work', () => {
    const started = performance.now();
    const r = compile(`any where x regex~ "${'a{2,5}'.repeat(405)}"`);
    expect(r.ok).toBe(true);
    expect(performance.now() - started).toBeLessThan(1500);
  });
});
