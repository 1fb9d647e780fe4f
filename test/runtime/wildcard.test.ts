import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileWildcard, escapeWildcard, hasWildcard } from '../../src/runtime/wildcard.js';

/** Reference semantics: a memoised dynamic programme over (pattern token, value position). */
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
  const memo = new Map<string, boolean>();
  const go = (t: number, p: number): boolean => {
    const key = `${t},${p}`;
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

describe('compileWildcard', () => {
  it('matches whole values', () => {
    expect(compileWildcard('foo*', false)('foobar')).toBe(true);
    expect(compileWildcard('foo*', false)('xfoobar')).toBe(false);
    expect(compileWildcard('*bar', false)('foobar')).toBe(true);
    expect(compileWildcard('*ob*', false)('foobar')).toBe(true);
    expect(compileWildcard('f?o', false)('foo')).toBe(true);
    expect(compileWildcard('f?o', false)('fo')).toBe(false);
    expect(compileWildcard('a*b*c', false)('abc')).toBe(true);
    expect(compileWildcard('a*b*c', false)('acb')).toBe(false);
    expect(compileWildcard('*', false)('')).toBe(true);
    expect(compileWildcard('ab*ba', false)('aba')).toBe(false);
  });
  it('honours escapes', () => {
    expect(compileWildcard('a\\*b', false)('a*b')).toBe(true);
    expect(compileWildcard('a\\*b', false)('axb')).toBe(false);
    expect(compileWildcard('a\\?', false)('a?')).toBe(true);
    expect(compileWildcard('a\\\\*', false)('a\\bc')).toBe(true);
  });
  it('folds case when asked', () => {
    expect(compileWildcard('*POWERSHELL*', true)('C:\\Windows\\powershell.exe')).toBe(true);
    expect(compileWildcard('*POWERSHELL*', false)('powershell.exe')).toBe(false);
  });
  it('treats ? as one code point', () => {
    expect(compileWildcard('a?b', false)('a😀b')).toBe(true);
  });
  it('agrees with a reference matcher on random patterns (property)', () => {
    const alphabet = fc.constantFrom('a', 'b', '*', '?', '\\');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 8 }).map((a) => a.join('')), fc.array(fc.constantFrom('a', 'b', '*', '?', '\\'), { maxLength: 10 }).map((a) => a.join('')), (pattern, value) => {
        expect(compileWildcard(pattern, false)(value)).toBe(reference(pattern, value));
      }),
      { numRuns: 20000 },
    );
  });
  it('stays polynomial on patterns that make backtracking matchers explode', () => {
    const value = 'a'.repeat(100_000);
    expect(compileWildcard('*a*a*a*a*a*a*a*a*b', false)(value)).toBe(false);
    expect(compileWildcard('*a?a*a?a*a?a*b', false)(value)).toBe(false);
    expect(compileWildcard('*a*a*a*a*a*a*a*a*a', false)(value)).toBe(true);
  });
  it('escapes and detects wildcards', () => {
    expect(escapeWildcard('a*b?c\\')).toBe('a\\*b\\?c\\\\');
    expect(hasWildcard(escapeWildcard('a*b?'))).toBe(false);
    expect(hasWildcard('a*')).toBe(true);
    fc.assert(fc.property(fc.string(), (s) => compileWildcard(escapeWildcard(s), false)(s)));
  });
});
