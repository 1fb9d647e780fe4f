import { describe, expect, it } from 'vitest';
import { kql } from '../helpers/match.js';

describe('text fields (analyzed)', () => {
  it('an unquoted value matches any of its words, case-insensitively', () => {
    const m = kql('message: "x"'.replace('"x"', 'Failed Password'));
    expect(m({ message: 'failed login' })).toBe(true);
    expect(m({ message: 'wrong PASSWORD!' })).toBe(true);
    expect(m({ message: 'all good' })).toBe(false);
  });
  it('a quoted value is a phrase', () => {
    const m = kql('message: "failed password"');
    expect(m({ message: 'Failed password for root' })).toBe(true);
    expect(m({ message: 'password failed' })).toBe(false);
  });
  it('custom text fields from the caller', () => {
    expect(kql('body: hello', { body: 'text' })({ body: 'Hello, world' })).toBe(true);
    expect(kql('body: hello')({ body: 'Hello, world' })).toBe(false);
  });
});
