import { describe, expect, it } from 'vitest';
import { translateLuceneRegex } from '../../src/eql/regex.js';

function matches(pattern: string, value: string): boolean {
  const t = translateLuceneRegex(pattern);
  if (!t.ok) throw new Error(t.reason);
  return new RegExp(`^(?:${t.source})$`, 's').test(value);
}

describe('Lucene regular expressions', () => {
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
  it('report operators that have no JavaScript form', () => {
    for (const p of ['a&b', '~a', '#', '<1-5>', '[abc', 'a\\']) expect(translateLuceneRegex(p).ok, p).toBe(false);
  });
});
