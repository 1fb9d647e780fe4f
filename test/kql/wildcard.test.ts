import { describe, expect, it } from 'vitest';
import { parseKql } from '../../src/kql/parse.js';
import { tree } from '../helpers/kql.js';

describe('KQL wildcard values', () => {
  it('makes an unquoted value with * a wildcard', () => {
    expect(tree('host.name: test-*')).toBe('is("host.name", W"test-*")');
    expect(tree('f: *a*b')).toBe('is("f", W"*a*b")');
  });
  it('keeps * literal inside quotes and when escaped', () => {
    expect(tree('f:"*password*"')).toBe('is("f", Q"*password*")');
    expect(tree('f:\\*')).toBe('is("f", "*")');
    expect(tree('f:foo\\*bar')).toBe('is("f", "foo*bar")');
  });
  it('keeps escaped stars apart from wildcard positions', () => {
    const r = parseKql('a:b\\*c*');
    expect(r.ok && r.ast.type === 'is' && r.ast.value.type === 'wildcard' && r.ast.value.segments).toEqual(['b*c', '']);
  });
  it('keeps spaces inside wildcard values', () => {
    expect(tree('field: S3 Browser*')).toBe('is("field", W"S3 Browser*")');
  });
  it('does not treat ? as a wildcard', () => {
    expect(tree('f:a?c')).toBe('is("f", "a?c")');
  });
  it('reads ** as a wildcard, not exists', () => {
    const r = parseKql('f:**');
    expect(r.ok && r.ast.type === 'is' && r.ast.value.type === 'wildcard' && r.ast.value.segments).toEqual(['', '', '']);
  });
});
