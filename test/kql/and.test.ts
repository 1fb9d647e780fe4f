import { describe, expect, it } from 'vitest';
import { syntaxError, tree } from '../helpers/kql.js';

describe('KQL and', () => {
  it('joins operands into one flat node', () => {
    expect(tree('a:1 and b:2 and c:3')).toBe('and(is("a", "1"), is("b", "2"), is("c", "3"))');
  });
  it('is case-insensitive', () => {
    expect(tree('a:1 AND b:2 aNd c:3')).toBe('and(is("a", "1"), is("b", "2"), is("c", "3"))');
  });
  it('binds tighter than or, looser than not', () => {
    expect(tree('not a:1 and b:2 or c:3')).toBe('or(and(not(is("a", "1")), is("b", "2")), is("c", "3"))');
  });
  it('accepts newlines and tabs as whitespace', () => {
    expect(tree('a:1\n\tand\r\nb:2')).toBe('and(is("a", "1"), is("b", "2"))');
  });
  it('accepts a no-break space as whitespace', () => {
    expect(tree('a:1\u00a0and\u00a0b:2')).toBe('and(is("a", "1"), is("b", "2"))');
  });
  it('needs whitespace before it after a quoted value', () => {
    expect(syntaxError('"x"and "y"')).toBe('Expected ":", "<", "<=", ">", ">=", AND, OR, end of input, or whitespace but "a" found.');
  });
  it('a trailing keyword with no operand after it is part of the value', () => {
    expect(tree('a:1 and')).toBe('is("a", "1 and")');
  });
  it('reports a dangling and not', () => {
    expect(syntaxError('response:200 and not ')).toBe('Expected "(", fieldName, or value but end of input found.');
  });
});
