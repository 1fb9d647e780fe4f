import { describe, expect, it } from 'vitest';
import { parseKqlLiteral } from '../../src/kql/parse.js';
import { valueNotation } from '../helpers/kql-notation.js';
import { syntaxError, tree } from '../helpers/kql.js';

function literal(text: string): string {
  const r = parseKqlLiteral(text);
  if (!r.ok) throw new Error(r.diagnostics[0].message);
  return valueNotation(r.ast);
}

describe('KQL literals', () => {
  it('keeps numerals as text', () => {
    for (const n of ['3', '-4', '.36', '00.2', '1e3', '0.0.1']) expect(literal(n)).toBe(JSON.stringify(n));
  });
  it('types exactly true, false and null', () => {
    expect(literal('true')).toBe('true');
    expect(literal('false')).toBe('false');
    expect(literal('null')).toBe('null');
    expect(literal('TRUE')).toBe('"TRUE"');
    expect(literal('"true"')).toBe('Q"true"');
  });
  it('reads escapes in unquoted values', () => {
    expect(tree('f:C\\:\\\\Windows')).toBe('is("f", "C:\\\\Windows")');
    expect(tree('f:\\(\\)\\<\\>\\"\\{\\}')).toBe('is("f", "()<>\\"{}")');
    expect(tree('f:a\\tb\\nc\\rd')).toBe('is("f", "a\\tb\\nc\\rd")');
    expect(tree('f:\\u00e9t\\u00E9')).toBe('is("f", "été")');
  });
  it('reads escaped keywords, keeping their case', () => {
    expect(tree('f:foo \\and bar \\OR baz')).toBe('is("f", "foo and bar OR baz")');
    expect(tree('f:\\Not here')).toBe('is("f", "Not here")');
  });
  it('reads \\not as the escape \\n followed by "ot", as Kibana does', () => {
    expect(tree('f:a \\not b')).toBe('is("f", "a \\not b")');
  });
  it('rejects any other escape', () => {
    expect(syntaxError("field: foo\\'bar")).toBe('Expected AND, OR, end of input, or whitespace but "\\\\" found.');
    expect(syntaxError('f:a\\q')).toMatch(/^Expected/);
  });
  it('reads quoted strings literally', () => {
    expect(literal('"\\\\():<>\\"*"')).toBe('Q"\\\\():<>\\"*"');
    expect(literal('"C:\\Windows"')).toBe('Q"C:\\\\Windows"');
    expect(literal('"a\nb"')).toBe('Q"a\\nb"');
    expect(literal('"\\u0041"')).toBe('Q"A"');
  });
  it('treats single quotes as ordinary characters', () => {
    expect(tree("f:'x'")).toBe('is("f", "\'x\'")');
  });
  it('reports an unterminated string', () => {
    expect(syntaxError('foo:"ba ')).toBe('Expected "(", "{", value, or whitespace but "\\"" found.');
  });
});
