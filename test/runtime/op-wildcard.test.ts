import { describe, expect, it } from 'vitest';
import { kql, kqlErrors, kqlWarnings } from '../helpers/match.js';

describe('wildcard values', () => {
  it('match the whole keyword value, case-sensitively', () => {
    const m = kql('process.name: power*.exe');
    expect(m({ process: { name: 'powershell.exe' } })).toBe(true);
    expect(m({ process: { name: 'PowerShell.exe' } })).toBe(false);
    expect(m({ process: { name: 'xpowershell.exe' } })).toBe(false);
  });
  it('treat ? as a literal character', () => {
    const m = kql('f: a?c*');
    expect(m({ f: 'a?cd' })).toBe(true);
    expect(m({ f: 'abcd' })).toBe(false);
  });
  it('keep escaped stars literal', () => {
    const m = kql('f: a\\*b*');
    expect(m({ f: 'a*bc' })).toBe(true);
    expect(m({ f: 'axbc' })).toBe(false);
  });
  it('split at whitespace into OR-ed terms, as Elasticsearch query_string does', () => {
    const m = kql('user_agent.original: *S3 Browser*');
    expect(m({ user_agent: { original: 'Mozilla S3' } })).toBe(true);
    expect(m({ user_agent: { original: 'Browser 1.0' } })).toBe(true);
    expect(m({ user_agent: { original: 'x S3 Browser y' } })).toBe(false);
    expect(kqlWarnings('user_agent.original: *S3 Browser*')).toContain('kql/wildcard-whitespace');
  });
  it('match words of text fields, lower-cased', () => {
    const m = kql('message: fail*');
    expect(m({ message: 'Login FAILED for root' })).toBe(true);
    expect(m({ message: 'all good' })).toBe(false);
  });
  it('are rejected on numeric, date, boolean and ip fields', () => {
    expect(kqlErrors('foo:*wc', { foo: 'long' })).toEqual(['kql/type-mismatch']);
    expect(kqlErrors('source.ip: 10.*')).toEqual(['kql/type-mismatch']);
  });
  it('match across newlines', () => {
    expect(kql('f: a*b')({ f: 'a\nb' })).toBe(true);
  });
});
