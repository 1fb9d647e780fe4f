import { describe, expect, it } from 'vitest';
import { syntaxError, tree } from '../helpers/kql.js';

describe('KQL field: value', () => {
  it('matches a field with a value', () => {
    expect(tree('foo:bar')).toBe('is("foo", "bar")');
    expect(tree('foo : bar')).toBe('is("foo", "bar")');
  });
  it('keeps inner spaces of unquoted values and trims the ends', () => {
    expect(tree('foo:bar baz ')).toBe('is("foo", "bar baz")');
  });
  it('reads a value list with its own precedence', () => {
    expect(tree('f:((a or b) and not c)')).toBe('and(or(is("f", "a"), is("f", "b")), not(is("f", "c")))');
    expect(tree('a:(2 or 1)')).toBe('or(is("a", "2"), is("a", "1"))');
  });
  it('turns a one-element list into a plain is', () => {
    expect(tree('a : (b)')).toBe('is("a", "b")');
  });
  it('rejects an empty list', () => {
    expect(syntaxError('f:()')).toMatch(/^Expected/);
  });
  it('reads `field: *` as exists', () => {
    expect(tree('foo:*')).toBe('is("foo", W"*")');
  });
  it('accepts wildcard and quoted field names', () => {
    expect(tree('machine*:osx')).toBe('is(W"machine*", "osx")');
    expect(tree('"a*":b')).toBe('is(Q"a*", "b")');
    expect(tree('*:x')).toBe('is(W"*", "x")');
  });
  it('reads field names with spaces', () => {
    expect(tree('my field:1')).toBe('is("my field", "1")');
  });
  it('reads free text with no field', () => {
    expect(tree('foo bar')).toBe('is(null, "foo bar")');
    expect(tree('"a b"')).toBe('is(null, Q"a b")');
  });
  it('reads the empty query as match-all', () => {
    expect(tree('')).toBe('is(W"*", W"*")');
    expect(tree('  \n ')).toBe('is(W"*", W"*")');
  });
  it('needs a value after the colon', () => {
    expect(syntaxError('response:')).toBe('Expected "(", "{", value, or whitespace but end of input found.');
  });
  it('rejects unescaped special characters inside a value', () => {
    expect(syntaxError('foo:ba:r')).toMatch(/^Expected/);
    expect(syntaxError('a:b{c}')).toMatch(/^Expected/);
  });
  it('reports located diagnostics with a hint', async () => {
    const { parseKql } = await import('../../src/kql/parse.js');
    const r = parseKql('a:1 and\nf: not x');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnostics[0]).toMatchObject({ line: 2, column: 4, code: 'kql/syntax', severity: 'error' });
    expect(r.diagnostics[0].hint).toMatch(/parentheses/);
  });
});
