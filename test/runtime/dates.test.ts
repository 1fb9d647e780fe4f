import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evalDateMath, isDateMath, parseDate } from '../../src/runtime/dates.js';

const t = (iso: string) => Date.parse(iso);

describe('parseDate', () => {
  it('reads ISO 8601 forms and epoch millis', () => {
    expect(parseDate('2024-10-29T15:51:44.000Z', false)).toBe(t('2024-10-29T15:51:44.000Z'));
    expect(parseDate('2024-10-29T15:51:44Z', false)).toBe(t('2024-10-29T15:51:44Z'));
    expect(parseDate('2024-10-29T15:51:44.123456789Z', false)).toBe(t('2024-10-29T15:51:44.123Z'));
    expect(parseDate('2024-10-29T17:51:44+02:00', false)).toBe(t('2024-10-29T15:51:44Z'));
    expect(parseDate('2024-10-29T10:51:44-0500', false)).toBe(t('2024-10-29T15:51:44Z'));
    expect(parseDate('2024-10-29', false)).toBe(t('2024-10-29T00:00:00Z'));
    expect(parseDate(1704067200000, false)).toBe(1704067200000);
    expect(parseDate('1704067200000', false)).toBe(1704067200000);
  });
  it('rounds missing components up when asked', () => {
    expect(parseDate('2024-01-01', true)).toBe(t('2024-01-01T23:59:59.999Z'));
    // Elasticsearch defaults a missing month and day to 1 even when rounding up; only the time rounds up.
    expect(parseDate('2024-02', true)).toBe(t('2024-02-01T23:59:59.999Z'));
    expect(parseDate('2023', true)).toBe(t('2023-01-01T23:59:59.999Z'));
    expect(parseDate('2024-01-01T10:15', true)).toBe(t('2024-01-01T10:15:59.999Z'));
    expect(parseDate('2024-01-01T10:15:00.5Z', true)).toBe(t('2024-01-01T10:15:00.500Z'));
  });
  it('rejects impossible dates and junk', () => {
    for (const bad of ['2023-02-29', '2024-13-01', '2024-01-32', '2024-01-01T24:00', 'yesterday', '', '2024-01-01Z', null, {}, true]) {
      expect(parseDate(bad, false), String(bad)).toBeUndefined();
    }
  });
  it('round-trips any instant through its ISO form (property)', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }), (d) => {
        expect(parseDate(d.toISOString(), false)).toBe(d.getTime());
      }),
    );
  });
});

describe('evalDateMath', () => {
  const now = t('2024-06-15T12:34:56.789Z'); // a Saturday
  it('adds and subtracts units', () => {
    expect(evalDateMath('now', now, false)).toBe(now);
    expect(evalDateMath('now-1d', now, false)).toBe(now - 86_400_000);
    expect(evalDateMath('now+2h', now, false)).toBe(now + 7_200_000);
    expect(evalDateMath('now-30m', now, false)).toBe(now - 1_800_000);
    expect(evalDateMath('now-1w', now, false)).toBe(now - 7 * 86_400_000);
    expect(evalDateMath('now-1M', now, false)).toBe(t('2024-05-15T12:34:56.789Z'));
    expect(evalDateMath('now+1y', now, false)).toBe(t('2025-06-15T12:34:56.789Z'));
  });
  it('rounds down, or up to the last millisecond', () => {
    expect(evalDateMath('now/d', now, false)).toBe(t('2024-06-15T00:00:00Z'));
    expect(evalDateMath('now/d', now, true)).toBe(t('2024-06-15T23:59:59.999Z'));
    expect(evalDateMath('now-1d/d', now, false)).toBe(t('2024-06-14T00:00:00Z'));
    expect(evalDateMath('now/M', now, true)).toBe(t('2024-06-30T23:59:59.999Z'));
    expect(evalDateMath('now/y', now, false)).toBe(t('2024-01-01T00:00:00Z'));
    expect(evalDateMath('now/w', now, false)).toBe(t('2024-06-10T00:00:00Z'));
    expect(evalDateMath('now/h', now, false)).toBe(t('2024-06-15T12:00:00Z'));
    expect(evalDateMath('now/m', now, true)).toBe(t('2024-06-15T12:34:59.999Z'));
    expect(evalDateMath('now/s', now, false)).toBe(t('2024-06-15T12:34:56Z'));
  });
  it('clamps month arithmetic to the month length', () => {
    expect(evalDateMath('2024-01-31||+1M', now, false)).toBe(t('2024-02-29T00:00:00Z'));
    expect(evalDateMath('2023-01-31||+1M', now, false)).toBe(t('2023-02-28T00:00:00Z'));
    expect(evalDateMath('2024-02-29||+1y', now, false)).toBe(t('2025-02-28T00:00:00Z'));
  });
  it('anchors at a date with ||', () => {
    expect(evalDateMath('2024-01-01||+1d/d', now, true)).toBe(t('2024-01-02T23:59:59.999Z'));
  });
  it('rejects malformed expressions', () => {
    for (const bad of ['now-', 'now-1x', 'now/', 'nowish', 'bad||+1d', 'now-1d/d/q']) expect(evalDateMath(bad, now, false), bad).toBeUndefined();
  });
  it('tells date math from plain dates', () => {
    expect(isDateMath('now-1d')).toBe(true);
    expect(isDateMath('2024-01-01||/d')).toBe(true);
    expect(isDateMath('2024-01-01')).toBe(false);
  });
});
