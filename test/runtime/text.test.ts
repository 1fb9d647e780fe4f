import { describe, expect, it } from 'vitest';
import { analyzeText, anyTokenMatches, phraseMatches } from '../../src/runtime/text.js';

describe('standard analyzer approximation', () => {
  it('splits on word boundaries and lower-cases', () => {
    expect(analyzeText('Failed password for ROOT from 10.0.0.1 port 22')).toEqual(['failed', 'password', 'for', 'root', 'from', '10.0.0.1', 'port', '22']);
    expect(analyzeText("isn't wi-fi foo_bar 1.5")).toEqual(["isn't", 'wi', 'fi', 'foo_bar', '1.5']);
    expect(analyzeText('  ,;  ')).toEqual([]);
  });
  it('cuts tokens at 255 characters', () => {
    const tokens = analyzeText('a'.repeat(600));
    expect(tokens.map((x) => x.length)).toEqual([255, 255, 90]);
  });
  it('matches phrases and any-token queries', () => {
    const hay = analyzeText('Login failed for user bob');
    expect(phraseMatches(hay, analyzeText('FAILED for'))).toBe(true);
    expect(phraseMatches(hay, analyzeText('for failed'))).toBe(false);
    expect(phraseMatches(hay, [])).toBe(false);
    expect(anyTokenMatches(hay, analyzeText('alice bob'))).toBe(true);
    expect(anyTokenMatches(hay, analyzeText('alice carol'))).toBe(false);
    expect(anyTokenMatches(hay, [])).toBe(false);
  });
});
