/**
 * Regular-expression denial of service: patterns that make a backtracking engine take exponential or
 * polynomial time, run through the whole path (EQL query → IR → linked matcher) against 100 KB values.
 * With JavaScript's RegExp (the former implementation) these would not finish; an automaton finishes each in
 * linear time. The time bound is deliberately loose so a busy shared machine does not make it flaky.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { compileQuery } from '../../src/compile-query.js';

const SIZE = 100_000;
const BOUND_MS = 2_000;
const timings: string[] = [];

function compile(query: string) {
  const r = compileQuery(query, { language: 'eql' });
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.code} ${d.message}`).join('; '));
  return r.matcher;
}

/** Times one match of `query` on an event holding `value` (in `v`, and as `w`'s only array element). */
function timed(label: string, query: string, value: string): boolean {
  const matcher = compile(query);
  const event = { v: value, w: [value] };
  const started = performance.now();
  const result = matcher(event);
  const ms = performance.now() - started;
  timings.push(`${label.padEnd(44)} ${ms.toFixed(1).padStart(8)} ms`);
  expect(ms, `${label} took ${ms.toFixed(0)} ms`).toBeLessThan(BOUND_MS);
  return result;
}

function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x80000000;
  };
}

const as = 'a'.repeat(SIZE);
const random = lcg(7);
const ab = Array.from({ length: SIZE }, () => (random() < 0.5 ? 'a' : 'b')).join('');

describe('regex on 100 KB values finishes in linear time (no catastrophic backtracking)', () => {
  const cases: [string, string, string, boolean][] = [
    ['(a+)+b', '(a+)+b', as, false],
    ['(a|a)*b', '(a|a)*b', as, false],
    ['(a|aa)+c', '(a|aa)+c', as, false],
    ['(.*a){20} (no final a)', '(.*a){20}', `${as}b`, false],
    ['(.*a){20}', '(.*a){20}', as, true],
    ['(x+x+)+y', '(x+x+)+y', 'x'.repeat(SIZE), false],
    ['((a*)*)*b', '((a*)*)*b', as, false],
    ['(a*)*(b|c)+d', '(a*)*(b|c)+d', `${as}bc`, false],
    ['([a-z]+\\s?)+!', '([a-z]+\\\\s?)+!', `${'word '.repeat(SIZE / 5)}`, false],
    ['.*.*.*=.*', '.*.*.*=.*', as, false],
    ['(\\w+\\d*)+=', '(\\\\w+\\\\d*)+=', `${'a1'.repeat(SIZE / 2)}`, false],
    ['(a|b)*a(a|b){17} (DFA cache overflows)', '(a|b)*a(a|b){17}', ab, ab[SIZE - 18] === 'a'],
    ['@&~(.*evil.*)', '@&~(.*evil.*)', as, true],
    ['a{0,100}{0,40}b (8 000 NFA states)', 'a{0,100}{0,40}b', as, false],
    ['(.{0,40}x){50} (wide state sets)', '(.{0,40}x){50}', 'xyz'.repeat(SIZE / 3), false],
  ];
  for (const [label, pattern, value, expected] of cases) {
    it(`${label}`, () => {
      expect(timed(label, `any where v regex "${pattern}"`, value)).toBe(expected);
    });
  }
  it('regex~ (case-insensitive) as well', () => {
    expect(timed('regex~ (A+)+B', 'any where v regex~ "(A+)+B"', as)).toBe(false);
    expect(timed('regex~ (.*A){20}', 'any where v regex~ "(.*A){20}"', as)).toBe(true);
  });
  it('in value expressions too (a function result as the subject)', () => {
    expect(timed('substring(v, 0) regex (a+)+b', 'any where substring(v, 0) regex "(a+)+b"', as)).toBe(false);
    expect(timed('concat(w) regex (a|aa)+c', 'any where concat(w) regex "(a|aa)+c"', as)).toBe(false);
  });
  it('a match over many values of an array stays linear in their total size', () => {
    const matcher = compile('any where v regex "(a+)+b"');
    const started = performance.now();
    expect(matcher({ v: Array.from({ length: 100 }, () => 'a'.repeat(1000)) })).toBe(false);
    expect(performance.now() - started).toBeLessThan(BOUND_MS);
  });
});

describe('wildcards with many ? between stars stay linear too', () => {
  it('like "*a?a?…a?b*" (500 pairs)', () => {
    expect(timed('like *(a?)x500b*', `any where v like "*${'a?'.repeat(500)}b*"`, as)).toBe(false);
    expect(timed('like *(a?)x500* (matches)', `any where v like "*${'a?'.repeat(500)}*"`, as)).toBe(true);
  });
});

describe('patterns whose automaton would be huge are rejected at compile time', () => {
  for (const pattern of ['a{1000}{1000}', '(a{100}){100}{100}', '~((a|b)*a(a|b){14})', '((a|b)*a(a|b){14})&@']) {
    it(pattern, () => {
      const started = performance.now();
      const r = compileQuery(`any where v regex "${pattern}"`, { language: 'eql' });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.diagnostics[0]).toMatchObject({ code: 'eql/regex', message: expect.stringMatching(/more than \d+ (automaton )?states/) });
      expect(performance.now() - started).toBeLessThan(BOUND_MS * 2);
    });
  }
});

afterAll(() => {
  console.info(`regex match times on ${SIZE / 1000} KB values:\n${timings.join('\n')}`);
});
