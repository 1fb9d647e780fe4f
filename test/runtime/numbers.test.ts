import { describe, expect, it } from 'vitest';
import { toBoolean, toNumber } from '../../src/runtime/numbers.js';

describe('numeric and boolean coercion', () => {
  it('reads decimal numbers only', () => {
    for (const [v, n] of [['200', 200], [' -4 ', -4], ['.5', 0.5], ['1e3', 1000], ['1.0', 1], [7, 7], ['+3', 3]] as const) expect(toNumber(v), String(v)).toBe(n);
    for (const v of ['', '0x10', '12abc', 'Infinity', 'NaN', '1,000', true, null, NaN, Infinity, {}]) expect(toNumber(v), String(v)).toBeUndefined();
  });
  it('reads booleans', () => {
    expect(toBoolean(true)).toBe(true);
    expect(toBoolean('true')).toBe(true);
    expect(toBoolean('false')).toBe(false);
    expect(toBoolean('')).toBe(false);
    for (const v of ['TRUE', 'yes', 1, 0, null]) expect(toBoolean(v), String(v)).toBeUndefined();
  });
});
