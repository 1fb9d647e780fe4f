import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileWildcard, escapeWildcard, hasWildcard } from '../../src/runtime/primitives/wildcard.js';

/** Reference semantics: a memoised dynamic programme over (pattern token, value code point). */
function reference(pattern: string, value: string): boolean {
  const tokens: { kind: 'any' | 'one' | 'lit'; ch?: string }[] = [];
  const chars = Array.from(pattern);
  for (let i = 0; i < chars.length; i++) {
    if (chars[i] === '\\' && i + 1 < chars.length) tokens.push({ kind: 'lit', ch: chars[++i] });
    else if (chars[i] === '*') tokens.push({ kind: 'any' });
    else if (chars[i] === '?') tokens.push({ kind: 'one' });
    else tokens.push({ kind: 'lit', ch: chars[i] });
  }
  const v = Array.from(value);
  const memo = new Map<number, boolean>();
  const go = (t: number, p: number): boolean => {
    const key = t * (v.length + 1) + p;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    let r: boolean;
    if (t === tokens.length) r = p === v.length;
    else if (tokens[t].kind === 'any') r = go(t + 1, p) || (p < v.length && go(t, p + 1));
    else if (p === v.length) r = false;
    else if (tokens[t].kind === 'one') r = go(t + 1, p + 1);
    else r = tokens[t].ch === v[p] && go(t + 1, p + 1);
    memo.set(key, r);
    return r;
  };
  return go(0, 0);
}

const word = (alphabet: string[], maxLength: number) => fc.array(fc.constantFrom(...alphabet), { maxLength }).map((a) => a.join(''));

describe('compileWildcard', () => {
  const m = (pattern: string, value: string, ci = false) => compileWildcard(pattern, ci)(value);

  it('matches whole values', () => {
    expect(m('foo*', 'foobar')).toBe(true);
    expect(m('foo*', 'foo')).toBe(true);
    expect(m('foo*', 'xfoobar')).toBe(false);
    expect(m('*bar', 'foobar')).toBe(true);
    expect(m('*bar', 'bar')).toBe(true);
    expect(m('*bar', 'barx')).toBe(false);
    expect(m('*ob*', 'foobar')).toBe(true);
    expect(m('*ob*', 'ob')).toBe(true);
    expect(m('*ob*', 'o b')).toBe(false);
    expect(m('foo', 'foo')).toBe(true);
    expect(m('foo', 'Foo')).toBe(false);
    expect(m('foo', 'foox')).toBe(false);
    expect(m('', '')).toBe(true);
    expect(m('', 'a')).toBe(false);
    expect(m('a*b', 'ab')).toBe(true);
    expect(m('a*b', 'axxb')).toBe(true);
    expect(m('ab*ba', 'aba')).toBe(false);
    expect(m('ab*ba', 'abba')).toBe(true);
    expect(m('a*b*c', 'abc')).toBe(true);
    expect(m('a*b*c', 'acb')).toBe(false);
    expect(m('a*b*c*d', 'a-b-c-d')).toBe(true);
    expect(m('a*b*c*d', 'a-c-b-d')).toBe(false);
    expect(m('*a*b*', 'xxbxxaxx')).toBe(false);
  });

  it('treats * as any sequence, including empty and newlines', () => {
    expect(m('*', '')).toBe(true);
    expect(m('*', 'anything\nat all')).toBe(true);
    expect(m('**', '')).toBe(true);
    expect(m('a**b', 'ab')).toBe(true);
    expect(m('start*end', 'start\r\nmiddle\nend')).toBe(true);
  });

  it('treats ? as exactly one code point', () => {
    expect(m('f?o', 'foo')).toBe(true);
    expect(m('f?o', 'fo')).toBe(false);
    expect(m('f?o', 'fooo')).toBe(false);
    expect(m('???', 'abc')).toBe(true);
    expect(m('???', 'ab')).toBe(false);
    expect(m('?', '')).toBe(false);
    expect(m('?', '\n')).toBe(true);
    expect(m('a?b', 'a😀b')).toBe(true);
    expect(m('a??b', 'a😀b')).toBe(false);
    expect(m('*?', '😀')).toBe(true);
    expect(m('?*', '😀')).toBe(true);
    expect(m('*?*', '😀')).toBe(true);
    expect(m('*??', '😀')).toBe(false);
    expect(m('*?b', 'a😀b')).toBe(true);
    expect(m('x*?😀*', 'x😀😀')).toBe(true);
    expect(m('x*??*', 'x😀')).toBe(false);
  });

  it('combines ? and * in every position', () => {
    expect(m('*a?c*', 'xxabcxx')).toBe(true);
    expect(m('*a?c*', 'xxacxx')).toBe(false);
    expect(m('?*?', 'ab')).toBe(true);
    expect(m('?*?', 'a')).toBe(false);
    expect(m('a?*?b', 'axyb')).toBe(true);
    expect(m('a?*?b', 'axb')).toBe(false);
    expect(m('*?.exe', 'cmd.exe')).toBe(true);
    expect(m('*?.exe', '.exe')).toBe(false);
    expect(m('C:\\\\*\\\\?md.exe', 'C:\\Windows\\cmd.exe')).toBe(true);
  });

  it('honours escapes', () => {
    expect(m('a\\*b', 'a*b')).toBe(true);
    expect(m('a\\*b', 'axb')).toBe(false);
    expect(m('a\\?', 'a?')).toBe(true);
    expect(m('a\\?', 'ab')).toBe(false);
    expect(m('a\\\\*', 'a\\bc')).toBe(true);
    expect(m('a\\b', 'ab')).toBe(true);
    expect(m('\\**', '*x')).toBe(true);
    expect(m('\\**', 'x*')).toBe(false);
    // A trailing lone backslash is a literal backslash (Lucene parses it leniently).
    expect(m('a\\', 'a\\')).toBe(true);
    expect(m('*\\', 'x\\')).toBe(true);
  });

  it('folds case when asked, on both sides', () => {
    expect(m('*POWERSHELL*', 'C:\\Windows\\powershell.exe', true)).toBe(true);
    expect(m('*powershell*', 'C:\\Windows\\POWERSHELL.EXE', true)).toBe(true);
    expect(m('*POWERSHELL*', 'powershell.exe', false)).toBe(false);
    expect(m('CMD.EXE', 'cmd.exe', true)).toBe(true);
    expect(m('cmd.*', 'CMD.EXE', true)).toBe(true);
    expect(m('*.EXE', 'cmd.exe', true)).toBe(true);
    expect(m('c?d*', 'CMD', true)).toBe(true);
    expect(m('ÄB*', 'äbc', true)).toBe(true);
  });

  it('agrees with a reference matcher on random patterns (property)', () => {
    const patternChars = ['a', 'b', '*', '?', '\\', '😀'];
    fc.assert(
      fc.property(word(patternChars, 9), word(['a', 'b', '*', '?', '\\', '😀'], 12), (pattern, value) => {
        expect(compileWildcard(pattern, false)(value)).toBe(reference(pattern, value));
      }),
      { numRuns: 20_000 },
    );
  });

  it('agrees with the reference on values built to match (property)', () => {
    // Random values rarely match long patterns; instantiate the pattern instead, then perturb it.
    const pattern = word(['a', 'b', '*', '?'], 10);
    fc.assert(
      fc.property(pattern, fc.array(word(['a', 'b', '😀'], 3), { maxLength: 10 }), fc.nat(), (p, fills, cut) => {
        let k = 0;
        let value = '';
        for (const ch of p) value += ch === '*' ? (fills[k++] ?? '') : ch === '?' ? 'b' : ch;
        for (const v of [value, value.slice(0, cut % (value.length + 1)), value + 'a']) {
          expect(compileWildcard(p, false)(v)).toBe(reference(p, v));
        }
      }),
      { numRuns: 10_000 },
    );
  });

  it('folding case equals matching the lower-cased pattern against the lower-cased value (property)', () => {
    fc.assert(
      fc.property(word(['a', 'A', 'b', '*', '?'], 8), word(['a', 'A', 'b', 'B'], 10), (pattern, value) => {
        expect(compileWildcard(pattern, true)(value)).toBe(reference(pattern.toLowerCase(), value.toLowerCase()));
      }),
      { numRuns: 5_000 },
    );
  });

  it('stays polynomial on patterns that make backtracking matchers explode', () => {
    const value = 'a'.repeat(100_000);
    expect(compileWildcard('*a*a*a*a*a*a*b', false)(value)).toBe(false);
    expect(compileWildcard('*a*a*a*a*a*a*a*a*b', false)(value)).toBe(false);
    expect(compileWildcard('*a?a*a?a*a?a*b', false)(value)).toBe(false);
    expect(compileWildcard('*?a*?a*?a*?*b', false)(value)).toBe(false);
    expect(compileWildcard('*A*A*A*A*B', true)(value)).toBe(false);
    expect(compileWildcard('*a*a*a*a*a*a*a*a*a', false)(value)).toBe(true);
    expect(compileWildcard('a*a?a*a', false)(value)).toBe(true);
  });
});

describe('escapeWildcard and hasWildcard', () => {
  it('escapes exactly the three special characters', () => {
    expect(escapeWildcard('a*b?c\\')).toBe('a\\*b\\?c\\\\');
    expect(escapeWildcard('plain text')).toBe('plain text');
    expect(escapeWildcard('')).toBe('');
  });

  it('detects unescaped wildcards only', () => {
    expect(hasWildcard('a*')).toBe(true);
    expect(hasWildcard('a?')).toBe(true);
    expect(hasWildcard('plain')).toBe(false);
    expect(hasWildcard('a\\*')).toBe(false);
    expect(hasWildcard('a\\?b')).toBe(false);
    expect(hasWildcard('a\\\\*')).toBe(true);
    expect(hasWildcard('trailing\\')).toBe(false);
    expect(hasWildcard(escapeWildcard('a*b?'))).toBe(false);
  });

  it('an escaped literal matches itself and nothing else (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string(), (s, other) => {
        const matches = compileWildcard(escapeWildcard(s), false);
        expect(matches(s)).toBe(true);
        expect(matches(other)).toBe(other === s);
        expect(hasWildcard(escapeWildcard(s))).toBe(false);
      }),
    );
  });
});
