import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evalDateMath, isDateMath, parseDate } from '../../src/runtime/primitives/dates.js';

const t = (iso: string) => {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`bad fixture ${iso}`);
  return ms;
};

describe('parseDate: strict_date_optional_time', () => {
  it('reads every prefix of the ISO form', () => {
    expect(parseDate('2024', false)).toBe(t('2024-01-01T00:00:00Z'));
    expect(parseDate('2024-10', false)).toBe(t('2024-10-01T00:00:00Z'));
    expect(parseDate('2024-10-29', false)).toBe(t('2024-10-29T00:00:00Z'));
    expect(parseDate('2024-10-29T', false)).toBe(t('2024-10-29T00:00:00Z'));
    expect(parseDate('2024-10-29T15', false)).toBe(t('2024-10-29T15:00:00Z'));
    expect(parseDate('2024-10-29T15:51', false)).toBe(t('2024-10-29T15:51:00Z'));
    expect(parseDate('2024-10-29T15:51:44', false)).toBe(t('2024-10-29T15:51:44Z'));
    expect(parseDate('2024-10-29T15:51:44.1', false)).toBe(t('2024-10-29T15:51:44.100Z'));
    expect(parseDate('2024-10-29T15:51:44.12', false)).toBe(t('2024-10-29T15:51:44.120Z'));
    expect(parseDate('2024-10-29T15:51:44.123', false)).toBe(t('2024-10-29T15:51:44.123Z'));
    expect(parseDate('2024-10-29T15:51:44,123', false)).toBe(t('2024-10-29T15:51:44.123Z'));
  });

  it('truncates fractions below the millisecond', () => {
    expect(parseDate('2024-10-29T15:51:44.1239Z', false)).toBe(t('2024-10-29T15:51:44.123Z'));
    expect(parseDate('2024-10-29T15:51:44.123456789Z', false)).toBe(t('2024-10-29T15:51:44.123Z'));
    expect(parseDate('2024-10-29T15:51:44.999999999Z', true)).toBe(t('2024-10-29T15:51:44.999Z'));
    expect(parseDate('2024-10-29T15:51:44.1234567890Z', false)).toBeUndefined(); // at most 9 digits
  });

  it('applies offsets written in the text', () => {
    expect(parseDate('2024-10-29T15:51:44Z', false)).toBe(t('2024-10-29T15:51:44Z'));
    expect(parseDate('2024-10-29T17:51:44+02:00', false)).toBe(t('2024-10-29T15:51:44Z'));
    expect(parseDate('2024-10-29T10:51:44-0500', false)).toBe(t('2024-10-29T15:51:44Z'));
    expect(parseDate('2024-10-29T10:51:44-05', false)).toBe(t('2024-10-29T15:51:44Z'));
    expect(parseDate('2024-10-29T21:21:44+05:30', false)).toBe(t('2024-10-29T15:51:44Z'));
    expect(parseDate('2024-10-29T15:51:44.5+00:00', false)).toBe(t('2024-10-29T15:51:44.500Z'));
    expect(parseDate('2024-10-29T15:51:44+01:00:30', false)).toBe(t('2024-10-29T14:51:14Z'));
    expect(parseDate('2024-10-29T15:51:44+010030', false)).toBe(t('2024-10-29T14:51:14Z'));
    expect(parseDate('2024-10-29T15Z', false)).toBe(t('2024-10-29T15:00:00Z'));
    expect(parseDate('2024-10-29T15+01', false)).toBe(t('2024-10-29T14:00:00Z'));
    expect(parseDate('2024-10-29T15:51Z', false)).toBe(t('2024-10-29T15:51:00Z'));
    expect(parseDate('2024-10-29T15:51:44UTC', false)).toBe(t('2024-10-29T15:51:44Z'));
    expect(parseDate('2024-10-29T15:51:44GMT+01:00', false)).toBe(t('2024-10-29T14:51:44Z'));
    expect(parseDate('2024-01-01T00:00:00+18:00', false)).toBe(t('2023-12-31T06:00:00Z'));
    // The offset moves the instant across a day boundary.
    expect(parseDate('2024-01-01T01:00:00+02:00', false)).toBe(t('2023-12-31T23:00:00Z'));
  });

  it('reads years outside the common era', () => {
    expect(parseDate('0000-01-01', false)).toBe(t('0000-01-01T00:00:00Z'));
    expect(parseDate('-0001-01-01', false)).toBe(t('-000001-01-01T00:00:00Z'));
    expect(parseDate('9999-12-31T23:59:59.999Z', false)).toBe(t('9999-12-31T23:59:59.999Z'));
    expect(parseDate('1970', false)).toBe(0);
    expect(Object.is(parseDate('1970-01-01T00:00:00Z', false), 0)).toBe(true);
  });

  it('rounds missing time components up when asked, keeping month and day at 01 as Elasticsearch does', () => {
    expect(parseDate('2024-01-01', true)).toBe(t('2024-01-01T23:59:59.999Z'));
    expect(parseDate('2024-01-01T', true)).toBe(t('2024-01-01T23:59:59.999Z'));
    expect(parseDate('2024-01-01T10', true)).toBe(t('2024-01-01T10:59:59.999Z'));
    expect(parseDate('2024-01-01T10:15', true)).toBe(t('2024-01-01T10:15:59.999Z'));
    expect(parseDate('2024-01-01T10:15:30', true)).toBe(t('2024-01-01T10:15:30.999Z'));
    expect(parseDate('2024-01-01T10:15:30Z', true)).toBe(t('2024-01-01T10:15:30.999Z'));
    expect(parseDate('2024-01-01T10:15:00.5Z', true)).toBe(t('2024-01-01T10:15:00.500Z'));
    expect(parseDate('2024-01-01T10:15+02:00', true)).toBe(t('2024-01-01T08:15:59.999Z'));
    // Elasticsearch's round-up parser defaults MONTH_OF_YEAR and DAY_OF_MONTH to 1, not to their maximum.
    expect(parseDate('2024-02', true)).toBe(t('2024-02-01T23:59:59.999Z'));
    expect(parseDate('2023', true)).toBe(t('2023-01-01T23:59:59.999Z'));
    // Rounding never changes a value that names its milliseconds.
    expect(parseDate('2024-01-01T10:15:30.000Z', true)).toBe(t('2024-01-01T10:15:30.000Z'));
  });

  it('checks the calendar', () => {
    expect(parseDate('2024-02-29', false)).toBe(t('2024-02-29T00:00:00Z'));
    expect(parseDate('2000-02-29', false)).toBe(t('2000-02-29T00:00:00Z'));
    for (const bad of ['2023-02-29', '1900-02-29', '2023-02-30', '2024-04-31', '2024-06-31', '2024-09-31', '2024-11-31', '2024-13-01', '2024-00-10', '2024-01-00', '2024-01-32']) {
      expect(parseDate(bad, false), bad).toBeUndefined();
    }
    for (const bad of ['2024-01-01T24:00', '2024-01-01T23:60', '2024-01-01T23:59:60', '2024-01-01T-1:00']) {
      expect(parseDate(bad, false), bad).toBeUndefined();
    }
  });

  it('rejects what the format does not accept', () => {
    const bad: unknown[] = [
      '', ' ', 'yesterday', 'now', '2024-01-01Z', '2024-01-01 10:00:00', ' 2024-01-01', '2024-01-01 ', '2024/01/01',
      '24-01-01', '2024-1-01', '2024-01-1', '2024-01-01T1', '2024-01-01T10:1', '2024-01-01T10:15:3', '2024-01-01T10:15:30.',
      '2024-01-01T10:15:30.Z', '2024-01-01t10:15', '2024-01-01T10:15:30z', '2024-01-01T10:15:30+1', '2024-01-01T10:15:30+01:0',
      '2024-01-01T10:15:30+01:00Z', '2024-01-01T10:15:30+19:00', '2024-01-01T10:15:30+01:0030', '2024-01-01T10:15:30+0100:30',
      '2024-01-01T10:15:30Europe/Paris', '2024-01-01T10:15:30 Z', '2024-01-01T10:15:30.123x', '+2024-01-01',
      'Mon, 01 Jan 2024', null, undefined, {}, [], true, NaN, Infinity, -Infinity,
    ];
    for (const v of bad) expect(parseDate(v, false), JSON.stringify(v)).toBeUndefined();
  });

  it('round-trips any instant through its ISO form (property)', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('0000-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }), (d) => {
        expect(parseDate(d.toISOString(), false)).toBe(d.getTime());
        expect(parseDate(d.toISOString(), true)).toBe(d.getTime());
        expect(parseDate(d.toISOString().replace('Z', '+00:00'), false)).toBe(d.getTime());
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with Date.UTC on every partial date, rounded down and up (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), (y, mo, d) => {
        const pad = (n: number, w = 2) => String(n).padStart(w, '0');
        const text = `${pad(y, 4)}-${pad(mo)}-${pad(d)}`;
        const probe = new Date(0);
        probe.setUTCFullYear(y, mo - 1, d);
        const valid = probe.getUTCDate() === d;
        if (!valid) {
          expect(parseDate(text, false), text).toBeUndefined();
          return;
        }
        expect(parseDate(text, false), text).toBe(probe.getTime());
        expect(parseDate(text, true), text).toBe(probe.getTime() + 86_400_000 - 1);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('parseDate: epoch_millis', () => {
  it('reads epoch millis as numbers and as text', () => {
    expect(parseDate(1704067200000, false)).toBe(1704067200000);
    expect(parseDate('1704067200000', false)).toBe(1704067200000);
    expect(parseDate('0', false)).toBe(0);
    expect(parseDate(0, false)).toBe(0);
    expect(parseDate('-1', false)).toBe(-1);
    expect(parseDate(-86_400_000, false)).toBe(-86_400_000);
    expect(parseDate('123', false)).toBe(123);
    expect(parseDate('12345', false)).toBe(12345);
    expect(parseDate('20240101', false)).toBe(20240101); // not a basic-format date: the format has none
  });

  it('reads up to six fraction digits and floors to the millisecond', () => {
    expect(parseDate('1704067200000.5', false)).toBe(1704067200000);
    expect(parseDate('1704067200000.999999', false)).toBe(1704067200000);
    expect(parseDate('1.', false)).toBe(1);
    expect(parseDate('.5', false)).toBe(0);
    expect(parseDate('-1.5', false)).toBe(-2);
    expect(parseDate('-1.0', false)).toBe(-1);
    expect(parseDate(1.5, false)).toBe(1);
    expect(parseDate(-1.5, false)).toBe(-2);
    expect(parseDate('1.1234567', false)).toBeUndefined();
  });

  it('prefers the ISO reading, as the format lists it first', () => {
    // Elasticsearch reads "2024" (and the JSON number 2024, whose text it parses) as a year.
    expect(parseDate('2024', false)).toBe(t('2024-01-01T00:00:00Z'));
    expect(parseDate(2024, false)).toBe(t('2024-01-01T00:00:00Z'));
    expect(parseDate(2024, true)).toBe(t('2024-01-01T23:59:59.999Z'));
    expect(parseDate('-2024', false)).toBe(t('-002024-01-01T00:00:00Z'));
    expect(parseDate(999, false)).toBe(999);
    expect(parseDate(10000, false)).toBe(10000);
    expect(parseDate(-2024, false)).toBe(t('-002024-01-01T00:00:00Z'));
    expect(parseDate(-999, false)).toBe(-999);
    expect(Object.is(parseDate(-0, false), 0)).toBe(true);
    expect(parseDate(2 ** 53, false)).toBeUndefined(); // beyond exact integers
  });

  it('rejects malformed epoch text', () => {
    for (const bad of ['+1', '1e3', '0x10', '1,000', '1 ', '--1', '.', '-', '-.', '1..2', '12345678901234567890', '9999999999999999999']) {
      expect(parseDate(bad, false), bad).toBeUndefined();
    }
  });
});

describe('evalDateMath', () => {
  const now = t('2024-06-15T12:34:56.789Z'); // a Saturday

  it('anchors at now', () => {
    expect(evalDateMath('now', now, false)).toBe(now);
    expect(evalDateMath('now', now, true)).toBe(now);
  });

  it('adds and subtracts every unit', () => {
    expect(evalDateMath('now-1d', now, false)).toBe(now - 86_400_000);
    expect(evalDateMath('now+1d', now, false)).toBe(now + 86_400_000);
    expect(evalDateMath('now+2h', now, false)).toBe(now + 7_200_000);
    expect(evalDateMath('now+2H', now, false)).toBe(now + 7_200_000);
    expect(evalDateMath('now-30m', now, false)).toBe(now - 1_800_000);
    expect(evalDateMath('now-15s', now, false)).toBe(now - 15_000);
    expect(evalDateMath('now-1w', now, false)).toBe(now - 7 * 86_400_000);
    expect(evalDateMath('now-1M', now, false)).toBe(t('2024-05-15T12:34:56.789Z'));
    expect(evalDateMath('now+7M', now, false)).toBe(t('2025-01-15T12:34:56.789Z'));
    expect(evalDateMath('now-18M', now, false)).toBe(t('2022-12-15T12:34:56.789Z'));
    expect(evalDateMath('now+1y', now, false)).toBe(t('2025-06-15T12:34:56.789Z'));
    expect(evalDateMath('now-10y', now, false)).toBe(t('2014-06-15T12:34:56.789Z'));
    expect(evalDateMath('now+d', now, false)).toBe(now + 86_400_000); // a missing number is 1
    expect(evalDateMath('now-0d', now, false)).toBe(now);
    expect(evalDateMath('now-90d', now, false)).toBe(now - 90 * 86_400_000);
    expect(evalDateMath('now+1d-1d', now, false)).toBe(now);
    expect(evalDateMath('now-1d+12h+30m', now, false)).toBe(now - 86_400_000 + 12 * 3_600_000 + 30 * 60_000);
  });

  it('rounds down to the start of each unit', () => {
    expect(evalDateMath('now/y', now, false)).toBe(t('2024-01-01T00:00:00Z'));
    expect(evalDateMath('now/M', now, false)).toBe(t('2024-06-01T00:00:00Z'));
    expect(evalDateMath('now/w', now, false)).toBe(t('2024-06-10T00:00:00Z'));
    expect(evalDateMath('now/d', now, false)).toBe(t('2024-06-15T00:00:00Z'));
    expect(evalDateMath('now/h', now, false)).toBe(t('2024-06-15T12:00:00Z'));
    expect(evalDateMath('now/H', now, false)).toBe(t('2024-06-15T12:00:00Z'));
    expect(evalDateMath('now/m', now, false)).toBe(t('2024-06-15T12:34:00Z'));
    expect(evalDateMath('now/s', now, false)).toBe(t('2024-06-15T12:34:56Z'));
    expect(evalDateMath('now/1d', now, false)).toBe(t('2024-06-15T00:00:00Z'));
  });

  it('rounds up to the last millisecond of each unit', () => {
    expect(evalDateMath('now/y', now, true)).toBe(t('2024-12-31T23:59:59.999Z'));
    expect(evalDateMath('now/M', now, true)).toBe(t('2024-06-30T23:59:59.999Z'));
    expect(evalDateMath('now/w', now, true)).toBe(t('2024-06-16T23:59:59.999Z'));
    expect(evalDateMath('now/d', now, true)).toBe(t('2024-06-15T23:59:59.999Z'));
    expect(evalDateMath('now/h', now, true)).toBe(t('2024-06-15T12:59:59.999Z'));
    expect(evalDateMath('now/H', now, true)).toBe(t('2024-06-15T12:59:59.999Z'));
    expect(evalDateMath('now/m', now, true)).toBe(t('2024-06-15T12:34:59.999Z'));
    expect(evalDateMath('now/s', now, true)).toBe(t('2024-06-15T12:34:56.999Z'));
  });

  it('starts weeks on Monday', () => {
    const monday = t('2024-06-10T00:00:00Z');
    for (let day = 0; day < 7; day++) {
      const at = monday + day * 86_400_000 + 5 * 3_600_000;
      expect(evalDateMath('now/w', at, false)).toBe(monday);
      expect(evalDateMath('now/w', at, true)).toBe(monday + 7 * 86_400_000 - 1);
    }
    expect(evalDateMath('now/w', t('1970-01-01T00:00:00Z'), false)).toBe(t('1969-12-29T00:00:00Z'));
  });

  it('rounds by month and year across leap years and year ends', () => {
    expect(evalDateMath('2024-02-10||/M', now, true)).toBe(t('2024-02-29T23:59:59.999Z'));
    expect(evalDateMath('2023-02-10||/M', now, true)).toBe(t('2023-02-28T23:59:59.999Z'));
    expect(evalDateMath('2023-12-10||/M', now, true)).toBe(t('2023-12-31T23:59:59.999Z'));
    expect(evalDateMath('2023-12-10||/M', now, false)).toBe(t('2023-12-01T00:00:00Z'));
    expect(evalDateMath('2024-02-29T23:59:59.999Z||/d', now, false)).toBe(t('2024-02-29T00:00:00Z'));
    expect(evalDateMath('2024-12-31T23:59:59.999Z||/y', now, true)).toBe(t('2024-12-31T23:59:59.999Z'));
  });

  it('clamps month and year arithmetic to the month length, like java.time', () => {
    expect(evalDateMath('2024-01-31||+1M', now, false)).toBe(t('2024-02-29T00:00:00Z'));
    expect(evalDateMath('2023-01-31||+1M', now, false)).toBe(t('2023-02-28T00:00:00Z'));
    expect(evalDateMath('2024-03-31||-1M', now, false)).toBe(t('2024-02-29T00:00:00Z'));
    expect(evalDateMath('2024-05-31||+1M', now, false)).toBe(t('2024-06-30T00:00:00Z'));
    expect(evalDateMath('2024-01-31||+1M+1M', now, false)).toBe(t('2024-03-29T00:00:00Z'));
    expect(evalDateMath('2024-01-31||+2M', now, false)).toBe(t('2024-03-31T00:00:00Z'));
    expect(evalDateMath('2024-02-29||+1y', now, false)).toBe(t('2025-02-28T00:00:00Z'));
    expect(evalDateMath('2024-02-29||+4y', now, false)).toBe(t('2028-02-29T00:00:00Z'));
    expect(evalDateMath('2024-02-29||-100y', now, false)).toBe(t('1924-02-29T00:00:00Z'));
    expect(evalDateMath('2000-02-29||+100y', now, false)).toBe(t('2100-02-28T00:00:00Z'));
    expect(evalDateMath('2024-12-15T10:00:00Z||+1M', now, false)).toBe(t('2025-01-15T10:00:00Z'));
    expect(evalDateMath('2024-01-15T10:00:00Z||-1M', now, false)).toBe(t('2023-12-15T10:00:00Z'));
    expect(evalDateMath('1969-12-31T23:00:00Z||+2M', now, false)).toBe(t('1970-02-28T23:00:00Z'));
  });

  it('anchors at a date with ||, read rounded down, then applies steps in order', () => {
    expect(evalDateMath('2024-01-01||', now, true)).toBe(t('2024-01-01T00:00:00Z'));
    expect(evalDateMath('2024-01-01||+1d', now, true)).toBe(t('2024-01-02T00:00:00Z'));
    expect(evalDateMath('2024-01-01||+1d/d', now, true)).toBe(t('2024-01-02T23:59:59.999Z'));
    expect(evalDateMath('2024-01-01||/d+1h', now, true)).toBe(t('2024-01-02T00:59:59.999Z'));
    expect(evalDateMath('2024-01-01T10:00:00+02:00||/d', now, false)).toBe(t('2024-01-01T00:00:00Z'));
    expect(evalDateMath('1704067200000||+1h', now, false)).toBe(1704067200000 + 3_600_000);
    expect(evalDateMath('now-1d/d', now, false)).toBe(t('2024-06-14T00:00:00Z'));
    expect(evalDateMath('now-1d/d', now, true)).toBe(t('2024-06-14T23:59:59.999Z'));
    expect(evalDateMath('now/d-1d', now, false)).toBe(t('2024-06-14T00:00:00Z'));
    expect(evalDateMath('now/M/d', now, true)).toBe(t('2024-06-30T23:59:59.999Z'));
  });

  it('reads plain dates as parseDate does, with the given rounding', () => {
    expect(evalDateMath('2024-01-01', now, false)).toBe(t('2024-01-01T00:00:00Z'));
    expect(evalDateMath('2024-01-01', now, true)).toBe(t('2024-01-01T23:59:59.999Z'));
    expect(evalDateMath('1704067200000', now, true)).toBe(1704067200000);
  });

  it('rejects malformed expressions', () => {
    const bad = [
      'now-', 'now+', 'now/', 'now-1', 'now-1x', 'now-1D', 'now-1Y', 'now*1d', 'nowish', 'now ', ' now', 'now - 1d', 'now-1d/d/q',
      'now/2d', 'now/0d', 'now-99999999999d', 'now-1.5d', 'bad||+1d', '||+1d', '2024-13-01||', '2024-01-01||+', 'now||+1d',
      'now-1d||', '', 'yesterday',
    ];
    for (const expr of bad) expect(evalDateMath(expr, now, false), expr).toBeUndefined();
  });

  it('brackets the instant when rounding, for every unit (property)', () => {
    const units = ['y', 'M', 'w', 'd', 'h', 'H', 'm', 's'];
    fc.assert(
      fc.property(fc.integer({ min: -30_000_000_000_000, max: 200_000_000_000_000 }), fc.constantFrom(...units), (at, unit) => {
        const down = evalDateMath(`now/${unit}`, at, false)!;
        const up = evalDateMath(`now/${unit}`, at, true)!;
        expect(down).toBeLessThanOrEqual(at);
        expect(up).toBeGreaterThanOrEqual(at);
        expect(evalDateMath(`now/${unit}`, down, false)).toBe(down);
        expect(evalDateMath(`now/${unit}`, up, true)).toBe(up);
        expect(evalDateMath(`now/${unit}`, up + 1, false)).toBe(up + 1);
        expect(evalDateMath(`now/${unit}`, down - 1, true)).toBe(down - 1);
      }),
      { numRuns: 2000 },
    );
  });

  it('adds months as java.time does: same day, clamped, same time of day (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -30_000_000_000_000, max: 200_000_000_000_000 }), fc.integer({ min: -1200, max: 1200 }), (at, months) => {
        const d = new Date(at);
        const target = new Date(at);
        target.setUTCDate(1);
        target.setUTCMonth(target.getUTCMonth() + months);
        const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
        target.setUTCDate(Math.min(d.getUTCDate(), last));
        const op = months < 0 ? `-${-months}` : `+${months}`;
        expect(evalDateMath(`now${op}M`, at, false)).toBe(target.getTime());
      }),
      { numRuns: 2000 },
    );
  });
});

describe('isDateMath', () => {
  it('tells date math from plain dates', () => {
    expect(isDateMath('now')).toBe(true);
    expect(isDateMath('now-1d')).toBe(true);
    expect(isDateMath('now/d')).toBe(true);
    expect(isDateMath('2024-01-01||/d')).toBe(true);
    expect(isDateMath('2024-01-01||')).toBe(true);
    expect(isDateMath('2024-01-01')).toBe(false);
    expect(isDateMath('1704067200000')).toBe(false);
    expect(isDateMath('')).toBe(false);
  });
});
