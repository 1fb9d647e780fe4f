import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeText, analyzeTextUnicode, anyTokenMatches, phraseMatches } from '../../src/runtime/primitives/text.js';

describe('analyzeText (standard analyzer approximation)', () => {
  it('splits on word boundaries and lower-cases', () => {
    expect(analyzeText('Failed password for ROOT from 10.0.0.1 port 22')).toEqual(['failed', 'password', 'for', 'root', 'from', '10.0.0.1', 'port', '22']);
    expect(analyzeText("isn't wi-fi foo_bar 1.5")).toEqual(["isn't", 'wi', 'fi', 'foo_bar', '1.5']);
    expect(analyzeText('')).toEqual([]);
    expect(analyzeText('  ,;  ')).toEqual([]);
    expect(analyzeText('___ _ -')).toEqual([]);
  });

  it('follows UAX #29 around mid-word punctuation', () => {
    expect(analyzeText('e.g. U.S.A. example.com')).toEqual(['e.g', 'u.s.a', 'example.com']);
    expect(analyzeText('1,000 1;2 3.14.15 v1.2 ab12.cd a.1 1.a')).toEqual(['1,000', '1;2', '3.14.15', 'v1.2', 'ab12', 'cd', 'a', '1', '1', 'a']);
    expect(analyzeText("rock'n'roll 1'2 a'1 'quoted'")).toEqual(["rock'n'roll", "1'2", 'a', '1', 'quoted']);
    expect(analyzeText('foo:bar a:1 C:\\Windows\\System32')).toEqual(['foo:bar', 'a', '1', 'c', 'windows', 'system32']);
    expect(analyzeText('x86_64 _private trailing_ a__b 1_a')).toEqual(['x86_64', '_private', 'trailing_', 'a__b', '1_a']);
    expect(analyzeText('a_.b a._b')).toEqual(['a_', 'b', 'a', '_b']);
  });

  it('splits e-mail addresses and URLs at their punctuation', () => {
    expect(analyzeText('john.doe@Example.COM')).toEqual(['john.doe', 'example.com']);
    expect(analyzeText('https://www.example.com/a/b?c=d&e=1#frag')).toEqual(['https', 'www.example.com', 'a', 'b', 'c', 'd', 'e', '1', 'frag']);
  });

  it('treats every kind of white space and control character as a boundary', () => {
    expect(analyzeText('a\tb\nc\r\nd\u000be\u000cf\u0000g')).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    expect(analyzeText('a\u00a0b\u2003c')).toEqual(['a', 'b', 'c']);
  });

  it('handles non-ASCII letters, lower-casing per code point as Java does', () => {
    expect(analyzeText('Über Straße ÉCOLE')).toEqual(['über', 'straße', 'école']);
    expect(analyzeText('İstanbul')).toEqual(['istanbul']);
    expect(analyzeText('ΟΔΟΣ')).toEqual(['οδοσ']);
    expect(analyzeText('Привет, мир')).toEqual(['привет', 'мир']);
    expect(analyzeText('한국어 텍스트')).toEqual(['한국어', '텍스트']);
    expect(analyzeText('カタカナ')).toEqual(['カタカナ']);
  });

  it('makes one token per Han ideograph and per hiragana, as Lucene does', () => {
    expect(analyzeText('中文字符')).toEqual(['中', '文', '字', '符']);
    expect(analyzeText('abc中文def')).toEqual(['abc', '中', '文', 'def']);
    expect(analyzeText('ひらがな')).toEqual(['ひ', 'ら', 'が', 'な']);
  });

  it('keeps Thai runs whole, as Lucene does', () => {
    expect(analyzeText('ไทยภาษาไทย abc')).toEqual(['ไทยภาษาไทย', 'abc']);
  });

  it('emits emoji as tokens', () => {
    expect(analyzeText('I 😀 cats')).toEqual(['i', '😀', 'cats']);
  });

  it('cuts tokens at 255 characters', () => {
    expect(analyzeText('a'.repeat(600)).map((x) => x.length)).toEqual([255, 255, 90]);
    expect(analyzeText('a'.repeat(255))).toEqual(['a'.repeat(255)]);
    expect(analyzeText('a'.repeat(256)).map((x) => x.length)).toEqual([255, 1]);
    expect(analyzeText(`${'Ä'.repeat(300)} x`).map((x) => x.length)).toEqual([255, 45, 1]);
    expect(analyzeText('A'.repeat(256))[0]).toBe('a'.repeat(255));
  });

  it('takes the same tokens on the ASCII fast path as through Intl.Segmenter (property)', () => {
    const ascii = fc.array(fc.constantFrom('a', 'B', 'z', '0', '9', '_', '.', ',', ';', ':', "'", ' ', '-', '@', '/', '\n', '\t', '"'), { maxLength: 30 }).map((a) => a.join(''));
    fc.assert(
      fc.property(ascii, (s) => {
        expect(analyzeText(s)).toEqual(analyzeTextUnicode(s));
      }),
      { numRuns: 5000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii', maxLength: 40 }), (s) => {
        expect(analyzeText(s)).toEqual(analyzeTextUnicode(s));
      }),
      { numRuns: 2000 },
    );
  });

  it('never yields empty or over-long tokens, and is idempotent on its own tokens (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (s) => {
        const tokens = analyzeText(s);
        for (const token of tokens) {
          expect(token.length).toBeGreaterThan(0);
          expect(token.length).toBeLessThanOrEqual(255);
          expect(token).toBe(token.toLowerCase());
        }
      }),
    );
  });
});

describe('phraseMatches', () => {
  const hay = analyzeText('Login failed for user bob from host bob-pc');
  it('finds consecutive tokens in order', () => {
    expect(phraseMatches(hay, analyzeText('FAILED for'))).toBe(true);
    expect(phraseMatches(hay, analyzeText('login failed for user bob from host bob pc'))).toBe(true);
    expect(phraseMatches(hay, analyzeText('bob pc'))).toBe(true);
    expect(phraseMatches(hay, analyzeText('bob'))).toBe(true);
    expect(phraseMatches(hay, analyzeText('for failed'))).toBe(false);
    expect(phraseMatches(hay, analyzeText('failed user'))).toBe(false);
    expect(phraseMatches(hay, analyzeText('pc extra'))).toBe(false);
    expect(phraseMatches(hay, analyzeText('login failed for user bob from host bob pc now'))).toBe(false);
  });
  it('matches nothing for an empty phrase or haystack', () => {
    expect(phraseMatches(hay, [])).toBe(false);
    expect(phraseMatches([], [])).toBe(false);
    expect(phraseMatches([], ['a'])).toBe(false);
  });
  it('finds every contiguous slice of the haystack (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 12 }), fc.nat(), fc.nat(), (tokens, i, n) => {
        if (tokens.length === 0) return;
        const from = i % tokens.length;
        const slice = tokens.slice(from, from + 1 + (n % (tokens.length - from)));
        expect(phraseMatches(tokens, slice)).toBe(true);
      }),
    );
  });
});

describe('anyTokenMatches', () => {
  const hay = analyzeText('Login failed for user bob');
  it('is true when any query token is a value token', () => {
    expect(anyTokenMatches(hay, analyzeText('alice bob'))).toBe(true);
    expect(anyTokenMatches(hay, analyzeText('LOGIN'))).toBe(true);
    expect(anyTokenMatches(hay, analyzeText('alice carol'))).toBe(false);
    expect(anyTokenMatches(hay, analyzeText('bo'))).toBe(false);
  });
  it('matches nothing for empty query tokens', () => {
    expect(anyTokenMatches(hay, [])).toBe(false);
    expect(anyTokenMatches([], [])).toBe(false);
    expect(anyTokenMatches([], ['a'])).toBe(false);
  });
});
