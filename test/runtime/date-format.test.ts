import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileDateFormat, isDefaultDateFormat } from '../../src/runtime/primitives/date-format.js';
import { parseDate, parseDateNanos } from '../../src/runtime/primitives/dates.js';

const DAY = Date.UTC(2022, 11, 17);

describe('mapping date formats', () => {
  it('reads java.time patterns and built-in names, alternatives in order', () => {
    expect(compileDateFormat('dd-MM-yyyy')!('17-12-2022')).toBe(DAY);
    expect(compileDateFormat('yyyy-MM-dd')!('2022-12-17')).toBe(DAY);
    expect(compileDateFormat('yyyy/MM/dd HH:mm:ss')!('2022/12/17 01:02:03')).toBe(DAY + 3_723_000);
    expect(compileDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSSX")!('2022-12-17T00:00:00.250+01:00')).toBe(DAY + 250 - 3_600_000);
    expect(compileDateFormat('dd MMM yyyy')!('17 dec 2022')).toBe(DAY);
    expect(compileDateFormat('basic_date')!('20221217')).toBe(DAY);
    expect(compileDateFormat('epoch_second')!('1671235200')).toBe(DAY);
    expect(compileDateFormat('dd-MM-yyyy||epoch_millis')!('1671235200000')).toBe(DAY);
    expect(compileDateFormat('strict_date_optional_time')!('2022-12-17')).toBe(DAY);
  });
  it('rejects text not in the format, and impossible dates', () => {
    const f = compileDateFormat('dd-MM-yyyy')!;
    expect(f('2022-12-17')).toBeUndefined();
    expect(f('31-02-2022')).toBeUndefined();
    expect(f('17-13-2022')).toBeUndefined();
    expect(compileDateFormat('QQQ')).toBeUndefined();
  });
  it('knows the default format', () => {
    expect(isDefaultDateFormat(undefined)).toBe(true);
    expect(isDefaultDateFormat('strict_date_optional_time||epoch_millis')).toBe(true);
    expect(isDefaultDateFormat('dd-MM-yyyy')).toBe(false);
  });
  it('a pattern reads back what it prints, for all days', () => {
    const f = compileDateFormat('dd-MM-yyyy')!;
    fc.assert(
      fc.property(fc.integer({ min: -20_000, max: 80_000 }), (days) => {
        const d = new Date(days * 86_400_000);
        const text = `${String(d.getUTCDate()).padStart(2, '0')}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCFullYear()).padStart(4, '0')}`;
        expect(f(text)).toBe(days * 86_400_000);
      }),
    );
  });
});

describe('nanosecond instants (date_nanos)', () => {
  it('keep the fraction of an ISO date and of epoch milliseconds', () => {
    expect(parseDateNanos('1974-03-03T02:22:54.294365140Z', false)).toBe(BigInt(Date.parse('1974-03-03T02:22:54.294Z')) * 1_000_000n + 365_140n);
    expect(parseDateNanos('131509374395.921780', false)).toBe(131_509_374_395_921_780n);
    expect(parseDateNanos('131509374395', false)).toBe(131_509_374_395_000_000n);
    expect(parseDateNanos(-1.5, false)).toBe(-1_500_000n);
  });
  it('round up a missing fraction to the last nanosecond, and keep a written one', () => {
    expect(parseDateNanos('2024-01-01T00:00:00Z', true)).toBe(BigInt(Date.parse('2024-01-01T00:00:00.999Z')) * 1_000_000n + 999_999n);
    expect(parseDateNanos('2024-01-01T00:00:00.5Z', true)).toBe(BigInt(Date.parse('2024-01-01T00:00:00.500Z')) * 1_000_000n);
  });
  it('agree with millisecond parsing on the millisecond, for all instants', () => {
    fc.assert(
      fc.property(fc.integer({ min: -2_000_000_000_000, max: 4_000_000_000_000 }), fc.integer({ min: 0, max: 999_999 }), (ms, sub) => {
        const iso = new Date(ms).toISOString().replace('Z', `${String(sub).padStart(6, '0')}Z`);
        const nanos = parseDateNanos(iso, false)!;
        expect(nanos).toBe(BigInt(ms) * 1_000_000n + BigInt(sub));
        expect(parseDate(iso, false)).toBe(ms);
      }),
    );
  });
});
