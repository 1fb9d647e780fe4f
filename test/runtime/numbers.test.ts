import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toBoolean, toNumber } from '../../src/runtime/primitives/numbers.js';

describe('toNumber', () => {
  it('keeps finite numbers as they are', () => {
    for (const n of [0, 7, -4, 0.5, 1e300, -1e-300, Number.MAX_SAFE_INTEGER]) expect(toNumber(n)).toBe(n);
    for (const n of [NaN, Infinity, -Infinity]) expect(toNumber(n)).toBeUndefined();
  });

  it('reads decimal text, trimmed', () => {
    const cases: [string, number][] = [
      ['200', 200], ['-4', -4], ['+3', 3], ['.5', 0.5], ['-.5', -0.5], ['5.', 5], ['1.0', 1], ['1e3', 1000], ['1E3', 1000],
      ['1e+3', 1000], ['2.5e-3', 0.0025], ['.5e1', 5], ['007', 7], [' 200 ', 200], ['\t-4\n', -4], ['0', 0],
      ['12345678901234567890', 12345678901234567890], ['1e308', 1e308],
    ];
    for (const [text, n] of cases) expect(toNumber(text), text).toBe(n);
  });

  it('rejects anything else', () => {
    const bad: unknown[] = [
      '', ' ', '+', '-', '.', '-.', 'e3', '.e3', '1e', '1e+', '1ee3', '1.2.3', '0x10', '0b1', '0o7', '12abc', 'abc', '1 2', '1,000',
      '1_000', 'Infinity', '-Infinity', 'NaN', '1e400', '--1', '+-1', '\u00a01', '1\u00a0', '１', true, false, null, undefined, {}, [], [1],
    ];
    for (const v of bad) expect(toNumber(v), JSON.stringify(v)).toBeUndefined();
  });

  it('reads back what String(number) prints (property)', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
        expect(toNumber(String(n))).toBe(n === 0 ? 0 : n);
      }),
    );
  });

  it('stays linear on long failing input', () => {
    expect(toNumber(`${'1'.repeat(100_000)}x`)).toBeUndefined();
    expect(toNumber(`${'1'.repeat(100_000)}.${'1'.repeat(100_000)}e`)).toBeUndefined();
  });
});

describe('toBoolean', () => {
  it('reads booleans and their text, with "" as false', () => {
    expect(toBoolean(true)).toBe(true);
    expect(toBoolean(false)).toBe(false);
    expect(toBoolean('true')).toBe(true);
    expect(toBoolean('false')).toBe(false);
    expect(toBoolean('')).toBe(false);
  });

  it('rejects anything else', () => {
    for (const v of ['TRUE', 'False', ' true', 'yes', 'no', 'on', '1', '0', 1, 0, null, undefined, {}, []]) {
      expect(toBoolean(v), JSON.stringify(v)).toBeUndefined();
    }
  });
});
