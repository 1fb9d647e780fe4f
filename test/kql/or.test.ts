import { describe, expect, it } from 'vitest';
import { syntaxError, tree } from '../helpers/kql.js';

describe('KQL or', () => {
  it('joins operands into one flat node', () => {
    expect(tree('a:1 or b:2 or c:3')).toBe('or(is("a", "1"), is("b", "2"), is("c", "3"))');
  });
  it('is case-insensitive', () => {
    expect(tree('a:1 OR b:2 Or c:3')).toBe('or(is("a", "1"), is("b", "2"), is("c", "3"))');
  });
  it('binds looser than and', () => {
    expect(tree('foo or bar and baz or qux')).toBe('or(is(null, "foo"), and(is(null, "bar"), is(null, "baz")), is(null, "qux"))');
  });
  it('needs whitespace on both sides', () => {
    expect(syntaxError('a:1 or(b:2)')).toMatch(/^Expected/);
    expect(tree('a:1or b')).toBe('is("a", "1or b")');
  });
  it('keeps explicit grouping as a separate node', () => {
    expect(tree('a:1 or (b:2 or c:3)')).toBe('or(is("a", "1"), or(is("b", "2"), is("c", "3")))');
  });
  it('reports a dangling or', () => {
    expect(syntaxError('response:200 or ')).toBe('Expected "(", NOT, fieldName, or value but end of input found.');
  });
  it('records its source range', async () => {
    const { parseKql } = await import('../../src/kql/parse.js');
    const r = parseKql('  a:1 or b:2 ');
    expect(r.ok && r.ast.loc.start.offset).toBe(2);
    expect(r.ok && r.ast.loc.end.offset).toBe(12);
  });
});
