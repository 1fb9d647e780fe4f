import { describe, expect, it } from 'vitest';
import { kql } from '../helpers/match.js';

describe('exists (field: *)', () => {
  const m = kql('user.name: *');
  it('holds for any non-null value, including empty string, 0 and false', () => {
    for (const v of ['x', '', 0, false, ['a'], [null, 'a']]) expect(m({ user: { name: v } }), JSON.stringify(v)).toBe(true);
  });
  it('fails for missing, null, empty and all-null arrays', () => {
    for (const v of [undefined, null, [], [null]]) expect(m({ user: { name: v } }), JSON.stringify(v)).toBe(false);
    expect(m({})).toBe(false);
  });
  it('holds for an object field when a leaf inside is non-null', () => {
    expect(kql('user: *')({ user: { name: 'a' } })).toBe(true);
    expect(kql('user: *')({ user: {} })).toBe(false);
  });
  it('expands field-name patterns', () => {
    expect(kql('user.*: *')({ user: { id: 1 } })).toBe(true);
    expect(kql('user.*: *')({ host: { id: 1 } })).toBe(false);
  });
});
