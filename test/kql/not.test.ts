import { describe, expect, it } from 'vitest';
import { syntaxError, tree } from '../helpers/kql.js';

describe('KQL not', () => {
  it('negates one sub-query', () => {
    expect(tree('not a:1')).toBe('not(is("a", "1"))');
    expect(tree('NOT (a:1 or b:2)')).toBe('not(or(is("a", "1"), is("b", "2")))');
  });
  it('cannot be doubled without parentheses', () => {
    expect(syntaxError('not not a:1')).toMatch(/^Expected/);
    expect(tree('not (not a:1)')).toBe('not(not(is("a", "1")))');
  });
  it('needs whitespace after it', () => {
    expect(syntaxError('not(a:1)')).toMatch(/but "\(" found/);
  });
  it('is a field name when followed by something else', () => {
    expect(tree('notify:1')).toBe('is("notify", "1")');
  });
  it('negates values inside a value list', () => {
    expect(tree('a:(b and not c)')).toBe('and(is("a", "b"), not(is("a", "c")))');
  });
  it('cannot follow the colon directly', () => {
    expect(syntaxError('f: not x')).toMatch(/^Expected/);
  });
  it('blocks an unquoted value where it starts a word followed by a space', () => {
    expect(syntaxError('msg:cannot do')).toMatch(/^Expected/);
  });
  it('reports a dangling not inside a list', () => {
    expect(syntaxError('response:(200 and not )')).toBe('Expected "(" or value but ")" found.');
  });
});
