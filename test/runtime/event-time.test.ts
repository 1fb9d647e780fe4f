/** Event times: the direct reading of the usual ISO form gives exactly what Date.parse gives, or defers to it. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalIso, eventInstant } from '../../src/runtime/state/event-time.js';

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

describe('event times', () => {
  it('reads YYYY-MM-DDTHH:MM:SS[.sss]Z as Date.parse does, and leaves every other text to it (property)', () => {
    const field = (max: number, width: number) => fc.oneof(fc.integer({ min: 0, max }).map((n) => pad(n, width)), fc.string({ minLength: width, maxLength: width }));
    const text = fc
      .tuple(field(9999, 4), field(19, 2), field(39, 2), field(29, 2), field(69, 2), field(69, 2), fc.option(field(999, 3), { nil: undefined }), fc.constantFrom('Z', 'z', '+00:00', ''), fc.constantFrom('T', ' ', 't'))
      .map(([y, mo, d, h, mi, s, ms, zone, t]) => `${y}-${mo}-${d}${t}${h}:${mi}:${s}${ms === undefined ? '' : `.${ms}`}${zone}`);
    fc.assert(
      fc.property(text, (s) => {
        const fast = canonicalIso(s);
        if (!Number.isNaN(fast)) expect(fast).toBe(Date.parse(s));
        expect(eventInstant({ t: s }, 't')).toEqual(Math.abs(Date.parse(s)) <= 8.64e15 ? Date.parse(s) : Number.NaN);
      }),
      { numRuns: 5000 },
    );
  });

  it('takes the direct reading for any instant toISOString writes in years 0 to 9999, day rollover included (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -62_167_219_200_000, max: Date.UTC(9999, 11, 31, 23, 59, 59, 999) }), (ms) => {
        const iso = new Date(ms).toISOString();
        expect(canonicalIso(iso)).toBe(ms);
        expect(canonicalIso(iso.replace(/\.\d{3}Z$/, 'Z'))).toBe(ms - (ms % 1000 + 1000) % 1000);
      }),
    );
    expect(canonicalIso('2026-02-30T00:00:00Z')).toBe(Date.parse('2026-02-30T00:00:00Z'));
    expect(canonicalIso('0050-01-01T00:00:00Z')).toBe(Date.parse('0050-01-01T00:00:00Z'));
    expect(canonicalIso('2026-01-01T24:00:00Z')).toBeNaN();
  });
});
