import { describe, expect, it } from 'vitest';
import { syntaxError, tree } from '../helpers/kql.js';

describe('KQL ranges', () => {
  it('reads each operator', () => {
    expect(tree('bytes > 1000')).toBe('range("bytes", gt, "1000")');
    expect(tree('bytes >= 1000')).toBe('range("bytes", gte, "1000")');
    expect(tree('bytes < 1000')).toBe('range("bytes", lt, "1000")');
    expect(tree('bytes<=1000')).toBe('range("bytes", lte, "1000")');
  });
  it('takes quoted values such as date math', () => {
    expect(tree('@timestamp >= "now-30d/d"')).toBe('range("@timestamp", gte, Q"now-30d/d")');
  });
  it('takes exactly one literal', () => {
    expect(syntaxError('foo > ')).toBe('Expected literal or whitespace but end of input found.');
    expect(syntaxError('a > (1 or 2)')).toMatch(/^Expected/);
  });
  it('does not combine with a colon', () => {
    expect(syntaxError('a:<5')).toMatch(/^Expected/);
  });
});
