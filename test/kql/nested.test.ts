import { describe, expect, it } from 'vitest';
import { syntaxError, tree } from '../helpers/kql.js';

describe('KQL nested', () => {
  it('groups a query under a path', () => {
    expect(tree('user.names:{ first: "Alice" and last: "White" }')).toBe('nested("user.names", and(is("first", Q"Alice"), is("last", Q"White")))');
  });
  it('nests inside nested', () => {
    expect(tree('a:1 and top:{ b:2 and middle:{ c:true } }')).toBe('and(is("a", "1"), nested("top", and(is("b", "2"), nested("middle", is("c", true)))))');
  });
  it('allows no whitespace around braces', () => {
    expect(tree('p:{q:1}')).toBe('nested("p", is("q", "1"))');
  });
  it('needs a query inside', () => {
    expect(syntaxError('p:{ }')).toMatch(/^Expected/);
  });
  it('must be closed', () => {
    expect(syntaxError('p:{ q:1 ')).toMatch(/end of input found/);
  });
});
