import { describe, expect, it } from 'vitest';
import { kql } from '../helpers/match.js';

describe('not, and, or', () => {
  it('not matches events where the field is missing', () => {
    const m = kql('not event.outcome: success');
    expect(m({})).toBe(true);
    expect(m({ event: { outcome: null } })).toBe(true);
    expect(m({ event: { outcome: 'failure' } })).toBe(true);
    expect(m({ event: { outcome: 'success' } })).toBe(false);
  });
  it('not of an array field is false when any element matches', () => {
    expect(kql('not tags: a')({ tags: ['a', 'b'] })).toBe(false);
  });
  it('combines with and/or by precedence', () => {
    const m = kql('a:1 or b:1 and not c:1');
    expect(m({ a: 1, c: 1 })).toBe(true);
    expect(m({ b: 1, c: 1 })).toBe(false);
    expect(m({ b: 1 })).toBe(true);
  });
  it('the empty query matches everything', () => {
    expect(kql('')({})).toBe(true);
    expect(kql('*:*')({ a: 1 })).toBe(true);
  });
  it('negated value lists negate each value', () => {
    const m = kql('a:(not x and not y)');
    expect(m({ a: 'z' })).toBe(true);
    expect(m({ a: 'x' })).toBe(false);
    expect(m({})).toBe(true);
  });
});
