import { describe, expect, it } from 'vitest';
import { condition, eqlErrors } from './helpers.js';

const rhs = (literal: string) => {
  const c = condition(`x where a == ${literal}`);
  return c.type === 'compare' ? c.right : undefined;
};

describe('EQL literals and field names', () => {
  it('read strings with escapes', () => {
    expect(rhs('"a\\tb\\n\\"c\\"\\\\"')).toMatchObject({ value: 'a\tb\n"c"\\' });
    expect(rhs('"\\u{41}\\u{1F600}"')).toMatchObject({ value: 'A😀' });
    // Java's four-digit form too: one UTF-16 unit, and a brace after it is an ordinary character.
    expect(rhs('"\\u0041\\u01f0}"')).toMatchObject({ value: 'Aǰ}' });
    expect(rhs('"\\uD83D\\uDE00"')).toMatchObject({ value: '😀' });
    expect(rhs('"C:\\\\Windows\\\\*"')).toMatchObject({ value: 'C:\\Windows\\*' });
  });
  it('refuse unicode escapes that give the null character', () => {
    for (const q of ['x where a == "\\u{00}"', 'x where a == "\\u0000"', 'x where a == "\\u{00000000}"']) expect(eqlErrors(q)[0].message, q).toMatch(/gives the null character/);
  });
  it('read raw strings', () => {
    expect(rhs('"""C:\\Windows\\"quoted""""')).toMatchObject({ value: 'C:\\Windows\\"quoted"', raw: true });
  });
  it('reject endgame strings with a hint', () => {
    expect(eqlErrors("x where a == 'b'")[0]).toMatchObject({ code: 'eql/unsupported', hint: 'Use double quotes: "…" (or """…""" for a raw string).' });
    expect(eqlErrors('x where a == ?"b"')[0].code).toBe('eql/unsupported');
  });
  it('read numbers, booleans and null', () => {
    expect(rhs('42')).toMatchObject({ value: 42, integer: true });
    expect(rhs('1.5')).toMatchObject({ value: 1.5, integer: false });
    expect(rhs('.5')).toMatchObject({ value: 0.5 });
    expect(rhs('1e3')).toMatchObject({ value: 1000, integer: false });
    expect(rhs('true')).toMatchObject({ value: true });
    expect(rhs('null')).toMatchObject({ value: null });
  });
  it('read dotted, escaped and optional field names, and refuse array indexes as Elasticsearch does', () => {
    expect(condition('x where process.parent.name == 1')).toMatchObject({ left: { type: 'field', path: ['process', 'parent', 'name'], optional: false } });
    expect(condition('x where `my-field`.`a``b` == 1')).toMatchObject({ left: { path: ['my-field', 'a`b'] } });
    expect(eqlErrors('x where a.b[0].c == 1')[0]).toMatchObject({ code: 'eql/unsupported', message: 'Array indexes (`a[0]`) are not supported by Elasticsearch EQL.' });
    expect(condition('x where ?a.b == null')).toMatchObject({ left: { optional: true } });
    expect(condition('x where @timestamp > 0')).toMatchObject({ left: { path: ['@timestamp'] } });
  });
  it('reject unterminated strings', () => {
    expect(eqlErrors('x where a == "b')[0].code).toBe('eql/syntax');
  });
});
