import { describe, expect, it } from 'vitest';
import { kql } from '../helpers/match.js';

describe('free text', () => {
  const event = { user: { name: 'alice' }, tags: ['x', 'hello world'], n: 42, message: 'Login FAILED for bob', custom: { owner: 'carol' } };
  it('matches any leaf exactly', () => {
    expect(kql('alice')(event)).toBe(true);
    expect(kql('"hello world"')(event)).toBe(true);
    expect(kql('Carol')(event)).toBe(false);
  });
  it('also searches text multi-fields, as a multi_match over all fields does', () => {
    // ECS maps user.name with a text multi-field (user.name.text), so the analyzed form matches too.
    expect(kql('Alice')(event)).toBe(true);
  });
  it('matches numbers leniently', () => {
    expect(kql('42')(event)).toBe(true);
    expect(kql('43')(event)).toBe(false);
  });
  it('analyzes text fields', () => {
    expect(kql('failed')(event)).toBe(true);
    expect(kql('"failed for"')(event)).toBe(true);
  });
  it('supports wildcards', () => {
    expect(kql('ali*')(event)).toBe(true);
    expect(kql('zed*')(event)).toBe(false);
  });
  it('with a field-name pattern, searches only matching fields', () => {
    expect(kql('user.*: alice')(event)).toBe(true);
    expect(kql('host.*: alice')(event)).toBe(false);
    expect(kql('*: alice')(event)).toBe(true);
  });
  it('negation holds when no leaf matches', () => {
    expect(kql('not "missing"')(event)).toBe(true);
  });
});
